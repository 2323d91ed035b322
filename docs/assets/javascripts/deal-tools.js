/* What the worksheets, My deals and the deal brief share about one deal, as dialogs and lines:
 *
 * PlaybookDealTools:
 *   share(record)            the "Share by link" dialog: an optional passphrase, the link (this
 *                            site's My deals page, the deal after its #), the warning that chat
 *                            tools keep links, and "use Export" past PlaybookShare.LIMIT
 *   bringIn(text, always)    reads a file's or link's text for import and, when it holds a deal this
 *                            device has (or `always`, for a link), shows what it adds or changes,
 *                            conflicts side by side to keep mine, theirs or both, before anything
 *                            is saved. Promise of deals.js's import result ({cancelled} when closed)
 *   openLink(hash)           a shared link opened here: asks for the passphrase if it has one, then
 *                            bringIn; the fragment leaves the address bar once it was read
 *   countdown(record)        the preparation timeline's sentence for the deal ("" without a date)
 *   meeting(record)          the deal's meeting date, "YYYY-MM-DD", or null without one
 *   calendar(record)         saves the timeline as an .ics file; false when the deal has no date
 *   messages(status, problem)  {say, warn}: one message for each outcome, a sentence in the status
 *                            line or a problem, never both
 *   outdated()               true when the page was built with another version of the worksheets'
 *                            schema than the one loaded: the page then says so and does nothing
 * Everything from a deal (names, answers) reaches the page as textContent or .value only.
 */
