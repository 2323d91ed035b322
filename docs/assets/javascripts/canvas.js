/* A worksheet in the browser: the answers of the tab's current deal (see deals.js), saved on this
 * device at every change, export and import of whole deals, and the zone-of-possible-agreement picture.
 *
 * Each tab keeps its own deal: another tab's changes to the same deal show up here answer by
 * answer; another tab's other deals only appear in the picker; a deal deleted elsewhere is left,
 * never written back. Everything typed or imported reaches the page only as .value or .textContent.
 */
(() => {
  const form = document.getElementById("canvas-form");
  const Store = window.PlaybookStore;
  const Deals = window.PlaybookDeals;
  if (!form || !Store || !Deals) return;

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

  /* ---- the deal this tab shows ---- */

  let record; // this tab's copy of its deal
  let stored; // whether that deal is on the device (a first visit's deal is not, until something is typed)

  const { named } = Deals;
  const firstDeal = () => Deals.blank("My first deal");

  const open = (id) => {
    const found = id ? Deals.load(id) : null;
    const usable = found && !Deals.isTombstone(found) ? found : (Deals.list()[0] ?? null);
    record = usable ?? firstDeal();
    stored = Boolean(usable);
  };

  const say = (text) => {
    status.textContent = text;
  };
  const warn = (text) => {
    problem.textContent = text;
  };

  /* Save this tab's deal, merged answer by answer with what other tabs saved meanwhile. */
  const save = (done) => {
    if (stored && Deals.load(record.id) === null) return gone("This deal was deleted in another tab, so it was not saved again.");
    const result = Deals.save(record);
    if (result.deleted) return gone("This deal was deleted in another tab, so it was not saved again.");
    if (!result.ok) {
      warn(result.error);
      say("Not saved.");
      return false;
    }
    if (!stored) Deals.pick(record.id);
    record = result.record;
    stored = true;
    warn("");
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

  const control = (field) => form.elements.namedItem(field.id);
  const now = () => Date.now();

  const makeCell = (field, column, row, value) => {
    const td = document.createElement("td");
    td.dataset.label = column.label;
    const input = document.createElement("input");
    input.type = column.type;
    if (column.type === "number") input.step = "any";
    input.name = `${field.id}[${row}][${column.id}]`;
    input.id = `f-${field.id}-${row}-${column.id}`;
    input.dataset.column = column.id;
    input.setAttribute("aria-label", `${column.label}, row ${row}`);
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
    for (const input of body.querySelectorAll("input")) mirror(input);
  };

  const shown = () => Deals.view(record, worksheet);

  const readRows = (field) => {
    const before = shown().answers.get(field.id) ?? [];
    const rows = [...field.table.tBodies[0].rows].map((tr, i) => {
      // cells of columns a newer version removed stay in the row, unseen but not lost
      const row = { ...(before[i] ?? {}) };
      for (const input of tr.querySelectorAll("input[data-column]")) row[input.dataset.column] = input.value;
      return row;
    });
    while (rows.length && Deals.isEmpty([rows.at(-1)])) rows.pop();
    return rows;
  };

  const readField = (field) => {
    if (field.type === "rows") return readRows(field);
    const el = control(field);
    if (field.type === "checkbox") return el.checked;
    return el.value; // a radio group's value is the checked radio's, "" when none is
  };

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  /* Put an answer into its control, leaving a control that already shows it alone (keeps the caret). */
  const writeField = (field, value) => {
    if (same(readField(field), value ?? (field.type === "checkbox" ? false : field.type === "rows" ? [] : ""))) return;
    if (field.type === "rows") drawRows(field, value ?? []);
    else if (field.type === "checkbox") control(field).checked = value ?? false;
    else if (field.type === "scale") {
      for (const radio of form.querySelectorAll(`input[name="${field.id}"]`)) radio.checked = radio.value === value;
    } else control(field).value = value ?? "";
    for (const el of field.box.querySelectorAll("textarea, input[type=text]")) mirror(el);
  };

  const setAnswer = (field, value) => {
    const sheet = Deals.sheet(record, worksheet.id);
    const before = Object.hasOwn(sheet.answers, field.id) ? sheet.answers[field.id] : null;
    // an answer this question cannot show (its type changed) is kept as an earlier answer, not overwritten
    if (before && !Deals.isEmpty(before.v) && !Deals.fits(field, before.v)) {
      let slot = field.id;
      for (let n = 2; Object.hasOwn(sheet.earlier, slot) && "value" in sheet.earlier[slot]; n += 1) slot = `${field.id}~${n}`;
      sheet.earlier[slot] = { label: before.label, value: before.v, t: now() };
    }
    sheet.answers[field.id] = { v: value, t: now(), label: field.label };
  };

  /* A print-only copy of each text box, so paper shows the whole answer, never a clipped box. */
  const mirror = (input) => {
    let copy = input.nextElementSibling;
    if (!copy?.classList.contains("canvas-print-value")) {
      copy = document.createElement("span"); // a span: text boxes sit inside paragraphs
      copy.className = "canvas-print-value";
      copy.setAttribute("aria-hidden", "true");
      input.after(copy);
    }
    copy.textContent = input.value;
  };

  const describe = (value) => {
    if (typeof value === "boolean") return value ? "Ticked" : "Not ticked";
    if (Array.isArray(value)) return value.map((row) => Object.values(row).filter(Boolean).join(" · ")).join("\n");
    return value;
  };

  const showEarlier = (earlier) => {
    earlierList.replaceChildren();
    for (const { slot, kind, label, value } of earlier) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      const text = document.createElement("div");
      text.className = "canvas-earlier__value";
      text.textContent = describe(value);
      const clear = button("Clear", "md-button canvas-earlier__clear", `Clear the earlier answer to ${label}`);
      clear.dataset.slot = slot;
      clear.dataset.kind = kind;
      dd.append(text, clear);
      earlierList.append(dt, dd);
    }
    earlierBox.hidden = earlier.length === 0;
  };

  const showPicker = () => {
    const deals = Deals.list();
    if (!deals.some((d) => d.id === record.id)) deals.unshift(record);
    picker.replaceChildren(...deals.map((d) => new Option(named(d), d.id)));
    picker.value = record.id;
    if (document.activeElement !== nameInput) nameInput.value = record.name;
    menuName.textContent = named(record);
  };

  const show = () => {
    const { answers, earlier } = shown();
    for (const field of fields.values()) writeField(field, answers.get(field.id));
    showEarlier(earlier);
    showPicker();
    drawZopa();
  };

  /* ---- the zone of possible agreement ---- */

  const SVG = "http://www.w3.org/2000/svg";
  const svgEl = (name, attrs, text) => {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  };

  function drawZopa() {
    if (!zopa) return;
    const picture = zopa.querySelector("svg");
    const caption = zopa.querySelector("figcaption");
    const number = (name) => {
      const text = form.elements.namedItem(zopa.dataset[name]).value;
      return text === "" ? NaN : Number(text);
    };
    const [myWalk, myTarget, theirWalk, theirTarget] = ["myWalkAway", "myTarget", "theirWalkAway", "theirTarget"].map(number);
    zopa.classList.remove("canvas-zopa--none");
    if ([myWalk, myTarget, theirWalk, theirTarget].some(Number.isNaN)) {
      picture.style.display = "none"; // an <svg> has no `hidden` property, and the attribute is not valid on it
      picture.replaceChildren();
      caption.textContent = "Fill in the four numbers above to see whether there is room for a deal.";
      return;
    }
    // If my target is above my walk-away I want the figure high (selling); otherwise low (buying).
    const wantHigh = myTarget !== myWalk ? myTarget > myWalk : theirTarget < theirWalk;
    const [low, high] = wantHigh ? [myWalk, theirWalk] : [theirWalk, myWalk];
    const fmt = (n) => n.toLocaleString();
    const values = [myWalk, myTarget, theirWalk, theirTarget];
    const min = Math.min(...values);
    const span = Math.max(...values) - min || 1;
    const x = (n) => 48 + ((n - min) / span) * 256;
    picture.replaceChildren();
    if (low <= high) {
      picture.append(svgEl("rect", { class: "zone", x: x(low), y: 4, width: Math.max(x(high) - x(low), 2), height: 48 }));
    }
    const bar = (from, to, y, cls, label) => {
      picture.append(
        svgEl("line", { class: cls, x1: x(from), x2: x(to), y1: y, y2: y }),
        svgEl("circle", { class: cls, cx: x(from), cy: y, r: 4 }),
        svgEl("text", { x: x(from), y: y - 7, "text-anchor": "middle" }, fmt(from)),
        svgEl("text", { x: x(to), y: y - 7, "text-anchor": "middle" }, fmt(to)),
        svgEl("text", { x: 2, y: y + 4, class: "who" }, label),
      );
    };
    bar(myWalk, myTarget, 22, "mine", "Me");
    bar(theirWalk, theirTarget, 46, "theirs", "Them");
    picture.append(svgEl("line", { class: "axis", x1: 48, x2: 304, y1: 62, y2: 62 }));
    picture.style.display = "";
    if (low <= high) {
      caption.textContent = `Zone of possible agreement: from ${fmt(low)} to ${fmt(high)}. Each range runs from a walk-away point (dot) to a target; the shaded band is where both walk-away points are met.`;
    } else {
      zopa.classList.add("canvas-zopa--none");
      caption.textContent = `Warning: no zone of possible agreement. Your walk-away point (${fmt(myWalk)}) is beyond your estimate of theirs (${fmt(theirWalk)}), so no figure would satisfy you both. Check your estimate, strengthen your alternatives, or look for ways to grow the pie before you meet.`;
    }
  }

  /* ---- reacting to the reader ---- */

  form.addEventListener("input", (event) => {
    const box = event.target.closest("[data-field]");
    if (!box) return;
    const field = fields.get(box.dataset.field);
    setAnswer(field, readField(field));
    if (event.target.matches("textarea, input[type=text]")) mirror(event.target);
    if (zopa && field.type === "number") drawZopa();
    if (save()) menuName.textContent = named(record);
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  form.addEventListener("click", (event) => {
    const remove = event.target.closest(".canvas-rows__remove");
    const add = event.target.closest(".canvas-rows__add");
    if (!remove && !add) return;
    const field = fields.get(event.target.closest("[data-field]").dataset.field);
    const rows = readRows(field);
    const count = field.table.tBodies[0].rows.length;
    const index = add ? count : Number(remove.dataset.row);
    if (remove) rows.splice(index, 1);
    setAnswer(field, rows);
    drawRows(field, rows, add ? count + 1 : count - 1);
    save();
    const body = field.table.tBodies[0];
    (body.rows[index] ?? body.rows[body.rows.length - 1]).querySelector("input").focus();
  });

  earlierList.addEventListener("click", (event) => {
    const clear = event.target.closest(".canvas-earlier__clear");
    if (!clear) return;
    const sheet = Deals.sheet(record, worksheet.id);
    const { slot } = clear.dataset;
    if (clear.dataset.kind === "answer") sheet.answers[slot] = { v: "", t: now(), label: sheet.answers[slot].label };
    else sheet.earlier[slot] = { t: now() };
    save("Earlier answer cleared.");
    showEarlier(shown().earlier);
    if (!earlierBox.hidden) earlierList.querySelector("button")?.focus();
  });

  const switchTo = (next, message) => {
    record = next;
    Deals.pick(record.id);
    show();
    say(message);
  };

  picker.addEventListener("change", () => {
    const next = Deals.load(picker.value);
    if (next && !Deals.isTombstone(next)) switchTo(next, `Switched to "${named(next)}".`);
    else if (picker.value === record.id) show();
    else gone("That deal was deleted in another tab.");
  });

  nameInput.addEventListener("input", () => {
    record.name = nameInput.value;
    record.named = now();
    if (save()) showPicker();
  });

  const importFile = async (file) => {
    const result = Deals.importText(await file.text(), Deals.worksheets(), Deals.confirmReplace);
    if (result.cancelled) {
      warn("");
      return say("Import cancelled; nothing changed.");
    }
    if (!result.ok) return warn(result.error);
    warn("");
    const first = Deals.load(result.deals[0].id);
    stored = true;
    const count = result.deals.length === 1 ? `"${named(first)}"` : `${result.deals.length} deals`;
    switchTo(first, `Imported ${count} and saved on this device.`);
  };

  const create = (next, message) => {
    record = next;
    stored = false;
    if (save(message)) {
      show();
      nameInput.select(); // ready to be named
    }
  };

  const actions = {
    new() {
      create(Deals.blank(`Deal ${Deals.list().length + 1}`), "Created a new deal.");
    },
    duplicate() {
      const copy = Deals.copy(record);
      create(copy, `Created "${copy.name}".`);
    },
    delete() {
      if (!window.confirm(`Delete the deal "${named(record)}" and its answers to every worksheet from this device?`)) return;
      const name = named(record);
      const result = stored ? Deals.remove(record.id) : { ok: true };
      if (!result.ok) return warn(result.error);
      open(null);
      show();
      say(`Deleted "${name}".`);
    },
    print() {
      window.print();
    },
    export() {
      Store.download(Deals.fileName(record), Deals.envelope([record]));
      Store.exported();
      say("Exported this deal, with every worksheet's answers, to a file.");
    },
    import() {
      fileInput.click();
    },
    "delete-all"() {
      if (!Deals.confirmDeleteAll()) return;
      const removed = Store.clearAll();
      open(null);
      show();
      warn(removed < 0 ? "Your browser does not let this site store anything, so there was nothing to delete." : "");
      say("All your data on this device has been deleted.");
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
    if (field.type !== "rows") continue;
    drawRows(field, []); // each row with its Remove button
    const head = document.createElement("th");
    head.scope = "col";
    head.className = "canvas-rows__actions";
    head.textContent = "Row";
    field.table.tHead.rows[0].append(head);
    field.table.after(button("Add a row", "md-button canvas-rows__add web-only", `Add a row to ${field.label}`));
  }
  menu.hidden = false;
  menu.open = !window.matchMedia("(max-width: 44.9375em)").matches; // on a phone the menu starts folded
  $(".deal-print-action").hidden = false;
  $("[data-action=delete-all]").hidden = false;
  Store.keepNote($(".deal-keep"));
  show();
  const usable = Store.probe();
  if (!usable.ok) warn(usable.error);
  if (damagedBefore.length || Deals.damaged.length) {
    warn("Some answers saved in this browser could not be read. They were set aside, not deleted: see My deals to export or delete them.");
  }

  // Another tab saved: the same deal takes its answers in; any other deal only shows in the picker.
  Store.watch("deal:*", (value, key) => {
    if (key !== Deals.key(record.id) && key !== "deal:*") return showPicker();
    if (value === null || Deals.isTombstone(value)) {
      if (stored) gone("This deal was deleted in another tab.");
      else showPicker();
      return;
    }
    if (!Deals.check(value)) return; // damaged: it is set aside when next read
    record = Deals.merge(record, value);
    stored = true;
    show();
    say("Updated with changes made in another tab.");
  });
  say(stored ? "Your answers are saved on this device." : "Nothing saved yet: your answers are saved on this device as you type.");
})();
