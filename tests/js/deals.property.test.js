/* The property behind "the page's own exports always import": every state the page can reach,
 * through any sequence of what a reader does (type in any question, rename, new deal, Duplicate,
 * clear an earlier answer, delete, the clock moving either way, and the site updating to a version
 * of the worksheet whose questions changed type, went or came), is readable by the page's own reader,
 * and survives export and import into a fresh profile with the same answers, earlier ones included.
 *
 * fast-check draws the two versions of the worksheet and the readers' actions; 1,000 runs.
 */
const test = require("node:test");
const assert = require("node:assert/strict");
const fc = require("fast-check");
const { profile, withClock, MemoryStorage } = require("./helpers.js");

const RUNS = 1000;
// One page's code for every run (loading it anew each time would be most of the test's time); each
// run has storage of its own, and the import another device's empty storage.
const { schema, Deals, Store } = profile();
const rules = schema.rules;
const TYPES = Object.keys(rules.types);
const COLUMN_TYPES = ["text", "number", "date"].filter((t) => TYPES.includes(t));
const label = fc.string({ maxLength: 12 });

const columns = fc.uniqueArray(
  fc.record({ id: fc.constantFrom("p", "q", "r"), type: fc.constantFrom(...COLUMN_TYPES), label }),
  { selector: (c) => c.id, minLength: 1, maxLength: 3 },
);
const field = fc
  .record({ id: fc.constantFrom("a", "b", "c", "d", "e"), type: fc.constantFrom(...TYPES), label, columns })
  .map((f) => ({ ...f, columns: f.type === "rows" ? f.columns : [] }));
const version = fc.uniqueArray(field, { selector: (f) => f.id, minLength: 1, maxLength: 5 });
const sheet = (fields, n) => ({ id: "w", title: "Worksheet", version: n, url: "w.html", fields });

// what an input of each kind can produce, and some that the writer must refuse
const line = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("480k", "€480,000", "1,5", "lots", ""));
const long = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("a\nb", "x".repeat(2001)));
const day = fc
  .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
  .filter((d) => /^\d{4}-/.test(d));
const date = fc.oneof(day, fc.constantFrom("", "20266-03-15"));
const row = fc.record({ p: line, q: line, r: fc.oneof(line, day) }, { requiredKeys: [] });
const candidate = fc.record({
  line,
  long,
  date,
  tick: fc.boolean(),
  scale: fc.constantFrom("", "1", "2", "3", "4", "5", "6"),
  rows: fc.array(row, { maxLength: 4 }),
});
const action = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("answer"), i: fc.nat(), value: candidate }) },
  fc.record({ kind: fc.constant("rename"), name: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("n".repeat(200), "n".repeat(201))) }),
  fc.record({ kind: fc.constantFrom("new", "copy", "clear", "delete", "update") }),
  fc.record({ kind: fc.constant("pick"), i: fc.nat() }),
  fc.record({ kind: fc.constant("clock"), by: fc.integer({ min: -7200000, max: 600000 }) }),
);

const valueFor = (type, c) =>
  ({ text: c.line, "long-text": c.long, number: c.line, date: c.date, checkbox: c.tick, scale: c.scale, rows: c.rows })[type] ?? c.line;

/* Play the actions as the worksheet page does: change the tab's copy, then save it merged. */
const play = (Deals, versions, actions, now) => {
  let site = 0;
  let record = Deals.blank("My first deal");
  const save = () => {
    const result = Deals.save(record);
    if (result.ok) record = result.record;
    else if (result.deleted) record = Deals.list()[0] ?? Deals.blank("Another deal");
    else assert.fail(`a save the writer let through was refused: ${result.error}`);
  };
  for (const a of actions) {
    const worksheet = sheet(versions[site], site + 1);
    if (a.kind === "answer") {
      const f = worksheet.fields[a.i % worksheet.fields.length];
      if (Deals.answer(record, worksheet, f, valueFor(f.type, a.value)) === null) save();
    } else if (a.kind === "rename") {
      if (Deals.rename(record, a.name) === null) save();
    } else if (a.kind === "new") {
      record = Deals.blank(`Deal ${Deals.list().length + 1}`);
      save();
    } else if (a.kind === "copy") {
      record = Deals.copy(record);
      save();
    } else if (a.kind === "clear") {
      const [first] = Deals.view(record, worksheet).earlier;
      if (first) {
        Deals.clearEarlier(record, worksheet.id, first.slot, first.kind);
        save();
      }
    } else if (a.kind === "delete") {
      Deals.remove(record.id);
      record = Deals.list()[0] ?? Deals.blank("Another deal");
    } else if (a.kind === "pick") {
      const deals = Deals.list();
      if (deals.length) record = deals[a.i % deals.length];
    } else if (a.kind === "update") site = 1; // the site now has the worksheet's next version
    else if (a.kind === "clock") now.t = Math.max(0, now.t + a.by);
  }
  return sheet(versions[site], site + 1);
};

const shown = (Deals, record, worksheet) => {
  const { answers, earlier } = Deals.view(record, worksheet);
  return { name: record.name, answers: [...answers], earlier };
};

test(`every state the page can reach exports and imports into a fresh profile unchanged (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(version, version, fc.array(action, { maxLength: 25 }), (v1, v2, actions) =>
      withClock(Date.UTC(2026, 2, 1), (now) => {
        globalThis.localStorage = new MemoryStorage();
        const worksheet = play(Deals, [v1, v2], actions, now);
        const worksheets = { w: worksheet };
        assert.deepEqual(Store.backups(), [], "the reader set aside something the writer saved");
        const deals = Deals.list();
        if (!deals.length) return;
        const text = JSON.stringify(Deals.envelope(deals));
        globalThis.localStorage = new MemoryStorage(); // another device
        const result = Deals.importText(text, worksheets, () => true);
        assert.equal(result.ok, true, result.error);
        const byId = new Map(Deals.list().map((r) => [r.id, r]));
        assert.equal(byId.size, deals.length);
        for (const record of deals) {
          assert.deepEqual(shown(Deals, byId.get(record.id), worksheet), shown(Deals, record, worksheet));
        }
        const again = JSON.parse(JSON.stringify(Deals.envelope([...byId.values()])));
        // the same answers and versions; only `b`, where each copy last met another, moved on
        const unmet = (key, value) => (key === "b" ? undefined : value);
        const sorted = (data) => JSON.parse(JSON.stringify(data.deals, unmet)).sort((a, b) => (a.id < b.id ? -1 : 1));
        assert.deepEqual(sorted(again.data), sorted(JSON.parse(text).data), "a second export holds the same");
      }),
    ),
    { numRuns: RUNS },
  );
});
