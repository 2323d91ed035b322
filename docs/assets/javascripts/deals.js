/* Deals: the unit of preparation. One record per deal holds the answers of every worksheet.
 *
 * window.PlaybookDeals. Stored under PlaybookStore key "deal:<id>":
 *   {id, born, name, named, worksheets: {<worksheet id>: {answers, earlier}}}
 *   answers  field id -> {v: value, t: time typed, label: the question when it was answered}
 *            value: text (text, long text, number, date, scale), true/false (checkbox) or rows,
 *            a list of {column id: text}
 *   earlier  slot -> {label, value, t}: answers whose question a newer version of the worksheet
 *            removed or changed, kept until the reader clears them ({t} alone once cleared)
 *   born     when the record was created or imported; named: when its name was last set
 * A deleted deal leaves a tombstone {id, deleted: time}, so no open tab writes it back.
 *
 * Two tabs saving the same deal merge answer by answer (the later typing wins for each answer),
 * never record by record. Everything here that does not touch storage is a pure function on plain
 * data (check, merge, fromCanvases, parseImport, progress): tests call them without a page.
 *
 * `worksheets` (generated into each page from content) is {<id>: {title, version, url, fields:
 * [{id, type, label, columns: [{id, type, label}]}]}}.
 */
(() => {
  const Store = window.PlaybookStore;
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/; // content ids (worksheets, fields, columns)
  const DEAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
  const SLOT = /^[a-z0-9]+(-[a-z0-9]+)*(~[0-9]{1,4})?$/;
  const MAX_TEXT = 100000;
  const MAX_ROWS = 200;
  const MAX_NAME = 200;

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isTime = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  const isText = (v) => typeof v === "string" && v.length <= MAX_TEXT;
  const own = (object, key) => (isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined);
  const dict = (entries = []) => Object.assign(Object.create(null), Object.fromEntries(entries));
  const entries = (object) => (isObject(object) ? Object.entries(object) : []);
  const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  /* ---- values: what an answer may be, and whether a field can show it ---- */

  const isRows = (v) =>
    Array.isArray(v) &&
    v.length <= MAX_ROWS &&
    v.every((row) => isObject(row) && entries(row).every(([k, c]) => ID.test(k) && isText(c)));
  const isAnswer = (v) => isText(v) || typeof v === "boolean" || isRows(v);
  const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/; // what <input type=number> keeps
  const isDate = (v) => {
    if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const [y, m, d] = v.split("-").map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return y >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  };
  const CELL = {
    number: (v) => v === "" || (NUMBER.test(v) && Number.isFinite(Number(v))),
    date: (v) => v === "" || isDate(v),
    text: (v) => !v.includes("\n"),
  };
  const SHAPES = {
    text: (v) => isText(v) && !/[\r\n]/.test(v),
    "long-text": isText,
    checkbox: (v) => typeof v === "boolean",
    number: (v) => typeof v === "string" && CELL.number(v),
    date: (v) => typeof v === "string" && CELL.date(v),
    scale: (v) => v === "" || (typeof v === "string" && /^[1-5]$/.test(v)),
    rows: isRows,
  };
  /* Whether the form can show this value in this field (a number field cannot show text). */
  const fits = (field, value) => {
    if (!(SHAPES[field.type] ?? isText)(value)) return false;
    if (field.type !== "rows") return true;
    return value.every((row) =>
      field.columns.every((c) => !Object.hasOwn(row, c.id) || (CELL[c.type] ?? CELL.text)(row[c.id])),
    );
  };
  const isEmpty = (v) =>
    v === "" || v === false || v === undefined || (Array.isArray(v) && v.every((row) => entries(row).every(([, c]) => c === "")));

  /* ---- records: checking, building, merging ---- */

  const isTombstone = (r) => isObject(r) && isTime(r.deleted);

  const isEntry = (e) => isObject(e) && isTime(e.t) && isAnswer(e.v) && isText(e.label);
  const isEarlier = (e) =>
    isObject(e) && isTime(e.t) && (("value" in e) ? isText(e.label) && isAnswer(e.value) : !("label" in e));
  const isSheet = (s) =>
    isObject(s) &&
    entries(s.answers).every(([k, e]) => ID.test(k) && isEntry(e)) &&
    isObject(s.answers) &&
    isObject(s.earlier) &&
    entries(s.earlier).every(([k, e]) => SLOT.test(k) && isEarlier(e));

  /* Whether a stored value is a deal record (or its tombstone) this code can read. */
  const check = (r) =>
    isObject(r) &&
    typeof r.id === "string" &&
    DEAL_ID.test(r.id) &&
    (isTombstone(r) ||
      (isTime(r.born) &&
        isTime(r.named) &&
        typeof r.name === "string" &&
        r.name.length <= MAX_NAME &&
        isObject(r.worksheets) &&
        entries(r.worksheets).every(([k, s]) => ID.test(k) && isSheet(s))));

  const blank = (name, now = Date.now()) => ({ id: newId(), born: now, name, named: now, worksheets: dict() });

  const sheet = (record, worksheet) => {
    if (!Object.hasOwn(record.worksheets, worksheet)) {
      record.worksheets[worksheet] = { answers: dict(), earlier: dict() };
    }
    return record.worksheets[worksheet];
  };

  const later = (a, b) => (a === undefined ? b : b === undefined || a.t > b.t ? a : b);
  const mergeMaps = (a = {}, b = {}) =>
    dict([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, later(own(a, k), own(b, k))]));

  /* Two versions of one deal as one: each answer from whichever side typed it last; a deletion
   * wins over every copy made before it, so a tab that still holds the deal cannot bring it back. */
  const merge = (a, b) => {
    if (!a) return b;
    if (!b) return a;
    const dead = [a, b].filter(isTombstone);
    const alive = [a, b].filter((r) => !isTombstone(r));
    if (dead.length) {
      const deleted = Math.max(...dead.map((r) => r.deleted));
      const newer = alive.filter((r) => r.born > deleted);
      if (!newer.length) return { id: a.id, deleted };
      return newer.length === 1 ? newer[0] : merge(...newer);
    }
    const named = a.named >= b.named ? a : b;
    const worksheets = dict();
    for (const id of new Set([...Object.keys(a.worksheets), ...Object.keys(b.worksheets)])) {
      const [x, y] = [own(a.worksheets, id), own(b.worksheets, id)];
      worksheets[id] = { answers: mergeMaps(x?.answers, y?.answers), earlier: mergeMaps(x?.earlier, y?.earlier) };
    }
    return { id: a.id, born: Math.max(a.born, b.born), name: named.name, named: named.named, worksheets };
  };

  /* A deal's answers for one worksheet as the page shows them: fitting answers by field, and the
   * rest (removed questions, changed types, earlier answers not cleared) as "earlier". */
  const view = (record, worksheet) => {
    const s = own(record.worksheets, worksheet.id) ?? { answers: {}, earlier: {} };
    const fields = new Map(worksheet.fields.map((f) => [f.id, f]));
    const answers = new Map();
    const earlier = [];
    for (const [id, e] of entries(s.answers)) {
      const field = fields.get(id);
      if (isEmpty(e.v)) continue;
      if (field && fits(field, e.v)) answers.set(id, e.v);
      else earlier.push({ slot: id, kind: "answer", label: e.label || id, value: e.v });
    }
    for (const [slot, e] of entries(s.earlier)) {
      if ("value" in e) earlier.push({ slot, kind: "earlier", label: e.label, value: e.value });
    }
    return { answers, earlier };
  };

  /* How far a worksheet of a deal is filled: questions with an answer the form can show. */
  const progress = (record, worksheet) => ({
    filled: view(record, worksheet).answers.size,
    total: worksheet.fields.length,
  });

  const lastChange = (record) => {
    let t = record.named;
    for (const s of Object.values(record.worksheets)) {
      for (const e of [...Object.values(s.answers), ...Object.values(s.earlier)]) t = Math.max(t, e.t);
    }
    return t;
  };

  /* ---- the previous release's canvases, in storage or in a file ---- */

  const isOldCanvas = (c) =>
    isObject(c) &&
    typeof c.name === "string" &&
    c.name.length <= MAX_NAME &&
    isObject(c.answers) &&
    entries(c.answers).every(([k, v]) => ID.test(k) && isAnswer(v)) &&
    (c.labels === undefined || (isObject(c.labels) && entries(c.labels).every(([, l]) => isText(l)))) &&
    (c.earlier === undefined ||
      (isObject(c.earlier) &&
        entries(c.earlier).every(([k, e]) => SLOT.test(k) && isObject(e) && isText(e.label) && isAnswer(e.value))));
  const isOldState = (s) => isObject(s) && Array.isArray(s.canvases) && s.canvases.every(isOldCanvas);

  const hash = (text) => {
    let h = 5381;
    for (const ch of text) h = (h * 33 + ch.codePointAt(0)) % 2147483647;
    return h.toString(36);
  };

  /* One worksheet's old canvases as deals. Same-named canvases of different worksheets meet in one
   * deal because the id comes from the name (the n-th canvas of that name: several may share one). */
  const fromCanvases = (worksheet, canvases, time = 0) => {
    const seen = new Map();
    return canvases.map((c) => {
      const name = c.name.trim() || "Untitled";
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      const record = { id: `m-${hash(name)}-${n}`, born: time, name, named: time, worksheets: dict() };
      const s = sheet(record, worksheet);
      for (const [id, v] of entries(c.answers)) {
        s.answers[id] = { v, t: time, label: own(c.labels, id) ?? id };
      }
      for (const [slot, e] of entries(c.earlier)) s.earlier[slot] = { label: e.label, value: e.value, t: time };
      return { record, old: c.id };
    });
  };

  /* ---- reading an imported file (untrusted: any JSON at all) ---- */

  const quoted = (text) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

  /* A clean copy of a deal from a file, holding only what this site stores, or an error sentence. */
  const fromFile = (r, worksheets, now) => {
    if (!isObject(r) || typeof r.name !== "string" || r.name.length > MAX_NAME || !isObject(r.worksheets)) {
      return "a deal in it has no name or no worksheets";
    }
    const name = quoted(r.name || "Untitled");
    const record = { id: newId(), born: now, name: r.name, named: now, worksheets: dict() };
    for (const [id, s] of Object.entries(r.worksheets)) {
      const worksheet = Object.hasOwn(worksheets, id) ? worksheets[id] : null;
      if (!worksheet) return `deal ${name} holds answers for a worksheet this playbook does not have`;
      const answers = isObject(s) && s.answers === undefined ? {} : s?.answers;
      const earlier = isObject(s) && s.earlier === undefined ? {} : s?.earlier;
      if (!isObject(answers) || !isObject(earlier)) return `deal ${name} has damaged answers for the ${worksheet.title}`;
      const target = sheet(record, id);
      for (const [fid, e] of Object.entries(answers)) {
        const error = addAnswer(target, worksheet, fid, e, now);
        if (error) return `in deal ${name}, ${error} (${worksheet.title})`;
      }
      for (const [slot, e] of Object.entries(earlier)) {
        if (!SLOT.test(slot) || !isObject(e)) return `deal ${name} has damaged earlier answers`;
        if (!("value" in e)) continue; // cleared: nothing to keep
        if (!isText(e.label) || !isAnswer(e.value)) return `deal ${name} has damaged earlier answers`;
        target.earlier[slot] = { label: e.label, value: e.value, t: now };
      }
    }
    return record;
  };

  const addAnswer = (target, worksheet, id, e, now) => {
    if (!ID.test(id) || !isObject(e) || !isAnswer(e.v)) return "an answer is neither text, a tick nor rows";
    const field = worksheet.fields.find((f) => f.id === id);
    const label = isText(e.label) ? e.label : id;
    if (field && !fits(field, e.v)) {
      return `the answer to ${quoted(field.label)} cannot go in that question (${WHY[field.type] ?? "wrong kind of value"})`;
    }
    // an answer to a question this version no longer has is kept, and shown as an earlier answer
    target.answers[id] = { v: e.v, t: now, label: field ? field.label : label };
    return null;
  };

  const WHY = {
    number: "it is not a number",
    date: "it is not a real date",
    scale: "it is not a choice from 1 to 5",
    checkbox: "it is not a tick",
    rows: "its rows do not fit the table",
    text: "it is not one line of text",
  };

  const sentence = (why) => `This file cannot be imported because ${why}, so nothing was imported.`;

  /* Read an exported file: a whole-deal file ("deals") or one worksheet's canvases from the
   * previous release. Returns {ok: true, deals: [record]} or {ok: false, error: a sentence}. */
  const parseImport = (text, worksheets, now = Date.now()) => {
    try {
      return readImport(text, worksheets, now);
    } catch {
      return { ok: false, error: sentence("it is damaged") }; // belt and braces: never an uncaught error
    }
  };

  const readImport = (text, worksheets, now) => {
    const fail = (why) => ({ ok: false, error: sentence(why) });
    let parsed = Store.parse(text, { kind: "deals", id: "deals" });
    if (!parsed.ok) {
      const old = Store.parse(text, { kind: "canvases" });
      if (!old.ok) return parsed.error.includes("holds canvases") ? old : parsed;
      parsed = old;
    }
    const { kind, id, data } = parsed.envelope;
    if (kind === "canvases") {
      if (!Object.hasOwn(worksheets, id)) return fail("it belongs to a worksheet this playbook does not have");
      if (!Array.isArray(data.canvases) || !data.canvases.length) return fail("it holds no deals");
      const ids = data.canvases.map((c) => (isObject(c) ? c.id : undefined));
      if (ids.some((i) => i !== undefined && typeof i !== "string")) return fail("a deal in it has a damaged id");
      if (new Set(ids.filter(Boolean)).size !== ids.filter(Boolean).length) return fail("two deals in it have the same id");
      const deals = [];
      const seen = new Map();
      for (const c of data.canvases) {
        if (!isObject(c) || typeof c.name !== "string" || c.name.length > MAX_NAME || !isObject(c.answers)) {
          return fail("a deal in it has no name or no answers");
        }
        if (c.labels !== undefined && !isObject(c.labels)) return fail("a deal in it has damaged labels");
        const answers = Object.fromEntries(Object.entries(c.answers).map(([k, v]) => [k, { v, label: own(c.labels, k) }]));
        const earlier = c.earlier === undefined ? {} : c.earlier;
        const record = fromFile({ name: c.name, worksheets: { [id]: { answers, earlier } } }, worksheets, now);
        if (typeof record === "string") return fail(record);
        // the same deal as migration makes of it, so canvases of one name meet again in one deal
        const name = c.name.trim() || "Untitled";
        seen.set(name, (seen.get(name) ?? 0) + 1);
        deals.push({ ...record, id: `m-${hash(name)}-${seen.get(name)}` });
      }
      return { ok: true, deals };
    }
    if (!Array.isArray(data.deals) || !data.deals.length) return fail("it holds no deals");
    const ids = data.deals.map((r) => (isObject(r) ? r.id : undefined));
    if (!ids.every((i) => typeof i === "string" && DEAL_ID.test(i))) return fail("a deal in it has a damaged id");
    if (new Set(ids).size !== ids.length) return fail("two deals in it have the same id");
    const deals = [];
    for (const r of data.deals) {
      const record = fromFile(r, worksheets, now);
      if (typeof record === "string") return fail(record);
      deals.push({ ...record, id: r.id });
    }
    return { ok: true, deals };
  };

  /* What an export file holds: the deals, without the bookkeeping times. */
  const forFile = (record) => ({
    id: record.id,
    name: record.name,
    worksheets: Object.fromEntries(
      Object.entries(record.worksheets).map(([id, s]) => [
        id,
        {
          answers: Object.fromEntries(
            Object.entries(s.answers)
              .filter(([, e]) => !isEmpty(e.v))
              .map(([k, e]) => [k, { v: e.v, label: e.label }]),
          ),
          earlier: Object.fromEntries(
            Object.entries(s.earlier)
              .filter(([, e]) => "value" in e)
              .map(([k, e]) => [k, { label: e.label, value: e.value }]),
          ),
        },
      ]),
    ),
  });
  const envelope = (records) => Store.envelope("deals", "deals", 1, { deals: records.map(forFile) });

  /* ---- storage: the deals on this device ---- */

  const KEY = (id) => `deal:${id}`;
  const CURRENT = "negotiation-playbook:current-deal"; // sessionStorage: this tab's own deal
  const LAST = "last-deal"; // the deal picked last in any tab: where a new tab starts

  const damaged = []; // backup keys of records that could not be read, set aside this visit

  const load = (id) => {
    const result = Store.load(KEY(id), check);
    if (result.state === "damaged") damaged.push(result.backup);
    return result.value;
  };

  /* Every deal on this device, tombstones left out, in the order they were made. */
  const list = () =>
    Store.keys()
      .filter((k) => k.startsWith("deal:"))
      .map((k) => load(k.slice(5)))
      .filter((r) => r && !isTombstone(r))
      .sort((a, b) => a.born - b.born || (a.id < b.id ? -1 : 1));

  /* Save this tab's copy merged with what other tabs stored: {ok, record} or {ok: false, error}. */
  const save = (record) => {
    const merged = merge(load(record.id), record);
    if (isTombstone(merged)) return { ok: false, deleted: true, record: merged };
    const result = Store.write(KEY(record.id), merged);
    if (!result.ok) return result;
    Store.saved();
    return { ok: true, record: merged };
  };

  /* A deal from a file over the same deal on this device: each worksheet in the file replaces that
   * worksheet's answers (as if typed now, so no open tab's older copy wins them back); the
   * device's other worksheets stay. */
  const replaceSheets = (mine, incoming, now) => {
    const worksheets = dict(Object.entries(mine.worksheets));
    for (const [id, s] of Object.entries(incoming.worksheets)) {
      const old = own(mine.worksheets, id) ?? { answers: {}, earlier: {} };
      const answers = dict(Object.entries(old.answers).map(([k, e]) => [k, { v: "", t: now, label: e.label }]));
      const earlier = dict(Object.keys(old.earlier).map((k) => [k, { t: now }]));
      worksheets[id] = { answers: Object.assign(answers, s.answers), earlier: Object.assign(earlier, s.earlier) };
    }
    return { id: mine.id, born: mine.born, name: incoming.name, named: now, worksheets };
  };

  /* Import a file: {ok: true, deals: [{id, name}]} once every deal in it is saved, or
   * {ok: false, error} with storage as it was. `ask(names)` confirms replacing deals of this device. */
  const importText = (text, worksheets, ask) => {
    const now = Date.now();
    const parsed = parseImport(text, worksheets, now);
    if (!parsed.ok) return parsed;
    const plan = parsed.deals.map((incoming) => ({ incoming, mine: load(incoming.id) }));
    const alive = plan.filter((p) => p.mine && !isTombstone(p.mine));
    if (alive.length && !ask(alive.map((p) => p.mine.name || "Untitled"))) {
      return { ok: false, cancelled: true, error: "" };
    }
    const done = [];
    for (const { incoming, mine } of plan) {
      const record = mine && !isTombstone(mine) ? replaceSheets(mine, incoming, now) : incoming;
      const result = Store.write(KEY(record.id), record);
      if (!result.ok) {
        // nothing half-imported: put back what each written deal was before
        for (const p of done) (p.mine ? Store.write(KEY(p.incoming.id), p.mine) : Store.remove(KEY(p.incoming.id)));
        return result;
      }
      done.push({ incoming, mine });
    }
    Store.saved();
    return { ok: true, deals: parsed.deals.map((r) => ({ id: r.id, name: r.name })) };
  };

  const remove = (id) => Store.write(KEY(id), { id, deleted: Date.now() });

  const session = () => {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  };
  const current = () => {
    const id = session()?.getItem(CURRENT) ?? Store.read(LAST, null);
    return typeof id === "string" ? id : null;
  };
  const pick = (id) => {
    try {
      session()?.setItem(CURRENT, id);
    } catch {
      // a tab that cannot keep its own choice still has the shared default below
    }
    Store.write(LAST, id);
  };

  /* Move the previous release's canvases ("canvas:<worksheet>") into deals. The old key is kept,
   * renamed "old:canvas:<worksheet>", and only once every deal made from it is safely written.
   * The canvas that was current on `page` (the worksheet being opened) becomes the deal picked last.
   * Returns the backup keys of old data that could not be read. */
  const migrate = (page) => {
    const problems = [];
    const picked = new Map();
    for (const key of Store.keys().filter((k) => k.startsWith("canvas:"))) {
      const worksheet = key.slice(7);
      const old = Store.load(key, isOldState);
      if (old.state === "damaged") problems.push(old.backup);
      if (old.state !== "ok") continue;
      const made = fromCanvases(worksheet, old.value.canvases);
      const written = made.every(({ record }) => Store.write(KEY(record.id), merge(load(record.id), record)).ok);
      if (!written) continue; // try again next visit; the old key still holds everything
      if (Store.write(`old:${key}`, old.value).ok) Store.remove(key);
      const current = made.find(({ old: id }) => id === old.value.current) ?? made[0];
      if (current) picked.set(worksheet, current.record.id);
    }
    const last = picked.get(page) ?? picked.values().next().value;
    if (last && Store.read(LAST, null) === null) Store.write(LAST, last);
    return problems;
  };

  /* ---- what the worksheet pages and My deals share ---- */

  const named = (r) => r.name || "Untitled";
  const copy = (r, now = Date.now()) => ({ ...structuredClone(r), id: newId(), born: now, name: `Copy of ${named(r)}`, named: now });
  const fileName = (r) => `deal-${named(r).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "deal"}.json`;
  const confirmReplace = (names) =>
    window.confirm(`Importing replaces the answers of ${names.map((n) => `"${n}"`).join(", ")} on this device with the ones in the file. Replace them?`);
  const confirmDeleteAll = () =>
    window.confirm(
      "Delete everything this site has stored in this browser: every deal, with its answers to every worksheet, and any challenge progress? This cannot be undone.",
    );

  /* The worksheet descriptions the build wrote from content/ (worksheets.js), a copy for each caller. */
  const worksheets = () => structuredClone(window.PlaybookWorksheets ?? {});

  window.PlaybookDeals = {
    check,
    merge,
    fits,
    isEmpty,
    isTombstone,
    blank,
    sheet,
    view,
    progress,
    lastChange,
    fromCanvases,
    parseImport,
    envelope,
    list,
    load,
    save,
    importText,
    remove,
    current,
    pick,
    migrate,
    damaged,
    worksheets,
    key: KEY,
    named,
    copy,
    fileName,
    confirmReplace,
    confirmDeleteAll,
  };
})();