(() => {
  const { PlaybookStore: Store, PlaybookDeals: Deals, PlaybookShare: Share, PlaybookTimeline: Timeline } = window;

  const el = (name, props = {}, ...children) => {
    const node = document.createElement(name);
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith("data-") || k.startsWith("aria-")) node.setAttribute(k, v);
      else node[k] = v;
    }
    node.append(...children);
    return node;
  };
  const button = (text, props = {}) => el("button", { type: "button", className: "md-button", ...props }, text);

  let made = 0;
  const uid = (stem) => `${stem}-${(made += 1)}`;

  /* A modal dialog (the browser keeps the focus in it, and Escape closes it); removed once closed. */
  const dialog = (title, ...body) => {
    const heading = el("h2", { id: uid("deal-dialog") }, title);
    const box = el("dialog", { className: "deal-dialog", "aria-labelledby": heading.id }, heading, ...body);
    box.addEventListener("close", () => box.remove());
    document.body.append(box);
    box.showModal();
    return box;
  };

  /* ---- sharing ---- */

  const linkTo = (code) => {
    const url = new URL("my-deals.html", window.location.href); // every deal page is beside it
    url.hash = `${Share.KEY}=${code}`;
    return url.href;
  };

  const share = (record) => {
    const passId = uid("share-pass");
    const linkId = uid("share-link");
    const pass = el("input", { type: "password", id: passId, autocomplete: "new-password" });
    const link = el("textarea", { id: linkId, rows: 4, readOnly: true, className: "deal-dialog__link" });
    const status = el("p", { className: "deal-dialog__status", role: "status" });
    const copy = button("Copy the link", { disabled: true });
    const make = button("Make the link");
    const close = button("Close");
    const box = dialog(
      `Share ${Store.quoted(Deals.named(record))} by link`,
      el(
        "p",
        {},
        "The link carries this deal, every worksheet's answers, after its “#”: that part of an address is never sent to a server. Whoever opens it sees what it holds and chooses whether to keep a copy. Chat and mail tools keep the links you send, so anyone who can read that conversation later can open this one: add a passphrase, and give it by another way (a call, in person).",
      ),
      el("p", {}, el("label", { htmlFor: passId }, "Passphrase (optional)"), pass),
      el("p", {}, make, copy, close),
      el("p", {}, el("label", { htmlFor: linkId }, "Link"), link),
      status,
    );
    make.addEventListener("click", async () => {
      make.disabled = true;
      status.textContent = pass.value ? "Locking the link with your passphrase…" : "Making the link…";
      const fresh = Deals.load(record.id) ?? record;
      const text = JSON.stringify(Deals.envelope([fresh]));
      const url = linkTo(await Share.encode(text, pass.value));
      make.disabled = false;
      if (url.length > Share.LIMIT) {
        link.value = "";
        copy.disabled = true;
        status.textContent = `This deal is too long for a link (${url.length.toLocaleString()} characters; links of more than ${Share.LIMIT.toLocaleString()} are cut by many tools). Use “Export this deal” instead and send the file.`;
        return;
      }
      link.value = url;
      copy.disabled = false;
      Deals.shared(record.id);
      status.textContent = `The link is ready (${url.length.toLocaleString()} characters).${pass.value ? " It opens only with the passphrase." : " Anyone who has it can read the deal."}`;
    });
    copy.addEventListener("click", async () => {
      link.select();
      try {
        await navigator.clipboard.writeText(link.value);
        status.textContent = "Copied.";
      } catch {
        status.textContent = "Your browser did not let the page copy: the link is selected, so copy it with your keyboard.";
      }
    });
    close.addEventListener("click", () => box.close());
  };

  /* ---- bringing a copy in ---- */

  const describe = (value) => {
    if (value === undefined || value === "") return "(no answer)";
    if (typeof value === "boolean") return value ? "Ticked" : "Not ticked";
    if (Array.isArray(value)) return value.map((row) => Object.values(row).filter(Boolean).join(" · ")).join("\n") || "(no rows)";
    return String(value);
  };

  const CHANGE = { add: "Added", change: "Changed", earlier: "Added as an earlier answer", name: "Name" };

  const side = (title, value) => el("div", { className: "deal-dialog__side" }, el("p", { className: "deal-dialog__who" }, title), el("p", { className: "deal-dialog__value" }, describe(value)));

  /* One conflict: the two answers side by side and the choice, "both" first so that nothing is lost by default. */
  const conflict = (deal, item, sheets) => {
    const key = item.kind === "name" ? "name" : `${item.sheet}/${item.id}`;
    const group = uid("choice");
    const options = (item.kind === "name" ? [["mine", "Keep my name"], ["theirs", "Take their name"]] : [
      ["both", "Keep both"],
      ["mine", "Keep mine"],
      ["theirs", "Keep theirs"],
    ]).map(([value, text], i) => {
      const id = `${group}-${value}`;
      const radio = el("input", { type: "radio", name: group, id, value, checked: i === 0, "data-deal": deal, "data-key": key });
      return el("span", { className: "deal-dialog__option" }, radio, " ", el("label", { htmlFor: id }, text));
    });
    const where = item.sheet ? `${sheets[item.sheet]?.title ?? item.sheet}: ` : "";
    return el(
      "fieldset",
      { className: "deal-dialog__conflict" },
      el("legend", {}, `${where}${item.label}`),
      el("div", { className: "deal-dialog__sides" }, side("Mine", item.mine), side("Theirs", item.theirs)),
      el("p", {}, ...options),
    );
  };

  const review = (plan) =>
    new Promise((resolve) => {
      const sheets = Deals.worksheets();
      const body = [];
      for (const { incoming, mine, changes } of plan.deals) {
        if (!mine) {
          const count = Object.values(incoming.worksheets).reduce((n, s) => n + Object.values(s.answers).filter((e) => !Deals.isEmpty(e.v)).length, 0);
          body.push(el("p", {}, `A new deal, ${Store.quoted(Deals.named(incoming))}, with ${count} answer${count === 1 ? "" : "s"}.`));
          continue;
        }
        body.push(el("h3", {}, `Your deal ${Store.quoted(Deals.named(mine))}`));
        if (!changes.length) body.push(el("p", {}, "This copy holds nothing you do not have already: importing changes nothing."));
        const plain = changes.filter((c) => c.kind !== "conflict" && c.kind !== "name");
        if (plain.length) {
          body.push(
            el("p", {}, "Changed in their copy only, so taken as they are:"),
            el(
              "ul",
              { className: "deal-dialog__changes" },
              ...plain.map((c) =>
                el("li", {}, `${CHANGE[c.kind]}: ${sheets[c.sheet]?.title ?? c.sheet}, ${c.label}: `, el("span", { className: "deal-dialog__value" }, describe(c.theirs)), c.kind === "change" ? ` (was: ${describe(c.mine)})` : ""),
              ),
            ),
          );
        }
        const both = changes.filter((c) => c.kind === "conflict" || c.kind === "name");
        if (both.length) {
          body.push(el("p", {}, "Changed on both sides since the copies split: choose what to keep. “Keep both” joins the two answers, or keeps theirs beside yours as an earlier answer."));
          body.push(...both.map((c) => conflict(incoming.id, c, sheets)));
        }
      }
      const go = button("Import");
      const stop = button("Cancel");
      const box = dialog("Before importing", ...body, el("p", {}, go, stop));
      let answer = null;
      go.addEventListener("click", () => {
        // keyed by deal ids, which a file chooses ("__proto__", "constructor"): objects without a prototype
        answer = Object.create(null);
        for (const radio of box.querySelectorAll("input[type=radio]:checked")) {
          (answer[radio.dataset.deal] ??= Object.create(null))[radio.dataset.key] = radio.value;
        }
        box.close();
      });
      stop.addEventListener("click", () => box.close());
      box.addEventListener("close", () => resolve(answer));
      go.focus();
    });

  const bringIn = async (text, always = false) => {
    const worksheets = Deals.worksheets();
    const plan = Deals.planImport(text, worksheets);
    if (!plan.ok) return plan;
    if (!plan.aside && (always || plan.deals.some((d) => d.mine))) {
      const choices = await review(plan);
      if (!choices) return { ok: false, cancelled: true, error: "" };
      return Deals.applyImport(Deals.planImport(text, worksheets), worksheets, choices); // as stored now
    }
    return Deals.applyImport(plan, worksheets);
  };

  /* The passphrase of a locked link: a Promise of the link's text, or null when the reader gives up. */
  const unlock = (code) =>
    new Promise((resolve) => {
      const id = uid("unlock");
      const pass = el("input", { type: "password", id, autocomplete: "off" });
      const status = el("p", { className: "deal-dialog__status", role: "alert" });
      const open = button("Open");
      const stop = button("Cancel");
      const form = el("form", { method: "dialog" }, el("p", {}, el("label", { htmlFor: id }, "Passphrase"), pass), el("p", {}, open, stop), status);
      const box = dialog("This link is locked", el("p", {}, "Whoever shared this deal locked it with a passphrase. Type it to see what the link holds."), form);
      let text = null;
      open.type = "submit";
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        open.disabled = true;
        status.textContent = "Opening…";
        const found = await Share.decode(code, pass.value);
        open.disabled = false;
        if (!found.ok) {
          status.textContent = found.error;
          return pass.select();
        }
        text = found.text;
        box.close();
      });
      stop.addEventListener("click", () => box.close());
      box.addEventListener("close", () => resolve(text));
      pass.focus();
    });

  const openLink = async (hash) => {
    const code = hash.slice(`#${Share.KEY}=`.length);
    // the deal leaves the address bar (and so the history and any bookmark) once read
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    let text;
    if (Share.locked(code)) {
      text = await unlock(code);
      if (text === null) return { ok: false, cancelled: true, error: "" };
    } else {
      const found = await Share.decode(code);
      if (!found.ok) return found;
      text = found.text;
    }
    const result = await bringIn(text, true);
    // import's sentences speak of a file; this deal came in a link
    return result.ok ? result : { ...result, error: result.error.replace(/^This file\b/, "This link") };
  };

  /* ---- the preparation timeline ---- */

  const today = () => Timeline.addDays(new Date().toLocaleDateString("sv"), 0); // sv: YYYY-MM-DD, local
  const planOf = (record) => Timeline.plan(record, window.PlaybookSchema, today());
  const countdown = (record) => {
    const found = planOf(record);
    return found ? Timeline.countdown(found, today()) : "";
  };
  const meeting = (record) => planOf(record)?.meeting ?? null;
  const calendar = (record) => {
    const found = planOf(record);
    if (!found) return false;
    const product = window.PlaybookIcs.productOf(document);
    const text = Timeline.calendar(record, found, window.location.href, product);
    Store.saveFile(`preparing-${Deals.safeName(Deals.named(record)) || "deal"}.ics`, text, "text/calendar;charset=utf-8");
    return true;
  };

  const messages = (status, problem) => ({
    say(text) {
      status.textContent = text;
      problem.textContent = "";
    },
    warn(text) {
      problem.textContent = text;
      status.textContent = "";
    },
  });

  /* ---- a page and a schema of two versions of the site ---- */

  /* A browser can keep a copy of a page, or of its scripts, across an update of the site, and so
   * run a page of one version with the questions of another: typing into a question whose type
   * changed would then save the wrong answer. Such a page says so, with a button to reload it, and
   * everything else in it is made inert before anything is read or saved. */
  const outdated = () => {
    const built = document.querySelector('meta[name="playbook-schema"]')?.content;
    if (built !== undefined && built === window.PlaybookSchema?.stamp) return false;
    const article = document.querySelector("article") ?? document.body;
    for (const node of article.children) node.inert = true;
    const reload = button("Reload the page");
    reload.addEventListener("click", () => window.location.reload());
    article.prepend(
      el(
        "div",
        { className: "admonition warning deal-outdated", role: "alert" },
        el("p", { className: "admonition-title" }, "Reload this page to go on"),
        el(
          "p",
          {},
          "The site was updated while your browser kept a copy of part of this page, so the page cannot " +
            "save anything until it is reloaded. What this device holds is kept as it is.",
        ),
        el("p", {}, reload),
      ),
    );
    return true;
  };

  window.PlaybookDealTools = { share, bringIn, openLink, countdown, meeting, calendar, messages, outdated };
})();
