/* paper.js without a page: answers as the text paper shows, and typed text as a CSS string that can
 * only ever be that text. The page itself (margin boxes, caption, layout) is tested in Chromium:
 * tests/test_browser_paper.py. */
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fc = require("fast-check");
const { profile } = require("./helpers.js");

profile();
const Paper = require(path.resolve(__dirname, "../../docs/assets/javascripts/paper.js"));

/* A CSS string token read back as CSS Syntax 4.3.5 reads it: a backslash, up to six hex digits and
 * one optional space are one code point; a backslash before any other character is that character. */
const readCss = (token) => {
  assert.match(token, /^".*"$/su);
  const escape = /\\([0-9a-fA-F]{1,6}) ?|\\(.)/gsu;
  return token.slice(1, -1).replace(escape, (_, hex, other) => other ?? String.fromCodePoint(parseInt(hex, 16)));
};

test("typed text becomes a CSS string of letters, digits, spaces and escapes that reads back as that text", () => {
  const hostile = ['Acme "Q3" \\ 2027', "</style><script>alert(1)</script>", "a\nb;}@page{x", "Ünïcødé 名前 ✓", "\u202e"];
  for (const text of hostile) {
    const css = Paper.cssString(text);
    assert.match(css, /^"[\p{L}\p{N} \\0-9a-f]*"$/u, css);
    assert.equal(readCss(css), text);
  }
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 80 }).filter((s) => !s.includes("\0")), (text) => {
      const css = Paper.cssString(text);
      return /^"[\p{L}\p{N} \\0-9a-f]*"$/u.test(css) && readCss(css) === text;
    }),
  );
});

test("a date answer is written out as a day, whatever the time zone; what is not a day is printed as typed", () => {
  const written = Paper.date("2026-03-15");
  assert.match(written, /2026/);
  assert.match(written, /15/);
  assert.doesNotMatch(written, /2026-03-15|03\/15/);
  assert.equal(Paper.date("2026-02-30"), "2026-02-30"); // no such day: never moved to 2 March
  assert.equal(Paper.date("20266-01-01"), "20266-01-01");
  assert.equal(Paper.date(""), "");
  assert.match(Paper.date("0001-01-01"), /\b1\b/); // year 1, not 1901
  assert.match(Paper.date("9999-12-31"), /9999/);
});

test("every kind of answer is text: ticks, choices with their ends, numbers as typed", () => {
  assert.equal(Paper.answer("checkbox", true), "Yes");
  assert.equal(Paper.answer("checkbox", undefined), "No");
  assert.equal(Paper.answer("scale", "4", { low: "Not at all", high: "Fully" }), "4 on a scale from 1 (Not at all) to 5 (Fully)");
  assert.equal(Paper.answer("scale", "2"), "2 on a scale from 1 to 5");
  assert.equal(Paper.answer("scale", undefined), "");
  assert.equal(Paper.answer("number", "€480,000"), "€480,000");
  assert.equal(Paper.answer("long-text", "line one\nline two"), "line one\nline two");
  assert.equal(Paper.answer("text", undefined), "");
  assert.equal(Paper.answer("date", "2026-03-15"), Paper.date("2026-03-15"));
  assert.equal(Paper.earlier([{ a: "one", b: "" }, { a: "two", b: "2" }]), "one\ntwo · 2");
  assert.equal(Paper.earlier(false), "Not ticked");
});

test("a running head is one line: a long name is cut with an ellipsis, between characters, never inside one", () => {
  assert.equal(Paper.short("Acme"), "Acme");
  const long = "😀".repeat(100);
  const cut = Paper.short(long);
  assert.equal([...cut].length, 60);
  assert.ok(cut.endsWith("😀…"));
  const lines = Paper.label("Acme", Date.UTC(2026, 11, 4, 9, 30), new Date(Date.UTC(2026, 11, 5, 12)));
  assert.equal(lines.deal, "Deal: Acme");
  assert.match(lines.printed, /^Printed .*2026/);
  assert.match(lines.changed, /^Last changed .*2026/);
});
