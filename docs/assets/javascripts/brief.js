/* The deal brief (canvases/deal-brief.html): one deal's answers that the worksheets' content marks
 * for the brief, under the headings the build wrote into the page (playbook.brief). Only what is
 * answered is shown; a heading with nothing under it is hidden; worksheets with nothing on the brief
 * are listed, with links, as still to prepare. Answers are shown as text (textContent), never HTML.
 */
(() => {
  const root = document.querySelector("[data-brief]");
  const { PlaybookStore: Store, PlaybookDeals: Deals, PlaybookAnswers: Answers, PlaybookZopa: Zopa } = window;
  const { PlaybookDealTools: Tools, PlaybookPaper: Paper } = window;
  if (!root || !Store || !Deals || !Tools || !Paper || Tools.outdated()) return;

  const $ = (selector) => root.querySelector(selector);
  const picker = $("#brief-pick");
  const status = $(".canvas-status");
  const problem = $(".canvas-error");
  const worksheets = Deals.worksheets();
  const { say, warn } = Tools.messages(status, problem);

  const asked = new URLSearchParams(window.location.search).get("deal");
  let record = null;
  const pageTitle = document.title; // the deal's name goes before it, never into it

  const el = (name, text, className) => {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };

  /* An answer as the brief shows it: text as typed, a date as a date, rows as one line each. */
  const shown = (item, field, value) => {
    const dd = item.querySelector("dd");
    if (field.type === "rows") {
      const keep = item.dataset.columns ? item.dataset.columns.split(" ") : field.columns.map((c) => c.id);
      const columns = field.columns.filter((c) => keep.includes(c.id));
      const list = el("ul", undefined, "deal-brief__rows");
      for (const row of value) {
        const cells = columns.filter((c) => (row[c.id] ?? "") !== "");
        if (!cells.length) continue;
        const li = el("li");
        cells.forEach((c, i) => {
          if (i) li.append(" · ");
          if (columns.length > 1) li.append(el("span", `${c.label}: `, "deal-brief__column"));
          li.append(row[c.id]);
        });
        list.append(li);
      }
      dd.replaceChildren(list);
      return list.children.length > 0;
    }
    let text = value;
    if (typeof value === "boolean") text = value ? "Yes" : "No";
    else if (field.type === "date") text = new Date(`${value}T12:00`).toLocaleDateString(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
    else if (field.type === "scale") text = `${value} of 5`;
    dd.textContent = text;
    return true;
  };

  const show = () => {
    const views = new Map(Object.values(worksheets).map((w) => [w.id, Deals.view(record, w).answers]));
    const onBrief = new Map(); // worksheet id -> whether any of its marked answers is on the brief
    for (const item of root.querySelectorAll(".deal-brief__item")) {
      const sheet = worksheets[item.dataset.sheet];
      const field = sheet?.fields.find((f) => f.id === item.dataset.field);
      const value = views.get(item.dataset.sheet)?.get(item.dataset.field);
      item.hidden = !(field && value !== undefined && !Deals.isEmpty(value) && shown(item, field, value));
      onBrief.set(item.dataset.sheet, (onBrief.get(item.dataset.sheet) ?? false) || !item.hidden);
    }
    for (const figure of root.querySelectorAll(".deal-brief__zopa")) {
      const answers = views.get(figure.dataset.sheet);
      const names = ["myWalkAway", "myTarget", "theirWalkAway", "theirTarget"];
      const meanings = names.map((n) => Answers.number(answers?.get(figure.dataset[n]) ?? ""));
      figure.hidden = !meanings.every((m) => m.ok && m.value !== null);
      if (!figure.hidden) Zopa.draw(figure, meanings);
    }
    for (const part of root.querySelectorAll(".deal-brief__part")) {
      part.hidden = !part.querySelector(".deal-brief__item:not([hidden])");
    }
    const empty = [...onBrief].filter(([, any]) => !any).map(([id]) => worksheets[id]);
    const list = $(".deal-brief__empty");
    list.replaceChildren(
      ...empty.map((w) => {
        const a = el("a", w.title);
        a.href = `${w.url}?deal=${encodeURIComponent(record.id)}`;
        const li = el("li");
        li.append(a);
        return li;
      }),
    );
    $(".deal-brief__todo").hidden = empty.length === 0;
    $(".deal-brief__nothing").hidden = Boolean(root.querySelector(".deal-brief__part:not([hidden])"));
    $(".deal-brief__deal").textContent = Deals.named(record);
    $(".deal-brief__countdown").textContent = Tools.countdown(record);
    document.title = `${Deals.named(record)}: ${pageTitle}`;
  };

  const showPicker = () => {
    const deals = Deals.list();
    picker.replaceChildren(...deals.map((d) => new Option(Deals.named(d), d.id)));
    picker.value = record.id;
  };

  const open = (id) => {
    const found = id ? Deals.load(id) : null;
    record = found && !Deals.isTombstone(found) ? found : (Deals.list()[0] ?? null);
    root.hidden = record === null;
    $(".deal-brief__none")?.remove();
    if (!record) {
      const none = el("p", "There is no deal on this device yet: start one on any worksheet, then come back for its brief.", "deal-brief__none");
      root.before(none);
      return;
    }
    showPicker();
    show();
  };

  picker.addEventListener("change", () => {
    Deals.pick(picker.value);
    open(picker.value);
    say(`Showing the brief of ${Store.quoted(Deals.named(record))}.`);
  });

  root.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "print") window.print();
    else if (action === "share") Tools.share(record);
    else if (action === "calendar") {
      if (Tools.calendar(record)) say("Saved the preparation timeline as a calendar file.");
      else warn("This deal has no meeting date yet: add it on the worksheet, and the timeline follows.");
    }
  });

  /* Paper, from the button or the browser's own Print command: the deal's name and dates on every
   * page, as on a printed worksheet (paper.js). A countdown ("in 14 days") is true on one day only,
   * so paper names the meeting's day instead, with the dates, under the deal's name. */
  let caption = null;
  window.addEventListener("beforeprint", () => {
    if (!record) return;
    const lines = Paper.label(Deals.named(record), Deals.lastChange(record));
    const day = Tools.meeting(record);
    const parts = ["printed", "changed"];
    if (day) {
      lines.meeting = `Meeting on ${Paper.date(day)}`;
      parts.unshift("meeting");
    }
    Paper.stamp(lines, `${Deals.named(record)} - ${pageTitle}`);
    caption?.remove();
    caption = Paper.caption(lines, parts);
    $(".deal-brief__deal").after(caption);
  });
  window.addEventListener("afterprint", () => {
    Paper.unstamp();
    caption?.remove();
    caption = null;
  });

  Deals.migrate();
  open(asked ?? Deals.current());
  // another tab changed this deal: show the brief as it is now
  Store.watch("deal:*", (value, key) => {
    if (key === "deal:*" || !record || key === `deal:${record.id}` || value === null) open(record?.id);
    else showPicker();
  });
  Store.onReturn(() => open(record?.id));
})();
