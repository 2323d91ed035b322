/* What a deal may hold: every answer checked by the rules the build generated from the Python model
 * (hooks/playbook/answers.py, in the generated worksheets.js as PlaybookSchema.rules). The inputs, the
 * writer, the reader and import all ask here, so none of them can keep what another would refuse.
 *
 * PlaybookAnswers:
 *   rules                 the generated rules: ids, limits, and each field type's kind and limits
 *   ID, SLOT, DEAL_ID     patterns of content ids, earlier answers' slots and deal ids
 *   isText(v)             text any stored value may be (answers of earlier versions included)
 *   isAnswer(v)           a storable answer: text, a tick (true/false) or rows ([{column id: text}])
 *   fits(field, value)    whether a question (or a column, {type}) can show and keep this value as it
 *                         is; an answer that does not fit is kept and shown as an earlier answer
 *   problem(field, value) why it does not fit, as a sentence (null when it fits)
 *   limit(type)           how many characters a question of that type takes as typed (null: no text)
 *   number(text)          what a number answer means: PlaybookNumbers.parse with the schema's rule
 *   date(text)            whether a date answer looks meant: {ok: true}, or {ok: false, why} for a
 *                         year before 1000, kept but said beside it (a date box takes "26" as 0026)
 *   isEmpty(value)        no answer: "", false, or rows with nothing in them
 *   cut(text, max)        text cut to at most `max` characters, never inside a character
 *
 * Pure: no page and no storage. In Node, load the generated worksheets.js (it sets
 * globalThis.PlaybookSchema) before this module.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) {
    module.exports = make(require("./store.js"), require("./numbers.js"), root.PlaybookSchema);
  } else root.PlaybookAnswers = make(root.PlaybookStore, root.PlaybookNumbers, root.PlaybookSchema);
})(globalThis, (Store, Numbers, schema) => {
  const { isObject } = Store;
  const rules = schema.rules;
  const ID = new RegExp(rules.id);
  const SLOT = new RegExp(rules.slot);
  const DEAL_ID = new RegExp(rules.deal.id);
  const kind = (type) => rules.types[type] ?? rules.types.text; // a type this version does not know: text

  const isText = (v) => typeof v === "string" && v.length <= rules.text;
  const isRows = (v) =>
    Array.isArray(v) &&
    v.length <= rules.types.rows.max &&
    v.every((row) => isObject(row) && Object.entries(row).every(([k, c]) => ID.test(k) && isText(c)));
  const isAnswer = (v) => isText(v) || typeof v === "boolean" || isRows(v);

  const isDate = (v, rule) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v < rule.min || v > rule.max) return false;
    const [y, m, d] = v.split("-").map(Number);
    const date = new Date(Date.UTC(2000, m - 1, d)); // a leap year: 29 February is checked below
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d && !(m === 2 && d === 29 && !leap);
  };

  const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

  /* Why `value` cannot be kept as the answer of `field` (a question or a column), or null. */
  const problem = (field, value) => {
    const rule = kind(field.type);
    const text = (max, line) => {
      if (typeof value !== "string") return "it is not text";
      if (line && /[\r\n]/.test(value)) return "it is more than one line";
      if (value.length > max) return `it has ${plural(value.length, "character")}, and this question takes ${plural(max, "character")}`;
      return null;
    };
    switch (rule.kind) {
      case "text":
      case "number":
        return text(rule.max, rule.line);
      case "date":
        if (value === "" || (typeof value === "string" && isDate(value, rule))) return null;
        return typeof value === "string" && /^\d{5,}-/.test(value)
          ? `its year has more than four digits (dates run from ${rule.min} to ${rule.max})`
          : "it is not a real date";
      case "tick":
        return typeof value === "boolean" ? null : "it is not a tick";
      case "choice":
        return value === "" || rule.choices.includes(value) ? null : `it is not a choice from ${rule.choices.join(", ")}`;
      case "rows": {
        if (!isRows(value)) return `its rows do not fit a table (at most ${plural(rule.max, "row")} of text)`;
        for (const row of value) {
          for (const column of field.columns ?? []) {
            const why = Object.hasOwn(row, column.id) ? problem(column, row[column.id]) : null;
            if (why) return `in the column ${column.label ?? column.id}, ${why}`;
          }
        }
        return null;
      }
      default:
        return "this version cannot read it";
    }
  };

  const fits = (field, value) => problem(field, value) === null;

  const limit = (type) => {
    const rule = kind(type);
    return rule.kind === "text" || rule.kind === "number" ? rule.max : null;
  };

  const isEmpty = (v) =>
    v === "" ||
    v === false ||
    v === undefined ||
    (Array.isArray(v) && v.every((row) => isObject(row) && Object.values(row).every((c) => c === "")));

  const number = (text) => Numbers.parse(text, rules.number);
  // No meeting in a negotiation is a thousand years ago: a short year is a year typed short.
  const date = (text) => {
    const year = /^\d{4}-/.test(text) ? Number(text.slice(0, 4)) : 1000;
    return year >= 1000 ? { ok: true } : { ok: false, why: `This date is in the year ${year}: type the year with all four digits (such as 2026).` };
  };

  const cut = (text, max) => {
    const kept = text.slice(0, max);
    return /[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept;
  };

  return { rules, ID, SLOT, DEAL_ID, isText, isAnswer, fits, problem, limit, number, date, isEmpty, cut };
});
