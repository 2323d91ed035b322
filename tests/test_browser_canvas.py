"""The worksheets of the small test tree (tests/trees/mini) in a real headless Chromium: fill, keep,
switch, export, import, update, print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from playbook import content

from .conftest import MINI, Page, built, copy_project, serving_folder, tab_to

pytestmark = pytest.mark.browser

LONG = "\n".join(f"Line {n}: what they said about the budget" for n in range(1, 31))
# one answer of every field type, as the reader types it
ANSWERS = {
    "#f-deal-name": "Dana, head of purchasing at Acme",  # short text
    "#f-meeting-date": "2026-03-14",  # date
    "#f-their-needs": LONG,  # long text
    "#f-my-walk-away": "100",  # number
    "#f-my-target": "150",
    "#f-their-walk-away": "120",
    "#f-their-target": "90",
    "#f-trades-1-give": "Longer contract",  # a list of rows
    "#f-trades-2-words": "Steady volume",
}
CHECKED = ["#f-trust-level-4", "#f-ready"]  # 1-5 scale, checkbox


@pytest.fixture(params=["http", "file"])
def url(request, mini_server: str, mini_site: Path):
    """The test worksheet page, served over http and opened from disk."""
    if request.param == "http":
        return f"{mini_server}/canvases/test-canvas.html"
    return (mini_site / "canvases/test-canvas.html").as_uri()


def fill(page) -> None:
    for selector, value in ANSWERS.items():
        page.fill(selector, value)
    for selector in CHECKED:
        page.check(selector)


def assert_filled(page) -> None:
    for selector, value in ANSWERS.items():
        assert page.input_value(selector) == value, selector
    for selector in CHECKED:
        assert page.is_checked(selector), selector


def stored(page, worksheet: str = "test-canvas") -> dict | None:
    """The answers of the tab's current deal to one worksheet, as saved on the device."""
    return page.evaluate(
        """w => {
          const r = PlaybookDeals.load(PlaybookDeals.current());
          const s = r && !PlaybookDeals.isTombstone(r) && r.worksheets[w];
          const kept = s ? Object.entries(s.answers).filter(([, e]) => !PlaybookDeals.isEmpty(e.v)) : [];
          return s ? Object.fromEntries(kept.map(([k, e]) => [k, e.v])) : null;
        }""",
        worksheet,
    )


def export(page, action: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"[data-action={action}]")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_every_field_type_is_kept_across_a_reload(url: str, tab):
    page = tab.page
    page.goto(url)
    assert "Nothing saved yet" in page.inner_text(".canvas-status")
    fill(page)
    assert "Saved on this device" in page.inner_text(".canvas-status")
    page.reload()
    assert_filled(page)
    assert page.inner_text(".canvas-status") == "Your answers are saved on this device."
    answers = stored(page)
    assert answers["trust-level"] == "4" and answers["ready"] is True
    assert answers["trades"] == [
        {"give": "Longer contract", "cost": "", "words": ""},
        {"give": "", "cost": "", "words": "Steady volume"},
    ]


