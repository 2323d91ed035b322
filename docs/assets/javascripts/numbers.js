/* Numbers as people write them, for the worksheets' number questions and the zone-of-agreement chart.
 *
 * PlaybookNumbers.parse(text, rule) -> {ok: true, value: number | null} or {ok: false, why: sentence}
 *   text   what the reader typed, kept as typed in the deal; this only says what it means
 *   rule   the number rule of the generated schema (hooks/playbook/answers.py, NUMBER):
 *          {groups: [separators of thousands], decimal: ".", scales: {k: 1000, m: 1e6, ...}}
 * Understood: "480000", "480 000", "480,000", "480k", "1.2m", "€480,000", "USD 1.5 million", "-20",
 * "1e6". Empty text is {ok: true, value: null}. Anything else gets a reason: a comma that may be a
 * decimal comma ("1,5"), a point that may separate thousands ("480.000", as in much of Europe),
 * groups that are not groups of three, words that are not a scale. Nothing is guessed, so the chart
 * draws only numbers that were understood.
 *
 * Pure: no page, no storage; loads unchanged in a page and in Node.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make();
  else root.PlaybookNumbers = make();
})(globalThis, () => {
  const CURRENCY = /^(\p{Sc}|[A-Z]{3}(?![A-Za-z]))\s*|\s*(\p{Sc}|(?<![A-Za-z])[A-Z]{3})$/u;
  const SIGN = /^[-\u2212+]/;
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  const FORMS = "write it as 480000, 480 000, 480,000, 480k or 1.2m";

  const parse = (text, rule) => {
    const fail = (why) => ({ ok: false, why });
    let rest = String(text).trim();
    if (rest === "") return { ok: true, value: null };
    let negative = false;
    const sign = () => {
      const found = rest.match(SIGN);
      if (found) {
        negative = found[0] !== "+";
        rest = rest.slice(1).trim();
      }
      return Boolean(found);
    };
    const signed = sign();
    rest = rest.replace(CURRENCY, "").trim(); // one currency sign or code, before or after
    if (!signed) sign(); // "€-20" as well as "-€20"
    let scale = 1;
    const word = rest.match(/\s*([\p{L}]+)\.?$/u);
    if (word) {
      const factor = rule.scales[word[1].toLowerCase()];
      if (factor === undefined) {
        return fail(`“${word[1]}” is not a scale this page knows (k, m, bn, thousand, million, billion): ${FORMS}.`);
      }
      scale = factor;
      rest = rest.slice(0, word.index).trim();
    }
    const point = escape(rule.decimal);
    const plain = new RegExp(`^(\\d+(${point}\\d*)?|${point}\\d+)([eE][-+]?\\d+)?$`);
    // one point before three digits is a thousands separator in much of Europe: 480 or 480,000?
    const dotted = rest.match(new RegExp(`^([1-9]\\d{0,2})${point}(\\d{3})$`));
    if (dotted) {
      const [, whole, part] = dotted;
      return fail(
        `A point before three digits separates thousands in some countries and decimals in others: write ${whole},${part} or ${whole} ${part} for thousands, or ${whole}${rule.decimal}${part}0 if the point is a decimal point.`,
      );
    }
    let digits = null;
    if (plain.test(rest)) digits = rest;
    else {
      for (const group of rule.groups) {
        const grouped = new RegExp(`^\\d{1,3}(${escape(group)}\\d{3})+(${point}\\d+)?$`);
        if (grouped.test(rest)) digits = rest.split(group).join("");
      }
    }
    if (digits === null) {
      if (/^\d+,\d{1,2}$/.test(rest) || /^\d+,\d{4,}$/.test(rest)) {
        return fail(`Write decimals with a point (1.5, not 1,5): a comma here separates thousands, so ${FORMS}.`);
      }
      return fail(`This is not a number this page understands: ${FORMS}.`);
    }
    const value = Number(digits.replace(rule.decimal, ".")) * scale;
    if (!Number.isFinite(value)) return fail(`This number is too large: ${FORMS}.`);
    return { ok: true, value: negative ? -value : value };
  };

  return { parse };
});
