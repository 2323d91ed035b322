/* challenge-progress.js and ics.js without a page: progress read as untrusted data, files checked,
 * set-aside progress that comes back, streaks, and calendar text. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile } = require("./helpers.js");

const { Challenge: C, Store, Ics } = profile();
const file = (data, kind = "challenge", id = "30-day") => JSON.stringify(Store.envelope(kind, id, 1, data));

test("progress is read as untrusted data, and a day named __proto__ stays plain data", () => {
  assert.deepEqual(C.read({}), { ok: true, progress: { start: null, time: "", workdays: false, days: {} } });
  assert.match(C.read({ start: "20266-01-01" }).error, /start date/);
  assert.match(C.read({ days: { 1: { note: "x".repeat(2001) } } }).error, /longer than 2000/);
  const odd = C.read(JSON.parse('{"days": {"__proto__": {"done": null, "note": "hi"}}}'));
  assert.equal(odd.ok, true);
  assert.equal(Object.getPrototypeOf(odd.progress.days), Object.prototype);
});

test("an imported file is checked against the challenge's days", () => {
  assert.equal(C.parse(file({ start: "2026-03-02", days: { 3: { done: "2026-03-04", note: "ok" } } }), 30).ok, true);
  assert.match(C.parse(file({ days: { 31: {} } }), 30).error, /no day 31/);
  assert.match(C.parse(file({}, "deals", "deals"), 30).error, /holds deals data/);
  assert.match(C.parse("nope", 30).error, /not valid JSON/);
});

test("a progress file from a newer version, or with a version it cannot read, is refused", () => {
  const versioned = (version) => JSON.stringify({ ...JSON.parse(file({ start: "2026-03-02" })), version });
  assert.match(C.parse(versioned(2), 30).error, /^This file was made by a newer version of the playbook/);
  assert.match(C.parse(versioned("2.0-beta"), 30).error, /incomplete or damaged/);
  assert.equal(C.parse(versioned(1), 30).ok, true);
});

test("set-aside progress exports as a file the challenge takes back, or sets aside again", () => {
  const readable = JSON.stringify(Store.setAsideFile("backup:challenge:1")).replace('"text":""', `"text":${JSON.stringify(JSON.stringify({ start: "2026-03-02" }))}`);
  assert.deepEqual(C.parse(readable, 30).progress.start, "2026-03-02");
  const broken = file({ text: "{half" }, "set-aside", "challenge");
  assert.deepEqual(C.parse(broken, 30), { ok: true, aside: "{half" });
  assert.equal(C.parse(file({ text: "{}" }, "set-aside", "deal:x"), 30).ok, false);
});

test("streaks count days in a row up to today, weekends aside on working days", () => {
  const progress = { start: "2026-03-02", time: "", workdays: true, days: { 1: { done: "2026-03-05" }, 2: { done: "2026-03-06" }, 3: { done: "2026-03-09" } } };
  assert.equal(C.streak(progress, 30, "2026-03-09"), 3);
  assert.equal(C.streak(progress, 30, "2026-03-10"), 3, "today still open");
  assert.equal(C.next(progress, 30), 4);
});

test("calendar text: CRLF lines of at most 75 octets, escaped text, never a character cut", () => {
  const text = Ics.calendar({
    name: "Day, by; day",
    product: "Acme, Guide; One",
    now: new Date(Date.UTC(2026, 0, 1)),
    events: [{ uid: "u@x", date: "2026-03-02", time: "", summary: "Ж".repeat(60), description: "a\nb, c; d\\e", url: "" }],
  });
  const lines = text.split("\r\n");
  assert.equal(lines.at(-1), "");
  for (const line of lines) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.ok(!text.includes("\uFFFD"));
  const unfolded = text.replace(/\r\n /g, "");
  assert.ok(unfolded.includes(`SUMMARY:${"Ж".repeat(60)}`));
  assert.ok(unfolded.includes("DESCRIPTION:a\\nb\\, c\\; d\\\\e"));
  assert.ok(unfolded.includes("X-WR-CALNAME:Day\\, by\\; day"));
  assert.ok(unfolded.includes("PRODID:-//Acme\\, Guide\\; One//EN"), "the site's own name makes it");
});

test("the product is the name a page carries in its application-name meta tag", () => {
  const page = { querySelector: (selector) => (selector === 'meta[name="application-name"]' ? { content: "Acme Guide" } : null) };
  assert.equal(Ics.productOf(page), "Acme Guide");
});

test("calendar days keep years 1 to 99 and four digits, across month and year ends", () => {
  assert.equal(Ics.iso(Ics.day("0050-06-15")), "0050-06-15");
  assert.equal(Ics.addDays("0099-12-31", 1), "0100-01-01");
  assert.equal(Ics.addDays("0001-03-01", -1), "0001-02-28");
  assert.equal(Ics.addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(C.addDays("0026-01-05", 2), "0026-01-07");
  assert.equal(C.toDate("0026-01-05").getFullYear(), 26);
  const timed = Ics.calendar({
    name: "n",
    product: "p",
    events: [{ uid: "u@x", date: "0050-06-15", time: "09:30", summary: "s", description: "d", url: "" }],
  });
  assert.match(timed, /DTSTART:0050061[45]T\d{6}Z\r\n/);
  const allDay = Ics.calendar({ name: "n", product: "p", events: [{ uid: "u@x", date: "0050-06-15", time: "", summary: "s", description: "d", url: "" }] });
  assert.match(allDay, /DTSTART;VALUE=DATE:00500615\r\nDTEND;VALUE=DATE:00500616\r\n/);
});
