/* A worksheet in the browser: the answers of the tab's current deal (see deals.js), saved on this
 * device at every change, export and import of whole deals, and the zone-of-possible-agreement picture.
 *
 * Each tab keeps its own deal: another tab's changes to the same deal show up here answer by
 * answer; another tab's other deals only appear in the picker; a deal deleted elsewhere is left,
 * never written back. Each question is found by its own element id ("f-<field id>"), never by a
 * name the form might share with a section. Limits come from the generated schema (answers.js):
 * what a question cannot hold is refused as it is typed, with a sentence beside it. Everything
 * typed or imported reaches the page only as .value or .textContent.
 */
(() => {
  const form = document.getElementById("canvas-form");
  const Store = window.PlaybookStore;
  const Deals = window.PlaybookDeals;
  const Answers = window.PlaybookAnswers;
  const Tools = window.PlaybookDealTools;
  const Paper = window.PlaybookPaper;
  if (!form || !Store || !Deals || !Answers || !Tools || !Paper || Tools.outdated()) return;

  const worksheet = Deals.worksheets()[form.dataset.canvas];
  const $ = (selector) => document.querySelector(selector);
  const status = $(".canvas-status");
  const problem = $(".canvas-error");
  const menu = $(".deal-menu");
  const menuName = $(".deal-menu__name");
  const picker = $("#canvas-pick");
  const nameInput = $("#canvas-name");
  const fileInput = $("#canvas-import");
  const earlierBox = $(".canvas-earlier");
  const earlierList = $(".canvas-earlier__list");
  const zopa = $(".canvas-zopa");

  // The fields this version of the worksheet has, read from the page the build generated.
  const fields = new Map(
    worksheet.fields.map((f) => {
      const box = form.querySelector(`[data-field="${f.id}"]`);
      const table = box.querySelector("table.canvas-rows");
      return [f.id, { ...f, box, table, minRows: table ? Number(table.dataset.rows) : 0 }];
    }),
  );
  const byControl = (el) => fields.get(el.closest("[data-field]")?.dataset.field);

  /* ---- the deal this tab shows ---- */

  let record; // this tab's copy of its deal
  let stored; // whether that deal is on the device (a first visit's deal is not, until something is typed)
  let unsaved = false; // whether the record holds changes storage refused (full): kept until a save succeeds

  const { named } = Deals;
  const { quoted } = Store;
  const firstDeal = () => Deals.blank("My first deal");

  const open = (id) => {
    const found = id ? Deals.load(id) : null;
    const usable = found && !Deals.isTombstone(found) ? found : (Deals.list()[0] ?? null);
    record = usable ?? firstDeal();
    stored = Boolean(usable);
    unsaved = false;
  };

  const { say, warn } = Tools.messages(status, problem);

  const DELETED = "This deal was deleted in another tab or page, so it was not saved again.";

  /* Save this tab's deal, merged answer by answer with what other tabs saved meanwhile. */
  const save = (done) => {
    const damaged = Deals.damaged.length;
    if (stored && Deals.load(record.id) === null && Deals.damaged.length === damaged) return gone(DELETED);
    const result = Deals.save(record);
    if (result.deleted) return gone(DELETED);
    if (!result.ok) {
      unsaved = true;
      warn(result.error); // a sentence that says the change was not saved, and why
      return false;
    }
    if (!stored) Deals.pick(record.id);
    record = result.record;
    stored = true;
    unsaved = false;
    say(done ?? `Saved on this device at ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`);
    return true;
  };

  /* The deal went away (deleted in another tab, or all data deleted): show another, keep nothing of it. */
  const gone = (message) => {
    open(null);
    show();
    warn(message);
    return false;
  };

  /* ---- the form: from answers to controls and back ---- */

  const control = (field) => document.getElementById(`f-${field.id}`);
  const radios = (field) => field.box.querySelectorAll("input[type=radio]");

  /* The line under a question: how many characters are left near its limit, why a number is not
   * understood, or why what was typed was refused. */
  const note = (field) => {
    let line = field.box.querySelector(":scope > .canvas-note");
    if (!line) {
      line = document.createElement("p");
      line.className = "canvas-note web-only";
      line.id = `m-${field.id}`;
      line.setAttribute("aria-live", "polite");
      field.box.append(line);
      for (const el of field.box.querySelectorAll("[data-limit], input[type=date]")) {
        el.setAttribute("aria-describedby", `${el.getAttribute("aria-describedby") ?? ""} ${line.id}`.trim());
      }
    }
    return line;
  };
  const tell = (field, text, invalid) => {
    if (!text && !field.box.querySelector(":scope > .canvas-note")) return;
    note(field).textContent = text;
    field.box.classList.toggle("canvas-field--invalid", Boolean(invalid));
  };

  /* Limits from the schema on every text box: `maxlength`, and a count once it is near. */
  const limitOf = (el) => Number(el.dataset.limit);
  const setLimit = (el, type) => {
    const max = Answers.limit(type);
    if (max === null) return;
    el.maxLength = max;
    el.dataset.limit = String(max);
  };
  const count = (el) => {
    const max = limitOf(el);
    const left = max - el.value.length;
    return left <= Math.max(20, max / 10) ? `${left.toLocaleString()} of ${max.toLocaleString()} characters left.` : "";
  };

  /* What a number or date answer means, said beside it when it is doubtful (the answer is kept). */
  const checkMeaning = (el) => {
    const meaning = el.type === "date" ? Answers.date(el.value) : Answers.number(el.value);
    if (meaning.ok) el.removeAttribute("aria-invalid");
    else el.setAttribute("aria-invalid", "true");
    return meaning;
  };

  const makeCell = (field, column, row, value) => {
    const td = document.createElement("td");
    td.dataset.label = column.label;
    const kind = Answers.rules.types[column.type]?.kind;
    const multiline = kind === "text" && !Answers.rules.types[column.type].line;
    const input = document.createElement(multiline ? "textarea" : "input");
    if (!multiline) input.type = column.type === "date" ? "date" : "text";
    if (kind === "number") input.inputMode = "decimal";
    if (kind === "date") [input.min, input.max] = [Answers.rules.types.date.min, Answers.rules.types.date.max];
    setLimit(input, column.type);
    input.name = `${field.id}[${row}][${column.id}]`;
    input.id = `f-${field.id}-${row}-${column.id}`;
    input.dataset.column = column.id;
    input.setAttribute("aria-label", `${column.label}, row ${row}`);
    if (field.box.querySelector(":scope > .canvas-note")) input.setAttribute("aria-describedby", `m-${field.id}`);
    input.value = value ?? "";
    td.append(input);
    return td;
  };

  const button = (text, className, label) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    return b;
  };

  const drawRows = (field, rows, atLeast = 0) => {
    const count = Math.max(rows.length, field.minRows, atLeast);
    const body = document.createElement("tbody");
    for (let i = 0; i < count; i += 1) {
      const tr = body.insertRow();
      for (const column of field.columns) tr.append(makeCell(field, column, i + 1, rows[i]?.[column.id]));
      const remove = button("Remove", "canvas-rows__remove", `Remove row ${i + 1} of ${field.label}`);
      remove.dataset.row = String(i);
      tr.insertCell().append(remove);
    }
    field.table.tBodies[0].replaceWith(body);
    for (const input of body.querySelectorAll("[data-column]")) mirror(input);
    markDoubts(field);
  };

  const shown = () => Deals.view(record, worksheet);

  const readRows = (field) => {
    const before = shown().answers.get(field.id) ?? [];
    const rows = [...field.table.tBodies[0].rows].map((tr, i) => {
      // cells of columns a newer version removed stay in the row, unseen but not lost
      const row = { ...(before[i] ?? {}) };
      for (const input of tr.querySelectorAll("[data-column]")) row[input.dataset.column] = input.value;
      return row;
    });
    while (rows.length && Deals.isEmpty([rows.at(-1)])) rows.pop();
    return rows;
  };

  const readField = (field) => {
    if (field.type === "rows") return readRows(field);
    if (field.type === "checkbox") return control(field).checked;
    if (field.type === "scale") return [...radios(field)].find((r) => r.checked)?.value ?? "";
    return control(field).value;
  };

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const emptyOf = (field) => (field.type === "checkbox" ? false : field.type === "rows" ? [] : "");

  /* Put an answer into its control, leaving a control that already shows it alone (keeps the caret). */
  const writeField = (field, value) => {
    if (!same(readField(field), value ?? emptyOf(field))) {
      if (field.type === "rows") drawRows(field, value ?? []);
      else if (field.type === "checkbox") control(field).checked = value ?? false;
      else if (field.type === "scale") for (const radio of radios(field)) radio.checked = radio.value === value;
      else control(field).value = value ?? "";
    }
    mirrorField(field);
    tell(field, "", false);
    markDoubts(field);
  };

  /* Number and date answers that are doubtful are marked, and the first reason is said beside them. */
  const markDoubts = (field) => {
    const boxes = [...field.box.querySelectorAll("[inputmode=decimal], input[type=date]")];
    const why = boxes.map(checkMeaning).find((m) => !m.ok)?.why ?? "";
    if (why || field.box.classList.contains("canvas-field--invalid")) tell(field, why, Boolean(why));
  };

  /* Print-only copies of the answers, so paper shows each answer in full and as text, never a
   * control: a box's whole text (never a clipped box), a date in the reader's words for it, Yes or
   * No for a tick, a scale's choice with what its ends mean (paper.js, paper.css). */
  const TYPED = "textarea, input[type=text], input[type=date]";
  const copyAfter = (el) => {
    let copy = el.nextElementSibling;
    if (!copy?.classList.contains("canvas-print-value")) {
      copy = document.createElement("span"); // a span: text boxes sit inside paragraphs
      copy.className = "canvas-print-value";
      copy.setAttribute("aria-hidden", "true");
      el.after(copy);
    }
    return copy;
  };
  const mirror = (input) => {
    copyAfter(input).textContent = input.type === "date" ? Paper.date(input.value) : input.value;
  };
  const ends = (field) => {
    const [low, high] = [...field.box.querySelectorAll(".canvas-scale__end")].map((end) => end.textContent);
    return { low, high };
  };
  const mirrorChoice = (field) => {
    if (field.type !== "checkbox" && field.type !== "scale") return;
    const place = field.box.querySelector(field.type === "scale" ? ".canvas-scale__options" : `#p-${field.id}`);
    copyAfter(place).textContent = Paper.answer(field.type, readField(field), ends(field));
  };
  const mirrorField = (field) => {
    for (const el of field.box.querySelectorAll(TYPED)) mirror(el);
    mirrorChoice(field);
  };

  const showEarlier = (earlier) => {
    earlierList.replaceChildren();
    for (const { slot, kind, label, value } of earlier) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      const text = document.createElement("div");
      text.className = "canvas-earlier__value";
      text.textContent = Paper.earlier(value);
      const clear = button("Clear", "md-button canvas-earlier__clear", `Clear the earlier answer to ${label}`);
      clear.dataset.slot = slot;
      clear.dataset.kind = kind;
      dd.append(text, clear);
      earlierList.append(dt, dd);
    }
    earlierBox.hidden = earlier.length === 0;
  };

  /* The picker: every deal on the device, or (after another tab saved one) just that one's option. */
  const showPicker = (changed) => {
    if (changed === undefined) {
      const deals = Deals.list();
      if (!deals.some((d) => d.id === record.id)) deals.unshift(record);
      picker.replaceChildren(...deals.map((d) => new Option(named(d), d.id)));
    } else {
      const option = [...picker.options].find((o) => o.value === changed.id);
      if (changed.deleted !== undefined || changed.gone) option?.remove();
      else if (option) option.text = named(changed);
      else picker.append(new Option(named(changed), changed.id));
    }
    picker.value = record.id;
    if (document.activeElement !== nameInput) nameInput.value = record.name;
    menuName.textContent = named(record);
    $(".deal-menu__brief").href = `${window.PlaybookSchema.brief.url}?deal=${encodeURIComponent(record.id)}`;
    showCountdown();
  };
  const showCountdown = () => {
    $(".deal-menu__countdown").textContent = Tools.countdown(record) || "Add the meeting's date to see a countdown to it.";
  };

  const show = () => {
    const { answers, earlier } = shown();
    for (const field of fields.values()) writeField(field, answers.get(field.id));
    showEarlier(earlier);
    showPicker();
    drawZopa();
  };

  /* ---- the zone of possible agreement (zopa.js draws it, here and on the deal brief) ---- */

  function drawZopa() {
    if (!zopa) return;
    const names = ["myWalkAway", "myTarget", "theirWalkAway", "theirTarget"];
    window.PlaybookZopa.draw(zopa, names.map((name) => Answers.number(document.getElementById(`f-${zopa.dataset[name]}`).value)));
  }

  /* ---- reacting to the reader ---- */

  // Too much text for a question is refused where it is typed or pasted, with a sentence, never cut.
  document.addEventListener("beforeinput", (event) => {
    const el = event.target;
    if (!el.dataset?.limit || !event.inputType.startsWith("insert")) return;
    const added = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
    const after = el.value.length - (el.selectionEnd - el.selectionStart) + added.length;
    if (after <= limitOf(el)) return;
    event.preventDefault();
    const what = el === nameInput ? "A deal's name" : "This answer";
    const sentence = `${what} takes up to ${limitOf(el).toLocaleString()} characters; that would make it ${after.toLocaleString()}, so it was not added. Shorten it${el === nameInput ? "" : ", or split it over other answers"}.`;
    if (el === nameInput) warn(sentence);
    else tell(byControl(el), sentence, true);
  });

  form.addEventListener("input", (event) => {
    const field = byControl(event.target);
    if (!field) return;
    if (event.target.matches(TYPED)) mirror(event.target);
    else mirrorChoice(field);
    const refused = Deals.answer(record, worksheet, field, readField(field));
    if (refused) {
      event.target.setAttribute("aria-invalid", "true");
      return tell(field, refused, true);
    }
    event.target.removeAttribute("aria-invalid");
    tell(field, event.target.dataset.limit ? count(event.target) : "", false);
    markDoubts(field);
    if (zopa && Object.values(zopa.dataset).includes(field.id)) drawZopa();
    if (save()) {
      menuName.textContent = named(record);
      if (field.type === "date") showCountdown();
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  form.addEventListener("click", (event) => {
    const remove = event.target.closest(".canvas-rows__remove");
    const add = event.target.closest(".canvas-rows__add");
    if (!remove && !add) return;
    const field = byControl(event.target);
    const rows = readRows(field);
    const count = field.table.tBodies[0].rows.length;
    const index = add ? count : Number(remove.dataset.row);
    if (remove) rows.splice(index, 1);
    const refused = Deals.answer(record, worksheet, field, rows);
    if (refused) return tell(field, refused, true);
    drawRows(field, rows, add ? count + 1 : count - 1);
    save();
    const body = field.table.tBodies[0];
    (body.rows[index] ?? body.rows[body.rows.length - 1]).querySelector("[data-column]").focus();
  });

  earlierList.addEventListener("click", (event) => {
    const clear = event.target.closest(".canvas-earlier__clear");
    if (!clear) return;
    Deals.clearEarlier(record, worksheet.id, clear.dataset.slot, clear.dataset.kind);
    save("Earlier answer cleared.");
    showEarlier(shown().earlier);
    if (!earlierBox.hidden) earlierList.querySelector("button")?.focus();
  });

  const UNSAVED =
    "This deal's latest changes are not saved yet (this browser's storage for the site is full), so it stays " +
    "open. Make room (My deals can export or delete deals) and try again.";

  /* Whether this tab may leave its deal: not while it holds changes storage refused, which leaving
   * would lose. They are tried once more first: space may have been freed meanwhile. */
  const settled = () => {
    if (!unsaved || save() || !unsaved) return true; // saved, or the deal went away meanwhile (gone)
    warn(UNSAVED);
    picker.value = record.id; // the picker shows the deal that stays
    return false;
  };

  const switchTo = (next, message) => {
    record = next;
    unsaved = false;
    Deals.pick(record.id);
    show();
    say(message);
  };

  picker.addEventListener("change", () => {
    if (!settled()) return;
    const next = Deals.load(picker.value);
    if (next && !Deals.isTombstone(next)) switchTo(next, `Switched to ${quoted(named(next))}.`);
    else if (picker.value === record.id) show();
    else gone("That deal was deleted in another tab.");
  });

  nameInput.maxLength = Deals.MAX_NAME;
  nameInput.dataset.limit = String(Deals.MAX_NAME);
  nameInput.addEventListener("input", () => {
    const refused = Deals.rename(record, nameInput.value);
    if (refused) return warn(refused);
    if (save()) showPicker();
  });

  const importFile = async (file) => {
    if (!settled()) return;
    const result = await Tools.bringIn(await file.text());
    if (result.cancelled) return say("Import cancelled; nothing changed.");
    if (!result.ok) return warn(result.error);
    if (result.aside) {
      return warn(
        "This file holds set-aside data that could not be repaired. It is kept on this device: My deals lists it under “Saved data that could not be read”.",
      );
    }
    const first = Deals.load(result.deals[0].id);
    stored = true;
    const count = result.deals.length === 1 ? quoted(named(first)) : `${result.deals.length} deals`;
    const left = result.left.length ? ` Repaired: ${result.left.join("; ")}.` : "";
    switchTo(first, `Imported ${count} and saved on this device.${left}`);
  };

  const create = (next, message) => {
    if (!settled()) return;
    const [before, wasStored] = [record, stored];
    record = next;
    stored = false;
    if (save(message)) {
      show();
      nameInput.select(); // ready to be named
      return;
    }
    [record, stored, unsaved] = [before, wasStored, false]; // not made: the form still shows this deal
  };

  const actions = {
    new() {
      create(Deals.blank(`Deal ${Deals.list().length + 1}`), "Created a new deal.");
    },
    duplicate() {
      const copy = Deals.copy(record);
      create(copy, `Created ${quoted(copy.name)}.`);
    },
    delete() {
      if (!window.confirm(`Delete the deal ${quoted(named(record))} and its answers to every worksheet from this device?`)) return;
      const name = named(record);
      const result = stored ? Deals.remove(record.id) : { ok: true };
      if (!result.ok) return warn(result.error);
      open(null);
      show();
      say(`Deleted ${quoted(name)}.`);
    },
    print() {
      window.print(); // the browser then fires "beforeprint", as for its own Print command
    },
    export() {
      Store.download(Deals.fileName(record), Deals.envelope([record]));
      Store.exported();
      Deals.shared(record.id);
      say("Exported this deal, with every worksheet's answers, to a file.");
    },
    import() {
      fileInput.click();
    },
    share() {
      if (!stored) save("Saved, so that it can be shared.");
      Tools.share(record);
    },
    calendar() {
      if (Tools.calendar(record)) say("Saved the preparation timeline as a calendar file.");
      else warn("This deal has no meeting date yet: add it, and the timeline follows.");
    },
    "delete-all"() {
      if (!Deals.confirmDeleteAll()) return;
      const removed = Store.clearAll();
      open(null);
      show();
      if (removed < 0) warn("Your browser does not let this site store anything, so there was nothing to delete.");
      else say("All your data on this device has been deleted.");
    },
  };

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (Object.hasOwn(actions, action)) actions[action]();
  });

  fileInput.addEventListener("change", async () => {
    const [file] = fileInput.files;
    fileInput.value = ""; // choosing the same file again must fire "change" again
    if (file) await importFile(file);
  });

  /* ---- start ---- */

  const damagedBefore = Deals.migrate(worksheet.id);
  const asked = new URLSearchParams(window.location.search).get("deal");
  open(asked ?? Deals.current());
  if (stored && (asked || Deals.current() !== record.id)) Deals.pick(record.id);

  for (const field of fields.values()) {
    if (field.type === "rows") {
      drawRows(field, []); // each row with its Remove button
      const head = document.createElement("th");
      head.scope = "col";
      head.className = "canvas-rows__actions";
      head.textContent = "Row";
      field.table.tHead.rows[0].append(head);
      field.table.after(button("Add a row", "md-button canvas-rows__add web-only", `Add a row to ${field.label}`));
    } else if (field.type === "date") {
      [control(field).min, control(field).max] = [Answers.rules.types.date.min, Answers.rules.types.date.max];
    } else if (control(field)) setLimit(control(field), field.type);
  }
  menu.hidden = false;
  menu.open = !window.matchMedia("(max-width: 44.9375em)").matches; // on a phone the menu starts folded
  $(".deal-print-action").hidden = false;
  $("[data-action=delete-all]").hidden = false;
  Store.keepNote($(".deal-keep"));
  show();
  const usable = Store.probe();
  const opening = stored ? "Your answers are saved on this device." : "Nothing saved yet: your answers are saved on this device as you type.";
  if (!usable.ok) warn(usable.error);
  else if (damagedBefore.length || Deals.damaged.length) {
    warn("Some answers saved in this browser could not be read. They were set aside, not deleted: see My deals to export, repair or delete them.");
  } else say(opening);

  /* Another tab saved: the same deal takes its answers in; any other deal only changes its option. */
  const follow = (value, key) => {
    if (key === "deal:*") return gone("This deal was deleted in another tab or page."); // everything deleted
    if (!key.startsWith("deal:")) return;
    const id = key.slice(5);
    if (id !== record.id) return showPicker(value && Deals.check(value) ? value : { id, gone: true });
    if (value === null || Deals.isTombstone(value)) {
      if (stored) gone("This deal was deleted in another tab.");
      else showPicker();
      return;
    }
    if (!Deals.check(value)) return; // damaged: it is set aside when next read
    record = Deals.merge(record, value);
    stored = true;
    show();
    if (unsaved) save(); // space may have been freed: this tab's unsaved answers go in now, or stay marked
    else say("Updated with changes made in another tab.");
  };
  Store.watch("deal:*", follow);

  /* Paper, from the button above or the browser's own Print command: the deal's name and dates on
   * every page, and once atop the first, under the worksheet's title, while the page prints. */
  const title = form.closest("article")?.querySelector("h1") ?? form;
  let caption = null;
  window.addEventListener("beforeprint", () => {
    const lines = Paper.label(named(record), Deals.lastChange(record));
    Paper.stamp(lines, `${named(record)} - ${worksheet.title}`);
    caption?.remove();
    caption = Paper.caption(lines);
    title.after(caption);
  });
  window.addEventListener("afterprint", () => {
    Paper.unstamp();
    caption?.remove();
    caption = null;
  });

  /* Back from the back/forward cache, or visible again: storage may have changed (everything may
   * have been deleted) while this page showed what it held before. Show what is stored now, with
   * the answers this tab could not save merged in answer by answer, and save them if space allows. */
  Store.onReturn(() => {
    if (!stored) {
      if (unsaved) save(); // a first deal storage refused: saved now if space allows
      return showPicker();
    }
    const fresh = Deals.load(record.id);
    if (fresh === null || Deals.isTombstone(fresh)) return gone("This deal was deleted in another tab or page.");
    record = unsaved ? Deals.merge(fresh, record) : fresh;
    show();
    if (unsaved) save();
  });
})();