def test_every_worksheet_page_offers_its_tools(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/index.html")
    links = page.locator("article a[href$='.html']").evaluate_all("els => els.map(e => e.href)")
    worksheets = [link for link in links if "/canvases/" in link and not link.endswith("index.html")]
    assert len(worksheets) == len(content.load(MINI).canvases), "a page for every worksheet"
    for link in worksheets:
        page.goto(link)
        assert page.locator(".canvas-tools").is_visible()
        text = "#canvas-form :is(textarea, input[type=text])"  # the first box that takes words
        page.locator(text).first.fill("noted")
        page.reload()
        assert page.locator(text).first.input_value() == "noted"


def test_deals_created_renamed_switched_duplicated_and_deleted(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    page.fill("#canvas-name", "Acme renewal")
    page.click("[data-action=new]")
    assert page.input_value("#f-deal-name") == ""
    page.fill("#canvas-name", "Supplier audit")
    page.fill("#f-deal-name", "Borealis")
    page.select_option("#canvas-pick", label="Acme renewal")
    assert page.input_value("#f-deal-name") == "Acme"
    page.click("[data-action=duplicate]")
    assert page.input_value("#canvas-name") == "Copy of Acme renewal"
    assert page.input_value("#f-deal-name") == "Acme"
    page.reload()
    names = page.locator("#canvas-pick option").all_inner_texts()
    assert names == ["Acme renewal", "Supplier audit", "Copy of Acme renewal"]
    assert page.input_value("#canvas-name") == "Copy of Acme renewal"  # the current one is remembered
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-action=delete]")
    assert page.locator("#canvas-pick option").count() == 3
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete]")
    page.reload()
    assert page.locator("#canvas-pick option").all_inner_texts() == ["Acme renewal", "Supplier audit"]
    page.select_option("#canvas-pick", label="Supplier audit")
    assert page.input_value("#f-deal-name") == "Borealis"


def test_export_then_import_into_a_fresh_profile(url: str, tab, browser, tmp_path: Path):
    page = tab.page
    page.goto(url)
    fill(page)
    page.fill("#canvas-name", "Acme renewal")
    page.click("[data-action=new]")
    page.fill("#f-deal-name", "Borealis")
    page.select_option("#canvas-pick", label="Acme renewal")
    one = export(page, "export", tmp_path)
    assert one.name == "deal-acme-renewal.json"
    data = json.loads(one.read_text())
    assert {k: data[k] for k in ("format", "kind", "id", "version")} == {
        "format": "negotiation-playbook",
        "kind": "deals",
        "id": "deals",
        "version": 1,
    }
    assert [d["name"] for d in data["data"]["deals"]] == ["Acme renewal"]

    fresh = Page(browser)  # another device: an empty profile
    try:
        fresh.page.goto(url)
        fresh.page.set_input_files("#canvas-import", str(one))
        expect(fresh.page.locator(".canvas-status")).to_contain_text('Imported "\u2068Acme renewal\u2069"')
        assert_filled(fresh.page)
        fresh.page.reload()
        assert fresh.page.locator("#canvas-pick option").all_inner_texts() == ["Acme renewal"]
        assert_filled(fresh.page)
    finally:
        fresh.context.close()
    assert fresh.foreign == [] and fresh.errors == []


def test_importing_over_an_existing_canvas_asks_first(mini_server: str, tab, tmp_path: Path):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    saved = export(page, "export", tmp_path)
    page.fill("#f-deal-name", "Acme, changed since the export")
    before = stored(page)
    page.set_input_files("#canvas-import", str(saved))
    dialog = page.locator("dialog.deal-dialog")
    expect(dialog).to_contain_text("nothing you do not have already")  # the export is older than the page
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.locator(".canvas-status")).to_have_text("Import cancelled; nothing changed.")
    assert stored(page) == before
    page.set_input_files("#canvas-import", str(saved))
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".canvas-status")).to_contain_text("Imported")
    assert page.input_value("#f-deal-name") == "Acme, changed since the export"  # only this side changed it
    assert page.locator("#canvas-pick option").count() == 1


def envelope(canvases: list, worksheet: str = "test-canvas", kind: str = "canvases") -> str:
    data = {"canvases": canvases}
    return json.dumps(
        {"format": "negotiation-playbook", "kind": kind, "id": worksheet, "version": 1, "data": data}
    )


