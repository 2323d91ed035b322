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
 *   watch(key, callback)       calls callback() when another tab or window changes that key, so a
 *                              page can reload its state instead of overwriting newer work.
 *   clearAll()                 "delete all my data on this device": removes every key of the
 *                              namespace and nothing else; returns the number removed, or -1 if
 *                              storage is unavailable.
 *   envelope(kind, id, version, data)
 *                              the export format: {format: "negotiation-playbook", kind, id,
 *                              version, exported: ISO date, data}.
 *   download(filename, value)  saves `value` as a pretty-printed JSON file (works from file://).
 *   saveFile(filename, text, type)
 *                              saves any text as a file of that media type (the challenge's .ics).
 *   parse(text, {kind, id})    reads an imported file as untrusted input. Returns
 *                              {ok: true, envelope} or {ok: false, error: "a sentence for the reader"}.
 *                              It checks the JSON, the format, the kind and (if given) the id; it
 *                              never writes to storage, so a bad file cannot change saved work.
 */
(() => {
  const FORMAT = "negotiation-playbook";
  const NAMESPACE = `${FORMAT}:`;
  const MAX_IMPORT = 5 * 1024 * 1024; // far beyond any real export; refuses files that are not ours

  const storage = () => {
    try {
      return window.localStorage; // throws when storage is disabled for file:// or by policy
    } catch {
      return null;
    }
  };

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

  const watch = (key, callback) =>
    window.addEventListener("storage", (event) => {
      if (event.key === NAMESPACE + key) callback();
    });

  const clearAll = () => {
    if (!storage()) return -1;
    const found = keys();
    for (const key of found) remove(key);
    return found.length;
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

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

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
      return fail("This file was not exported from the Negotiation Playbook, so nothing was imported.");
    }
    if (value.kind !== expected.kind) {
      return fail(`This file holds ${String(value.kind)} data, not ${expected.kind}, so nothing was imported.`);
    }
    if (typeof value.id !== "string" || (expected.id !== undefined && value.id !== expected.id)) {
      return fail(
        `This file belongs to "${String(value.id)}", not to this page ("${expected.id}"), so nothing was imported.`,
      );
    }
    if (!["string", "number"].includes(typeof value.version) || !isObject(value.data)) {
      return fail("This file is incomplete or damaged (no version or no data), so nothing was imported.");
    }
    return { ok: true, envelope: value };
  };

  window.PlaybookStore = { read, write, remove, probe, keys, watch, clearAll, envelope, download, saveFile, parse };
})();
