/* Paper: what "Print with my answers" puts on paper, for one worksheet (canvas.js) and for every
 * worksheet of a deal (my-deals.js), laid out by paper.css.
 *
 * PlaybookPaper:
 *   date(iso)                  a date answer ("2026-03-15") as the reader's locale writes it
 *   answer(type, value, ends)  an answer as text: a date in words, a tick as Yes or No, a scale's
 *                              choice with what its ends mean ({low, high}, when the page knows them)
 *   earlier(value)             an answer whose question is gone, as text (rows one to a line)
 *   cssString(text)            text as a CSS string that can only ever be that text
 *   label(name, changed, now)  the deal's name and dates, as sentences
 *   stamp(lines, title)        put them in the margin of every printed page (CSS custom properties
 *                              that the margin boxes of paper.css's "deal" pages show, and the class
 *                              that names the pages so), and title the page after the deal (a PDF
 *                              saved from it takes that name); unstamp() undoes it all
 *   caption(lines, parts)      the same, in full, as a paragraph for the top of the first page
 *
 * Margin boxes are CSS paged media, drawn by Chromium since version 131; the caption gives browsers
 * that draw none the name and dates once. What a reader typed reaches paper as text only: through
 * textContent, or as a CSS string in which every character but letters, digits and spaces is escaped.
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make(require("./answers.js"));
  else root.PlaybookPaper = make(root.PlaybookAnswers);
})(globalThis, (Answers) => {
  const { types } = Answers.rules;
  const calendarDay = new Intl.DateTimeFormat([], { dateStyle: "long", timeZone: "UTC" });
  const today = new Intl.DateTimeFormat([], { dateStyle: "long" });
  const moment = new Intl.DateTimeFormat([], { dateStyle: "long", timeStyle: "short" });

  /* A date answer is a day, not a moment: read and written in UTC, so no time zone moves it. A date
   * that is not a real day ("2026-02-30") is printed as it was typed. */
  const date = (iso) => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(Number.NaN);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(iso) ? calendarDay.format(day) : iso;
  };

  const answer = (type, value, ends = {}) => {
    const kind = types[type]?.kind;
    if (kind === "tick") return value ? "Yes" : "No";
    if (kind === "date") return date(value ?? "");
    if (kind === "choice" && value) {
      const [first, last] = [types[type].choices[0], types[type].choices.at(-1)];
      const end = (n, words) => (words ? `${n} (${words})` : n);
      return `${value} on a scale from ${end(first, ends.low)} to ${end(last, ends.high)}`;
    }
    return typeof value === "string" ? value : "";
  };

  const earlier = (value) => {
    if (typeof value === "boolean") return value ? "Ticked" : "Not ticked";
    if (Array.isArray(value)) return value.map((row) => Object.values(row).filter(Boolean).join(" · ")).join("\n");
    return value;
  };

  const cssString = (text) =>
    `"${[...text].map((c) => (/[\p{L}\p{N} ]/u.test(c) ? c : `\\${c.codePointAt(0).toString(16)} `)).join("")}"`;

  /* A running head has one line: a long name is cut there (the caption and the h1 hold it whole). */
  const short = (text, max = 60) => {
    const chars = [...text];
    return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
  };

  const label = (name, changed, now = new Date()) => ({
    deal: `Deal: ${name}`,
    printed: `Printed ${today.format(now)}`,
    changed: `Last changed ${moment.format(changed)}`,
  });

  const PROPERTIES = ["deal", "printed", "changed"];
  let pageTitle = null; // the page's own title, while a deal's name stands in for it
  const stamp = (lines, title) => {
    const { style } = document.documentElement;
    for (const part of PROPERTIES) style.setProperty(`--paper-${part}`, cssString(short(lines[part])));
    document.documentElement.classList.add("paper");
    pageTitle ??= document.title;
    document.title = title;
  };
  const unstamp = () => {
    for (const part of PROPERTIES) document.documentElement.style.removeProperty(`--paper-${part}`);
    document.documentElement.classList.remove("paper");
    if (pageTitle !== null) document.title = pageTitle;
    pageTitle = null;
  };

  const caption = (lines, parts = PROPERTIES) => {
    const p = document.createElement("p");
    p.className = "deal-paper";
    for (const part of parts) {
      const span = document.createElement("span");
      span.textContent = lines[part];
      p.append(span);
    }
    return p;
  };

  return { date, answer, earlier, cssString, short, label, stamp, unstamp, caption };
});
