/* A colleague's copy of a deal brought back (copies.js through deals.js's import): what changed on
 * one side only is taken or kept without a question, what changed on both is a conflict the reader
 * settles (mine, theirs or both), and nothing is overwritten unseen. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile, withClock } = require("./helpers.js");

const T0 = Date.UTC(2026, 2, 1, 9);
const MINUTE = 60000;

const sheetOf = (Deals) => Object.values(Deals.worksheets())[0];
const field = (sheet, type) => sheet.fields.find((f) => f.type === type);

/* Alice and Bob, each a browser profile of their own; `as(person)` makes that profile's storage the one in use. */
const people = () => {
  const alice = profile();
  const bob = profile();
  const as = (person) => {
    globalThis.localStorage = person.storage;
    return person.Deals;
  };
  return { alice, bob, as };
};

const answers = (Deals, id) => {
  const sheet = sheetOf(Deals);
  return Object.fromEntries(Deals.view(Deals.load(id), sheet).answers);
};

/* Alice prepares a deal and shares it; Bob brings it in and changes two answers; Alice changes one
 * of those two and adds another. Bob's copy then comes back to Alice. */
const story = () =>
  withClock(T0, (now) => {
    const { alice, bob, as } = people();
    let Deals = as(alice);
    const sheet = sheetOf(Deals);
    const [text, long, number, date] = ["text", "long-text", "number", "date"].map((t) => field(sheet, t));
    const deal = Deals.blank("Acme renewal");
    Deals.answer(deal, sheet, text, "Acme");
    Deals.answer(deal, sheet, long, "They need the budget signed off");
    Deals.answer(deal, sheet, number, "100k");
    assert.equal(Deals.save(deal).ok, true);
    const link = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    assert.equal(Deals.shared(deal.id).ok, true);

    now.t += 10 * MINUTE;
    Deals = as(bob);
    assert.equal(Deals.importText(link, Deals.worksheets(), () => assert.fail("a new deal asks nothing")).ok, true);
    const theirs = Deals.load(deal.id);
    Deals.answer(theirs, sheet, long, "Budget and timing both matter");
    Deals.answer(theirs, sheet, number, "120k");
    assert.equal(Deals.save(theirs).ok, true);
    const back = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    Deals.shared(deal.id);

    now.t -= 5 * MINUTE; // Alice's clock is behind Bob's: versions, not times, decide
    Deals = as(alice);
    const mine = Deals.load(deal.id);
    Deals.answer(mine, sheet, long, "Their budget is tight this year");
    Deals.answer(mine, sheet, date, "2026-06-01");
    assert.equal(Deals.save(mine).ok, true);
    return { alice, bob, as, deal, back, sheet, fields: { text, long, number, date } };
  });

test("only the answers both sides changed since they split are conflicts; the rest is taken or kept", () => {
  const { alice, as, deal, back, fields } = story();
  const Deals = as(alice);
  const plan = Deals.planImport(back, Deals.worksheets());
  assert.equal(plan.ok, true);
  const [{ mine, changes }] = plan.deals;
  assert.equal(mine.id, deal.id);
  const kinds = Object.fromEntries(changes.map((c) => [c.id, [c.kind, c.mine, c.theirs]]));
  assert.deepEqual(kinds, {
    [fields.long.id]: ["conflict", "Their budget is tight this year", "Budget and timing both matter"],
    [fields.number.id]: ["change", "100k", "120k"], // only Bob changed it
  }); // Alice's date (only hers) and the name (unchanged) are not in question
});

for (const [choice, expected] of [
  ["mine", "Their budget is tight this year"],
  ["theirs", "Budget and timing both matter"],
  ["both", "Their budget is tight this year\n\nBudget and timing both matter"],
]) {
  test(`a conflict settled as "${choice}" keeps what was chosen, and takes every change that was not in question`, () =>
    withClock(T0 + 30 * MINUTE, () => {
      const { alice, as, deal, back, fields } = story();
      const Deals = as(alice);
      const plan = Deals.planImport(back, Deals.worksheets());
      const sheetId = sheetOf(Deals).id;
      const result = Deals.applyImport(plan, Deals.worksheets(), { [deal.id]: { [`${sheetId}/${fields.long.id}`]: choice } });
      assert.equal(result.ok, true, result.error);
      const now = answers(Deals, deal.id);
      assert.equal(now[fields.long.id], expected);
      assert.equal(now[fields.number.id], "120k");
      assert.equal(now[fields.date.id], "2026-06-01", "an answer only Alice has stays");
      assert.equal(now[fields.text.id], "Acme");
    }));
}

