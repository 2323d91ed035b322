/* The preparation timeline of a deal: steps counted from the meeting's date, as content says
 * (content/brief.yaml's steps; the worksheet field marked `meeting`), generated into
 * PlaybookSchema.timeline: {meeting: {worksheet, field} | null, steps: [{days, title, worksheets, brief}]}.
 *
 * PlaybookTimeline (pure: loads unchanged in a page, after deals.js and ics.js, and in Node):
 *   plan(record, schema, today)   null when the deal has no meeting date; else {meeting: "YYYY-MM-DD",
 *                                 steps: [{date, days, title, links: [{title, url}], when}], next}
 *                                 where `when` is "done" (its day is past), "today" or "ahead", and
 *                                 `next` the first step not past (null once all are)
 *   countdown(plan, today)        one short sentence: how far off the meeting is and what to do next
 *   calendar(record, plan, base, product)
 *                                 the .ics text (ics.js, as the challenge's): the meeting and each
 *                                 step as all-day events, each linking to what to open (`base`:
 *                                 the address the links are relative to; `product`: the site's name)
 * Dates are local calendar days, "YYYY-MM-DD", counted by ics.js's addDays.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make(require("./deals.js"), require("./ics.js"));
  else root.PlaybookTimeline = make(root.PlaybookDeals, root.PlaybookIcs);
})(globalThis, (Deals, Ics) => {
  const { addDays } = Ics;
  const between = (from, to) => {
    const at = (text) => Ics.day(text).getTime();
    return Math.round((at(to) - at(from)) / 86400000); // a clock change makes a day 23 or 25 hours
  };

  // A day a calendar file can hold as an all-day event: it and the day after it dated 0001 to 9999
  // (a step of a meeting on 9999-12-31 would end in the year 10000, a date no calendar reads).
  const holds = (date) => [date, addDays(date, 1)].every((d) => /^\d{4}-/.test(d) && d >= "0001-01-01");

  const plan = (record, schema, today) => {
    const { meeting, steps } = schema.timeline ?? {};
    const worksheets = schema.worksheets;
    const sheet = meeting && Object.hasOwn(worksheets, meeting.worksheet) ? worksheets[meeting.worksheet] : null;
    const date = sheet ? Deals.view(record, sheet).answers.get(meeting.field) : undefined;
    if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !holds(date)) return null;
    const query = `?deal=${encodeURIComponent(record.id)}`;
    const made = [...steps]
      .sort((a, b) => a.days - b.days)
      .map((step) => {
        const when = addDays(date, step.days);
        const links = step.worksheets
          .filter((id) => Object.hasOwn(worksheets, id))
          .map((id) => ({ title: worksheets[id].title, url: `${worksheets[id].url}${query}` }));
        if (step.brief && schema.brief) links.push({ title: schema.brief.title, url: `${schema.brief.url}${query}` });
        const state = when < today ? "done" : when === today ? "today" : "ahead";
        return { date: when, days: step.days, title: step.title, links, when: state };
      })
      .filter((step) => holds(step.date));
    return { meeting: date, steps: made, next: made.find((s) => s.when !== "done") ?? null };
  };

  const inDays = (n) => (n === 0 ? "today" : n === 1 ? "tomorrow" : n === -1 ? "yesterday" : n > 0 ? `in ${n} days` : `${-n} days ago`);

  const countdown = (found, today) => {
    const toMeeting = between(today, found.meeting);
    const meeting = toMeeting === 0 ? "The meeting is today." : `The meeting is ${inDays(toMeeting)}, on ${found.meeting}.`;
    if (!found.next) return meeting;
    return `${meeting} Next, ${inDays(between(today, found.next.date))}: ${found.next.title}.`;
  };

  const calendar = (record, found, base, product) => {
    const name = Deals.named(record);
    const link = (url) => new URL(url, base).href;
    const events = [
      {
        uid: `${record.id}-meeting@negotiation-playbook`,
        date: found.meeting,
        time: "",
        summary: `Meeting: ${name}`,
        description: `The meeting of the deal "${name}".`,
        url: "",
      },
      ...found.steps.map((step) => ({
        uid: `${record.id}-${step.days}@negotiation-playbook`,
        date: step.date,
        time: "",
        summary: `${step.title} (${name})`,
        description: [step.title, ...step.links.map((l) => `${l.title}: ${link(l.url)}`)].join("\n"),
        url: step.links.length ? link(step.links[0].url) : "",
      })),
    ];
    return Ics.calendar({ name: `Preparing ${name}`, product, events });
  };

  return { plan, countdown, calendar, addDays };
});