MARKUP = '<img src=x onerror="window.ran = 1"><script>window.ran = 2</script>'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ this is not json", "not valid JSON"),
        (f"<!doctype html><html><body>{MARKUP}</body></html>", "not valid JSON"),
        (json.dumps({"format": "something-else", "data": {}}), "not a playbook export, so nothing"),
        (
            envelope([{"name": "x", "answers": {}}], worksheet="no-such-sheet"),
            "worksheet this playbook does not",
        ),
        (envelope([{"name": "x", "answers": {}}], kind="challenge"), "holds challenge data"),
        (envelope([]), "it holds no deals"),
        (envelope([{"name": MARKUP, "answers": {"their-needs": {"html": MARKUP}}}]), "neither text, a tick"),
        (envelope([{"name": "x", "answers": {"__proto__": "x"}}]), "neither text, a tick"),
        (
            envelope([{"id": "a", "name": "x", "answers": {}}, {"id": "a", "name": "y", "answers": {}}]),
            "same id",
        ),
    ],
    ids=[
        "malformed",
        "html",
        "foreign",
        "other-worksheet",
        "other-kind",
        "empty",
        "bad-answer",
        "proto",
        "same-id",
    ],
)
def test_a_bad_file_changes_nothing_and_runs_nothing(mini_server: str, tab, tmp_path: Path, text, message):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    before = stored(page)
    bad = tmp_path / "import.json"
    bad.write_text(text)
    page.set_input_files("#canvas-import", str(bad))
    error = page.locator(".canvas-error")
    expect(error).to_contain_text(message)
    assert "nothing was imported" in error.inner_text()
    assert stored(page) == before
    assert page.input_value("#f-deal-name") == "Acme"
    assert page.evaluate("window.ran") is None


def test_a_file_with_answers_a_question_cannot_show_imports_and_keeps_them(
    mini_server: str, tab, tmp_path: Path
):
    """A file from a version whose questions had other types: nothing refused, nothing lost."""
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    path = tmp_path / "older.json"
    answers = {"meeting-date": "next Tuesday", "my-target": "lots", "deal-name": "Acme"}
    path.write_text(envelope([{"name": "Older", "answers": answers}]))
    page.set_input_files("#canvas-import", str(path))
    expect(page.locator(".canvas-status")).to_contain_text('Imported "\u2068Older\u2069"')
    assert page.input_value("#f-deal-name") == "Acme"
    assert page.input_value("#f-my-target") == "lots"  # kept as written, marked as not understood
    expect(page.locator("#f-my-target")).to_have_attribute("aria-invalid", "true")
    assert page.input_value("#f-meeting-date") == ""  # a date box cannot show it: an earlier answer
    expect(page.locator(".canvas-earlier")).to_contain_text("next Tuesday")


def test_markup_in_an_imported_file_is_shown_as_text_and_never_run(url: str, tab, tmp_path: Path):
    page = tab.page
    page.goto(url)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        envelope(
            [
                {
                    "id": "hostile",
                    "name": MARKUP,
                    "answers": {
                        "their-needs": MARKUP,
                        "gone-field": MARKUP,
                        "trades": [{"give": MARKUP}],
                    },
                    "labels": {"gone-field": MARKUP},
                }
            ]
        )
    )
    page.set_input_files("#canvas-import", str(hostile))
    expect(page.locator("#f-their-needs")).to_have_value(MARKUP)
    assert page.input_value("#f-trades-1-give") == MARKUP
    assert page.input_value("#canvas-name") == MARKUP
    assert page.locator("#canvas-pick option").first.inner_text() == MARKUP
    assert page.inner_text(".canvas-earlier dt") == MARKUP
    assert page.inner_text(".canvas-earlier__value") == MARKUP
    page.reload()
    assert page.inner_text(".canvas-earlier__value") == MARKUP
    assert page.evaluate("window.ran") is None
    assert page.locator("article img[src=x], article script").count() == 0
    assert not any(url.endswith("/x") for url in requests)


