/* store.js: keys of the site's namespace only, damaged values set aside (never overwritten), files
 * read as untrusted input, set-aside data as a file that comes back. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile, MemoryStorage } = require("./helpers.js");

const NS = "negotiation-playbook:";

test("keeps its own keys and deletes only them", () => {
  const { Store, storage } = profile();
  storage.setItem("someone-else", "keep me");
  assert.deepEqual(Store.write("canvas:x", { a: [1, "two"] }), { ok: true });
  assert.deepEqual(Store.write("challenge", 3), { ok: true });
  assert.deepEqual(Store.read("canvas:x", null), { a: [1, "two"] });
  assert.equal(Store.read("missing", "fallback"), "fallback");
  assert.deepEqual(Store.keys().sort(), ["canvas:x", "challenge"]);
  assert.equal(Store.clearAll(), 2);
  assert.deepEqual(Store.keys(), []);
  assert.equal(storage.getItem("someone-else"), "keep me");
});

test("a full storage is reported, in a sentence", () => {
  const { Store } = profile(new MemoryStorage(40));
  const result = Store.write("k", "x".repeat(100));
  assert.equal(result.ok, false);
  assert.match(result.error, /full/);
});

test("load sets damaged text aside and never overwrites a backup", () => {
  const { Store, storage } = profile();
  assert.deepEqual(Store.load("k", () => true), { state: "empty", value: null, backup: null });
  storage.setItem(`${NS}k`, "{not json");
  assert.deepEqual(Store.load("k", () => true), { state: "damaged", value: null, backup: "backup:k:1" });
  assert.equal(Store.read("k", "gone"), "gone");
  Store.write("k", [1, 2]);
  assert.equal(Store.load("k", (v) => !Array.isArray(v)).backup, "backup:k:2");
  Store.write("k", { a: 1 });
  assert.equal(Store.load("k", (v) => v.a.b.c).backup, "backup:k:3");
  assert.deepEqual(Store.backups(), [
    { key: "backup:k:1", text: "{not json" },
    { key: "backup:k:2", text: "[1,2]" },
    { key: "backup:k:3", text: '{"a":1}' },
  ]);
  assert.deepEqual(Store.removeBackup("backup:k:2"), { ok: true });
  assert.equal(Store.removeBackup("k").ok, false);
});

test("a damaged value stays put when its backup cannot be written", () => {
  const storage = new MemoryStorage(30);
  storage.map.set(`${NS}k`, "oops");
  const { Store } = profile(storage);
  assert.deepEqual(Store.load("k", () => true), { state: "damaged", value: null, backup: null });
  assert.equal(storage.getItem(`${NS}k`), "oops");
});

test("parse turns bad files into sentences, and never throws", () => {
  const { Store } = profile();
  const cases = [
    ["not json {", "not valid JSON"],
    ['["a list"]', "not a playbook export, so nothing"],
    ['{"format": "other-app", "kind": "canvases"}', "not a playbook export, so nothing"],
    ['{"format": "negotiation-playbook", "kind": "challenge", "id": "x"}', "holds challenge data"],
    ['{"format": "negotiation-playbook", "kind": "canvases", "id": "other"}', 'belongs to "\u2068other\u2069"'],
    ['{"format": "negotiation-playbook", "kind": "canvases", "id": "x", "version": 1}', "incomplete"],
    ['{"format": "negotiation-playbook", "kind": {"toString": 1}, "id": "x"}', "nothing was imported"],
    ['{"format": "negotiation-playbook", "kind": "canvases", "id": {"toString": {}}}', "nothing was imported"],
  ];
  for (const [text, expected] of cases) {
    const result = Store.parse(text, { kind: "canvases", id: "x" });
    assert.equal(result.ok, false, text);
    assert.ok(result.error.includes(expected), `${text}: ${result.error}`);
  }
  const ok = Store.parse(JSON.stringify(Store.envelope("canvases", "x", 2, { n: 1 })), { kind: ["deals", "canvases"] });
  assert.deepEqual(ok.envelope.data, { n: 1 });
});

test("set-aside data exports as a file that parses back, text as it was", () => {
  const { Store, storage } = profile();
  storage.setItem(`${NS}deal:abc`, "{half a deal");
  const { backup } = Store.load("deal:abc", () => true);
  assert.equal(Store.backupOf(backup), "deal:abc");
  const file = JSON.stringify(Store.setAsideFile(backup));
  const parsed = Store.parse(file, { kind: ["deals", "set-aside"] });
  assert.equal(parsed.ok, true);
  assert.deepEqual([parsed.envelope.id, parsed.envelope.data.text], ["deal:abc", "{half a deal"]);
  const kept = Store.keepAside("deal:abc", "again");
  assert.deepEqual(kept, { ok: true, backup: "backup:deal:abc:2" });
});
