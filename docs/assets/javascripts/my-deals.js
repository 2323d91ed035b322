/* My deals (canvases/my-deals.html): every deal on this device with how far each worksheet is
 * filled; open, rename, duplicate, export, print or delete one; import; set-aside data, with why
 * it was set aside, to restore, export (as a file import takes back) or delete; delete everything.
 *
 * Follows other tabs as they save, row by row: a change to one deal redraws that deal's row only,
 * so a thousand deals stay quick (see `update`). Names and answers are shown as text only.
 */
(() => {
  const root = document.querySelector(".my-deals");
  const Store = window.PlaybookStore;
  const Deals = window.PlaybookDeals;
  const Tools = window.PlaybookDealTools;
  const Paper = window.PlaybookPaper;
  if (!root || !Store || !Deals || !Tools || !Paper || Tools.outdated()) return;

  const worksheets = Object.values(Deals.worksheets());
  const $ = (selector) => root.querySelector(selector);
  const listEl = $(".my-deals__list");
  const status = $(".canvas-status");
  const problem = $(".canvas-error");
  const printView = document.querySelector(".deal-print");
  const fileInput = $("#deals-import");
  const { named } = Deals;
  const { quoted } = Store;

  const { say, warn } = Tools.messages(status, problem);

  const el = (name, props = {}, ...children) => {
    const node = document.createElement(name);
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith("data-")) node.setAttribute(k, v);
      else node[k] = v;
    }
    node.append(...children);
    return node;
  };
  const action = (text, name, id, label) =>
    el("button", { type: "button", className: "md-button", "data-action": name, "data-deal": id, ariaLabel: label }, text);

  const format = new Intl.DateTimeFormat([], { dateStyle: "medium", timeStyle: "short" });

  /* One deal's row, cloned from a blank one and filled in: a thousand rows draw in a fraction of
   * the time that building each element would take. */
  const TOOLS = [
    ["Rename", "rename", "Rename "],
    ["Duplicate", "duplicate", "Duplicate "],
    ["Export", "export", "Export "],
    ["Share by link", "share", "Share by link "],
    ["Timeline to my calendar", "calendar", "Timeline to my calendar, for "],
    ["Print all worksheets", "print", "Print all worksheets of ", " with their answers"],
    ["Delete", "delete", "Delete "],
  ];
  const blankRow = el(
    "li",
    { className: "my-deals__deal" },
    el("h2"),
    el("p", { className: "my-deals__when" }),
    el("p", { className: "my-deals__countdown" }),
    el("p", { className: "my-deals__brief" }, el("a", {}, `${window.PlaybookSchema.brief.title}: one page for the meeting`)),
    el("ul", { className: "my-deals__sheets" }, ...worksheets.map((w) => el("li", {}, el("a", {}, w.title), ""))),
    el("p", { className: "canvas-tools__row" }, ...TOOLS.map(([text, name]) => action(text, name, "", ""))),
  );

  const dealItem = (r) => {
    const item = blankRow.cloneNode(true);
    const [title, when, countdown, brief, sheets, tools] = item.children;
    const name = named(r);
    item.dataset.deal = r.id;
    title.textContent = name;
    when.textContent = `Last changed ${format.format(Deals.lastChange(r))}`;
    countdown.textContent = Tools.countdown(r);
    brief.firstChild.href = `${window.PlaybookSchema.brief.url}?deal=${encodeURIComponent(r.id)}`;
    worksheets.forEach((w, i) => {
      const { filled, total } = Deals.progress(r, w);
      const [link, count] = sheets.children[i].childNodes;
      link.href = `${w.url}?deal=${encodeURIComponent(r.id)}`;
      count.data = `: ${filled} of ${total} question${total === 1 ? "" : "s"}`;
    });
    TOOLS.forEach(([, , before, after = ""], i) => {
      tools.children[i].dataset.deal = r.id;
      tools.children[i].ariaLabel = `${before}${name}${after}`;
    });
    return item;
  };

  const backupItem = ({ key, text }) =>
    el(
      "li",
      { className: "my-deals__backup" },
      el("p", {}, Deals.describeBackup(key, text)),
      el(
        "p",
        { className: "canvas-tools__row" },
        ...(Deals.repairable(key, text) ? [action("Repair and restore", "restore-backup", key, `Repair and restore ${key}`)] : []),
        action("Export", "export-backup", key, `Export the set-aside data ${key}`),
        action("Delete", "delete-backup", key, `Delete the set-aside data ${key}`),
      ),
    );

  /* ---- the list: drawn once, then kept row by row ---- */

  const rows = new Map(); // deal id -> {record, item}

  const showCounts = () => {
    $(".my-deals__none").hidden = rows.size > 0;
    $("[data-action=export-all]").disabled = rows.size === 0;
  };
  const showBackups = () => {
    const backups = Store.backups();
    $(".my-deals__backups").replaceChildren(...backups.map(backupItem));
    $(".my-deals__damaged").hidden = backups.length === 0;
  };

  const render = () => {
    rows.clear();
    const changed = new Map(Deals.list().map((r) => [r, Deals.lastChange(r)]));
    const deals = [...changed.keys()].sort((a, b) => changed.get(b) - changed.get(a) || (a.id < b.id ? -1 : 1));
    const items = deals.map((r) => {
      const item = dealItem(r);
      rows.set(r.id, { record: r, item });
      return item;
    });
    listEl.replaceChildren(...items);
    showCounts();
    showBackups();
  };

  /* One deal changed in another tab: only its row changes, in place. The list is not re-sorted
   * until it is next drawn (rows do not jump while they are read), and a deleted deal's row is
   * hidden rather than removed: taking a row out of, or putting one into, a long list makes the
   * browser restyle every row of it (Material's list rules), a tenth of a second for a thousand. */
  const update = (id) => {
    const record = Deals.load(id);
    const old = rows.get(id);
    if (!record || Deals.isTombstone(record)) {
      if (old) old.item.hidden = true;
      rows.delete(id);
    } else if (!old) {
      const item = dealItem(record); // a deal new to this page goes first, as the latest work
      rows.set(id, { record, item });
      listEl.prepend(item);
    } else if (JSON.stringify(old.record) !== JSON.stringify(record)) {
      old.item.replaceChildren(...dealItem(record).childNodes);
      old.record = record;
    }
    showCounts();
    if (Deals.damaged.length) showBackups();
  };

  /* ---- printing every worksheet of a deal with its answers (paper.js, paper.css) ---- */

  const printTable = (field, rows) => {
    const head = field.columns.map((c) => el("th", { scope: "col", "data-type": c.type }, c.label));
    const body = rows.map((row) => el("tr", {}, ...field.columns.map((c) => el("td", {}, Paper.answer(c.type, row[c.id])))));
    return el("table", { className: "deal-print__table" }, el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...body));
  };
  const printAnswer = (text) => el("div", { className: "deal-print__answer" }, text);

  const printSheet = (r, w) => {
    const { answers, earlier } = Deals.view(r, w);
    const list = el("dl");
    for (const field of w.fields) {
      const value = answers.get(field.id);
      const shown = field.type === "rows" ? printTable(field, value ?? []) : printAnswer(Paper.answer(field.type, value));
      list.append(el("dt", {}, field.label), el("dd", {}, shown));
    }
    for (const e of earlier) {
      list.append(el("dt", {}, `${e.label} (earlier answer)`), el("dd", {}, printAnswer(Paper.earlier(e.value))));
    }
    return el("section", { className: "deal-print__sheet" }, el("h2", {}, w.title), list);
  };

  /* The deal's name and dates on every page (paper.js), and its worksheets, each from a new page. */
  const print = (r) => {
    const lines = Paper.label(named(r), Deals.lastChange(r));
    Paper.stamp(lines, `${named(r)} - every worksheet`);
    const sheets = worksheets.map((w) => printSheet(r, w));
    printView.replaceChildren(el("h1", {}, named(r)), Paper.caption(lines, ["printed", "changed"]), ...sheets);
    document.body.classList.add("deal-printing");
    window.print();
  };
  window.addEventListener("afterprint", () => {
    document.body.classList.remove("deal-printing");
    Paper.unstamp();
    printView.replaceChildren();
  });

  /* ---- actions ---- */

  const live = (id) => {
    const r = Deals.load(id);
    return r && !Deals.isTombstone(r) ? r : null;
  };

  const saved = (result, message) => (result.ok ? say(message) : warn(result.error ?? ""));

  const actions = {
    rename(r) {
      const name = window.prompt(`New name for this deal (up to ${Deals.MAX_NAME} characters):`, r.name);
      if (name === null) return;
      const refused = Deals.rename(r, name);
      if (refused) return warn(refused);
      saved(Deals.save(r), `Renamed to ${quoted(named(r))}.`);
    },
    duplicate(r) {
      const copy = Deals.copy(r);
      saved(Deals.save(copy), `Created ${quoted(copy.name)}.`);
    },
    export(r) {
      Store.download(Deals.fileName(r), Deals.envelope([r]));
      Store.exported();
      Deals.shared(r.id);
      say(`Exported ${quoted(named(r))} to a file.`);
    },
    print,
    share: Tools.share,
    calendar(r) {
      if (Tools.calendar(r)) say(`Saved the preparation timeline of ${quoted(named(r))} as a calendar file.`);
      else warn(`${quoted(named(r))} has no meeting date yet: add it on the worksheet, and the timeline follows.`);
    },
    delete(r) {
      if (!window.confirm(`Delete the deal ${quoted(named(r))} and its answers to every worksheet from this device?`)) return;
      saved(Deals.remove(r.id), `Deleted ${quoted(named(r))}.`);
    },
  };

  const imported = (result) => {
    if (result.cancelled) return say("Import cancelled; nothing changed.");
    if (!result.ok) return warn(result.error);
    if (result.aside) {
      return warn("This file holds set-aside data that could not be repaired. It is kept on this device, below, under “Saved data that could not be read”.");
    }
    const left = result.left.length ? ` Repaired: ${result.left.join("; ")}.` : "";
    const count = result.deals.length;
    say(`Imported ${count} deal${count === 1 ? "" : "s"} and saved on this device.${left}`);
  };

  const backupActions = {
    "restore-backup"(key) {
      imported(Deals.restore(key, Deals.worksheets(), Deals.confirmImport));
    },
    "export-backup"(key) {
      Store.download(`set-aside-${Deals.safeName(Store.backupOf(key))}.json`, Store.setAsideFile(key));
      say("Exported the set-aside data to a file, as it was found. Importing that file repairs what it can.");
    },
    "delete-backup"(key) {
      if (!window.confirm("Delete this set-aside data from this device? This cannot be undone.")) return;
      saved(Store.removeBackup(key), "Deleted the set-aside data.");
    },
  };

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const name = button.dataset.action;
    const key = button.dataset.deal;
    if (name === "export-all") {
      const deals = Deals.list();
      Store.download("my-deals.json", Deals.envelope(deals));
      Store.exported();
      for (const d of deals) Deals.shared(d.id);
      say(`Exported ${deals.length} deal${deals.length === 1 ? "" : "s"} to a file.`);
    } else if (name === "import") return fileInput.click();
    else if (Object.hasOwn(backupActions, name)) {
      backupActions[name](key);
      return render();
    } else if (name === "delete-all") {
      if (!Deals.confirmDeleteAll()) return;
      const removed = Store.clearAll();
      if (removed < 0) warn("Your browser does not let this site store anything, so there was nothing to delete.");
      else say("All your data on this device has been deleted.");
      return render();
    } else if (Object.hasOwn(actions, name)) {
      const r = live(key);
      if (r) actions[name](r);
      else warn("That deal is no longer on this device (it was deleted in another tab).");
      render();
    }
  });

  fileInput.addEventListener("change", async () => {
    const [file] = fileInput.files;
    fileInput.value = "";
    if (!file) return;
    imported(await Tools.bringIn(await file.text()));
    render();
  });

  Deals.migrate();
  root.hidden = false;
  Store.keepNote($(".deal-keep"));
  render();
  const usable = Store.probe();
  if (!usable.ok) warn(usable.error);
  // Another tab changed a deal: that row only; set-aside data, or everything deleted: all of it.
  Store.watch("*", (value, key) => {
    if (key.startsWith("deal:")) update(key.slice(5));
    else if (key === "*" || key.startsWith("backup:")) render();
  });
  Store.onReturn(render); // back from the back/forward cache, or visible again: storage may have changed
  // A deal shared by link: shown and asked about before anything is kept, whether the page opens with
  // it or it is opened in this tab later (only the fragment changes, so the page does not load again).
  const openLink = () => {
    if (!window.location.hash.startsWith(`#${window.PlaybookShare.KEY}=`)) return;
    Tools.openLink(window.location.hash).then((result) => {
      imported(result);
      render();
    });
  };
  window.addEventListener("hashchange", openLink);
  openLink();
})();
