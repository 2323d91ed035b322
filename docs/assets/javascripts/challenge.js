/* The 30-day challenge page: the plan, ticks and notes, the calendar file, export and import.
 * Its rules are in challenge-progress.js (PlaybookChallenge); storage in store.js.
 */
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
    const stored = loaded.state === "ok";
    return { progress: stored ? C.read(loaded.value).progress : C.empty(), damaged, stored };
  };

  const loaded = current();
  let state = loaded.progress;
  const start = () => state.start ?? nextMonday();
  const planDates = () => C.dates(start(), total, state.workdays);
  const dayOf = (el) => Number(el.dataset.day);
  const titleOf = (n) => cells.find((c) => dayOf(c) === n).querySelector(".challenge-cell__title").textContent;

  /** Apply a change to the freshest saved progress, so a change made in another tab is kept too.
   * Changes storage refused (full) stay, applied again in order at every save until one succeeds. */
  let unsaved = [];
  let wasStored = loaded.stored; // progress gone from storage since then was deleted
  const update = (change) => {
    const { progress, damaged } = current();
    if (change) unsaved.push(change);
    progress.start ??= start(); // the first change fixes the date the reader has been looking at
    for (const apply of unsaved) apply(progress);
    state = progress;
    const result = Store.write(KEY, state);
    if (result.ok) {
      Store.saved();
      unsaved = [];
      wasStored = true;
    }
    say(result.ok ? (damaged ? DAMAGED : "") : result.error);
  };
  /** The progress as saved now, with this tab's unsaved changes on it (saved now if space allows),
   * unless it was deleted meanwhile: what this tab could not save before a deletion is not written. */
  const refresh = () => {
    const { progress, damaged, stored } = current();
    if (wasStored && !stored && !damaged) unsaved = [];
    wasStored = stored;
    state = progress;
    if (unsaved.length) update();
    fill();
    showBackups();
    return damaged;
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
      const done = event.target.checked ? today() : null; // read now: the change may be applied again later
      update((progress) => {
        dayState(progress, n).done = done;
      });
      render();
    });
    const note = card.querySelector("[name=note]");
    note.addEventListener("input", () => {
      const text = note.value;
      update((progress) => {
        dayState(progress, n).note = text;
      });
    });
    // A paste longer than a note takes is refused with a sentence, not cut short without a word.
    note.addEventListener("beforeinput", (event) => {
      const added = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
      const after = note.value.length - (note.selectionEnd - note.selectionStart) + added.length;
      if (!event.inputType.startsWith("insert") || after <= note.maxLength) return;
      event.preventDefault();
      say(`A note takes up to ${note.maxLength.toLocaleString()} characters; that would make it ${after.toLocaleString()}, so it was not added.`);
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
    const time = C.isTime(event.target.value) ? event.target.value : "";
    update((progress) => {
      progress.time = time;
    });
  });
  form.elements.workdays.addEventListener("change", (event) => {
    const workdays = event.target.checked;
    update((progress) => {
      progress.workdays = workdays;
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
    const ics = window.PlaybookIcs.calendar({ name, product: window.PlaybookIcs.productOf(document), events });
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
    if (parsed.aside !== undefined) {
      const kept = Store.keepAside(KEY, parsed.aside);
      showBackups();
      say(kept.ok ? "This file holds progress that could not be read, so it was set aside in this browser again: see “Your progress stays on this device”." : kept.error);
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
    unsaved = []; // the file replaced everything, as the reader agreed
    wasStored = true;
    fill();
    say(`Loaded ${file.name}.`);
  };

  // As a file "Load a saved copy" takes back: it loads what it can read, and sets aside the rest again.
  const saveBackups = () => {
    for (const backup of Store.backups().filter(isMine)) {
      Store.download(`negotiation-challenge-set-aside-${today()}.json`, Store.setAsideFile(backup.key));
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
      if (result.ok) [state, unsaved, wasStored] = [C.empty(), [], false];
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
    if (refresh()) say(DAMAGED);
    else if (!unsaved.length) say(hasProgress() ? "Updated with changes made in another tab." : "Your progress was deleted in another tab.");
  });

  // Back from the back/forward cache (the page as it was, "Delete all my data" perhaps since), or a
  // tab visible again (left open overnight, or another tab saved meanwhile): what is stored now, today.
  Store.onReturn(() => {
    if (refresh()) say(DAMAGED);
  });

  plan.hidden = false;
  fill();
  showBackups();
  Store.keepNote(plan.querySelector(".challenge-keep"));
  const usable = Store.probe();
  say(usable.ok ? (loaded.damaged ? DAMAGED : "") : usable.error);
})();
