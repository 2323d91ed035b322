/* The 30-day challenge: its rules as plain functions, then the page that uses them.
 *
 * Progress stays on this device (PlaybookStore key "challenge"):
 *   {start: "YYYY-MM-DD" | null, time: "HH:MM" | "", workdays: boolean,
 *    days: {"3": {done: "YYYY-MM-DD" | null, note: ""}}}
 * Days are keyed by their number, so progress survives any rewording of the challenge. Until the
 * reader picks a date, sets an option or ticks a day, the plan starts next Monday and nothing is
 * stored. A missed day is never dropped: the earliest day not yet done is always the one to do.
 */

/* window.PlaybookChallenge: no page and no storage, so tests (and fuzzers) can call each of them.
 *   read(data)              progress from untrusted data: {ok: true, progress} or {ok: false, error}
 *   parse(text, total)      an imported file, checked: {ok: true, progress} or {ok: false, error},
 *                           the error a sentence for the reader; never throws
 *   dates(start, total, workdays)   the date of each day (index 0 is day 1)
 *   streak(progress, total, today)  days in a row up to today on which something was ticked off
 *   next(progress, total)   the earliest day not done yet (null when all are)
 * and the small date helpers the page shares with them (isDate, isWeekend, iso, addDays...).
 */
(() => {
  const YEARS = [1900, 2200]; // so that every date has four digits and the calendar file stays valid
  const MAX_NOTE = 2000; // the note box's maxlength
  const EXPORT = { kind: "challenge", id: "30-day" };

  // Dates are local calendar days written "YYYY-MM-DD"; arithmetic goes through Date's own rollover.
  const pad = (n) => String(n).padStart(2, "0");
  const iso = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const toDate = (text) => {
    const [y, m, d] = text.split("-").map(Number);
    return new Date(y, m - 1, d);
  };
  const addDays = (text, n) => {
    const date = toDate(text);
    return iso(new Date(date.getFullYear(), date.getMonth(), date.getDate() + n));
  };
  const isWeekend = (text) => [0, 6].includes(toDate(text).getDay());
  /** The next (by = 1) or previous (by = -1) day of the plan: any day, or Monday to Friday only. */
  const step = (text, by, workdays) => {
    let day = addDays(text, by);
    while (workdays && isWeekend(day)) day = addDays(day, by);
    return day;
  };

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
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
      file = window.PlaybookStore.parse(text, EXPORT);
    } catch {
      file = { ok: false, error: "This file is not a playbook export, so nothing was imported." };
    }
    if (!file.ok) return file;
    const result = read(file.envelope.data);
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

  window.PlaybookChallenge = {
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
})();

