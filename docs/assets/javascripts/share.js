/* A deal in a link: the export file's text, compressed, in the address's #fragment, which browsers
 * never send to a server. With a passphrase it is encrypted first, so that a link kept by a chat
 * tool shows nothing to whoever reads that chat later without the passphrase.
 *
 * PlaybookShare (pure: no page, no storage; loads unchanged in a page and in Node 20, which has
 * CompressionStream and WebCrypto as browsers do):
 *   KEY                    the fragment's name: a link ends "#deal=<code>"
 *   LIMIT                  the longest link made (characters): chat tools and browsers cut longer ones
 *   encode(text, passphrase)  Promise of the code: "1.p.<check>.<data>" or, with a passphrase,
 *                          "1.e.<salt>.<iv>.<data>"; data is deflate-raw (CompressionStream), then
 *                          AES-GCM with a key made by PBKDF2-SHA-256 over ITERATIONS rounds and a
 *                          random salt; every part base64url. A plain link's check (the first 9
 *                          bytes of the data's SHA-256) finds a link changed or cut on the way;
 *                          AES-GCM's tag does that for a sealed one
 *   locked(code)           whether opening it needs a passphrase
 *   decode(code, passphrase)  Promise of {ok: true, text} or {ok: false, error: a sentence}: a wrong
 *                          passphrase, a changed or cut link, a link from a newer version, and one
 *                          longer than LIMIT or holding more than import reads (store.js MAX_IMPORT)
 *                          each get their sentence, never an exception
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make(require("./store.js"));
  else root.PlaybookShare = make(root.PlaybookStore);
})(globalThis, (Store) => {
  const KEY = "deal";
  const VERSION = 1;
  const LIMIT = 8000;
  const ITERATIONS = 600_000; // OWASP's figure for PBKDF2-HMAC-SHA256 (2023)

  const toBase64 = (bytes) => {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const fromBase64 = (text) => {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  };

  const through = async (bytes, transform) =>
    new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(transform)).arrayBuffer());

  /* The inflated bytes, or null once they pass `max`: reading stops there, since a link of a few
   * kilobytes can inflate to gigabytes. */
  const inflate = async (packed, max) => {
    const reader = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    const chunks = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.length;
      if (size > max) {
        await reader.cancel();
        return null;
      }
      chunks.push(read.value);
    }
    return new Uint8Array(await new Blob(chunks).arrayBuffer());
  };

  const keyFrom = async (passphrase, salt) => {
    const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
  };

  const check = async (bytes) => toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).subarray(0, 9));

  const encode = async (text, passphrase = "") => {
    const packed = await through(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
    if (!passphrase) return `${VERSION}.p.${await check(packed)}.${toBase64(packed)}`;
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFrom(passphrase, salt), packed));
    return [VERSION, "e", toBase64(salt), toBase64(iv), toBase64(sealed)].join(".");
  };

  const locked = (code) => typeof code === "string" && code.split(".")[1] === "e";

  const DAMAGED = "This link is damaged: it was changed or cut short on the way (chat tools sometimes cut long links), so nothing was imported. Ask for the link again, or for an exported file.";
  const NEWER =
    "This link was made by a newer version of the playbook than this site, so nothing was imported. Ask for an exported file instead, or open the link where the playbook is up to date.";
  const LARGE =
    "This link holds more than the playbook ever puts in a link (it was not made by this site, or was changed on the way), so nothing was imported. Ask for an exported file instead.";
  const WRONG = "That passphrase does not open this link (or the link was changed on the way), so nothing was imported. Check the passphrase and try again.";

  const decode = async (code, passphrase = "") => {
    const fail = (error) => ({ ok: false, error });
    const parts = typeof code === "string" ? code.split(".") : [];
    const version = /^[0-9]{1,6}$/.test(parts[0] ?? "") ? Number(parts[0]) : NaN;
    if (Number.isNaN(version)) return fail(DAMAGED);
    if (version > VERSION) return fail(NEWER);
    if (code.length > LIMIT) return fail(LARGE); // before any decoding: the site makes no longer link
    let packed;
    try {
      if (parts[1] === "p" && parts.length === 4) {
        packed = fromBase64(parts[3]);
        if ((await check(packed)) !== parts[2]) return fail(DAMAGED);
      }
      else if (parts[1] === "e" && parts.length === 5) {
        if (!passphrase) return fail("This link is locked with a passphrase: type it to open the link.");
        const [salt, iv, sealed] = parts.slice(2).map(fromBase64);
        if (salt.length !== 16 || iv.length !== 12) return fail(DAMAGED);
        try {
          packed = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await keyFrom(passphrase, salt), sealed));
        } catch {
          return fail(WRONG);
        }
      } else return fail(DAMAGED);
      // import reads at most MAX_IMPORT characters, and a character is at least one byte
      const bytes = await inflate(packed, Store.MAX_IMPORT);
      if (!bytes) return fail(LARGE);
      return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return fail(DAMAGED);
    }
  };

  return { KEY, LIMIT, ITERATIONS, encode, decode, locked };
});