test("a conflict on an answer that cannot hold both keeps mine and theirs beside it as an earlier answer", () =>
  withClock(T0, (now) => {
    const { alice, bob, as } = people();
    let Deals = as(alice);
    const sheet = sheetOf(Deals);
    const date = field(sheet, "date");
    const deal = Deals.blank("Dates");
    Deals.answer(deal, sheet, date, "2026-05-01");
    Deals.save(deal);
    const link = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    Deals.shared(deal.id);
    Deals = as(bob);
    Deals.importText(link, Deals.worksheets(), () => true);
    const theirs = Deals.load(deal.id);
    now.t += MINUTE;
    Deals.answer(theirs, sheet, date, "2026-05-08");
    Deals.save(theirs);
    const back = JSON.stringify(Deals.envelope([theirs]));
    Deals = as(alice);
    const mine = Deals.load(deal.id);
    Deals.answer(mine, sheet, date, "2026-05-02");
    Deals.save(mine);
    const plan = Deals.planImport(back, Deals.worksheets());
    assert.deepEqual(plan.deals[0].changes.map((c) => c.kind), ["conflict"]);
    assert.equal(Deals.applyImport(plan, Deals.worksheets()).ok, true); // no choice made: both
    const { answers: shown, earlier } = Deals.view(Deals.load(deal.id), sheet);
    assert.equal(shown.get(date.id), "2026-05-02");
    assert.deepEqual(earlier.map((e) => [e.label, e.value]), [[`${date.label} (their copy)`, "2026-05-08"]]);
  }));

test("copies that went back and forth meet again without a conflict", () => {
  const { alice, bob, as, deal, back, fields } = story();
  withClock(T0 + HOUR(), () => {
    let Deals = as(alice);
    Deals.importText(back, Deals.worksheets(), () => true); // both kept
    const again = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    Deals.shared(deal.id);
    Deals = as(bob);
    const plan = Deals.planImport(again, Deals.worksheets());
    assert.deepEqual(
      plan.deals[0].changes.map((c) => [c.id, c.kind]),
      [[fields.long.id, "change"], [fields.date.id, "add"]],
      "Bob has not changed anything since he shared: he takes Alice's settled copy as it is",
    );
    Deals.applyImport(plan, Deals.worksheets());
    const mineAgain = JSON.stringify(Deals.envelope([Deals.load(deal.id)]));
    Deals = as(alice);
    assert.deepEqual(Deals.planImport(mineAgain, Deals.worksheets()).deals[0].changes, [], "nothing new either way");
    void bob;
  });
});

const HOUR = () => 3600 * 1000;

test("a copy without versions (an older file) never wins on trust: every difference is a conflict", () =>
  withClock(T0, () => {
    const { Deals } = profile();
    const sheet = sheetOf(Deals);
    const long = field(sheet, "long-text");
    const deal = Deals.blank("Old file");
    Deals.answer(deal, sheet, long, "mine");
    Deals.save(deal);
    const file = Deals.envelope([Deals.load(deal.id)]);
    const entry = file.data.deals[0].worksheets[sheet.id].answers[long.id];
    delete entry.t;
    entry.v = "theirs";
    const plan = Deals.planImport(JSON.stringify(file), Deals.worksheets());
    assert.deepEqual(plan.deals[0].changes.map((c) => c.kind), ["conflict"]);
    const cancelled = Deals.importText(JSON.stringify(file), Deals.worksheets(), () => false);
    assert.equal(cancelled.cancelled, true);
    assert.equal(answers(Deals, deal.id)[long.id], "mine", "cancelled: nothing changed");
  }));

test("a renamed copy offers its name, kept as mine unless theirs is chosen", () =>
  withClock(T0, () => {
    const { Deals } = profile();
    const deal = Deals.blank("Mine");
    Deals.save(deal);
    const file = Deals.envelope([Deals.load(deal.id)]);
    file.data.deals[0].name = "Theirs";
    const plan = Deals.planImport(JSON.stringify(file), Deals.worksheets());
    assert.deepEqual(plan.deals[0].changes.map((c) => [c.kind, c.mine, c.theirs]), [["name", "Mine", "Theirs"]]);
    Deals.applyImport(plan, Deals.worksheets());
    assert.equal(Deals.load(deal.id).name, "Mine");
    Deals.applyImport(Deals.planImport(JSON.stringify(file), Deals.worksheets()), Deals.worksheets(), { [deal.id]: { name: "theirs" } });
    assert.equal(Deals.load(deal.id).name, "Theirs");
  }));

