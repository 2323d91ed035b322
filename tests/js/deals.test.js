/* deals.js without a page: the clock, merges, tombstones, what the writer refuses, file names,
 * records and files of earlier versions, and set-aside data that comes back. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile, withClock } = require("./helpers.js");

const NS = "negotiation-playbook:";
const HOUR = 3600 * 1000;
const T0 = Date.UTC(2026, 2, 1, 9);

const sheetOf = (Deals) => Object.values(Deals.worksheets())[0];
const fieldOf = (sheet, type) => sheet.fields.find((f) => f.type === type);
const answerOf = (Deals, id, sheet, fid) => Deals.view(Deals.load(id), sheet).answers.get(fid);

test("after the clock moves back, the later edit still wins", () =>
  withClock(T0, (now) => {
    const { Deals } = profile();
    const sheet = sheetOf(Deals);
    const text = fieldOf(sheet, "text");
    const deal = Deals.blank("Clock");
    Deals.answer(deal, sheet, text, "typed first");
    assert.equal(Deals.save(deal).ok, true);
    now.t -= HOUR; // a time server corrects a fast clock
    Deals.answer(deal, sheet, text, "typed second");
    assert.equal(Deals.save(deal).ok, true);
    assert.equal(answerOf(Deals, deal.id, sheet, text.id), "typed second");
    // a page opened after the clock went back starts from what it reads, not from the wall clock
    const again = profile(globalThis.localStorage).Deals;
    const copy = again.load(deal.id);
    again.answer(copy, sheet, text, "typed third, in a new page");
    assert.equal(again.save(copy).ok, true);
    assert.equal(answerOf(again, deal.id, sheet, text.id), "typed third, in a new page");
    assert.ok(copy.worksheets[sheet.id].answers[text.id].t > T0, "a stamp past every stamp seen");
  }));

test("two tabs merge answer by answer, whatever order they save in", () =>
  withClock(T0, (now) => {
    const { Deals } = profile();
    const sheet = sheetOf(Deals);
    const [a, b] = sheet.fields.filter((f) => f.type === "text" || f.type === "long-text");
    const deal = Deals.blank("Two tabs");
    Deals.save(deal);
    const one = Deals.load(deal.id);
    const two = Deals.load(deal.id);
    Deals.answer(one, sheet, a, "from tab one");
    now.t += 1;
    Deals.answer(two, sheet, b, "from tab two");
    Deals.answer(two, sheet, a, "tab two, later");
    Deals.save(two);
    Deals.save(one); // the older copy saves last: it cannot win back an answer typed later
    assert.equal(answerOf(Deals, deal.id, sheet, a.id), "tab two, later");
    assert.equal(answerOf(Deals, deal.id, sheet, b.id), "from tab two");
    assert.deepEqual(Deals.merge(one, two), Deals.merge(two, one), "the same result on either side");
  }));

test("equal stamps from two tabs merge to the same answer on both sides", () => {
  const { Deals } = profile();
  const entry = (v) => ({ id: "x", born: 1, name: "n", named: 1, worksheets: { w: { answers: { q: { v, t: 5, label: "Q" } }, earlier: {} } } });
  assert.deepEqual(Deals.merge(entry("a"), entry("b")), Deals.merge(entry("b"), entry("a")));
});

test("a deletion wins over older copies; a deal imported after it comes back even with the clock behind", () =>
  withClock(T0, (now) => {
    const { Deals, Store } = profile();
    const sheet = sheetOf(Deals);
    const deal = Deals.blank("Doomed");
    Deals.answer(deal, sheet, fieldOf(sheet, "text"), "soon gone");
    Deals.save(deal);
    const file = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    const stale = Deals.load(deal.id);
    Deals.remove(deal.id);
    const result = Deals.save(stale);
    assert.equal(result.deleted, true);
    assert.equal(Deals.list().length, 0);
    now.t -= 2 * HOUR;
    const imported = Deals.importText(file, Deals.worksheets(), () => true);
    assert.equal(imported.ok, true);
    assert.deepEqual(Deals.list().map((d) => d.name), ["Doomed"]);
    assert.equal(Deals.save(Deals.merge(stale, Deals.load(deal.id))).ok, true, "an old tab's copy does not delete it");
    assert.equal(Store.keys().filter((k) => k.startsWith("backup:")).length, 0);
  }));

test("the writer refuses what the reader would reject, with a sentence, and stores nothing of it", () => {
  const { Deals, Answers, storage } = profile();
  const sheet = sheetOf(Deals);
  const text = fieldOf(sheet, "text");
  const date = fieldOf(sheet, "date");
  const deal = Deals.blank("Limits");
  assert.equal(Deals.save(deal).ok, true);
  const before = JSON.stringify([...storage.map]);
  assert.match(Deals.answer(deal, sheet, text, "x".repeat(Answers.limit("text") + 1)), /characters/);
  assert.match(Deals.answer(deal, sheet, text, "two\nlines"), /more than one line/);
  assert.match(Deals.answer(deal, sheet, date, "20266-03-15"), /more than four digits/);
  assert.match(Deals.rename(deal, "n".repeat(Deals.MAX_NAME + 1)), /up to 200 characters/);
  assert.equal(JSON.stringify([...storage.map]), before);
  deal.name = "n".repeat(Deals.MAX_NAME + 1); // a bug elsewhere: save still never writes it
  const saved = Deals.save(deal);
  assert.equal(saved.ok, false);
  assert.match(saved.error, /name is longer than 200 characters/);
  assert.equal(JSON.stringify([...storage.map]), before);
});

test("Duplicate of a deal with the longest name makes a name that fits", () => {
  const { Deals } = profile();
  const deal = Deals.blank("😀".repeat(100)); // 200 UTF-16 units
  assert.equal(Deals.save(deal).ok, true);
  const copy = Deals.copy(deal);
  assert.ok(copy.name.length <= Deals.MAX_NAME && copy.name.startsWith("Copy of "));
  assert.ok(!/[\uD800-\uDBFF]$/.test(copy.name), "no half of a character");
  assert.equal(Deals.save(copy).ok, true);
  assert.equal(Deals.load(copy.id).name, copy.name);
});

test("file names keep letters of any script and replace only what file systems forbid", () => {
  const { Deals } = profile();
  const name = (n) => Deals.fileName({ name: n });
  assert.equal(name("Acme renewal"), "deal-acme-renewal.json");
  assert.equal(name("Сделка с поставщиком"), "deal-сделка-с-поставщиком.json");
  assert.equal(name("交渉 2026"), "deal-交渉-2026.json");
  assert.equal(name('a/b\\c:d*e?f"g<h>i|j'), "deal-a-b-c-d-e-f-g-h-i-j.json");
  assert.equal(name("Müller & Söhne, Q3"), "deal-müller-&-söhne,-q3.json");
  assert.equal(name("..."), "deal-deal.json");
  assert.equal(name(""), "deal-untitled.json");
  assert.ok([...name("ж".repeat(300))].length <= 70);
});

const OLD_RECORD = {
  id: "lz9k2f-abc123",
  born: 1767225600000,
  name: "From the last release",
  named: 1767225600000,
  worksheets: {},
};

test("records and files of earlier versions load, merge and import as they are", () => {
  const { Deals, storage } = profile();
  const sheet = sheetOf(Deals);
  const text = fieldOf(sheet, "text");
  const number = fieldOf(sheet, "number");
  const record = structuredClone(OLD_RECORD);
  record.worksheets[sheet.id] = {
    answers: { [text.id]: { v: "old words", t: 1767225600001, label: text.label }, [number.id]: { v: "100", t: 1767225600002, label: "N" } },
    earlier: { gone: { label: "A removed question", value: "kept", t: 1767225600003 }, cleared: { t: 1767225600004 } },
  };
  storage.setItem(`${NS}deal:${record.id}`, JSON.stringify(record));
  const loaded = Deals.load(record.id);
  assert.deepEqual(loaded, record);
  assert.equal(Deals.view(loaded, sheet).answers.get(number.id), "100");
  Deals.answer(loaded, sheet, text, "new words");
  assert.equal(Deals.save(loaded).ok, true);
  assert.ok(Deals.load(record.id).worksheets[sheet.id].answers[text.id].t > 1767225600001);
  // a file of the previous release: one worksheet's canvases
  const old = {
    format: "negotiation-playbook",
    kind: "canvases",
    id: sheet.id,
    version: 1,
    exported: "2026-01-01T00:00:00.000Z",
    data: { canvases: [{ id: "k", name: "Old file", answers: { [text.id]: "from the old file", [number.id]: "lots" } }] },
  };
  const fresh = profile().Deals;
  const result = fresh.importText(JSON.stringify(old), fresh.worksheets(), () => true);
  assert.equal(result.ok, true);
  const answers = fresh.view(fresh.load(result.deals[0].id), sheet).answers;
  assert.equal(answers.get(text.id), "from the old file");
  assert.equal(answers.get(number.id), "lots", "a number answer is kept as typed");
});

test("a set-aside deal can always come back: repaired here, or set aside again elsewhere", () => {
  const { Deals, Store, storage } = profile();
  const sheet = sheetOf(Deals);
  const text = fieldOf(sheet, "text");
  const long = structuredClone(OLD_RECORD);
  long.name = `Copy of ${"n".repeat(Deals.MAX_NAME)}`; // what an earlier Duplicate could write
  long.worksheets[sheet.id] = { answers: { [text.id]: { v: "kept", t: 5, label: text.label } }, earlier: {} };
  storage.setItem(`${NS}deal:${long.id}`, JSON.stringify(long));
  storage.setItem(`${NS}deal:cut`, '{"id": "cut", "name": "half');
  assert.deepEqual(Deals.list(), []);
  const backups = Store.backups();
  assert.equal(backups.length, 2);
  const reasons = backups.map((b) => Deals.describeBackup(b.key, b.text));
  assert.ok(reasons.some((r) => r.includes("could not be read, because its name is longer than 200 characters")), reasons);
  assert.ok(reasons.some((r) => r.includes("not readable at all")), reasons);
  assert.deepEqual(backups.map((b) => Deals.repairable(b.key, b.text)).sort(), [false, true]);
  // each exports as a file that a fresh profile's import accepts
  const files = backups.map((b) => JSON.stringify(Store.setAsideFile(b.key)));
  const there = profile();
  const results = files.map((f) => there.Deals.importText(f, there.Deals.worksheets(), () => true));
  assert.ok(results.every((r) => r.ok), JSON.stringify(results));
  const [repaired] = there.Deals.list();
  assert.equal(there.Deals.view(repaired, sheet).answers.get(text.id), "kept");
  assert.equal(repaired.name.length, Deals.MAX_NAME);
  assert.ok(results.some((r) => r.left.some((l) => l.includes("name was cut"))));
  assert.deepEqual(there.Store.backups().map((b) => b.text), ['{"id": "cut", "name": "half']);
  // and here (this profile's storage again), "Repair and restore" puts the readable one back
  globalThis.localStorage = storage;
  const restored = Deals.restore(backups.find((b) => b.text.includes("Copy of")).key, Deals.worksheets(), () => true);
  assert.equal(restored.ok, true);
  assert.equal(Deals.list().length, 1);
  const unreadable = Deals.restore(Store.backups()[0].key, Deals.worksheets(), () => true);
  assert.equal(unreadable.ok, false);
  assert.match(unreadable.error, /could be repaired/);
  assert.equal(Store.backups().length, 1, "still kept");
});

test("a refused import changes nothing and says only why", () => {
  const { Deals, storage } = profile();
  const deal = Deals.blank("Mine");
  Deals.save(deal);
  const before = JSON.stringify([...storage.map]);
  for (const text of ["{", "[]", JSON.stringify({ format: "negotiation-playbook", kind: "deals", id: "deals", version: 1, data: { deals: [{ id: "a b", name: "x", worksheets: {} }] } })]) {
    const result = Deals.importText(text, Deals.worksheets(), () => true);
    assert.equal(result.ok, false);
    assert.match(result.error, /nothing was imported\.$/);
  }
  assert.equal(JSON.stringify([...storage.map]), before);
});

test("a file from a newer version, or with a version it cannot read, is refused as a link would be", () => {
  const { Deals, storage } = profile();
  const deal = { id: "d1", name: "Renewal", worksheets: {} };
  const file = (version, kind = "deals", data = { deals: [deal] }) => JSON.stringify({ format: "negotiation-playbook", kind, id: "deals", version, data });
  const before = JSON.stringify([...storage.map]);
  for (const version of [2, 99]) {
    assert.equal(
      Deals.importText(file(version), Deals.worksheets(), () => true).error,
      "This file was made by a newer version of the playbook than this site (import it where the playbook is up to date), so nothing was imported.",
    );
  }
  for (const version of ["2.0-beta", "1", 1.5, 0, null]) {
    assert.match(Deals.importText(file(version), Deals.worksheets(), () => true).error, /incomplete or damaged .*nothing was imported\.$/, String(version));
  }
  assert.match(Deals.importText(file(2, "set-aside", { text: "{}" }), Deals.worksheets(), () => true).error, /newer version/);
  assert.equal(JSON.stringify([...storage.map]), before);
  assert.equal(Deals.importText(file(1), Deals.worksheets(), () => true).ok, true);
});

test("a deal's name too long for this site is refused as that, not as a missing name", () => {
  const { Deals } = profile();
  const sheet = sheetOf(Deals);
  const file = (deal, kind = "deals", id = "deals") => JSON.stringify({ format: "negotiation-playbook", kind, id, version: 1, data: kind === "deals" ? { deals: [deal] } : { canvases: [deal] } });
  const long = "N".repeat(Deals.MAX_NAME + 1);
  const refused = (text) => Deals.importText(text, Deals.worksheets(), () => true).error;
  assert.equal(
    refused(file({ id: "d1", name: long, worksheets: {} })),
    `This file cannot be imported because the name of deal "${"N".repeat(57)}..." is longer than ${Deals.MAX_NAME} characters, so nothing was imported.`,
  );
  assert.match(refused(file({ name: long, answers: {} }, "canvases", sheet.id)), /the name of deal "N+\.\.\." is longer than 200 characters/);
  assert.match(refused(file({ id: "d1", worksheets: {} })), /because a deal in it has no name,/);
  assert.match(refused(file({ id: "d1", name: "Renewal" })), /because deal "Renewal" holds no worksheets,/);
  assert.match(refused(file({ name: "Renewal" }, "canvases", sheet.id)), /because deal "Renewal" holds no answers,/);
});

test("migration writes no deal it could not read back: old canvases under a key no worksheet can have stay where they are", () => {
  const { Deals, storage } = profile();
  const old = JSON.stringify({ canvases: [{ id: "k", name: "Old", answers: { q: "kept" } }], current: "k" });
  storage.setItem(`${NS}canvas:Not A Worksheet`, old);
  assert.deepEqual(Deals.migrate("x"), []);
  assert.equal(storage.getItem(`${NS}canvas:Not A Worksheet`), old);
  assert.deepEqual(Deals.list(), []);
  assert.equal(Deals.damaged.length, 0);
});
