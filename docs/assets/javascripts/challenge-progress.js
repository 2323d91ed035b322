/* The 30-day challenge's rules as plain functions (challenge.js is the page that uses them).
 *
 * Progress stays on this device (PlaybookStore key "challenge"):
 *   {start: "YYYY-MM-DD" | null, time: "HH:MM" | "", workdays: boolean,
 *    days: {"3": {done: "YYYY-MM-DD" | null, note: ""}}}
 * Days are keyed by their number, so progress survives any rewording of the challenge. Until the
 * reader picks a date, sets an option or ticks a day, the plan starts next Monday and nothing is
 * stored. A missed day is never dropped: the earliest day not yet done is always the one to do.
 */

/* PlaybookChallenge: no page and no storage, so tests (and fuzzers) can call each of them.
 *   read(data)              progress from untrusted data: {ok: true, progress} or {ok: false, error}
 *   parse(text, total)      an imported file, checked: {ok: true, progress} or {ok: false, error},
 *                           the error a sentence for the reader; never throws. A set-aside file
 *                           (Store.setAsideFile) gives its progress when it can be read, else
 *                           {ok: true, aside: text} for the page to set aside again.
 *   dates(start, total, workdays)   the date of each day (index 0 is day 1)
 *   streak(progress, total, today)  days in a row up to today on which something was ticked off
 *   next(progress, total)   the earliest day not done yet (null when all are)
 * and the small date helpers the page shares with them (isDate, isWeekend, iso, addDays...).
 * Loads unchanged in a page (after store.js and ics.js) and in Node.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make(require("./store.js"), require("./ics.js"));
  else root.PlaybookChallenge = make(root.PlaybookStore, root.PlaybookIcs);
})(globalThis, (Store, Ics) => {
  const YEARS = [1900, 2200]; // so that every date has four digits and the calendar file stays valid
  const MAX_NOTE = 2000; // the note box's maxlength
  const EXPORT = { kind: "challenge", id: "30-day" };

  // Dates are local calendar days written "YYYY-MM-DD", counted as the calendar file counts them.
  const { iso, addDays } = Ics;
  const toDate = (text) => Ics.day(text);
  const isWeekend = (text) => [0, 6].includes(toDate(text).getDay());
  /** The next (by = 1) or previous (by = -1) day of the plan: any day, or Monday to Friday only. */
  const step = (text, by, workdays) => {
    let day = addDays(text, by);
    while (workdays && isWeekend(day)) day = addDays(day, by);
    return day;
  };

  const { isObject } = Store;
  const isDate = (v) => {
    if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const year = Number(v.slice(0, 4));
    return year >= YEARS[0] && year <= YEARS[1] && iso(toDate(v)) === v;
  };
  const isTime = (v) => typeof v === "string" && /^(|([01]\d|2[0-3]):[0-5]\d)$/.test(v);
  const DATE_RULE = `a real date from ${YEARS[0]} to ${YEARS[1]}`;

  const empty = () => ({ start: null, time: "", workdays: false, days: {} });

  const read = (data) => {
    const fail = (error) => ({ ok: false, error });
    if (!isObject(data)) return fail("the file holds no challenge progress");
    const { start = null, time = "", workdays = false, days = {} } = data;
    if (start !== null && !isDate(start)) return fail(`the start date is not ${DATE_RULE}`);
    if (!isTime(time)) return fail("the time of day is not a time such as 08:30");
    if (typeof workdays !== "boolean") return fail("the working-days setting is neither true nor false");
    if (!isObject(days)) return fail("the days are not listed by number");
    const kept = [];
    for (const [key, day] of Object.entries(days)) {
      const name = `day ${key.slice(0, 12)}`;
      if (!isObject(day)) return fail(`${name} is not a record of a tick and a note`);
      const { done = null, note = "" } = day;
      if (done !== null && !isDate(done)) return fail(`${name} was ticked on a date that is not ${DATE_RULE}`);
      if (typeof note !== "string") return fail(`${name}'s note is not text`);
      if (note.length > MAX_NOTE) return fail(`${name}'s note is longer than ${MAX_NOTE} characters`);
      kept.push([key, { done, note }]);
    }
    // fromEntries makes own properties, so even a day named "__proto__" stays plain data
    return { ok: true, progress: { start, time, workdays, days: Object.fromEntries(kept) } };
  };

  const dayNumbers = (total) => Array.from({ length: total }, (_, i) => String(i + 1));

  const parse = (text, total) => {
    let file;
    try {
      file = Store.parse(text, { kind: [EXPORT.kind, "set-aside"], newest: { [EXPORT.kind]: 1, "set-aside": 1 } });
    } catch {
      file = { ok: false, error: "This file is not a playbook export, so nothing was imported." };
    }
    if (!file.ok) return file;
    const { kind, id, data } = file.envelope;
    let progress = data;
    if (kind === "set-aside") {
      if (id !== "challenge" || typeof data.text !== "string") {
        return { ok: false, error: "This file holds set-aside data of another page, so nothing was imported here." };
      }
      try {
        progress = JSON.parse(data.text);
      } catch {
        progress = undefined;
      }
      if (!read(progress).ok) return { ok: true, aside: data.text }; // kept aside again: nothing is lost
    } else if (id !== EXPORT.id) {
      return { ok: false, error: `This file belongs to ${Store.quoted(String(id).slice(0, 60))}, not to this challenge, so nothing was imported.` };
    }
    const result = read(progress);
    if (!result.ok) return { ok: false, error: `Nothing was imported: ${result.error}.` };
    const numbers = new Set(dayNumbers(total));
    const stray = Object.keys(result.progress.days).find((key) => !numbers.has(key));
    if (stray !== undefined) {
      return { ok: false, error: `Nothing was imported: this challenge has no day ${stray.slice(0, 12)}.` };
    }
    return result;
  };

  const dates = (start, total, workdays) => {
    let day = workdays && isWeekend(start) ? step(start, 1, true) : start;
    const found = [day];
    while (found.length < total) {
      day = step(day, 1, workdays);
      found.push(day);
    }
    return found;
  };

  /** Only days 1 to total count: stored progress for any other "day" is kept but never shown. */
  const doneDates = (progress, total) =>
    dayNumbers(total)
      .map((n) => (Object.hasOwn(progress.days, n) ? progress.days[n].done : null))
      .filter(Boolean);

  // Today still counts as open; on working days only, a weekend neither counts nor breaks the run.
  const streak = (progress, total, today) => {
    const ticked = new Set(doneDates(progress, total));
    const back = (day) => step(day, -1, progress.workdays);
    const open = (progress.workdays && isWeekend(today)) || !ticked.has(today);
    let day = open ? back(today) : today;
    let count = 0;
    while (ticked.has(day)) {
      count += 1;
      day = back(day);
    }
    return count;
  };

  const isDone = (progress, n) => Object.hasOwn(progress.days, n) && Boolean(progress.days[n].done);
  const next = (progress, total) => {
    const open = dayNumbers(total).find((n) => !isDone(progress, n));
    return open ? Number(open) : null;
  };

  return {
    EXPORT,
    YEARS,
    empty,
    read,
    parse,
    dates,
    streak,
    next,
    isDone,
    isDate,
    isTime,
    isWeekend,
    iso,
    toDate,
    addDays,
  };
});
