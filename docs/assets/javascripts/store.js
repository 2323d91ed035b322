/* On-device storage for the playbook: nothing a reader types ever leaves their browser.
 *
 * window.PlaybookStore, shared by the worksheets and the challenge:
 *
 *   read(key, fallback)        the JSON value stored under the site's namespace + key, or `fallback`
 *                              when there is none or it cannot be read.
 *   write(key, value)          stores `value` as JSON. Returns {ok: true} or {ok: false, error} when
 *                              the browser refuses (storage full, private mode, storage disabled):
 *                              callers must show `error`, since the reader's work is not saved.
 *   remove(key)                deletes one key; same result shape as write().
 *   probe()                    whether this browser lets the site store anything, as write()
 *                              reports it: call it on load to warn before the reader types.
 *   keys()                     every key this site stored on this device (without the namespace).
 *   load(key, check)           {state: "empty" | "ok" | "damaged", value, backup}. Text that is not
 *                              JSON, or a value `check(value)` rejects (or throws on), is moved to a
 *                              free backup key ("backup:<key>:<n>", never an existing one) before
 *                              anything can overwrite it; `backup` names it (null if even that
 *                              failed, in which case the damaged text stays where it was).
 *   backups()                  [{key, text}] of every backup set aside; removeBackup(key).
 *   watch(key, callback)       callback(value, key) when another tab or window changes that key
 *                              (value null when it was removed, "delete all" included), so a page
 *                              follows newer work instead of overwriting it. A key ending in "*"
 *                              watches every key with that prefix.
 *   clearAll()                 "delete all my data on this device": removes every key of the
 *                              namespace and nothing else; returns the number removed, or -1 if
 *                              storage is unavailable. Other tabs hear null for each key.
 *   saved()                    call after every successful save: the first one asks the browser
 *                              to keep the site's storage (navigator.storage.persist()), and it
 *                              notes that there are changes no exported file holds yet.
 *   exported()                 call after a file export: the changes are now in a copy.
 *   keepNote(element)          keeps `element` (a web-only status line) saying whether the browser
 *                              keeps this data or may clear it, and suggesting an export when
 *                              answers changed more than a week after (or without) a saved copy.
 *   envelope(kind, id, version, data)
 *                              the export format: {format: "negotiation-playbook", kind, id,
 *                              version, exported: ISO date, data}.
 *   download(filename, value)  saves `value` as a pretty-printed JSON file (works from file://).
 *   saveFile(filename, text, type)
 *                              saves any text as a file of that media type (the challenge's .ics).
 *   parse(text, {kind, id, newest})
 *                              reads an imported file as untrusted input. Returns
 *                              {ok: true, envelope} or {ok: false, error: "a sentence for the reader"}.
 *                              It checks the JSON, the format, the kind (one, or a list of those
 *                              accepted), (if given) the id, and the version: a whole number, at
 *                              most `newest[kind]` where the page names the newest it reads; it
 *                              never writes to storage, so a bad file cannot change saved work.
 *   setAsideFile(key)          a backup as an export file ({kind: "set-aside", id: key, data: {text}})
 *                              that the page it came from imports again, so set-aside data can
 *                              always come back, on this device or another.
 *   keepAside(key, text)       stores text under a new backup key for `key` (an imported set-aside
 *                              file that could not be repaired): {ok, backup} or {ok: false, error}.
 *   onReturn(callback)         calls back when the page may show stale storage: when it comes back
 *                              from the back/forward cache (its DOM as it was) and when it becomes
 *                              visible again (another tab may have changed storage meanwhile).
 *   isObject(v)                a plain object, not null or an array: the check every module shares.
 *   MAX_IMPORT                 the longest text parse reads (characters): links are held to it too.
 *
 * Pure where it can be: parse, envelope and isObject need no page; the rest reads
 * globalThis.localStorage, so tests in Node give it a stand-in.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make();
  else root.PlaybookStore = make();
})(globalThis, () => {
  const FORMAT = "negotiation-playbook";
  const NAMESPACE = `${FORMAT}:`;
  const MAX_IMPORT = 5 * 1024 * 1024; // far beyond any real export; refuses files that are not ours

  const storage = () => {
    try {
      return globalThis.localStorage; // throws when storage is disabled for file:// or by policy
    } catch {
      return null;
    }
  };

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  const refused = (err) => ({
    ok: false,
    error:
      err && (err.name === "QuotaExceededError" || err.code === 22)
        ? "Your browser's storage for this site is full, so this change was not saved."
        : "Your browser refused to store data for this site (private mode or storage turned off), so nothing you type here is kept after you close the page.",
  });

  const read = (key, fallback) => {
    try {
      const text = storage().getItem(NAMESPACE + key);
      return text === null ? fallback : JSON.parse(text);
    } catch {
      return fallback;
    }
  };

  const write = (key, value) => {
    try {
      storage().setItem(NAMESPACE + key, JSON.stringify(value));
      return { ok: true };
    } catch (err) {
      return refused(err);
    }
  };

  const remove = (key) => {
    try {
      storage().removeItem(NAMESPACE + key);
      return { ok: true };
    } catch (err) {
      return refused(err);
    }
  };

  const probe = () => {
    const result = write("probe", 1);
    return result.ok ? remove("probe") : result;
  };

  const keys = () => {
    const store = storage();
    if (!store) return [];
    const found = [];
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key && key.startsWith(NAMESPACE)) found.push(key.slice(NAMESPACE.length));
    }
    return found;
  };

  const raw = (key) => {
    try {
      return storage().getItem(NAMESPACE + key);
    } catch {
      return null;
    }
  };

  const writeText = (key, text) => {
    try {
      storage().setItem(NAMESPACE + key, text);
      return { ok: true };
    } catch (err) {
      return refused(err);
    }
  };

  const BACKUP = "backup:";

  const freeBackup = (key) => {
    let n = 1;
    while (raw(`${BACKUP}${key}:${n}`) !== null) n += 1;
    return `${BACKUP}${key}:${n}`;
  };

  /* Set damaged text aside under a key no one uses yet; the original goes only once the copy is safe. */
  const setAside = (key, text) => {
    const backup = freeBackup(key);
    if (!writeText(backup, text).ok) return null;
    remove(key);
    return backup;
  };

  const keepAside = (key, text) => {
    const backup = freeBackup(key);
    const result = writeText(backup, text);
    return result.ok ? { ok: true, backup } : result;
  };

  const load = (key, check = () => true) => {
    const text = raw(key);
    if (text === null) return { state: "empty", value: null, backup: null };
    try {
      const value = JSON.parse(text);
      if (check(value)) return { state: "ok", value, backup: null };
    } catch {
      // not JSON, or a check that could not read it: damaged either way
    }
    return { state: "damaged", value: null, backup: setAside(key, text) };
  };

  const backups = () =>
    keys()
      .filter((key) => key.startsWith(BACKUP))
      .sort()
      .map((key) => ({ key, text: raw(key) ?? "" }));

  const removeBackup = (key) => (key.startsWith(BACKUP) ? remove(key) : { ok: false, error: "Not a backup." });

  const parsed = (text) => {
    try {
      return text === null ? null : JSON.parse(text);
    } catch {
      return undefined; // unreadable: let the page load() it and set it aside
    }
  };

  const watch = (key, callback) => {
    const prefix = key.endsWith("*") ? NAMESPACE + key.slice(0, -1) : null;
    globalThis.addEventListener("storage", (event) => {
      if (event.storageArea !== storage()) return; // sessionStorage changes are the tab's own
      if (event.key === null) return callback(null, key); // the whole storage was cleared
      const matches = prefix ? event.key.startsWith(prefix) : event.key === NAMESPACE + key;
      if (matches) callback(parsed(event.newValue), event.key.slice(NAMESPACE.length));
    });
  };

  const clearAll = () => {
    if (!storage()) return -1;
    const found = keys();
    for (const key of found) remove(key);
    refreshNotes();
    return found.length;
  };

  /* ---- eviction: ask to keep the data, and suggest a copy when none is recent ---- */

  const COPIES = "copies"; // {changed: time of the first change no export holds, exported: time}
  const WEEK = 7 * 24 * 3600 * 1000;
  let asked = false;
  const notes = new Set();

  const saved = () => {
    const copies = read(COPIES, null);
    if (!isObject(copies) || typeof copies.changed !== "number") {
      write(COPIES, { ...(isObject(copies) ? copies : {}), changed: Date.now() });
    }
    if (!asked && globalThis.navigator?.storage?.persist) {
      asked = true;
      navigator.storage.persist().then(refreshNotes, refreshNotes);
    }
  };

  const exported = () => {
    write(COPIES, { exported: Date.now() });
    refreshNotes();
  };

  /* A copy is due when something changed that no file holds, and the last copy (or that change) is a week old. */
  const copyDue = () => {
    const copies = read(COPIES, null);
    if (!isObject(copies) || typeof copies.changed !== "number") return false;
    const since = typeof copies.exported === "number" ? copies.exported : copies.changed;
    return Date.now() - since > WEEK;
  };

  async function refreshNotes() {
    let kept = false;
    try {
      kept = Boolean(await globalThis.navigator?.storage?.persisted?.());
    } catch {
      kept = false;
    }
    const text = [
      kept
        ? "Your browser keeps this site's data until you delete it."
        : "Your browser may clear this site's data when space runs short or after some weeks without a visit: export a copy to keep it safe.",
      copyDue() ? "Your answers changed and your last copy is more than a week old (or you have none): export a copy now." : "",
    ];
    for (const element of notes) {
      if (!element.isConnected) notes.delete(element);
      else element.textContent = text.filter(Boolean).join(" ");
    }
  }

  const keepNote = (element) => {
    notes.add(element);
    refreshNotes();
  };

  const envelope = (kind, id, version, data) => ({
    format: FORMAT,
    kind,
    id,
    version,
    exported: new Date().toISOString(),
    data,
  });

  const saveFile = (filename, text, type) => {
    const blob = new Blob([text], { type });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  const download = (filename, value) =>
    saveFile(filename, `${JSON.stringify(value, null, 2)}\n`, "application/json");

  /* The original key of a backup ("backup:deal:x:2" -> "deal:x"), and the backup as a file. */
  const backupOf = (key) => key.slice(BACKUP.length).replace(/:[0-9]+$/, "");
  const setAsideFile = (key) => envelope("set-aside", backupOf(key), 1, { text: raw(key) ?? "" });

  const onReturn = (callback) => {
    globalThis.addEventListener("pageshow", (event) => event.persisted && callback());
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && callback());
  };

  const parse = (text, expected) => {
    const fail = (error) => ({ ok: false, error });
    if (typeof text !== "string" || text.length > MAX_IMPORT) {
      return fail("This file is too large to be a playbook export, so nothing was imported.");
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return fail("This file is not a playbook export (it is not valid JSON), so nothing was imported.");
    }
    if (!isObject(value) || value.format !== FORMAT) {
      return fail("This file is not a playbook export, so nothing was imported.");
    }
    // a file's values are shown only if they are short strings: anything else may not even convert to text
    const named = (v) => (typeof v === "string" && v.length <= 60 ? v : "other");
    const kinds = [expected.kind].flat();
    if (!kinds.includes(value.kind)) {
      return fail(`This file holds ${named(value.kind)} data, not ${kinds[0]}, so nothing was imported.`);
    }
    if (typeof value.id !== "string" || (expected.id !== undefined && value.id !== expected.id)) {
      return fail(
        `This file belongs to ${quoted(named(value.id))}, not to this page ("${expected.id}"), so nothing was imported.`,
      );
    }
    if (!Number.isInteger(value.version) || value.version < 1 || !isObject(value.data)) {
      return fail("This file is incomplete or damaged (no version it can read, or no data), so nothing was imported.");
    }
    // the words a link from a newer version gets (share.js)
    if (Object.hasOwn(expected.newest ?? {}, value.kind) && value.version > expected.newest[value.kind]) {
      return fail(
        "This file was made by a newer version of the playbook than this site (import it where the playbook is up to date), so nothing was imported.",
      );
    }
    return { ok: true, envelope: value };
  };

  /* A name or id from a reader or a file, in a sentence: in quotes, and isolated for direction
   * (U+2068 ... U+2069), so that a name in a right-to-left script, or one holding a direction
   * override such as U+202E, cannot turn the words around it. */
  const quoted = (text) => `"\u2068${text}\u2069"`;

  return {
    MAX_IMPORT,
    quoted,
    isObject,
    read,
    write,
    remove,
    probe,
    keys,
    load,
    backups,
    removeBackup,
    watch,
    clearAll,
    saved,
    exported,
    keepNote,
    envelope,
    download,
    saveFile,
    parse,
    backupOf,
    setAsideFile,
    keepAside,
    onReturn,
  };
});
