/* numbers.js: numbers as people write them, understood or refused with a reason, never guessed. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile } = require("./helpers.js");

const { Answers } = profile();
const number = (text) => Answers.number(text);

test("the forms people write are all understood", () => {
  const cases = {
    480000: 480000,
    "480k": 480000,
    "480 k": 480000,
    "480K": 480000,
    "1.2m": 1200000,
    "1.2 million": 1200000,
    "480 000": 480000,
    "480\u00a0000": 480000,
    "480,000": 480000,
    "€480,000": 480000,
    "480,000 €": 480000,
    "EUR 480,000": 480000,
    "USD 1.5bn": 1.5e9,
    "-20": -20,
    "−20": -20,
    "-€20": -20,
    "€-20": -20,
    "1,234,567.89": 1234567.89,
    "480,000.50": 480000.5,
    "2.5": 2.5,
    "0.125": 0.125,
    "1234.567": 1234.567,
    ".5": 0.5,
    "1e6": 1e6,
    " 42 ": 42,
  };
  for (const [text, value] of Object.entries(cases)) {
    assert.deepEqual(number(text), { ok: true, value }, text);
  }
  assert.deepEqual(number(""), { ok: true, value: null });
  assert.deepEqual(number("   "), { ok: true, value: null });
});

test("anything else keeps its text and gets a reason, never a guess", () => {
  for (const text of ["lots", "1,5", "12,3456", "480,00", "4 80", "480 000,000", "1.2.3", "k", "5 apples", "1e999", "--5"]) {
    const meaning = number(text);
    assert.equal(meaning.ok, false, text);
    assert.match(meaning.why, /\.$/, text);
  }
  assert.match(number("1,5").why, /point/);
  assert.match(number("5 apples").why, /“apples” is not a scale/);
});

test("one point before three digits may separate thousands (much of Europe), so it is asked about, not guessed", () => {
  for (const text of ["480.000", "€480.000", "480.000 €", "1.125", "-2.500", "2.500k"]) {
    assert.equal(number(text).ok, false, text);
  }
  assert.equal(
    number("€480.000").why,
    "A point before three digits separates thousands in some countries and decimals in others: write 480,000 or 480 000 for thousands, or 480.0000 if the point is a decimal point.",
  );
});

test("the rule comes from the generated schema", () => {
  const { schema } = profile();
  assert.deepEqual(Object.keys(schema.rules.number).sort(), ["decimal", "groups", "scales"]);
  assert.equal(schema.rules.number.scales.k, 1000);
});

test("a date whose year was typed short is kept but said, a full year passes", () => {
  for (const text of ["", "2026-03-15", "1000-01-01", "9999-12-31"]) assert.deepEqual(Answers.date(text), { ok: true }, text);
  for (const text of ["0026-03-15", "0001-01-01", "0999-12-31"]) {
    const meaning = Answers.date(text);
    assert.equal(meaning.ok, false, text);
    assert.match(meaning.why, new RegExp(`year ${Number(text.slice(0, 4))}: type the year with all four digits`), text);
  }
});