@pytest.fixture(scope="module")
def updated_site(tmp_path_factory, mini_site: Path) -> tuple[Path, dict, dict]:
    """The playbook after an update that removed a text field of the test worksheet (version 2).

    The kept and the removed field are the canvas's first two text answers, whatever they are.
    """
    project = copy_project(tmp_path_factory.mktemp("updated"), MINI)
    path = project / "content/canvases/test-canvas.yaml"
    data = yaml.safe_load(path.read_text())
    data["version"] += 1
    fields = [(s, f) for s in data["sections"] for f in s["fields"] if f["type"] in ("text", "long-text")]
    (_, kept), (section, removed) = fields[:2]
    section["fields"].remove(removed)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return built(project, cache_of=mini_site), kept, removed


def test_an_update_that_removes_a_field_keeps_its_answer(mini_site: Path, updated_site, tab, tmp_path):
    updated, kept, removed = updated_site
    keep, gone = f"#f-{kept['id']}", f"#f-{removed['id']}"
    page = tab.page
    page.goto((mini_site / "canvases/test-canvas.html").as_uri())
    page.fill(keep, "Grow in Asia")
    page.fill(gone, "A second supplier would cut their risk")
    # pages opened from disk share one storage, so this is the same reader after the site was updated
    page.goto((updated / "canvases/test-canvas.html").as_uri())
    assert page.locator(gone).count() == 0
    assert page.input_value(keep) == "Grow in Asia"
    earlier = page.locator(".canvas-earlier")
    assert earlier.is_visible()
    assert earlier.locator("dt").inner_text() == removed["label"]
    assert earlier.locator(".canvas-earlier__value").inner_text() == "A second supplier would cut their risk"
    page.fill(keep, "Grow in Asia and Europe")  # saving keeps the earlier answer
    page.reload()
    assert earlier.locator(".canvas-earlier__value").inner_text() == "A second supplier would cut their risk"
    exported = json.loads(export(page, "export", tmp_path).read_text())["data"]["deals"][0]
    assert removed["id"] in exported["worksheets"]["test-canvas"]["answers"]  # the file keeps it too
    page.click(".canvas-earlier__clear")
    assert earlier.is_hidden()
    page.reload()
    assert earlier.is_hidden()
    assert page.input_value(keep) == "Grow in Asia and Europe"


@pytest.mark.parametrize("page_of, script_of", [("old", "new"), ("new", "old")])
@pytest.mark.parametrize(
    "uri", [f"canvases/{name}.html" for name in ("test-canvas", "my-deals", "deal-brief")]
)
def test_a_page_and_a_schema_of_two_versions_save_nothing(
    mini_site, updated_site, tab, uri, page_of, script_of
):
    """A browser that kept a copy of the page or of its schema across an update: the page says to
    reload, is inert, and the device keeps what it held."""
    sites = {"old": mini_site, "new": updated_site[0]}
    page = tab.page
    with serving_folder(sites[page_of]) as base:
        page.goto(f"{base}/canvases/test-canvas.html")
        page.fill("#f-deal-name", "Kept as it was")
        before = page.evaluate("JSON.stringify(localStorage)")
        schema = (sites[script_of] / "assets/javascripts/worksheets.js").read_text(encoding="utf-8")
        page.route("**/worksheets.js*", lambda r: r.fulfill(body=schema, content_type="text/javascript"))
        page.goto(f"{base}/{uri}")
        an_old_page(page, before)


def an_old_page(page, before: str) -> None:
    notice = page.locator(".deal-outdated")
    expect(notice).to_be_visible()
    assert notice.get_attribute("role") == "alert"
    assert page.locator("article > :not(.deal-outdated)").evaluate_all("nodes => nodes.every(n => n.inert)")
    # an inert control cannot take the focus, so nothing can be typed into it
    assert page.evaluate("""() => {
      document.querySelector("article input, article textarea")?.focus();
      return !document.querySelector("article").contains(document.activeElement);
    }""")
    assert page.evaluate("JSON.stringify(localStorage)") == before
    page.unroute("**/worksheets.js*")
    with page.expect_navigation():
        notice.get_by_role("button", name="Reload the page").click()
    expect(page.locator(".deal-outdated")).to_have_count(0)


