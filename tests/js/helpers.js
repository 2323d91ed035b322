/* Shared by the Node tests: the generated schema, a storage stand-in, and a fresh "profile".
 *
 * The schema is the script the build generates (tests/test_js.py writes it for the small test tree
 * and names it in PLAYBOOK_SCHEMA), so the tests check the rules the browser gets, not a copy.
 */
const assert = require("node:assert/strict");
const path = require("node:path");

const SCRIPTS = path.resolve(__dirname, "../../docs/assets/javascripts");
const SCHEMA = process.env.PLAYBOOK_SCHEMA;
assert.ok(SCHEMA, "PLAYBOOK_SCHEMA names the generated worksheets.js: run these through tests/test_js.py");

/* localStorage as a browser has it: strings under keys, in insertion order, with a quota. */
class MemoryStorage {
  constructor(quota = Infinity) {
    this.map = new Map();
    this.quota = quota;
  }
  get length() {
    return this.map.size;
  }
  key(i) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k) {
    return this.map.has(k) ? this.map.get(k) : null;
  }
  setItem(k, v) {
    const size = () => [...this.map].reduce((n, [key, value]) => n + (key === k ? 0 : key.length + value.length), 0);
    if (this.quota !== Infinity && size() + k.length + String(v).length > this.quota) {
      throw Object.assign(new Error("full"), { name: "QuotaExceededError" });
    }
    this.map.set(k, String(v));
  }
  removeItem(k) {
    this.map.delete(k);
  }
}

/* A new browser profile: empty storage, and the modules loaded anew (their clocks and lists too).
 * Modules read globalThis.localStorage as they go, so a test that goes back to an earlier profile
 * sets it back first. */
const profile = (storage = new MemoryStorage()) => {
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(SCRIPTS) || key === require.resolve(SCHEMA)) delete require.cache[key];
  }
  globalThis.localStorage = storage;
  globalThis.sessionStorage = new MemoryStorage();
  require(SCHEMA);
  const load = (name) => require(path.join(SCRIPTS, name));
  return {
    storage,
    schema: globalThis.PlaybookSchema,
    Store: load("store.js"),
    Numbers: load("numbers.js"),
    Answers: load("answers.js"),
    Copies: load("copies.js"),
    Deals: load("deals.js"),
    Challenge: load("challenge-progress.js"),
    Ics: load("ics.js"),
    Share: load("share.js"),
    Timeline: load("timeline.js"),
  };
};

/* Date.now() reads `now.t` while `fn` runs: a device clock a test can move both ways. */
const withClock = (start, fn) => {
  const real = Date.now;
  const now = { t: start };
  Date.now = () => now.t;
  try {
    return fn(now);
  } finally {
    Date.now = real;
  }
};

module.exports = { MemoryStorage, profile, withClock, SCRIPTS };
