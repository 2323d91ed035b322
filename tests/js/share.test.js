/* share.js in Node 20, which has CompressionStream and WebCrypto as browsers do: a deal's export in a
 * link and back, plain and locked; a wrong passphrase, a changed or cut link and a newer version's
 * link each get a sentence, never an exception. */
const test = require("node:test");
const assert = require("node:assert/strict");
const { profile } = require("./helpers.js");

const deal = (Deals) => {
  const sheet = Object.values(Deals.worksheets())[0];
  const record = Deals.blank("Ünïcode deal — 合同");
  for (const f of sheet.fields.filter((x) => x.type === "long-text")) Deals.answer(record, sheet, f, "Words ".repeat(200));
  return JSON.stringify(Deals.envelope([record]));
};

test("a deal goes into a link and comes back as the same text, compressed", async () => {
  const { Deals, Share } = profile();
  const text = deal(Deals);
  const code = await Share.encode(text);
  assert.match(code, /^1\.p\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]+$/);
  assert.ok(code.length < text.length / 3, "compressed");
  assert.equal(Share.locked(code), false);
  assert.deepEqual(await Share.decode(code), { ok: true, text });
});

test("with a passphrase the link is sealed: the right one opens it, a wrong one gets a sentence", async () => {
  const { Deals, Share } = profile();
  const text = deal(Deals);
  const code = await Share.encode(text, "correct horse");
  assert.match(code, /^1\.e\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.equal(Share.locked(code), true);
  assert.ok(Share.ITERATIONS >= 600000);
  assert.notEqual(code, await Share.encode(text, "correct horse"), "a new salt and nonce every time");
  assert.deepEqual(await Share.decode(code, "correct horse"), { ok: true, text });
  const wrong = await Share.decode(code, "correct hose");
  assert.equal(wrong.ok, false);
  assert.match(wrong.error, /passphrase does not open this link/);
  assert.match((await Share.decode(code)).error, /locked with a passphrase/);
});

test("a changed, cut or foreign link, and one from a newer version, are refused with a sentence", async () => {
  const { Deals, Share } = profile();
  const text = deal(Deals);
  const plain = await Share.encode(text);
  const sealed = await Share.encode(text, "pass");
  const flip = (code, at) => code.slice(0, at) + (code[at] === "A" ? "B" : "A") + code.slice(at + 1);
  const damaged = [
    flip(plain, Math.floor(plain.length / 2)),
    plain.slice(0, -40),
    `${plain}!`,
    "1.p.",
    "1.x.abc",
    "garbage",
    "",
    "1.e.abc.def.ghi",
  ];
  for (const code of damaged) {
    const result = await Share.decode(code, "pass");
    assert.equal(result.ok, false, code.slice(0, 40));
    assert.match(result.error, /nothing was imported|passphrase/, code.slice(0, 40));
  }
  const tampered = await Share.decode(flip(sealed, sealed.length - 10), "pass");
  assert.match(tampered.error, /does not open this link \(or the link was changed on the way\)/);
  const newer = await Share.decode(`2${plain.slice(1)}`);
  assert.match(newer.error, /newer version of the playbook/);
});

test("a link longer than the site makes, or one that inflates past what import reads, is refused as a link", async () => {
  const { Share, Store } = profile();
  const zlib = require("node:zlib");
  const crypto = require("node:crypto");
  const b64 = (bytes) => Buffer.from(bytes).toString("base64url");
  /* a plain link to `size` bytes of spaces, as a site would make it if it had no limits */
  const bomb = (size) => {
    const packed = zlib.deflateRawSync(Buffer.alloc(size, 32), { level: 9 });
    return `1.p.${b64(crypto.createHash("sha256").update(packed).digest().subarray(0, 9))}.${b64(packed)}`;
  };
  const LARGE = /^This link holds more than the playbook ever puts in a link .*nothing was imported\./;
  const long = bomb(8 * 1024 * 1024);
  assert.ok(long.length > Share.LIMIT);
  assert.match((await Share.decode(long)).error, LARGE);
  // within the length a link may have, 5.3 MiB of text: more than import reads, refused while inflating
  const small = bomb(Math.round(5.3 * 1024 * 1024));
  assert.ok(small.length <= Share.LIMIT && 5.3 * 1024 * 1024 > Store.MAX_IMPORT);
  assert.match((await Share.decode(small)).error, LARGE);
  const sealed = await Share.encode(" ".repeat(5.3 * 1024 * 1024), "pass");
  assert.ok(sealed.length <= Share.LIMIT);
  assert.match((await Share.decode(sealed, "pass")).error, LARGE);
  // right at the limit still opens
  const text = " ".repeat(Store.MAX_IMPORT);
  assert.deepEqual(await Share.decode(await Share.encode(text)), { ok: true, text });
});