def test_print_shows_every_answer_in_full_and_no_navigation(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    fill(page)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-tabs", ".canvas-tools", ".md-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator("#f-their-needs").is_hidden()
    copy = page.locator("#f-their-needs + .canvas-print-value")
    assert copy.is_visible() and copy.inner_text() == LONG
    assert copy.bounding_box()["height"] > 30 * 12  # thirty lines, none clipped
    assert page.locator("#f-trades-1-give + .canvas-print-value").inner_text() == "Longer contract"
    # dates, ticks and choices are text on paper, never controls (tests/test_browser_paper.py reads the PDF)
    for control in ("#f-ready", "#f-meeting-date", "#f-trust-level-4"):
        assert page.locator(control).is_hidden(), control
    assert page.locator("#p-ready + .canvas-print-value").inner_text() == "Yes"
    assert page.locator("#f-meeting-date + .canvas-print-value").inner_text() == "March 14, 2026"  # en-US
    scale = page.locator("[data-field=trust-level] .canvas-print-value")
    assert scale.inner_text().startswith("4 on a scale from 1")

    def size(selector: str) -> float:
        return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")

    assert size("#p-their-needs") < size(".canvas-label label")
    assert page.locator(".canvas-zopa svg").is_visible()


def test_the_zone_of_possible_agreement_is_drawn_or_warned_about(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    caption = page.locator("#zopa-caption")
    assert caption.inner_text().startswith("Fill in the four numbers")
    for selector in ("#f-my-walk-away", "#f-my-target", "#f-their-walk-away", "#f-their-target"):
        page.fill(selector, ANSWERS[selector])
    assert caption.inner_text().startswith("Zone of possible agreement: from 100 to 120.")
    assert page.locator(".canvas-zopa svg rect.zone").count() == 1
    page.fill("#f-their-walk-away", "80")  # they would walk away before reaching my floor
    assert caption.inner_text().startswith("Warning: no zone of possible agreement.")
    assert page.locator(".canvas-zopa svg rect.zone").count() == 0
    # a buyer: the target is below the walk-away point
    for selector, value in {
        "#f-my-walk-away": "50",
        "#f-my-target": "30",
        "#f-their-walk-away": "40",
    }.items():
        page.fill(selector, value)
    page.fill("#f-their-target", "60")
    assert caption.inner_text().startswith("Zone of possible agreement: from 40 to 50.")


def test_a_browser_that_refuses_storage_is_told_so(mini_server: str, tab):
    page = tab.page
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('no', 'SecurityError'); }"
    )
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    error = page.locator(".canvas-error")
    assert error.is_visible() and "refused to store" in error.inner_text()
    page.fill("#f-deal-name", "Acme")
    assert "nothing you type here is kept" in page.inner_text(".canvas-error")
    assert page.inner_text(".canvas-status") == ""
    assert page.input_value("#f-deal-name") == "Acme"  # the page still works for this visit


