/* My deals (canvases/my-deals.html): every deal on this device with how far each worksheet is
 * filled; open, rename, duplicate, export, print or delete one; import; set-aside damaged data;
 * delete everything. Follows other tabs as they save. Names and answers are shown as text only.
 */
(() => {
  const root = document.querySelector(".my-deals");
  const Store = window.PlaybookStore;
  const Deals = window.PlaybookDeals;
  if (!root || !Store || !Deals) return;

  const worksheets = Object.values(Deals.worksheets());
  const $ = (selector) => root.querySelector(selector);
  const listEl = $(".my-deals__list");
  const status = $(".canvas-status");
  const problem = $(".canvas-error");
  const printView = document.querySelector(".deal-print");
  const fileInput = $("#deals-import");
  const { named } = Deals;

  const say = (text) => {
    status.textContent = text;
  };
  const warn = (text) => {
    problem.textContent = text;
  };

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

  const when = (t) => new Date(t).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

  const dealItem = (r) => {
    const sheets = worksheets.map((w) => {
      const { filled, total } = Deals.progress(r, w);
      const link = el("a", { href: `${w.url}?deal=${encodeURIComponent(r.id)}` }, w.title);
      return el("li", {}, link, `: ${filled} of ${total} question${total === 1 ? "" : "s"}`);
    });
    const name = named(r);
    return el(
      "li",
      { className: "my-deals__deal" },
      el("h2", {}, name),
      el("p", { className: "my-deals__when" }, `Last changed ${when(Deals.lastChange(r))}`),
      el("ul", { className: "my-deals__sheets" }, ...sheets),
      el(
        "p",
        { className: "canvas-tools__row" },
        action("Rename", "rename", r.id, `Rename ${name}`),
        action("Duplicate", "duplicate", r.id, `Duplicate ${name}`),
        action("Export", "export", r.id, `Export ${name}`),
        action("Print all worksheets", "print", r.id, `Print all worksheets of ${name} with their answers`),
        action("Delete", "delete", r.id, `Delete ${name}`),
      ),
    );
  };

  const backupItem = ({ key }) =>
    el(
      "li",
      {},
      el("code", {}, key),
      " ",
      action("Export", "export-backup", key, `Export the set-aside data ${key}`),
      " ",
      action("Delete", "delete-backup", key, `Delete the set-aside data ${key}`),
    );

  const render = () => {
    const deals = Deals.list().sort((a, b) => Deals.lastChange(b) - Deals.lastChange(a)); // latest work first
    listEl.replaceChildren(...deals.map(dealItem));
    $(".my-deals__none").hidden = deals.length > 0;
    $("[data-action=export-all]").disabled = deals.length === 0;
    const backups = Store.backups();
    $(".my-deals__backups").replaceChildren(...backups.map(backupItem));
    $(".my-deals__damaged").hidden = backups.length === 0;
  };

  /* ---- printing every worksheet of a deal with its answers ---- */

  const answerText = (field, value) => {
    if (value === undefined) return "";
    if (field.type === "checkbox") return value ? "Yes" : "No";
    return value;
  };

  const printSheet = (r, w) => {
    const { answers, earlier } = Deals.view(r, w);
    const list = el("dl");
    for (const field of w.fields) {
      const value = answers.get(field.id);
      let shown;
      if (field.type === "rows") {
        const head = el("tr", {}, ...field.columns.map((c) => el("th", { scope: "col" }, c.label)));
        const rows = (value ?? []).map((row) => el("tr", {}, ...field.columns.map((c) => el("td", {}, row[c.id] ?? ""))));
        shown = el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows));
      } else shown = el("div", { className: "deal-print__answer" }, answerText(field, value));
      list.append(el("dt", {}, field.label), el("dd", {}, shown));
    }
    for (const e of earlier) {
      const text = typeof e.value === "string" ? e.value : JSON.stringify(e.value);
      list.append(el("dt", {}, `${e.label} (earlier answer)`), el("dd", {}, el("div", { className: "deal-print__answer" }, text)));
    }
    return el("section", { className: "deal-print__sheet" }, el("h2", {}, w.title), list);
  };

  const print = (r) => {
    printView.replaceChildren(el("h1", {}, named(r)), ...worksheets.map((w) => printSheet(r, w)));
    document.body.classList.add("deal-printing");
    window.print();
  };
  window.addEventListener("afterprint", () => document.body.classList.remove("deal-printing"));

  /* ---- actions ---- */

  const live = (id) => {
    const r = Deals.load(id);
    return r && !Deals.isTombstone(r) ? r : null;
  };

  const actions = {
    rename(r) {
      const name = window.prompt("New name for this deal:", r.name);
      if (name === null) return;
      r.name = name.slice(0, 200);
      r.named = Date.now();
      const result = Deals.save(r);
      if (result.ok) say(`Renamed to "${named(r)}".`);
      else warn(result.error ?? "");
    },
    duplicate(r) {
      const copy = Deals.copy(r);
      const result = Deals.save(copy);
      if (result.ok) say(`Created "${copy.name}".`);
      else warn(result.error ?? "");
    },
    export(r) {
      Store.download(Deals.fileName(r), Deals.envelope([r]));
      Store.exported();
      say(`Exported "${named(r)}" to a file.`);
    },
    print,
    delete(r) {
      if (!window.confirm(`Delete the deal "${named(r)}" and its answers to every worksheet from this device?`)) return;
      const result = Deals.remove(r.id);
      if (result.ok) say(`Deleted "${named(r)}".`);
      else warn(result.error);
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
      say(`Exported ${deals.length} deal${deals.length === 1 ? "" : "s"} to a file.`);
    } else if (name === "import") fileInput.click();
    else if (name === "export-backup") {
      const text = Store.backups().find((b) => b.key === key)?.text ?? "";
      Store.saveFile(`${key.replace(/[^A-Za-z0-9-]+/g, "-")}.txt`, text, "text/plain");
    } else if (name === "delete-backup") {
      if (window.confirm("Delete this set-aside data from this device? This cannot be undone.")) Store.removeBackup(key);
    } else if (name === "delete-all") {
      if (!Deals.confirmDeleteAll()) return;
      const removed = Store.clearAll();
      warn(removed < 0 ? "Your browser does not let this site store anything, so there was nothing to delete." : "");
      say("All your data on this device has been deleted.");
    } else if (Object.hasOwn(actions, name)) {
      const r = live(key);
      if (r) actions[name](r);
      else warn("That deal is no longer on this device (it was deleted in another tab).");
    }
    render();
  });

  fileInput.addEventListener("change", async () => {
    const [file] = fileInput.files;
    fileInput.value = "";
    if (!file) return;
    const result = Deals.importText(await file.text(), Deals.worksheets(), Deals.confirmReplace);
    if (result.cancelled) say("Import cancelled; nothing changed.");
    else if (!result.ok) warn(result.error);
    else {
      warn("");
      say(`Imported ${result.deals.length} deal${result.deals.length === 1 ? "" : "s"} and saved on this device.`);
    }
    render();
  });

  Deals.migrate();
  root.hidden = false;
  Store.keepNote($(".deal-keep"));
  render();
  const usable = Store.probe();
  if (!usable.ok) warn(usable.error);
  Store.watch("*", () => render()); // any change, in any tab: deals, backups, everything deleted
})();
