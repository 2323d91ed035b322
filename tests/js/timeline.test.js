/* timeline.js: the steps content gives (the generated schema's timeline), counted from a deal's
 * meeting date; the countdown sentence; the calendar file made by ics.js, as the challenge's. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile } = require("./helpers.js");

const setup = (meeting) => {
  const { Deals, Timeline, schema } = profile();
  const { worksheet, field } = schema.timeline.meeting;
  const sheet = Deals.worksheets()[worksheet];
  const record = Deals.blank("Acme; renewal, 2026");
  if (meeting) Deals.answer(record, sheet, sheet.fields.find((f) => f.id === field), meeting);
  return { Deals, Timeline, schema, record };
};

test("no meeting date, no timeline", () => {
  const { Timeline, schema, record } = setup("");
  assert.equal(Timeline.plan(record, schema, "2026-03-01"), null);
});

test("each step falls its days from the meeting, across months, and links to what to open", () => {
  const { Timeline, schema, record } = setup("2026-03-02");
  const plan = Timeline.plan(record, schema, "2026-02-28");
  const steps = [...schema.timeline.steps].sort((a, b) => a.days - b.days);
  assert.deepEqual(plan.steps.map((s) => s.days), steps.map((s) => s.days));
  assert.deepEqual(
    plan.steps.map((s) => s.date),
    steps.map((s) => new Date(2026, 2, 2 + s.days).toLocaleDateString("sv")), // sv: YYYY-MM-DD
  );
  for (const [step, from] of plan.steps.map((s, i) => [s, steps[i]])) {
    assert.equal(step.links.length, from.worksheets.length + (from.brief ? 1 : 0));
    for (const link of step.links) assert.match(link.url, new RegExp(`\\?deal=${record.id}$`));
  }
  assert.equal(plan.next, plan.steps.find((s) => s.when !== "done"));
  const sentence = Timeline.countdown(plan, "2026-02-28");
  assert.match(sentence, /^The meeting is in 2 days, on 2026-03-02\. Next, /);
  assert.equal(Timeline.countdown(Timeline.plan(record, schema, "2026-03-02"), "2026-03-02").startsWith("The meeting is today."), true);
});

test("the calendar file has the meeting and every step, all day, each with its link", () => {
  const { Timeline, schema, record } = setup("2026-03-02");
  const plan = Timeline.plan(record, schema, "2026-02-01");
  const text = Timeline.calendar(record, plan, "https://playbook.example/canvases/my-deals.html", "Acme Guide");
  const events = text.split("BEGIN:VEVENT").slice(1);
  assert.equal(events.length, plan.steps.length + 1);
  assert.match(text, /SUMMARY:Meeting: Acme\\; renewal\\, 2026\r\n/);
  assert.match(text, /DTSTART;VALUE=DATE:20260302\r\n/);
  assert.match(text, /\r\nPRODID:-\/\/Acme Guide\/\/EN\r\n/);
  assert.match(text.replace(/\r\n /g, ""), /URL:https:\/\/playbook\.example\/canvases\/[a-z-]+\.html\?deal=/);
});

test("a meeting in the years 1 to 99 is dated in that year, not in the 1900s", () => {
  const { Timeline, schema, record } = setup("0050-06-15");
  const plan = Timeline.plan(record, schema, "2026-01-01");
  const steps = [...schema.timeline.steps].sort((a, b) => a.days - b.days);
  assert.ok(plan.steps.every((s) => s.date.startsWith("0050-")), plan.steps.map((s) => s.date).join(" "));
  assert.equal(plan.steps[0].date, Timeline.addDays("0050-06-15", steps[0].days));
  assert.match(Timeline.countdown(plan, "0050-06-13"), /^The meeting is in 2 days, on 0050-06-15\./);
  const text = Timeline.calendar(record, plan, "https://playbook.example/canvases/my-deals.html", "Acme Guide");
  assert.match(text, /DTSTART;VALUE=DATE:00500615\r\nDTEND;VALUE=DATE:00500616\r\n/);
  assert.doesNotMatch(text, /DATE:19/);
});

test("a calendar file holds no day it cannot date: steps past the year 9999 are left out", () => {
  const { Timeline, schema, record } = setup("9999-12-30");
  const plan = Timeline.plan(record, schema, "9999-12-01");
  assert.ok(plan.steps.length > 0 && plan.steps.every((s) => s.date <= "9999-12-30"), plan.steps.map((s) => s.date).join(" "));
  const text = Timeline.calendar(record, plan, "https://example.org/canvases/", "Test");
  assert.doesNotMatch(text, /VALUE=DATE:\d{9}/); // a year of five digits
  assert.equal(Timeline.plan(setup("9999-12-31").record, schema, "9999-12-01"), null); // its day after is 10000-01-01
});