def test_a_full_storage_is_told_so(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    full = "() => { throw new DOMException('full', 'QuotaExceededError'); }"
    page.evaluate(f"() => {{ Storage.prototype.setItem = {full}; }}")
    page.fill("#f-trades-1-give", "More than fits")
    assert "full" in page.inner_text(".canvas-error")
    assert stored(page) == {"deal-name": "Acme"}


def test_answers_typed_while_storage_is_full_stay_when_shown_again_and_are_saved_once_they_fit(
    mini_server: str, tab
):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    page.evaluate(
        "window.realSetItem = Storage.prototype.setItem;"
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };"
        "undefined"  # the value of this script: Playwright calls a function it returns
    )
    page.fill("#f-their-needs", "typed while full")
    page.fill("#canvas-name", "Renamed while full")
    assert "full" in page.inner_text(".canvas-error")
    # meanwhile another tab saves another answer to this deal (storage events do not reach the page itself)
    page.evaluate(
        """() => {
          const r = PlaybookDeals.load(PlaybookDeals.current());
          const sheet = PlaybookDeals.worksheets()["test-canvas"];
          PlaybookDeals.answer(r, sheet, sheet.fields.find((f) => f.id === "my-target"), "120k");
          realSetItem.call(localStorage, `negotiation-playbook:deal:${r.id}`, JSON.stringify(r));
        }"""
    )
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator("#f-their-needs")).to_have_value("typed while full")
    expect(page.locator("#f-my-target")).to_have_value("120k")
    expect(page.locator("#canvas-name")).to_have_value("Renamed while full")
    assert "full" in page.inner_text(".canvas-error")  # still said: it is still not saved
    assert stored(page) == {"deal-name": "Acme", "my-target": "120k"}
    page.evaluate("Storage.prototype.setItem = realSetItem; undefined")  # space was freed
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert stored(page) == {"deal-name": "Acme", "my-target": "120k", "their-needs": "typed while full"}
    assert page.evaluate("PlaybookDeals.load(PlaybookDeals.current()).name") == "Renamed while full"
    assert "Saved on this device" in page.inner_text(".canvas-status")
    assert page.inner_text(".canvas-error") == ""


def test_a_deal_with_changes_storage_refused_is_not_left_until_they_are_saved(mini_server: str, tab):
    """Picking another deal, a new one, a copy or an import would drop what storage refused: the
    deal stays open, says why, and goes once its changes are saved."""
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    page.click("[data-action=new]")
    page.fill("#canvas-name", "Beta")
    beta = page.evaluate("PlaybookDeals.current()")
    page.select_option("#canvas-pick", label="My first deal")
    acme = page.evaluate("PlaybookDeals.current()")
    page.evaluate(
        "window.realSetItem = Storage.prototype.setItem;"
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };"
        "undefined"
    )
    page.fill("#f-their-needs", "typed while full")
    for leave in (
        lambda: page.select_option("#canvas-pick", beta),
        lambda: page.click("[data-action=new]"),
        lambda: page.click("[data-action=duplicate]"),
    ):
        leave()
        expect(page.locator(".canvas-error")).to_contain_text("stays open")
        assert page.input_value("#canvas-pick") == acme
        assert page.input_value("#f-their-needs") == "typed while full"
        assert page.evaluate("PlaybookDeals.list().length") == 2
    page.evaluate("Storage.prototype.setItem = realSetItem; undefined")  # space was freed
    page.select_option("#canvas-pick", beta)
    assert page.input_value("#canvas-name") == "Beta"
    page.select_option("#canvas-pick", acme)
    assert page.input_value("#f-their-needs") == "typed while full"
    assert stored(page) == {"deal-name": "Acme", "their-needs": "typed while full"}


def test_a_name_cannot_turn_the_words_around_it(mini_server: str, tab):
    """A deal's name in a sentence is isolated for direction: a right-to-left override in it
    (U+202E) or a name in a right-to-left script stays inside its quotes."""
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    name = "Renewal \u202eknil yb"
    page.fill("#canvas-name", name)
    page.click("[data-action=share]")
    heading = page.locator("dialog h2")
    expect(heading).to_have_text(f'Share "\u2068{name}\u2069" by link')
    # drawn as such: the words after the name keep their order on screen
    box = page.evaluate(
        """(h) => {
      const range = document.createRange();
      const text = h.firstChild;
      const at = (i) => {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        return range.getBoundingClientRect().x;
      };
      return [at(text.length - 7), at(text.length - 1)];
    }""",
        heading.element_handle(),
    )
    assert box[0] < box[1], "'by link' is drawn left to right"