test("an export marked in storage while the page held its own copy still counts: my own older export brings nothing back", () =>
  withClock(T0, (now) => {
    const { alice, as } = people();
    const Deals = as(alice);
    const sheet = sheetOf(Deals);
    const text = field(sheet, "text");
    const page = Deals.blank("Acme renewal"); // the worksheet page's copy, kept in memory
    Deals.answer(page, sheet, text, "Acme");
    Deals.save(page);
    const file = JSON.stringify(Deals.envelope([Deals.load(page.id)]));
    Deals.shared(page.id); // the export marks storage, not the page's copy
    now.t += MINUTE;
    Deals.answer(page, sheet, text, "Acme, changed since the export");
    Deals.save(page);
    const plan = Deals.planImport(file, Deals.worksheets());
    assert.deepEqual(plan.deals[0].changes, [], "only this side changed the answer since the export");
  }));

test("a worksheet or answer whose id is also a name of Object's prototype is combined as any other", () => {
  const { Copies } = profile();
  const worksheets = { constructor: { id: "constructor", title: "C", fields: [{ id: "tostring", type: "text", label: "Q" }] } };
  const deal = (worksheets) => ({ id: "d1", born: 1, name: "D", named: 1, worksheets });
  const theirs = deal({ constructor: { answers: { tostring: { v: "x", t: 1 }, constructor: { v: "y", t: 1 } }, earlier: {} } });
  const combined = Copies.combine(deal({}), theirs, worksheets, {}, 5);
  assert.ok(Object.hasOwn(combined.worksheets, "constructor"));
  assert.deepEqual(Object.keys(combined.worksheets.constructor.answers), ["tostring", "constructor"]);
});

/* Two copies of deal d1 from a colleague, imported one after the other: answers and earlier answers of the test worksheet. */
const twice = (Deals, first, second) => {
  const file = (worksheet) => JSON.stringify({ format: "negotiation-playbook", kind: "deals", id: "deals", version: 1, data: { deals: [{ id: "d1", name: "Renewal", worksheets: { [sheetOf(Deals).id]: worksheet } }] } });
  assert.equal(Deals.importText(file(first), Deals.worksheets(), () => true).ok, true);
  return Deals.importText(file(second), Deals.worksheets(), () => true);
};

test("an earlier answer of theirs in a slot the site made goes to the next free slot, and the deal reads back", () => {
  const { Deals, storage } = profile();
  const earlier = (value) => ({ answers: {}, earlier: { "meeting-date~2": { label: "Date (their copy)", value } } });
  assert.equal(twice(Deals, earlier("2026-05-01"), earlier("2026-05-08")).ok, true);
  const record = Deals.load("d1");
  assert.equal(Deals.damaged.length, 0);
  assert.deepEqual(Object.keys(record.worksheets[sheetOf(Deals).id].earlier), ["meeting-date~2", "meeting-date~3"]);
  assert.ok(storage.getItem("negotiation-playbook:deal:d1"));
});

test("theirs kept beside mine under a label at the longest a label may be still reads back", () => {
  const { Deals, Answers } = profile();
  const sheet = sheetOf(Deals);
  const date = field(sheet, "date");
  const label = "L".repeat(Answers.rules.text);
  const answer = (v, t) => ({ answers: { [date.id]: { v, t, label } }, earlier: {} });
  assert.equal(twice(Deals, answer("2026-05-01", 5), answer("2026-06-01", 9)).ok, true);
  assert.equal(Deals.damaged.length, 0);
  const [kept] = Deals.view(Deals.load("d1"), sheet).earlier;
  assert.equal(kept.value, "2026-06-01");
  assert.equal(kept.label.length, Answers.rules.text);
  assert.match(kept.label, /^L+ \(their copy\)$/);
});

test("an import that would write a deal the page cannot read back is refused with a sentence, changing nothing", () => {
  const { Deals, storage } = profile();
  // every slot of one question taken: theirs has nowhere to go
  const full = Object.fromEntries(Array.from({ length: 9999 }, (_, i) => [i ? `gone~${i + 1}` : "gone", { label: "Gone", value: `mine ${i}` }]));
  const theirs = { answers: {}, earlier: { gone: { label: "Gone", value: "theirs" } } };
  const file = (worksheet) => JSON.stringify({ format: "negotiation-playbook", kind: "deals", id: "deals", version: 1, data: { deals: [{ id: "d1", name: "Renewal", worksheets: { [sheetOf(Deals).id]: worksheet } }] } });
  assert.equal(Deals.importText(file({ answers: {}, earlier: full }), Deals.worksheets(), () => true).ok, true);
  const before = JSON.stringify([...storage.map]);
  const result = Deals.importText(file(theirs), Deals.worksheets(), () => true);
  assert.equal(result.ok, false);
  assert.match(result.error, /^"\u2068Renewal\u2069" would have been saved in a form this page cannot read back \(its answers to the worksheet "\u2068[a-z-]+\u2069" are damaged\), so nothing was imported\.$/);
  assert.equal(JSON.stringify([...storage.map]), before);
  assert.equal(Deals.damaged.length, 0);
});