(() => {
  const plan = document.querySelector(".challenge-plan");
  if (!plan) return;
  const Store = window.PlaybookStore;
  const C = window.PlaybookChallenge;
  const KEY = "challenge";
  const form = plan.querySelector("form");
  const status = plan.querySelector(".challenge-status");
  const fileInput = plan.querySelector("input[type=file]");
  const backupBox = plan.querySelector(".challenge-backup");
  const cards = [...document.querySelectorAll(".challenge-day")];
  const cells = [...document.querySelectorAll(".challenge-cell")];
  const total = cards.length;

  const today = () => C.iso(new Date());
  const nextMonday = () => C.addDays(today(), (8 - new Date().getDay()) % 7);
  const label = (text) =>
    C.toDate(text).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
  const timeOf = (text) => {
    const time = document.createElement("time");
    time.dateTime = text;
    time.textContent = label(text);
    return time;
  };

  const say = (message) => {
    status.textContent = message;
    status.hidden = !message;
  };

  const isMine = (backup) => backup.key.startsWith(`backup:${KEY}:`);
  const showBackups = () => {
    backupBox.hidden = !Store.backups().some(isMine);
  };
  const DAMAGED =
    "The challenge progress saved in this browser could not be read, so it was set aside, not deleted: " +
    "under “Your progress stays on this device” you can save it as a file or delete it.";
  /** The saved progress as it is now, whatever another tab did; unreadable progress is set aside. */
  const current = () => {
    const loaded = Store.load(KEY, (value) => C.read(value).ok);
    const damaged = loaded.state === "damaged";
    if (damaged) showBackups();
    return { progress: loaded.state === "ok" ? C.read(loaded.value).progress : C.empty(), damaged };
  };

  const loaded = current();
  let state = loaded.progress;
  const start = () => state.start ?? nextMonday();
  const planDates = () => C.dates(start(), total, state.workdays);
  const dayOf = (el) => Number(el.dataset.day);
  const titleOf = (n) => cells.find((c) => dayOf(c) === n).querySelector(".challenge-cell__title").textContent;

  /** Apply one change to the freshest saved progress, so a change made in another tab is kept too. */
  const update = (change) => {
    const { progress, damaged } = current();
    progress.start ??= start(); // the first change fixes the date the reader has been looking at
    change(progress);
    state = progress;
    const result = Store.write(KEY, state);
    if (result.ok) Store.saved();
    say(result.ok ? (damaged ? DAMAGED : "") : result.error);
  };
  const dayState = (progress, n) => {
    if (!Object.hasOwn(progress.days, n)) progress.days[n] = { done: null, note: "" };
    return progress.days[n];
  };

  const link = (n) => {
    const a = document.createElement("a");
    a.href = `#day-${n}`;
    a.textContent = `Day ${n}: ${titleOf(n)}`;
    return a;
  };

  const showToday = (days) => {
    const box = plan.querySelector(".challenge-today");
    const n = C.next(state, total);
    const now = today();
    const due = n && days[n - 1];
    if (!n) box.replaceChildren(`All ${total} days done. Day ${total} shows how to keep the habits going.`);
    else if (now < days[0]) box.replaceChildren(`Starts ${label(days[0])} with `, link(n), ".");
    else if (due < now) box.replaceChildren("Today: ", link(n), ` (from ${label(due)}, carried forward).`);
    else if (due === now) box.replaceChildren("Today: ", link(n), ".");
    else if (state.workdays && C.isWeekend(now)) {
      box.replaceChildren("No practice at the weekend. Next: ", link(n), `, on ${label(due)}.`);
    } else box.replaceChildren("Today's practice is done. Next: ", link(n), `, on ${label(due)}.`);
  };

  /** Everything that depends on the dates or on the ticks; never touches what the reader is typing. */
  const render = () => {
    const days = planDates();
    const now = today();
    for (const el of [...cells, ...cards]) {
      const n = dayOf(el);
      const date = days[n - 1];
      const done = C.isDone(state, n);
      const slot = el.querySelector(".challenge-cell__date, .challenge-day__when");
      slot.replaceChildren(timeOf(date));
      slot.hidden = false;
      el.classList.toggle("is-done", done);
      el.classList.toggle("is-today", date === now);
      el.classList.toggle("is-late", date < now && !done);
      if (date === now) el.setAttribute("aria-current", "date");
      else el.removeAttribute("aria-current");
    }
    document.querySelector(".challenge-calendar__start").textContent = `, from ${label(days[0])}`;
    const done = cards.filter((c) => C.isDone(state, dayOf(c))).length;
    plan.querySelector(".challenge-summary__done").textContent = `${done} of ${total} days done.`;
    const run = C.streak(state, total, now);
    plan.querySelector(".challenge-summary__streak").textContent =
      run > 0 ? `Current streak: ${run} day${run === 1 ? "" : "s"} in a row.` : "No streak yet today.";
    showToday(days);
  };

  /** Put the saved values into the form fields (on load, import, delete and another tab's change). */
  const fill = () => {
    const set = (field, value) => {
      if (field.type === "checkbox") field.checked = value;
      else if (field.value !== value) field.value = value; // an unchanged box keeps its caret
    };
    set(form.elements.start, start());
    set(form.elements.time, state.time);
    set(form.elements.workdays, state.workdays);
    for (const card of cards) {
      const n = dayOf(card);
      const day = Object.hasOwn(state.days, n) ? state.days[n] : { done: null, note: "" };
      set(card.querySelector("[name=done]"), Boolean(day.done));
      set(card.querySelector("[name=note]"), day.note);
    }
    render();
  };

  for (const card of cards) {
    const n = dayOf(card);
    card.querySelector("[name=done]").addEventListener("change", (event) => {
      update((progress) => {
        dayState(progress, n).done = event.target.checked ? today() : null;
      });
      render();
    });
    card.querySelector("[name=note]").addEventListener("input", (event) => {
      update((progress) => {
        dayState(progress, n).note = event.target.value;
      });
    });
    card.querySelector(".challenge-log").hidden = false;
  }

  form.elements.start.addEventListener("change", (event) => {
    const value = event.target.value;
    if (value && !C.isDate(value)) {
      say(`Pick a start date from ${C.YEARS[0]} to ${C.YEARS[1]}; the plan keeps ${label(start())}.`);
    }
    if (!C.isDate(value)) {
      event.target.value = start(); // a cleared or half-typed date keeps the plan's date
      return;
    }
    update((progress) => {
      progress.start = value;
    });
    render();
  });
  form.elements.time.addEventListener("change", (event) => {
    update((progress) => {
      progress.time = C.isTime(event.target.value) ? event.target.value : "";
    });
  });
  form.elements.workdays.addEventListener("change", (event) => {
    update((progress) => {
      progress.workdays = event.target.checked;
    });
    render();
  });

  // The calendar file: each event carries the day's action and a link back to its card, which is a
  // usable address both over http and from file://, since it is made from the page's own.
  const text = (card, selector) => card.querySelector(selector)?.innerText.trim();
  const addToCalendar = () => {
    const days = planDates();
    const kind = state.workdays ? "workdays" : "daily";
    const events = cards.map((card) => {
      const n = dayOf(card);
      const url = new URL(`#day-${n}`, window.location.href).href;
      const parts = [".challenge-day__action", ".challenge-day__phrase", ".challenge-day__reflect"];
      return {
        uid: `challenge-${start()}-${kind}-day-${String(n).padStart(2, "0")}@negotiation-playbook`,
        date: days[n - 1],
        time: state.time,
        summary: `Day ${n}: ${titleOf(n)}`,
        description: [...parts.map((p) => text(card, p)).filter(Boolean), url].join("\n\n"),
        url,
      };
    });
    const name = document.querySelector("h1").firstChild.textContent.trim();
    const ics = window.PlaybookIcs.calendar({ name, events });
    Store.saveFile(`negotiation-challenge-${days[0]}.ics`, ics, "text/calendar;charset=utf-8");
  };

  const hasProgress = () => state.start !== null || Object.keys(state.days).length > 0;
  const importFile = async () => {
    const [file] = fileInput.files;
    fileInput.value = "";
    if (!file) return;
    let parsed;
    try {
      parsed = C.parse(await file.text(), total);
    } catch {
      parsed = { ok: false, error: "This file could not be read, so nothing was imported." };
    }
    if (!parsed.ok) {
      say(parsed.error);
      return;
    }
    if (hasProgress() && !window.confirm("Replace your challenge progress in this browser with the file's?")) {
      say("Nothing was imported.");
      return;
    }
    const result = Store.write(KEY, parsed.progress);
    if (!result.ok) {
      say(result.error);
      return;
    }
    Store.saved();
    state = parsed.progress;
    fill();
    say(`Loaded ${file.name}.`);
  };

  const saveBackups = () => {
    for (const backup of Store.backups().filter(isMine)) {
      Store.saveFile(`negotiation-challenge-unreadable-${today()}.txt`, backup.text, "text/plain;charset=utf-8");
    }
  };
  const deleteBackups = () => {
    if (!window.confirm("Delete the unreadable copy of your challenge progress from this browser?")) return;
    for (const backup of Store.backups().filter(isMine)) Store.removeBackup(backup.key);
    showBackups();
    say("");
  };

  const actions = {
    calendar: addToCalendar,
    export: () => {
      Store.download(`negotiation-challenge-${today()}.json`, Store.envelope(C.EXPORT.kind, C.EXPORT.id, 1, state));
      Store.exported();
    },
    import: () => fileInput.click(),
    "save-backup": saveBackups,
    "delete-backup": deleteBackups,
    clear: () => {
      if (!window.confirm("Delete your challenge ticks and notes from this browser?")) return;
      const result = Store.remove(KEY);
      if (result.ok) state = C.empty();
      say(result.ok ? "" : result.error);
      fill();
    },
  };
  plan.addEventListener("click", (event) => {
    const action = event.target.closest("button")?.dataset.action;
    if (Object.hasOwn(actions, action)) actions[action]();
  });
  fileInput.addEventListener("change", importFile);

  // Another tab changed or deleted the progress ("Delete all my data" included): follow it, so that
  // nothing this tab shows is ever written back over it.
  Store.watch(KEY, () => {
    const { progress, damaged } = current();
    state = progress;
    fill();
    showBackups();
    if (damaged) say(DAMAGED);
    else say(hasProgress() ? "Updated with changes made in another tab." : "Your progress was deleted in another tab.");
  });

  // A tab left open overnight: when the reader comes back to it, "today" is today again.
  document.addEventListener("visibilitychange", () => document.hidden || render());

  plan.hidden = false;
  fill();
  showBackups();
  Store.keepNote(plan.querySelector(".challenge-keep"));
  const usable = Store.probe();
  say(usable.ok ? (loaded.damaged ? DAMAGED : "") : usable.error);
})();
