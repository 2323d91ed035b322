/* Deals: the unit of preparation. One record per deal holds the answers of every worksheet.
 *
 * PlaybookDeals. Stored under PlaybookStore key "deal:<id>":
 *   {id, born, name, named, worksheets: {<worksheet id>: {answers, earlier}}}
 *   answers  field id -> {v: value, t: stamp, label: the question when it was answered, o, b}
 *            (o and b, versions for bringing a colleague's copy back: see copies.js)
 *            value: text (text, long text, number as typed, date, scale), true/false (checkbox) or
 *            rows, a list of {column id: text}; answers.js says what each question may hold
 *   earlier  slot -> {label, value, t}: answers whose question a newer version of the worksheet
 *            removed or changed, kept until the reader clears them ({t} alone once cleared)
 *   born     when the record was created or imported; named: when its name was last set
 * A deleted deal leaves a tombstone {id, deleted: stamp}, so no open tab writes it back.
 *
 * Stamps come from a hybrid logical clock (`tick`): the wall clock in milliseconds, or one more than
 * the latest stamp this page has seen when the wall clock is behind it (moved back by hand or by a
 * time server), so a later edit always gets a later stamp. Every record read or merged moves the
 * clock past its stamps. Stamps are numbers, so records and files of earlier versions (per-answer
 * times `t`) are read as they are.
 *
 * Two tabs saving the same deal merge answer by answer (the later stamp wins for each answer; equal
 * stamps, from two tabs in one millisecond, go to the larger value, so every tab agrees), never
 * record by record. Everything above "storage" is a pure function on plain data (check, merge,
 * answer, view, progress, parseImport, envelope, fileName...), so tests call them in Node.
 *
 * The worksheets (PlaybookSchema.worksheets, generated from content) are {<id>: {title, version,
 * url, fields: [{id, type, label, columns: [{id, type, label}]}]}}.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) {
    module.exports = make(require("./store.js"), require("./answers.js"), require("./copies.js"), () => root.PlaybookSchema);
  } else root.PlaybookDeals = make(root.PlaybookStore, root.PlaybookAnswers, root.PlaybookCopies, () => root.PlaybookSchema);
})(globalThis, (Store, Answers, Copies, schema) => {
  const { isObject } = Store;
  const { ID, SLOT, DEAL_ID, isText, isAnswer, fits, isEmpty } = Answers;
  const MAX_NAME = Answers.rules.deal.name;

  const isTime = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  const own = (object, key) => (isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined);
  const dict = (entries = []) => Object.assign(Object.create(null), Object.fromEntries(entries));
  const entries = (object) => (isObject(object) ? Object.entries(object) : []);
  const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  /* ---- the clock ---- */

  let last = 0; // the latest stamp made or seen by this page
  const tick = () => {
    last = Math.max(Date.now(), last + 1);
    return last;
  };
  const observe = (r) => {
    if (!isObject(r)) return;
    for (const t of [r.born, r.named, r.deleted]) if (isTime(t) && t > last) last = t;
    for (const s of Object.values(isObject(r.worksheets) ? r.worksheets : {})) {
      for (const e of [...Object.values(s?.answers ?? {}), ...Object.values(s?.earlier ?? {})]) {
        if (isTime(e?.t) && e.t > last) last = e.t;
      }
    }
  };

  /* ---- records: checking, building, merging ---- */

  const isTombstone = (r) => isObject(r) && isTime(r.deleted);

  const isEntry = (e) =>
    isObject(e) && isTime(e.t) && isAnswer(e.v) && isText(e.label) && [e.o, e.b].every((v) => v === undefined || isTime(v));
  const isEarlier = (e) =>
    isObject(e) && isTime(e.t) && ("value" in e ? isText(e.label) && isAnswer(e.value) : !("label" in e));
  const isSheet = (s) =>
    isObject(s) &&
    isObject(s.answers) &&
    isObject(s.earlier) &&
    entries(s.answers).every(([k, e]) => ID.test(k) && isEntry(e)) &&
    entries(s.earlier).every(([k, e]) => SLOT.test(k) && isEarlier(e));

  /* Why a stored value is not a deal record (or tombstone) this code can read: a sentence, or null. */
  const problem = (r) => {
    if (!isObject(r)) return "it is not a deal at all (perhaps it was cut short)";
    if (typeof r.id !== "string" || !DEAL_ID.test(r.id)) return "its id is damaged";
    if (isTombstone(r)) return null;
    if (!isTime(r.born) || !isTime(r.named)) return "its dates are damaged";
    if (typeof r.name !== "string") return "it has no name";
    if (r.name.length > MAX_NAME) return `its name is longer than ${MAX_NAME} characters`;
    if (!isObject(r.worksheets)) return "it holds no worksheets";
    const bad = entries(r.worksheets).find(([k, s]) => !ID.test(k) || !isSheet(s));
    return bad ? `its answers to the worksheet ${Store.quoted(String(bad[0]).slice(0, 60))} are damaged` : null;
  };
  /* Whether a stored value is a deal record (or its tombstone) this code can read. */
  const check = (r) => problem(r) === null;

  const fitName = (name) => Answers.cut(name, MAX_NAME);

  const blank = (name, now = tick()) => ({ id: newId(), born: now, name: fitName(name), named: now, worksheets: dict() });

  const sheet = (record, worksheet) => {
    if (!Object.hasOwn(record.worksheets, worksheet)) {
      record.worksheets[worksheet] = { answers: dict(), earlier: dict() };
    }
    return record.worksheets[worksheet];
  };

  /* The reader typed `value` for `field`: null once it is in `record`, or why it cannot be kept (the
   * record is then unchanged). An answer the question can no longer show (its type changed in a
   * newer version) is first kept as an earlier answer, never overwritten. */
  const answer = (record, worksheet, field, value, t = tick()) => {
    const why = Answers.problem(field, value);
    if (why) return `This answer was not saved: ${why}.`;
    const s = sheet(record, worksheet.id);
    const before = own(s.answers, field.id);
    if (before && !isEmpty(before.v) && !fits(field, before.v)) {
      s.earlier[Copies.freeSlot(s.earlier, field.id)] = { label: before.label, value: before.v, t };
    }
    s.answers[field.id] = { v: value, t, label: field.label, ...(before?.b === undefined ? {} : { b: before.b }) };
    return null;
  };

  /* The reader cleared an earlier answer (`kind` "answer": one the question cannot show; "earlier"). */
  const clearEarlier = (record, worksheetId, slot, kind, t = tick()) => {
    const s = sheet(record, worksheetId);
    if (kind === "answer") s.answers[slot] = { v: "", t, label: s.answers[slot].label };
    else s.earlier[slot] = { t };
  };

  /* The reader named the deal: null, or why the name cannot be kept. */
  const rename = (record, name, t = tick()) => {
    if (typeof name !== "string" || name.length > MAX_NAME) {
      return `A deal's name can have up to ${MAX_NAME} characters, so this one was not saved.`;
    }
    record.name = name;
    record.named = t;
    return null;
  };

  const order = (a, b) => {
    if (a.t !== b.t) return a.t - b.t;
    const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  /* The entry typed last; the latest meeting with another copy (`b`, see copies.js) that either side
   * knows of stays with the answer, so an edit typed in a tab that had not heard of an export keeps it. */
  const later = (a, b) => {
    if (a === undefined || b === undefined) return a ?? b;
    const won = order(a, b) > 0 ? a : b;
    const met = Math.max(a.b ?? -1, b.b ?? -1);
    return met < 0 || won.b === met ? won : { ...won, b: met };
  };
  const mergeMaps = (a = {}, b = {}) =>
    dict([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, later(own(a, k), own(b, k))]));

  /* Two versions of one deal as one: each answer from whichever side typed it last; a deletion
   * wins over every copy made before it, so a tab that still holds the deal cannot bring it back. */
  const merge = (a, b) => {
    observe(a);
    observe(b);
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
    const named = later({ t: a.named, v: a.name }, { t: b.named, v: b.name });
    const worksheets = dict();
    for (const id of new Set([...Object.keys(a.worksheets), ...Object.keys(b.worksheets)])) {
      const [x, y] = [own(a.worksheets, id), own(b.worksheets, id)];
      worksheets[id] = { answers: mergeMaps(x?.answers, y?.answers), earlier: mergeMaps(x?.earlier, y?.earlier) };
    }
    return { id: a.id, born: Math.max(a.born, b.born), name: named.v, named: named.t, worksheets };
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

  /* A clean copy of a deal from a file, holding only what this site stores, or an error sentence.
   * Every answer this site could have saved is taken, whether or not this version's question can
   * show it (one that cannot is shown as an earlier answer), so the page's own files always import. */
  const fromFile = (r, worksheets, now) => {
    if (!isObject(r) || typeof r.name !== "string") return "a deal in it has no name";
    const name = quoted(r.name || "Untitled");
    if (r.name.length > MAX_NAME) return `the name of deal ${name} is longer than ${MAX_NAME} characters`;
    if (!isObject(r.worksheets)) return `deal ${name} holds no worksheets`;
    const record = { id: newId(), born: now, name: r.name, named: now, worksheets: dict() };
    for (const [id, s] of Object.entries(r.worksheets)) {
      const worksheet = Object.hasOwn(worksheets, id) ? worksheets[id] : null;
      if (!worksheet) return `deal ${name} holds answers for a worksheet this playbook does not have`;
      const answers = isObject(s) && s.answers === undefined ? {} : s?.answers;
      const earlier = isObject(s) && s.earlier === undefined ? {} : s?.earlier;
      if (!isObject(answers) || !isObject(earlier)) return `deal ${name} has damaged answers for the ${worksheet.title}`;
      const target = sheet(record, id);
      for (const [fid, e] of Object.entries(answers)) {
        if (!ID.test(fid) || !isObject(e) || !isAnswer(e.v)) {
          return `in deal ${name}, an answer is neither text, a tick nor rows (${worksheet.title})`;
        }
        const field = worksheet.fields.find((f) => f.id === fid);
        const label = isText(e.label) ? e.label : field ? field.label : fid; // the question as answered
        // stamped now, so no open tab's older copy wins it back; its version says where it came from
        const from = isTime(e.t) ? { o: e.t, b: e.t } : {};
        target.answers[fid] = { v: e.v, t: now, label, ...from, ...(isTime(e.b) ? { b: e.b } : {}) };
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

  /* Whatever can be read of a set-aside deal: {record, left: [what was left out]} or null. */
  const salvage = (value, now) => {
    if (!isObject(value) || !isObject(value.worksheets)) return null;
    const left = [];
    const name = typeof value.name === "string" ? value.name : "Recovered deal";
    if (name.length > MAX_NAME) left.push(`its name was cut to ${MAX_NAME} characters`);
    const id = typeof value.id === "string" && DEAL_ID.test(value.id) ? value.id : newId();
    const record = { id, born: now, name: fitName(name), named: now, worksheets: dict() };
    let dropped = 0;
    for (const [wid, s] of Object.entries(value.worksheets)) {
      if (!ID.test(wid) || !isObject(s)) {
        dropped += 1;
        continue;
      }
      const target = sheet(record, wid);
      for (const [fid, e] of entries(s.answers)) {
        if (ID.test(fid) && isObject(e) && isAnswer(e.v)) target.answers[fid] = { v: e.v, t: now, label: isText(e.label) ? e.label : fid };
        else dropped += 1;
      }
      for (const [slot, e] of entries(s.earlier)) {
        if (SLOT.test(slot) && isObject(e) && isText(e.label) && isAnswer(e.value)) {
          target.earlier[slot] = { label: e.label, value: e.value, t: now };
        } else if (!(isObject(e) && !("value" in e))) dropped += 1;
      }
    }
    if (dropped) left.push(`${dropped} damaged answer${dropped === 1 ? " was" : "s were"} left out`);
    return { record, left };
  };

  const sentence = (why) => `This file cannot be imported because ${why}, so nothing was imported.`;

  /* Read an exported file: a whole-deal file ("deals"), one worksheet's canvases from the previous
   * release, or set-aside data ("set-aside", repaired if it can be). Returns {ok: true, deals:
   * [record], left: [sentences], aside: text | null} or {ok: false, error: a sentence}. */
  const parseImport = (text, worksheets, now = tick()) => {
    try {
      return readImport(text, worksheets, now);
    } catch {
      return { ok: false, error: sentence("it is damaged") }; // belt and braces: never an uncaught error
    }
  };

  const readImport = (text, worksheets, now) => {
    const fail = (why) => ({ ok: false, error: sentence(why) });
    // (a canvases file's version is its worksheet's, which import reads whatever it is)
    const parsed = Store.parse(text, { kind: ["deals", "canvases", "set-aside"], newest: { deals: 1, "set-aside": 1 } });
    if (!parsed.ok) return parsed;
    const { kind, id, data } = parsed.envelope;
    if (kind === "set-aside") {
      if (typeof data.text !== "string") return fail("its set-aside data is missing");
      let value;
      try {
        value = JSON.parse(data.text);
      } catch {
        value = undefined;
      }
      const found = id.startsWith("deal:") ? salvage(value, now) : null;
      if (!found) return { ok: true, deals: [], left: [], aside: { key: id, text: data.text } };
      const { record, left } = found;
      for (const wid of Object.keys(record.worksheets)) {
        if (!Object.hasOwn(worksheets, wid)) {
          delete record.worksheets[wid];
          left.push(`its answers to a worksheet this playbook does not have (${Store.quoted(wid.slice(0, 60))}) were left out`);
        }
      }
      return { ok: true, deals: [record], left, aside: null };
    }
    if (kind === "canvases") {
      if (!Object.hasOwn(worksheets, id)) return fail("it belongs to a worksheet this playbook does not have");
      if (!Array.isArray(data.canvases) || !data.canvases.length) return fail("it holds no deals");
      const ids = data.canvases.map((c) => (isObject(c) ? c.id : undefined));
      if (ids.some((i) => i !== undefined && typeof i !== "string")) return fail("a deal in it has a damaged id");
      if (new Set(ids.filter(Boolean)).size !== ids.filter(Boolean).length) return fail("two deals in it have the same id");
      const deals = [];
      const seen = new Map();
      for (const c of data.canvases) {
        if (!isObject(c) || typeof c.name !== "string") return fail("a deal in it has no name");
        if (c.name.length > MAX_NAME) return fail(`the name of deal ${quoted(c.name)} is longer than ${MAX_NAME} characters`);
        if (!isObject(c.answers)) return fail(`deal ${quoted(c.name || "Untitled")} holds no answers`);
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
      return { ok: true, deals, left: [], aside: null };
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
    return { ok: true, deals, left: [], aside: null };
  };

  /* What an export file or a shared link holds: the deals, each answer with its version (cleared
   * answers too: a clearing is a change the other copy must see). */
  const forFile = (record) => ({
    id: record.id,
    name: record.name,
    worksheets: Object.fromEntries(
      Object.entries(record.worksheets).map(([id, s]) => [
        id,
        {
          answers: Object.fromEntries(
            Object.entries(s.answers).map(([k, e]) => [
              k,
              { v: e.v, label: e.label, t: Copies.version(e), ...(e.b === undefined ? {} : { b: e.b }) },
            ]),
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

  /* ---- what the worksheet pages and My deals share ---- */

  const named = (r) => r.name || "Untitled";
  const copy = (r, now = tick()) => ({
    ...structuredClone(r),
    id: newId(),
    born: now,
    name: fitName(`Copy of ${named(r)}`),
    named: now,
  });

  /* Text as part of a file name, readable in any script: only what file systems forbid (/ \ : * ? " <
   * > | and control characters) and spaces become hyphens; at most 60 characters, lower case. */
  const safeName = (text) => {
    const kept = text
      .normalize("NFC")
      .toLowerCase()
      .replace(/[\p{Cc}\p{Cf}/\\:*?"<>|\s]+/gu, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "");
    return [...kept].slice(0, 60).join("").replace(/[-.]+$/, "");
  };
  const fileName = (r) => `deal-${safeName(named(r)) || "deal"}.json`;

  /* ---- storage: the deals on this device ---- */

  const KEY = (id) => `deal:${id}`;
  const CURRENT = "negotiation-playbook:current-deal"; // sessionStorage: this tab's own deal
  const LAST = "last-deal"; // the deal picked last in any tab: where a new tab starts

  const damaged = []; // backup keys of records that could not be read, set aside this visit

  /* Every deal is written here, and only if `load` would read it back: {ok: true}, or {ok: false,
   * error: refusal(why)} with storage unchanged. */
  const put = (record, refusal = (why) => `This deal was not saved, because ${why}.`) => {
    const why = problem(record);
    return why ? { ok: false, error: refusal(why) } : Store.write(KEY(record.id), record);
  };

  const load = (id) => {
    const result = Store.load(KEY(id), check);
    if (result.state === "damaged") damaged.push(result.backup);
    observe(result.value);
    return result.value;
  };

  /* Every deal on this device, tombstones left out, in the order they were made. */
  const list = () =>
    Store.keys()
      .filter((k) => k.startsWith("deal:"))
      .map((k) => load(k.slice(5)))
      .filter((r) => r && !isTombstone(r))
      .sort((a, b) => a.born - b.born || (a.id < b.id ? -1 : 1));

  /* Save this tab's copy merged with what other tabs stored: {ok, record} or {ok: false, error}.
   * What the reader could not read back is never written: the reader is told why instead. */
  const save = (record) => {
    const merged = merge(load(record.id), record);
    if (isTombstone(merged)) return { ok: false, deleted: true, record: merged };
    const result = put(merged, (why) => `This change was not saved, because ${why}.`);
    if (!result.ok) return result;
    Store.saved();
    return { ok: true, record: merged };
  };

  /* Read a file or a link for import, writing nothing: {ok: true, deals: [{incoming, mine,
   * changes}], left, aside} or {ok: false, error}. `mine` is this device's copy of the deal (null:
   * new here), `changes` what importing would add or change in it, conflicts included (copies.js). */
  const planImport = (text, worksheets) => {
    const first = parseImport(text, worksheets, 0);
    if (!first.ok) return first;
    const mine = new Map(first.deals.map((r) => [r.id, load(r.id)])); // moves the clock past them
    const parsed = parseImport(text, worksheets, tick());
    if (!parsed.ok || parsed.aside) return { ...parsed, deals: [] };
    const deals = parsed.deals.map((incoming) => {
      const here = mine.get(incoming.id);
      const live = here && !isTombstone(here) ? here : null;
      return { incoming, mine: live, changes: live ? Copies.compare(live, incoming, worksheets) : [] };
    });
    return { ok: true, deals, left: parsed.left, aside: null };
  };

  /* Save what planImport read: {ok: true, deals: [{id, name}], left, aside} once everything is
   * saved, or {ok: false, error} with storage as it was. `choices` holds, by deal id, the reader's
   * choice for each conflict (copies.js; "both" where none was made, so nothing is lost). Set-aside
   * data that cannot be repaired is set aside again on this device (`aside`: its backup key). */
  const applyImport = (plan, worksheets, choices = {}) => {
    if (plan.aside) {
      const kept = Store.keepAside(plan.aside.key, plan.aside.text);
      return kept.ok ? { ok: true, deals: [], left: [], aside: kept.backup } : kept;
    }
    const now = tick();
    const merged = [];
    for (const { incoming, mine } of plan.deals) {
      const before = load(incoming.id); // another tab may have saved while the reader chose
      const ours = mine ? Copies.combine(mine, incoming, worksheets, own(choices, incoming.id) ?? {}, now) : Copies.markShared(incoming);
      const record = merge(before, ours);
      const name = Store.quoted(named(mine ?? incoming));
      if (isTombstone(record)) return { ok: false, error: `${name} was deleted in another tab meanwhile, so nothing was imported.` };
      // every deal checked before any is written: a refusal changes nothing
      const why = problem(record);
      if (why) return { ok: false, error: `${name} would have been saved in a form this page cannot read back (${why}), so nothing was imported.` };
      merged.push({ record, before });
    }
    const done = [];
    for (const { record, before } of merged) {
      const result = put(record);
      if (!result.ok) {
        // nothing half-imported: put back what each written deal was before
        for (const p of done) (p.before ? put(p.before) : Store.remove(KEY(p.record.id)));
        return result;
      }
      done.push({ record, before });
    }
    Store.saved();
    return { ok: true, deals: plan.deals.map(({ incoming: r }) => ({ id: r.id, name: r.name })), left: plan.left, aside: null };
  };

  /* planImport and applyImport in one step: `ask(plan)` is asked when the file holds deals this
   * device has; it answers false (cancel), true (bring in, keeping both where both changed) or the
   * choices. */
  const importText = (text, worksheets, ask) => {
    const plan = planImport(text, worksheets);
    if (!plan.ok) return plan;
    const answer = plan.deals.some((d) => d.mine) ? ask(plan) : true;
    if (!answer) return { ok: false, cancelled: true, error: "" };
    return applyImport(plan, worksheets, answer === true ? {} : answer);
  };

  /* This deal was exported or shared: each answer's version is now one another copy may hold. */
  const shared = (id) => {
    const record = load(id);
    if (!record || isTombstone(record)) return { ok: false, error: "" };
    return put(Copies.markShared(record));
  };

  /* Set-aside data back where it belongs: the file import would make of it, imported here; the
   * backup goes only once that is saved. */
  const restore = (key, worksheets, ask) => {
    const text = Store.backups().find((b) => b.key === key)?.text;
    if (text === undefined) return { ok: false, error: "That set-aside data is no longer on this device." };
    const result = importText(JSON.stringify(Store.setAsideFile(key)), worksheets, ask);
    if (result.ok && result.aside) {
      Store.removeBackup(result.aside); // the same text again: nothing in it could be repaired
      return { ok: false, error: "Nothing in this data could be repaired: export it to keep a copy, or delete it." };
    }
    if (result.ok) Store.removeBackup(key);
    return result;
  };

  /* Whether set-aside text holds a deal that `restore` can repair. */
  const repairable = (key, text) => {
    try {
      return Store.backupOf(key).startsWith("deal:") && salvage(JSON.parse(text), 0) !== null;
    } catch {
      return false;
    }
  };

  /* What a set-aside key holds and why it was set aside, as a sentence for the reader. */
  const describeBackup = (key, text) => {
    const of = Store.backupOf(key);
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return `Saved data (${of}) that is not readable at all, perhaps cut short.`;
    }
    if (!of.startsWith("deal:")) return `Saved data (${of}) in a form this version cannot read.`;
    const name = isObject(value) && typeof value.name === "string" ? ` ${Store.quoted(value.name.slice(0, 60))}` : "";
    return `A deal${name} that could not be read, because ${problem(value) ?? "it was written by another version"}.`;
  };

  const remove = (id) => put({ id, deleted: tick() });

  const session = () => {
    try {
      return globalThis.sessionStorage;
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
      const written = made.every(({ record }) => put(merge(load(record.id), record)).ok);
      if (!written) continue; // try again next visit; the old key still holds everything
      if (Store.write(`old:${key}`, old.value).ok) Store.remove(key);
      const current = made.find(({ old: id }) => id === old.value.current) ?? made[0];
      if (current) picked.set(worksheet, current.record.id);
    }
    const last = picked.get(page) ?? picked.values().next().value;
    if (last && Store.read(LAST, null) === null) Store.write(LAST, last);
    return problems;
  };

  const confirmImport = (plan) => {
    const names = plan.deals.filter((d) => d.mine).map((d) => Store.quoted(named(d.mine)));
    return globalThis.confirm(
      `This file holds a copy of ${names.join(", ")}, which you have here. Bring its changes in? Where both copies changed an answer, both are kept.`,
    );
  };
  const confirmDeleteAll = () =>
    globalThis.confirm(
      "Delete everything this site has stored in this browser: every deal, with its answers to every worksheet, and any challenge progress? This cannot be undone.",
    );

  /* The worksheet descriptions the build wrote from content/ (worksheets.js), a copy for each caller. */
  const worksheets = () => structuredClone(schema()?.worksheets ?? {});

  return {
    MAX_NAME,
    tick,
    check,
    problem,
    merge,
    answer,
    clearEarlier,
    rename,
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
    salvage,
    envelope,
    list,
    load,
    save,
    importText,
    planImport,
    applyImport,
    shared,
    restore,
    repairable,
    describeBackup,
    remove,
    current,
    pick,
    migrate,
    damaged,
    worksheets,
    key: KEY,
    named,
    copy,
    safeName,
    fileName,
    confirmImport,
    confirmDeleteAll,
  };
});
