/* Calendar files (iCalendar, RFC 5545) written in the browser, for "Add to my calendar".
 *
 * window.PlaybookIcs.calendar({name, product, events, now}) returns the text of a .ics file:
 *   name     the calendar's name, shown by some apps when importing
 *   product  the name of the site that made it (PRODID): productOf(document), so that a renamed
 *            playbook says its own name
 *   events   [{uid, date: "YYYY-MM-DD", time: "HH:MM" or "", summary, description, url}]
 *            without a time an event is all-day; with one it is a quarter of an hour at that local
 *            time, written in UTC so that every app agrees on the moment, with a reminder as it starts.
 *   now      the DTSTAMP (a Date; defaults to the current time)
 * The text has CRLF line ends, lines folded at 75 octets of UTF-8 (never inside a character) and
 * TEXT values escaped, as Google Calendar, Outlook and Apple Calendar expect.
 *
 * window.PlaybookIcs.productOf(document) is the playbook's name as every page carries it
 * (<meta name="application-name">, the configuration's site_name).
 *
 * Calendar days, shared by the challenge and the timeline: day("YYYY-MM-DD", n, "hh:mm") is the
 * local day n days later (default 0), at that time (default midnight), as a Date; iso(date) its
 * "YYYY-MM-DD"; addDays("YYYY-MM-DD", n) the day n days later.
 *
 * Pure: loads unchanged in a page (window.PlaybookIcs) and in Node (module.exports).
 */
((root, make) => {
  if (typeof module === "object" && module.exports) module.exports = make();
  else root.PlaybookIcs = make();
})(globalThis, () => {
  const encoder = new TextEncoder();

  const escapeText = (value) =>
    String(value)
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n");

  // A content line may hold 75 octets; each continuation starts with one space, which counts.
  const fold = (line) => {
    let out = "";
    let size = 0;
    for (const char of line) {
      const octets = encoder.encode(char).length;
      if (size + octets > 75) {
        out += "\r\n ";
        size = 1;
      }
      out += char;
      size += octets;
    }
    return out;
  };

  const pad = (n) => String(n).padStart(2, "0");
  const compactDate = (iso) => iso.replaceAll("-", "");
  const year = (y) => String(y).padStart(4, "0"); // RFC 5545 and ISO 8601 years have four digits
  const utcStamp = (date) =>
    `${year(date.getUTCFullYear())}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;

  // Not new Date(y, m - 1, d): it reads the years 0 to 99 as 1900 to 1999.
  const day = (text, days = 0, time = "00:00") => {
    const [y, m, d] = text.split("-").map(Number);
    const [hh, mm] = time.split(":").map(Number);
    const date = new Date(0);
    date.setFullYear(y, m - 1, d + days); // days past the month's end roll over
    date.setHours(hh, mm, 0, 0);
    return date;
  };
  const iso = (date) => `${year(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const addDays = (text, n) => iso(day(text, n));

  const event = (e, stamp) => {
    const lines = ["BEGIN:VEVENT", `UID:${e.uid}`, `DTSTAMP:${stamp}`];
    if (e.time) {
      const start = day(e.date, 0, e.time);
      const end = new Date(start.getTime() + 15 * 60000);
      lines.push(`DTSTART:${utcStamp(start)}`, `DTEND:${utcStamp(end)}`);
    } else {
      lines.push(
        `DTSTART;VALUE=DATE:${compactDate(e.date)}`,
        `DTEND;VALUE=DATE:${compactDate(addDays(e.date, 1))}`,
        "TRANSP:TRANSPARENT",
      );
    }
    lines.push(`SUMMARY:${escapeText(e.summary)}`, `DESCRIPTION:${escapeText(e.description)}`);
    if (e.url) lines.push(`URL:${e.url}`);
    if (e.time) {
      lines.push(
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        `DESCRIPTION:${escapeText(e.summary)}`,
        "TRIGGER:PT0M",
        "END:VALARM",
      );
    }
    lines.push("END:VEVENT");
    return lines;
  };

  const calendar = ({ name, product, events, now = new Date() }) => {
    const stamp = utcStamp(now);
    const lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      `PRODID:-//${escapeText(product)}//EN`,
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      `X-WR-CALNAME:${escapeText(name)}`,
      ...events.flatMap((e) => event(e, stamp)),
      "END:VCALENDAR",
    ];
    return `${lines.map(fold).join("\r\n")}\r\n`;
  };

  const productOf = (doc) => doc.querySelector('meta[name="application-name"]').content;

  return { calendar, productOf, day, iso, addDays };
});
