/* The 30-day challenge page: a start date puts real dates on the calendar, each day can be ticked
 * off with a note, and the plan can go into the reader's own calendar as an .ics file.
 *
 * Progress stays on this device (PlaybookStore key "challenge"):
 *   {start: "YYYY-MM-DD" | null, time: "HH:MM" | "", days: {"3": {done: "YYYY-MM-DD" | null, note: ""}}}
 * Days are keyed by their number, so progress survives any rewording of the challenge. Until the
 * reader picks a date or ticks a day, the plan starts next Monday and nothing is stored. A missed
 * day is never dropped: the earliest day not yet done is always the one to do today.
 */
(() => {
  const plan = document.querySelector(".challenge-plan");
  if (!plan) return;
  const Store = window.PlaybookStore;
  const KEY = "challenge";
  const EXPORT = { kind: "challenge", id: "30-day" };
  const form = plan.querySelector("form");
  const status = plan.querySelector(".challenge-status");
  const cards = [...document.querySelectorAll(".challenge-day")];
  const cells = [...document.querySelectorAll(".challenge-cell")];
  const total = cards.length;

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
  const utc = (text) => {
    const [y, m, d] = text.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  const daysFrom = (a, b) => Math.round((utc(b) - utc(a)) / 864e5);
  const today = () => iso(new Date());
  const nextMonday = () => addDays(today(), (8 - new Date().getDay()) % 7);
  const label = (text) =>
    toDate(text).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isDate = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && iso(toDate(v)) === v;
  const isTime = (v) => typeof v === "string" && /^(|([01]\d|2[0-3]):[0-5]\d)$/.test(v);

  /** Progress from untrusted data (storage, an imported file), or null if it is not valid progress. */
  const clean = (data) => {
    if (!isObject(data) || !isObject(data.days ?? {})) return null;
    if ((data.start ?? null) !== null && !isDate(data.start)) return null;
    if (!isTime(data.time ?? "")) return null;
    const days = {};
    for (const [key, day] of Object.entries(data.days ?? {})) {
      if (!/^[1-9]\d{0,2}$/.test(key) || !isObject(day)) return null;
      if ((day.done ?? null) !== null && !isDate(day.done)) return null;
      if (typeof (day.note ?? "") !== "string") return null;
      days[key] = { done: day.done ?? null, note: day.note ?? "" };
    }
    return { ...data, start: data.start ?? null, time: data.time ?? "", days };
  };
  const empty = () => ({ start: null, time: "", days: {} });
  const stored = Store.read(KEY, null);
  let state = clean(stored) ?? empty();

  const say = (message) => {
    status.textContent = message;
    status.hidden = !message;
  };
  const save = () => {
    state.start ??= start(); // the first change fixes the date the reader has been looking at
    const result = Store.write(KEY, state);
    say(result.ok ? "" : result.error);
  };

  const start = () => state.start ?? nextMonday();
  const dateOf = (n) => addDays(start(), n - 1);
  const dayOf = (el) => Number(el.dataset.day);
  const titleOf = (n) => cells.find((c) => dayOf(c) === n).querySelector(".challenge-cell__title").textContent;
  const isDone = (n) => Boolean(state.days[n]?.done);

  /** Days in a row, up to today, on which something was ticked off (today still counts as open). */
  const streak = () => {
    const ticked = new Set(Object.values(state.days).map((d) => d.done));
    let day = ticked.has(today()) ? today() : addDays(today(), -1);
    let count = 0;
    while (ticked.has(day)) {
      count += 1;
      day = addDays(day, -1);
    }
    return count;
  };

  const link = (n) => {
    const a = document.createElement("a");
    a.href = `#day-${n}`;
    a.textContent = `Day ${n}: ${titleOf(n)}`;
    return a;
  };

  const showToday = () => {
    const box = plan.querySelector(".challenge-today");
    const next = cards.map(dayOf).find((n) => !isDone(n));
    const lag = next && daysFrom(dateOf(next), today());
    if (!next) box.replaceChildren(`All ${total} days done. Day ${total} shows how to keep the habits going.`);
    else if (daysFrom(start(), today()) < 0) box.replaceChildren(`Starts ${label(start())} with `, link(next), ".");
    else if (lag > 0) box.replaceChildren("Today: ", link(next), ` (from ${label(dateOf(next))}, carried forward).`);
    else if (lag === 0) box.replaceChildren("Today: ", link(next), ".");
    else box.replaceChildren("Today's practice is done. Next: ", link(next), `, on ${label(dateOf(next))}.`);
  };

  /** Everything that depends on the date or on the ticks; never touches what the reader is typing. */
  const render = () => {
    const current = daysFrom(start(), today()) + 1;
    for (const el of [...cells, ...cards]) {
      const n = dayOf(el);
      const time = el.querySelector("time");
      time.dateTime = dateOf(n);
      time.textContent = label(dateOf(n));
      el.classList.toggle("is-done", isDone(n));
      el.classList.toggle("is-today", n === current);
      el.classList.toggle("is-late", n < current && !isDone(n));
      if (n === current) el.setAttribute("aria-current", "date");
      else el.removeAttribute("aria-current");
    }
    document.querySelector(".challenge-calendar__start").textContent = `, from ${label(start())}`;
    const done = cards.filter((c) => isDone(dayOf(c))).length;
    plan.querySelector(".challenge-summary__done").textContent = `${done} of ${total} days done.`;
    const run = streak();
    plan.querySelector(".challenge-summary__streak").textContent =
      run > 0 ? `Current streak: ${run} day${run === 1 ? "" : "s"} in a row.` : "No streak yet today.";
    showToday();
  };

  /** Put the stored values into the form fields (on load, import and delete only). */
  const fill = () => {
    form.elements.start.value = start();
    form.elements.time.value = state.time;
    for (const card of cards) {
      const day = state.days[dayOf(card)];
      card.querySelector("[name=done]").checked = Boolean(day?.done);
      card.querySelector("[name=note]").value = day?.note ?? "";
    }
    render();
  };

  const dayState = (n) => {
    state.days[n] ??= { done: null, note: "" };
    return state.days[n];
  };

  for (const card of cards) {
    const n = dayOf(card);
    card.querySelector("[name=done]").addEventListener("change", (event) => {
      dayState(n).done = event.target.checked ? today() : null;
      save();
      render();
    });
    card.querySelector("[name=note]").addEventListener("input", (event) => {
      dayState(n).note = event.target.value;
      save();
    });
    card.querySelector(".challenge-log").hidden = false;
  }

  form.elements.start.addEventListener("change", (event) => {
    if (!isDate(event.target.value)) {
      event.target.value = start(); // a cleared or half-typed date keeps the plan's date
      return;
    }
    state.start = event.target.value;
    save();
    render();
  });
  form.elements.time.addEventListener("change", (event) => {
    state.time = isTime(event.target.value) ? event.target.value : "";
    save();
  });

  // The calendar file: each event carries the day's action and a link back to its card, which is a
  // usable address both over http and from file://, since it is made from the page's own.
  const text = (card, selector) => card.querySelector(selector)?.innerText.trim();
  const addToCalendar = () => {
    const events = cards.map((card) => {
      const n = dayOf(card);
      const url = new URL(`#day-${n}`, window.location.href).href;
      const parts = [".challenge-day__action", ".challenge-day__phrase", ".challenge-day__reflect"];
      return {
        uid: `challenge-${start()}-day-${pad(n)}@negotiation-playbook`,
        date: dateOf(n),
        time: state.time,
        summary: `Day ${n}: ${titleOf(n)}`,
        description: [...parts.map((p) => text(card, p)).filter(Boolean), url].join("\n\n"),
        url,
      };
    });
    const name = document.querySelector("h1").firstChild.textContent.trim();
    const ics = window.PlaybookIcs.calendar({ name, events });
    Store.saveFile(`negotiation-challenge-${start()}.ics`, ics, "text/calendar;charset=utf-8");
  };

  const importFile = async (input) => {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    const parsed = Store.parse(await file.text(), EXPORT);
    const progress = parsed.ok ? clean(parsed.envelope.data) : null;
    if (!progress) {
      say(parsed.ok ? "This file's challenge progress is damaged, so nothing was imported." : parsed.error);
      return;
    }
    const result = Store.write(KEY, progress);
    if (!result.ok) {
      say(result.error);
      return;
    }
    state = progress;
    fill();
    say(`Loaded ${file.name}.`);
  };

  plan.addEventListener("click", (event) => {
    const action = event.target.closest("button")?.dataset.action;
    if (action === "calendar") addToCalendar();
    if (action === "export") {
      const envelope = Store.envelope(EXPORT.kind, EXPORT.id, 1, state);
      Store.download(`negotiation-challenge-${today()}.json`, envelope);
    }
    if (action === "clear" && window.confirm("Delete your challenge ticks and notes from this browser?")) {
      const result = Store.remove(KEY);
      if (result.ok) state = empty();
      say(result.ok ? "" : result.error);
      fill();
    }
  });
  plan.querySelector("[data-action=import]").addEventListener("change", (event) => importFile(event.target));

  // Another tab on the same device changed the progress: show it rather than overwrite it later.
  Store.watch(KEY, () => {
    state = clean(Store.read(KEY, null)) ?? state;
    fill();
    say("Updated with changes made in another tab.");
  });

  // A tab left open overnight: when the reader comes back to it, "today" is today again.
  document.addEventListener("visibilitychange", () => document.hidden || render());

  plan.hidden = false;
  fill();
  const usable = Store.probe();
  if (!usable.ok) say(usable.error);
  else if (stored !== null && !clean(stored)) {
    say("The progress saved in this browser could not be read, so the challenge starts afresh here.");
  }
})();
