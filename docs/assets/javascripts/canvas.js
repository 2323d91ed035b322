/* Worksheets in the browser: answers are saved on this device at every change, one named canvas
 * per deal, export and import as JSON files, and the zone-of-possible-agreement picture.
 *
 * Stored under PlaybookStore key "canvas:<worksheet id>":
 *   {current: canvas id, canvases: [{id, name, answers, labels, earlier}]}
 * answers  field id -> text (text, long text, number, date, scale), true/false (checkbox), or
 *          a list of rows, each {column id: text}
 * labels   field id -> the field's label when it was answered, to name it if the field goes away
 * earlier  field id -> {label, value}: answers whose field a newer version of the worksheet removed
 *          or changed to another type, kept and shown until the reader clears them.
 *
 * Everything typed or imported is untrusted: it reaches the page only as .value or .textContent.
 */
(() => {
  const form = document.getElementById("canvas-form");
  const Store = window.PlaybookStore;
  if (!form || !Store) return;

  const worksheet = form.dataset.canvas;
  const version = Number(form.dataset.version);
  const KEY = `canvas:${worksheet}`;
  const $ = (selector) => document.querySelector(selector);
  const status = $(".canvas-status");
  const problem = $(".canvas-error");
  const picker = $("#canvas-pick");
  const nameInput = $("#canvas-name");
  const fileInput = $("#canvas-import");
  const earlierBox = $(".canvas-earlier");
  const earlierList = $(".canvas-earlier__list");
  const zopa = $(".canvas-zopa");

  // The fields this version of the worksheet has, read from the page the build generated.
  const fields = new Map(
    [...form.querySelectorAll("[data-field]")].map((box) => {
      const table = box.querySelector("table.canvas-rows");
      const field = {
        id: box.dataset.field,
        type: box.dataset.type,
        box,
        label: box.querySelector("label, legend, .canvas-label").textContent.trim(),
        table,
        columns: table
          ? [...table.tHead.rows[0].cells].map((th) => ({
              id: th.dataset.column,
              type: th.dataset.type,
              label: th.textContent.trim(),
            }))
          : [],
        minRows: table ? Number(table.dataset.rows) : 0,
      };
      return [field.id, field];
    }),
  );

  /* ---- values: what an answer may be, and whether it fits a field ---- */

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isRows = (v) =>
    Array.isArray(v) && v.every((row) => isObject(row) && Object.values(row).every((c) => typeof c === "string"));
  const isAnswer = (v) => typeof v === "string" || typeof v === "boolean" || isRows(v);
  const SHAPES = {
    rows: isRows,
    checkbox: (v) => typeof v === "boolean",
    number: (v) => typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)),
    date: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v),
    scale: (v) => typeof v === "string" && /^[1-5]$/.test(v),
  };
  // an answer that does not fit its field (say, text in what is now a number field) is set aside, not lost
  const fits = (field, value) => (SHAPES[field.type] ?? ((v) => typeof v === "string"))(value);
  const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);
  const isEmpty = (v) =>
    v === "" || v === false || (Array.isArray(v) && v.every((row) => Object.values(row).every((c) => c === "")));

  const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const blank = (name) => ({ id: newId(), name, answers: {}, labels: {}, earlier: {} });

  /* Check a list of canvases from storage or from a file; returns an error sentence or null. */
  const invalid = (list) => {
    if (!Array.isArray(list) || !list.length) return "it holds no canvases";
    for (const [i, c] of list.entries()) {
      const which = `canvas ${i + 1}`;
      if (!isObject(c) || typeof c.name !== "string" || !isObject(c.answers)) {
        return `${which} has no name or no answers`;
      }
      if ([c.answers, c.labels ?? {}, c.earlier ?? {}].some((o) => isObject(o) && Object.hasOwn(o, "__proto__"))) {
        return `${which} uses a reserved name`;
      }
      const bad = Object.entries(c.answers).find(([, v]) => !isAnswer(v));
      if (bad) return `in ${which}, the answer to "${bad[0]}" is neither text, a tick nor rows`;
      if (c.labels !== undefined && !(isObject(c.labels) && Object.values(c.labels).every((l) => typeof l === "string"))) {
        return `${which} has damaged labels`;
      }
      const earlier = c.earlier ?? {};
      if (!isObject(earlier) || !Object.values(earlier).every((e) => isObject(e) && typeof e.label === "string" && isAnswer(e.value))) {
        return `${which} has damaged earlier answers`;
      }
    }
    return null;
  };

  /* A clean copy holding only what the page uses, whatever else an imported file carried. */
  const tidy = (c) => ({
    id: typeof c.id === "string" && c.id.length <= 100 ? c.id : newId(),
    name: c.name,
    answers: { ...c.answers },
    labels: { ...(c.labels ?? {}) },
    earlier: { ...(c.earlier ?? {}) },
  });

  /* Answers whose field is gone, or is now of another type, move to "earlier" rather than vanish. */
  const setAside = (c) => {
    for (const [id, value] of Object.entries(c.answers)) {
      const field = fields.get(id);
      if (field && fits(field, value)) continue;
      let slot = id;
      for (let n = 2; Object.hasOwn(c.earlier, slot); n += 1) slot = `${id}~${n}`;
      c.earlier[slot] = { label: own(c.labels, id) ?? id, value };
      delete c.answers[id];
    }
    return c;
  };

  /* ---- state and saving ---- */

  const loadState = () => {
    const saved = Store.read(KEY, null);
    if (isObject(saved) && !invalid(saved.canvases)) {
      const canvases = saved.canvases.map(tidy).map(setAside);
      const current = canvases.some((c) => c.id === saved.current) ? saved.current : canvases[0].id;
      return { state: { current, canvases }, saved: true };
    }
    const first = blank("My first deal");
    return { state: { current: first.id, canvases: [first] }, saved: false, unreadable: saved !== null };
  };

  let { state, saved, unreadable } = loadState();
  const canvas = () => state.canvases.find((c) => c.id === state.current);

  const say = (text) => {
    status.textContent = text;
  };
  const warn = (text) => {
    problem.textContent = text;
    problem.hidden = !text;
  };

  const save = (done) => {
    const result = Store.write(KEY, state);
    if (result.ok) {
      warn("");
      say(done ?? `Saved on this device at ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`);
    } else {
      warn(result.error);
      say("Not saved.");
    }
    return result.ok;
  };

  /* ---- the form: from answers to controls and back ---- */

  const control = (field) => form.elements.namedItem(field.id);

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

  const readRows = (field) => {
    const stored = own(canvas().answers, field.id) ?? [];
    const rows = [...field.table.tBodies[0].rows].map((tr, i) => {
      // cells of columns a newer version removed stay in the row, unseen but not lost
      const row = { ...(stored[i] ?? {}) };
      for (const input of tr.querySelectorAll("input[data-column]")) row[input.dataset.column] = input.value;
      return row;
    });
    while (rows.length && isEmpty([rows.at(-1)])) rows.pop();
    return rows;
  };

  const readField = (field) => {
    if (field.type === "rows") return readRows(field);
    const el = control(field);
    if (field.type === "checkbox") return el.checked;
    return el.value; // a radio group's value is the checked radio's, "" when none is
  };

  const writeField = (field, value) => {
    if (field.type === "rows") drawRows(field, value ?? []);
    else if (field.type === "checkbox") control(field).checked = value ?? false;
    else if (value !== undefined) control(field).value = value;
  };

  const setAnswer = (field, value) => {
    const c = canvas();
    if (isEmpty(value)) delete c.answers[field.id];
    else c.answers[field.id] = value;
    c.labels[field.id] = field.label;
  };

  /* A print-only copy of each text box, so paper shows the whole answer, never a clipped box. */
  const mirror = (input) => {
    let copy = input.nextElementSibling;
    if (!copy?.classList.contains("canvas-print-value")) {
      copy = document.createElement("div");
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

  const showEarlier = (c) => {
    const entries = Object.entries(c.earlier);
    earlierList.replaceChildren();
    for (const [slot, { label, value }] of entries) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      const text = document.createElement("div");
      text.className = "canvas-earlier__value";
      text.textContent = describe(value);
      const clear = button("Clear", "md-button canvas-earlier__clear", `Clear the earlier answer to ${label}`);
      clear.dataset.slot = slot;
      dd.append(text, clear);
      earlierList.append(dt, dd);
    }
    earlierBox.hidden = entries.length === 0;
  };

  const showPicker = () => {
    picker.replaceChildren(...state.canvases.map((c) => new Option(c.name || "Untitled", c.id)));
    picker.value = state.current;
    nameInput.value = canvas().name;
  };

  const show = () => {
    const c = canvas();
    form.reset(); // clears the previous canvas, radio buttons included
    for (const field of fields.values()) writeField(field, own(c.answers, field.id));
    for (const el of form.querySelectorAll("textarea, input[type=text]")) mirror(el);
    showEarlier(c);
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
      picture.hidden = true;
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
    picture.hidden = false;
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
    save();
  });
  form.addEventListener("submit", (event) => event.preventDefault());

  form.addEventListener("click", (event) => {
    const remove = event.target.closest(".canvas-rows__remove");
    const add = event.target.closest(".canvas-rows__add");
    if (!remove && !add) return;
    const field = fields.get(event.target.closest("[data-field]").dataset.field);
    const rows = readRows(field);
    const shown = field.table.tBodies[0].rows.length;
    const index = add ? shown : Number(remove.dataset.row);
    if (remove) rows.splice(index, 1);
    setAnswer(field, rows);
    drawRows(field, rows, add ? shown + 1 : shown - 1);
    save();
    const body = field.table.tBodies[0];
    (body.rows[index] ?? body.rows[body.rows.length - 1]).querySelector("input").focus();
  });

  earlierList.addEventListener("click", (event) => {
    const clear = event.target.closest(".canvas-earlier__clear");
    if (!clear) return;
    delete canvas().earlier[clear.dataset.slot];
    save("Earlier answer cleared.");
    showEarlier(canvas());
    if (!earlierBox.hidden) earlierList.querySelector("button")?.focus();
  });

  picker.addEventListener("change", () => {
    state.current = picker.value;
    show();
    save(`Switched to "${canvas().name || "Untitled"}".`);
  });

  nameInput.addEventListener("input", () => {
    canvas().name = nameInput.value;
    picker.selectedOptions[0].text = nameInput.value || "Untitled";
    save();
  });

  const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "canvas";
  const exportCanvases = (list, name) =>
    Store.download(
      `${worksheet}-${name}.json`,
      Store.envelope("canvases", worksheet, version, { canvases: list.map(tidy) }),
    );

  const importFile = async (file) => {
    const parsed = Store.parse(await file.text(), { kind: "canvases", id: worksheet });
    if (!parsed.ok) return warn(parsed.error);
    const list = parsed.envelope.data.canvases;
    const why = invalid(list);
    if (why) return warn(`This file cannot be imported because ${why}, so nothing was imported.`);
    const incoming = list.map(tidy).map(setAside);
    const clashes = incoming.map((c) => state.canvases.find((mine) => mine.id === c.id)).filter(Boolean);
    if (clashes.length) {
      const names = clashes.map((c) => `"${c.name || "Untitled"}"`).join(", ");
      if (!window.confirm(`Importing replaces the canvases ${names} on this device with the ones in the file. Replace them?`)) {
        warn("");
        return say("Import cancelled; nothing changed.");
      }
    }
    const before = state;
    // the untouched canvas of a first visit gives way; saved canvases stay unless replaced
    const mine = Store.read(KEY, null) === null ? [] : state.canvases;
    const kept = mine.filter((c) => !incoming.some((n) => n.id === c.id));
    state = { current: incoming[0].id, canvases: [...kept, ...incoming] };
    const count = `${incoming.length} canvas${incoming.length === 1 ? "" : "es"}`;
    if (!save(`Imported ${count} and saved on this device.`)) {
      state = before; // nothing half-imported: the page goes on showing what is really stored
      return;
    }
    show();
  };

  const open = (c) => {
    state.canvases.push(c);
    state.current = c.id;
    show();
    save(`Created "${c.name}".`);
    nameInput.select(); // ready to be named
  };

  const actions = {
    new() {
      open(blank(`Deal ${state.canvases.length + 1}`));
    },
    duplicate() {
      open({ ...structuredClone(canvas()), id: newId(), name: `Copy of ${canvas().name || "Untitled"}` });
    },
    delete() {
      const c = canvas();
      if (!window.confirm(`Delete the canvas "${c.name || "Untitled"}" and every answer in it from this device?`)) return;
      state.canvases = state.canvases.filter((other) => other !== c);
      if (!state.canvases.length) state.canvases.push(blank("My first deal"));
      state.current = state.canvases[0].id;
      show();
      save(`Deleted "${c.name || "Untitled"}".`);
    },
    print() {
      window.print();
    },
    export() {
      exportCanvases([canvas()], slug(canvas().name));
      say("Exported this canvas to a file.");
    },
    "export-all"() {
      exportCanvases(state.canvases, "all");
      say(`Exported ${state.canvases.length} canvases to a file.`);
    },
    import() {
      fileInput.click();
    },
    "delete-all"() {
      const question =
        "Delete everything this site has stored in this browser: every canvas of every worksheet and any challenge progress? This cannot be undone.";
      if (!window.confirm(question)) return;
      const removed = Store.clearAll();
      ({ state } = loadState());
      show();
      warn(removed < 0 ? "Your browser does not let this site store anything, so there was nothing to delete." : "");
      say("All your data on this device has been deleted.");
    },
  };

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action in actions) actions[action]();
  });

  fileInput.addEventListener("change", async () => {
    const [file] = fileInput.files;
    fileInput.value = ""; // choosing the same file again must fire "change" again
    if (file) await importFile(file);
  });

  /* ---- start ---- */

  for (const field of fields.values()) {
    if (field.type !== "rows") continue;
    const head = document.createElement("th");
    head.scope = "col";
    head.className = "canvas-rows__actions";
    head.textContent = "Row";
    field.table.tHead.rows[0].append(head);
    field.table.after(button("Add a row", "md-button canvas-rows__add", `Add a row to ${field.label}`));
  }
  document.querySelector(".canvas-tools").hidden = false;
  document.querySelector("[data-action=delete-all]").hidden = false;
  show();
  const usable = Store.probe();
  if (!usable.ok) warn(usable.error);
  if (unreadable) warn("The canvases saved for this worksheet in this browser could not be read, so you start afresh.");
  // another tab saved this worksheet: show its work rather than overwrite it with this tab's older copy
  Store.watch(KEY, () => {
    ({ state } = loadState());
    show();
    say("Updated with changes made in another tab.");
  });
  say(saved ? "Your answers are saved on this device." : "Nothing saved yet: your answers are saved on this device as you type.");
})();