def test_delete_all_my_data_on_this_device(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.evaluate("localStorage.setItem('another-site', 'keep')")
    page.evaluate("PlaybookStore.write('challenge', {done: [1, 2]})")
    fill(page)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-action=delete-all]")
    assert stored(page) is not None
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete-all]")
    assert page.inner_text(".canvas-status") == "All your data on this device has been deleted."
    assert page.evaluate("PlaybookStore.keys()") == []
    assert page.evaluate("localStorage.getItem('another-site')") == "keep"
    assert page.input_value("#f-deal-name") == "" and not page.is_checked("#f-ready")
    page.reload()
    assert page.input_value("#f-their-needs") == ""


@pytest.mark.parametrize(
    "tab", [{"viewport": {"width": 360, "height": 740}, "is_mobile": True}], indirect=True
)
def test_usable_on_a_phone_and_with_the_keyboard_alone(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/follow-up.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.focus(".deal-menu > summary")  # folded on a phone: one stop, then the questions
    tab_to(page, "#f-promises-1-promise", limit=12)
    page.keyboard.type("Send the figures")
    page.keyboard.press("Tab")
    page.keyboard.type("Dana")
    page.focus(".canvas-rows__add")
    page.keyboard.press("Enter")
    assert page.locator("#f-promises tbody tr").count() == 2
    assert page.evaluate("document.activeElement.id") == "f-promises-2-promise"
    page.keyboard.type("Call on Friday")
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.focus("#f-trust-level-1")
    page.keyboard.press("ArrowRight")
    page.focus("#f-ready")
    page.keyboard.press("Space")
    page.goto(f"{mini_server}/canvases/follow-up.html")
    assert page.input_value("#f-promises-1-promise") == "Send the figures"
    assert page.input_value("#f-promises-1-owner") == "Dana"
    assert page.input_value("#f-promises-2-promise") == "Call on Friday"
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    assert page.is_checked("#f-trust-level-2") and page.is_checked("#f-ready")
    unlabelled = page.eval_on_selector_all(
        "#canvas-form :is(input, textarea, select)",
        "els => els.filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.name)",
    )
    assert unlabelled == []


def test_removing_a_row_keeps_the_others(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/follow-up.html")
    for row, text in enumerate(["First", "Second", "Third"], start=1):
        if row > 1:
            page.click(".canvas-rows__add")
        page.fill(f"#f-promises-{row}-promise", text)
    page.click("#f-promises tbody tr:nth-child(2) .canvas-rows__remove")
    page.reload()
    assert page.input_value("#f-promises-1-promise") == "First"
    assert page.input_value("#f-promises-2-promise") == "Third"
    assert [r["promise"] for r in stored(page, "follow-up")["promises"]] == ["First", "Third"]


def test_two_tabs_on_one_worksheet_do_not_overwrite_each_other(mini_server: str, tab):
    first = tab.page
    second = tab.context.new_page()
    first.goto(f"{mini_server}/canvases/test-canvas.html")
    first.fill("#f-their-needs", "Growth")
    second.goto(f"{mini_server}/canvases/test-canvas.html")  # a new tab opens the deal picked last
    first.fill("#f-deal-name", "Acme")
    expect(second.locator("#f-deal-name")).to_have_value("Acme")
    second.fill("#f-trades-1-give", "A three-year deal")
    expect(first.locator("#f-trades-1-give")).to_have_value("A three-year deal")
    first.reload()
    assert first.input_value("#f-deal-name") == "Acme"
    assert first.input_value("#f-trades-1-give") == "A three-year deal"


def test_unreadable_saved_data_is_reported(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-deal-name", "Acme")
    key = page.evaluate("PlaybookDeals.key(PlaybookDeals.current())")
    page.evaluate("k => localStorage.setItem('negotiation-playbook:' + k, JSON.stringify({id: 1}))", key)
    page.reload()
    expect(page.locator(".canvas-error")).to_contain_text("could not be read")
    page.fill("#f-deal-name", "A new start")  # the next keystroke does not overwrite what was set aside
    assert page.evaluate("PlaybookStore.backups()") == [{"key": f"backup:{key}:1", "text": '{"id":1}'}]
