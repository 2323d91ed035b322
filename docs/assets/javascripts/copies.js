/* A colleague's copy of a deal brought back: compared with mine answer by answer, nothing overwritten
 * unseen. (deals.js reads files and links and writes the result; this module only decides.)
 *
 * "Since they split." Each answer is a version: `o` (where it came from, when it was taken verbatim
 * from another copy) or else `t`, its stamp here. Each answer also remembers `b`, the version it
 * had when this copy last met another one: when the deal was exported or shared from here
 * (`markShared`), or when a copy was brought in. A file or link carries each answer's version and
 * `b`. So for one answer, mine (m) and theirs (x):
 *   same value                      nothing to do
 *   x is m's version, or m.b        they hold what I had when we last met: only I changed, keep mine
 *   m's version is x.b              I hold what they had when we last met: only they changed, take theirs
 *   anything else                   both changed since they split, or no one knows: a conflict,
 *                                   shown side by side; the reader keeps mine, theirs, or both
 * An answer only one side has is kept (theirs is added). Earlier answers are never compared: theirs
 * that I do not hold are added beside mine. A copy with no versions (an older file) has only
 * conflicts where the values differ: nothing is taken on trust.
 *
 * PlaybookCopies (pure, loads in a page after answers.js, and in Node):
 *   version(entry)                         the version id of a stored answer
 *   compare(mine, theirs, worksheets)      [{sheet, id, label, field, kind, mine, theirs}], kind one of
 *                                          "add" | "change" | "conflict" | "name"; nothing for "keep"
 *   combine(mine, theirs, worksheets, choices, now)
 *                                          the deal after the import: choices maps "<sheet>/<id>" (or
 *                                          "name") to "mine" | "theirs" | "both" (default "both":
 *                                          nothing lost); every changed answer is stamped `now`
 *   both(field, a, b)                      the two answers as one the question can hold, or null
 *   freeSlot(earlier, id)                  where an earlier answer for `id` (a field id or a slot) can
 *                                          go: itself if free, else "<field id>~<n>" from 2 (past ~9999
 *                                          no slot is left, and the record this gives is refused)
 *   markShared(record)                     b := version for every answer: a copy now exists elsewhere
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make(require("./store.js"), require("./answers.js"));
  else root.PlaybookCopies = make(root.PlaybookStore, root.PlaybookAnswers);
})(globalThis, (Store, Answers) => {
  const { isObject } = Store;
  const own = (object, key) => (isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  const version = (e) => e.o ?? e.t;

  /* How one answer of theirs meets mine: "keep" | "add" | "change" | "conflict" (see above). */
  const meet = (m, x) => {
    if (x === undefined || (m === undefined && Answers.isEmpty(x.v))) return "keep";
    if (m === undefined) return "add";
    if (same(m.v, x.v)) return "keep";
    // (one version with two values: two devices stamped the same millisecond; no one knows which is newer)
    if (version(x) === m.b && version(x) !== version(m)) return "keep";
    if (x.b !== undefined && version(m) === x.b) return Answers.isEmpty(m.v) ? "add" : "change";
    return Answers.isEmpty(m.v) ? "add" : Answers.isEmpty(x.v) ? "keep" : "conflict";
  };

  const fieldOf = (worksheet, id) => worksheet?.fields.find((f) => f.id === id);

  const compare = (mine, theirs, worksheets) => {
    const found = [];
    if (mine.name !== theirs.name) found.push({ sheet: null, id: "name", label: "Name", kind: "name", mine: mine.name, theirs: theirs.name });
    for (const [sheetId, s] of Object.entries(theirs.worksheets)) {
      const worksheet = own(worksheets, sheetId);
      const here = own(mine.worksheets, sheetId);
      for (const [id, x] of Object.entries(s.answers)) {
        const m = own(here?.answers, id);
        const kind = meet(m, x);
        if (kind === "keep") continue;
        const field = fieldOf(worksheet, id);
        found.push({ sheet: sheetId, id, label: field?.label ?? x.label, field, kind, mine: m?.v, theirs: x.v });
      }
      for (const [slot, e] of Object.entries(s.earlier)) {
        if (!("value" in e)) continue;
        const held = Object.values(here?.earlier ?? {}).some((k) => "value" in k && same(k.value, e.value));
        if (!held) found.push({ sheet: sheetId, id: slot, label: e.label, kind: "earlier", theirs: e.value });
      }
    }
    return found;
  };

  const TEXT_JOIN = { text: " / ", "long-text": "\n\n" };

  /* Both answers as one that the question can still hold: texts joined, rows one after the other. */
  const both = (field, a, b) => {
    if (!field) return null;
    let value = null;
    if (Object.hasOwn(TEXT_JOIN, field.type) && typeof a === "string" && typeof b === "string") value = `${a}${TEXT_JOIN[field.type]}${b}`;
    else if (field.type === "rows" && Array.isArray(a) && Array.isArray(b)) value = [...a, ...b];
    return value !== null && Answers.fits(field, value) ? value : null;
  };

  const freeSlot = (earlier, id) => {
    const base = id.replace(/~[0-9]+$/, ""); // "date~2" taken: "date~3", never "date~2~2"
    let slot = id;
    for (let n = 2; Object.hasOwn(earlier, slot) && "value" in earlier[slot]; n += 1) slot = `${base}~${n}`;
    return slot;
  };
  const THEIRS = " (their copy)";

  const combine = (mine, theirs, worksheets, choices, now) => {
    const record = structuredClone(mine);
    const chosen = (key) => own(choices, key) ?? "both";
    for (const item of compare(mine, theirs, worksheets)) {
      if (item.kind === "name") {
        if (chosen("name") === "theirs") [record.name, record.named] = [theirs.name, now];
        continue;
      }
      // (a clone has Object's prototype: a worksheet called "constructor" must not find Object there)
      if (!Object.hasOwn(record.worksheets, item.sheet)) record.worksheets[item.sheet] = { answers: Object.create(null), earlier: Object.create(null) };
      const s = record.worksheets[item.sheet];
      const x = theirs.worksheets[item.sheet];
      if (item.kind === "earlier") {
        s.earlier[freeSlot(s.earlier, item.id)] = { ...x.earlier[item.id], t: now };
        continue;
      }
      const m = own(s.answers, item.id);
      const e = x.answers[item.id];
      const taken = { v: e.v, t: now, label: e.label, o: version(e), b: version(e) };
      const kept = m && { v: m.v, t: now, label: m.label, o: version(m), b: version(e) };
      if (item.kind !== "conflict") s.answers[item.id] = taken;
      else if (chosen(`${item.sheet}/${item.id}`) === "theirs") s.answers[item.id] = taken;
      else if (chosen(`${item.sheet}/${item.id}`) === "mine") s.answers[item.id] = kept;
      else {
        const joined = both(item.field, m.v, e.v);
        if (joined !== null) s.answers[item.id] = { v: joined, t: now, label: m.label, b: version(e) };
        else {
          // one answer only fits the question: mine stays, theirs is kept beside it as an earlier answer
          s.answers[item.id] = kept;
          const label = `${Answers.cut(e.label, Answers.rules.text - THEIRS.length)}${THEIRS}`;
          s.earlier[freeSlot(s.earlier, item.id)] = { label, value: e.v, t: now };
        }
      }
    }
    return record;
  };

  const markShared = (record) => {
    for (const s of Object.values(record.worksheets)) {
      for (const e of Object.values(s.answers)) e.b = version(e);
    }
    return record;
  };

  return { version, compare, combine, both, freeSlot, markShared };
});
