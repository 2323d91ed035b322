"""Deals in a real headless Chromium: one deal across the worksheets, My deals, migration from the
previous release's storage and files, tabs that never misfile or resurrect answers, paper, phones.

The site is built from the small test tree (tests/trees/mini, two worksheets). Worksheets and
questions are read from the page (the descriptions the build generates from content), so the tests
hold for any content: only the first text boxes of each worksheet are used.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import Page, download
from .validators import axe_violations, nu_errors

pytestmark = pytest.mark.browser

NS = "negotiation-playbook:"


def worksheets(page) -> dict:
    return page.evaluate("PlaybookDeals.worksheets()")


def first_text(sheet: dict) -> str:
    """The id of a worksheet's first free-text question (each worksheet has one)."""
    return next(f["id"] for f in sheet["fields"] if f["type"] in ("long-text", "text"))


def goto_sheet(page, server: str, sheet: dict, query: str = "") -> None:
    page.goto(f"{server}/canvases/{sheet['url']}{query}")


def current(page) -> dict:
    return page.evaluate("PlaybookDeals.load(PlaybookDeals.current())")


def answer(page, sheet_id: str, field: str):
    record = current(page)
    return record["worksheets"].get(sheet_id, {}).get("answers", {}).get(field, {}).get("v")


@pytest.fixture
def sheets(mini_server: str, tab) -> list[dict]:
    tab.page.goto(f"{mini_server}/canvases/my-deals.html")
    found = list(worksheets(tab.page).values())
    assert len(found) >= 2
    return found


def test_a_deal_named_on_one_worksheet_is_the_deal_of_every_worksheet(mini_server: str, tab, sheets):
    page = tab.page
    one, two = sheets[0], sheets[1]
    goto_sheet(page, mini_server, one)
    page.fill("#canvas-name", "Supplier renewal")
    page.fill(f"#f-{first_text(one)}", "Their quarter ends in March")
    goto_sheet(page, mini_server, two)
    assert page.input_value("#canvas-name") == "Supplier renewal"  # nothing retyped
    assert page.locator(".deal-menu__name").inner_text() == "Supplier renewal"
    page.fill(f"#f-{first_text(two)}", "Faster payment")
    record = current(page)
    assert record["name"] == "Supplier renewal"
    assert answer(page, one["id"], first_text(one)) == "Their quarter ends in March"
    assert answer(page, two["id"], first_text(two)) == "Faster payment"
    # a new deal made on the second worksheet is the one the first shows next
    page.click("[data-action=new]")
    page.fill("#canvas-name", "Budget talk")
    goto_sheet(page, mini_server, one)
    assert page.input_value("#canvas-name") == "Budget talk"
    assert page.input_value(f"#f-{first_text(one)}") == ""
    assert page.locator("#canvas-pick option").all_inner_texts() == ["Supplier renewal", "Budget talk"]
    wording = page.inner_text(".deal-menu") + page.inner_text(".canvas-privacy")
    assert "canvas" not in wording.lower().replace("negotiation canvas", "")


def old_storage(sheets: list[dict]) -> dict[str, str]:
    """What the previous release stored: one key per worksheet, canvases named per deal."""
    one, two = sheets[0], sheets[1]
    a, b = first_text(one), first_text(two)
    return {
        f"{NS}canvas:{one['id']}": json.dumps(
            {
                "current": "c2",
                "canvases": [
                    {
                        "id": "c1",
                        "name": "Acme renewal",
                        "answers": {a: "Acme answer", "removed-question": "kept"},
                        "labels": {a: "Q", "removed-question": "A question since removed"},
                        "earlier": {"older": {"label": "An older question", "value": "older words"}},
                    },
                    {"id": "c2", "name": "Hiring plan", "answers": {a: "Hiring answer"}, "labels": {}},
                ],
            }
        ),
        f"{NS}canvas:{two['id']}": json.dumps(
            {"current": "x", "canvases": [{"id": "x", "name": "Acme renewal", "answers": {b: "Acme two"}}]}
        ),
    }


def test_answers_saved_by_the_previous_release_are_all_found_under_deals(mini_server: str, tab, sheets):
    page = tab.page
    old = old_storage(sheets)
    page.evaluate("old => Object.entries(old).forEach(([k, v]) => localStorage.setItem(k, v))", old)
    one, two = sheets[0], sheets[1]
    goto_sheet(page, mini_server, one)
    assert page.locator("#canvas-pick option").all_inner_texts() == ["Acme renewal", "Hiring plan"]
    assert page.input_value("#canvas-name") == "Hiring plan"  # the canvas that was current
    page.select_option("#canvas-pick", label="Acme renewal")
    assert page.input_value(f"#f-{first_text(one)}") == "Acme answer"
    earlier = page.locator(".canvas-earlier")
    expect(earlier).to_be_visible()
    assert earlier.locator("dt").all_inner_texts() == ["A question since removed", "An older question"]
    assert earlier.locator(".canvas-earlier__value").all_inner_texts() == ["kept", "older words"]
    goto_sheet(page, mini_server, two)  # same-named canvases of two worksheets became one deal
    assert page.input_value("#canvas-name") == "Acme renewal"
    assert page.input_value(f"#f-{first_text(two)}") == "Acme two"
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.startswith(f"{NS}canvas:")]
    for key, text in old.items():  # the old data is kept, renamed, as a backup
        kept = key.replace(f"{NS}canvas:", f"{NS}old:canvas:")
        assert json.loads(page.evaluate("k => localStorage.getItem(k)", kept)) == json.loads(text)


def test_the_old_data_stays_where_it_was_until_the_deals_are_written(mini_server: str, tab, sheets):
    page = tab.page
    old = old_storage(sheets)
    page.evaluate("old => Object.entries(old).forEach(([k, v]) => localStorage.setItem(k, v))", old)
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }"
    )
    goto_sheet(page, mini_server, sheets[0])
    for key, text in old.items():
        assert page.evaluate("k => localStorage.getItem(k)", key) == text


def test_a_file_exported_by_the_previous_release_still_imports(mini_server: str, tab, sheets, tmp_path: Path):
    page = tab.page
    one = sheets[0]
    field = first_text(one)
    old = {
        "format": "negotiation-playbook",
        "kind": "canvases",
        "id": one["id"],
        "version": one["version"],
        "exported": "2026-01-01T00:00:00.000Z",
        "data": {"canvases": [{"id": "k", "name": "Old file", "answers": {field: "from the old file"}}]},
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    goto_sheet(page, mini_server, sheets[1])  # any worksheet reads it: the file names its worksheet
    page.set_input_files("#canvas-import", str(path))
    expect(page.locator(".canvas-status")).to_contain_text('Imported "\u2068Old file\u2069"')
    goto_sheet(page, mini_server, one)
    assert page.input_value(f"#f-{field}") == "from the old file"


def test_export_delete_import_restores_every_worksheet(mini_server: str, tab, sheets, tmp_path: Path):
    page = tab.page
    for n, sheet in enumerate(sheets):
        goto_sheet(page, mini_server, sheet)
        page.fill(f"#f-{first_text(sheet)}", f"answer {n}")
    page.goto(f"{mini_server}/canvases/my-deals.html")
    deal = page.locator(".my-deals__deal")
    expect(deal).to_have_count(1)
    for sheet in sheets:  # progress from the generated descriptions, whatever the content
        assert f"{sheet['title']}: 1 of {len(sheet['fields'])} question" in deal.inner_text()
    saved = download(page, ".my-deals__deal [data-action=export]", tmp_path)
    page.once("dialog", lambda d: d.accept())
    page.click(".my-deals__deal [data-action=delete]")
    expect(deal).to_have_count(0)
    expect(page.locator(".my-deals__none")).to_be_visible()
    page.set_input_files("#deals-import", str(saved))
    expect(page.locator(".canvas-status")).to_contain_text("Imported 1 deal")
    page.click(".my-deals__sheets a >> nth=-1")  # open the deal on the last worksheet
    for n, sheet in enumerate(sheets):
        goto_sheet(page, mini_server, sheet)
        assert page.input_value(f"#f-{first_text(sheet)}") == f"answer {n}", sheet["id"]


def test_my_deals_renames_duplicates_and_opens_a_deal(mini_server: str, tab, sheets):
    page = tab.page
    one = sheets[0]
    goto_sheet(page, mini_server, one)
    page.fill(f"#f-{first_text(one)}", "original")
    page.goto(f"{mini_server}/canvases/my-deals.html")
    page.once("dialog", lambda d: d.accept("Renamed <b>deal</b>"))
    page.click("[data-action=rename]")
    expect(page.locator(".my-deals__deal h2")).to_have_text("Renamed <b>deal</b>")  # text, never markup
    page.click("[data-action=duplicate]")
    names = page.locator(".my-deals__deal h2")
    expect(names).to_have_count(2)
    page.locator(".my-deals__deal", has_text="Copy of").locator(".my-deals__sheets a").first.click()
    assert page.input_value("#canvas-name") == "Copy of Renamed <b>deal</b>"
    page.fill(f"#f-{first_text(one)}", "changed in the copy")
    page.select_option("#canvas-pick", label="Renamed <b>deal</b>")
    assert page.input_value(f"#f-{first_text(one)}") == "original"


def test_print_all_worksheets_of_a_deal_shows_every_answer(mini_server: str, tab, sheets):
    page = tab.page
    long = "\n".join(f"Line {n} of a long answer" for n in range(1, 41))
    for sheet in sheets:
        goto_sheet(page, mini_server, sheet)
        page.fill(f"#f-{first_text(sheet)}", f"{sheet['title']}: {long}")
    page.goto(f"{mini_server}/canvases/my-deals.html")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-action=print]")
    assert page.evaluate("window.printed")
    page.emulate_media(media="print")
    view = page.locator(".deal-print")
    expect(view).to_be_visible()
    assert page.locator(".my-deals").is_hidden()
    text = view.inner_text()
    for sheet in sheets:
        assert f"{sheet['title']}: Line 1 of a long answer" in text
        assert text.count("Line 40 of a long answer") == len(sheets)  # whole, never clipped
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_print_with_my_answers_on_a_worksheet(mini_server: str, tab, sheets):
    page = tab.page
    goto_sheet(page, mini_server, sheets[0])
    field = first_text(sheets[0])
    page.fill(f"#f-{field}", "An answer for paper")
    button = page.get_by_role("button", name="Print or save as PDF with my answers")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed")
    page.emulate_media(media="print")
    assert page.locator(f"#f-{field} + .canvas-print-value").inner_text() == "An answer for paper"
    assert page.locator(".web-only:visible").count() == 0


def two_tabs(tab, server: str, sheet: dict):
    first = tab.page
    second = tab.context.new_page()
    goto_sheet(first, server, sheet)
    return first, second


def test_each_tab_keeps_its_own_deal(mini_server: str, tab, sheets):
    sheet = sheets[0]
    field = f"#f-{first_text(sheet)}"
    first, second = two_tabs(tab, mini_server, sheet)
    first.fill("#canvas-name", "Deal A")
    first.fill(field, "A's answer")
    goto_sheet(second, mini_server, sheet)
    assert second.input_value("#canvas-name") == "Deal A"
    second.click("[data-action=new]")
    second.fill("#canvas-name", "Deal B")
    second.fill(field, "B's answer")
    expect(first.locator("#canvas-pick option")).to_have_count(2)  # B appears in the list...
    assert first.input_value("#canvas-name") == "Deal A"  # ...but this tab stays on A
    assert first.input_value(field) == "A's answer"
    first.fill(field, "A's answer, edited")
    assert second.input_value(field) == "B's answer"
    first.reload()  # a reload keeps the tab's own deal, not the one picked last elsewhere
    assert first.input_value("#canvas-name") == "Deal A"


def test_two_tabs_typing_at_the_same_moment_lose_nothing(mini_server: str, tab, sheets):
    sheet = sheets[0]
    texts = [f["id"] for f in sheet["fields"] if f["type"] in ("long-text", "text")][:2]
    first, second = two_tabs(tab, mini_server, sheet)
    first.fill(f"#f-{texts[0]}", "start")
    goto_sheet(second, mini_server, sheet)
    # the second tab hears nothing from the first: it types on a copy that does not have its answer
    second.evaluate("window.addEventListener('storage', (e) => e.stopImmediatePropagation(), true)")
    first.fill(f"#f-{texts[0]}", "typed in the first tab")
    second.fill(f"#f-{texts[1]}", "typed in the second tab")
    first.reload()
    assert first.input_value(f"#f-{texts[0]}") == "typed in the first tab"
    assert first.input_value(f"#f-{texts[1]}") == "typed in the second tab"


def test_a_deal_deleted_in_one_tab_is_never_written_back_by_another(mini_server: str, tab, sheets):
    sheet = sheets[0]
    field = f"#f-{first_text(sheet)}"
    first, second = two_tabs(tab, mini_server, sheet)
    first.fill("#canvas-name", "Doomed")
    first.fill(field, "soon gone")
    goto_sheet(second, mini_server, sheet)
    first.once("dialog", lambda d: d.accept())
    first.click("[data-action=delete]")
    expect(second.locator(".canvas-error")).to_contain_text("deleted in another tab")
    assert second.input_value(field) == ""
    second.fill(field, "typed after the deletion")
    names = second.evaluate("PlaybookDeals.list().map(d => d.name)")
    assert "Doomed" not in names
    assert "soon gone" not in json.dumps(second.evaluate("Object.values(localStorage)"))


def test_delete_all_in_one_tab_is_followed_by_the_others(mini_server: str, tab, sheets):
    sheet = sheets[0]
    field = f"#f-{first_text(sheet)}"
    first, second = two_tabs(tab, mini_server, sheet)
    first.fill(field, "private")
    goto_sheet(second, mini_server, sheet)
    assert second.input_value(field) == "private"
    first.once("dialog", lambda d: d.accept())
    first.click("[data-action=delete-all]")
    expect(second.locator(field)).to_have_value("")
    second.fill(f"#f-{[f['id'] for f in sheet['fields'] if f['type'] in ('text', 'long-text')][1]}", "x")
    assert "private" not in json.dumps(second.evaluate("Object.values(localStorage)"))


def test_damaged_deals_are_set_aside_and_can_be_exported_or_deleted(mini_server: str, tab, sheets, tmp_path):
    page = tab.page
    page.evaluate(f'localStorage.setItem(\'{NS}deal:broken\', \'{{"id": "broken", "name": 5\')')
    goto_sheet(page, mini_server, sheets[0])
    expect(page.locator(".canvas-error")).to_contain_text("could not be read")
    page.goto(f"{mini_server}/canvases/my-deals.html")
    damaged = page.locator(".my-deals__damaged")
    expect(damaged).to_be_visible()
    expect(damaged).to_contain_text("not readable at all, perhaps cut short")
    saved = download(page, "[data-action=export-backup]", tmp_path)
    copy = json.loads(saved.read_text())
    assert (copy["kind"], copy["id"], copy["data"]["text"]) == (
        "set-aside",
        "deal:broken",
        '{"id": "broken", "name": 5',
    )
    page.once("dialog", lambda d: d.accept())
    page.click("[data-action=delete-backup]")
    expect(damaged).to_be_hidden()
    assert page.evaluate("PlaybookStore.backups()") == []
    page.set_input_files("#deals-import", str(saved))  # the file comes back: set aside here again
    expect(page.locator(".canvas-error")).to_contain_text("could not be repaired. It is kept on this device")
    assert [b["text"] for b in page.evaluate("PlaybookStore.backups()")] == ['{"id": "broken", "name": 5']
    # a deal whose text reads, but not as a deal this version keeps, comes back as a deal
    odd = {"id": "odd", "born": 1, "named": 1, "name": 5, "worksheets": {}}
    page.evaluate(f"r => localStorage.setItem('{NS}deal:odd', JSON.stringify(r))", odd)
    page.reload()
    expect(page.locator(".my-deals__backup").last).to_contain_text("because it has no name")
    page.locator(".my-deals__backup").last.locator("[data-action=restore-backup]").click()
    expect(page.locator(".my-deals__deal h2")).to_have_text(["Recovered deal"])


def test_a_set_aside_deal_is_repaired_and_restored_in_place(mini_server: str, tab, sheets):
    page = tab.page
    long = {"id": "longname", "born": 1, "named": 1, "name": "Copy of " + "n" * 200, "worksheets": {}}
    page.evaluate(f"r => localStorage.setItem('{NS}deal:longname', JSON.stringify(r))", long)
    page.goto(f"{mini_server}/canvases/my-deals.html")
    backup = page.locator(".my-deals__backup")
    expect(backup).to_contain_text("its name is longer than 200 characters")
    page.click("[data-action=restore-backup]")
    expect(page.locator(".canvas-status")).to_contain_text("its name was cut to 200 characters")
    expect(page.locator(".my-deals__deal")).to_have_count(1)
    expect(backup).to_have_count(0)


def test_storage_status_and_the_first_save_asks_to_keep_it(mini_server: str, tab, sheets):
    page = tab.page
    page.add_init_script(
        "window.asked = 0; navigator.storage.persist = async () => { asked += 1; return false; };"
        "navigator.storage.persisted = async () => false;"
    )
    goto_sheet(page, mini_server, sheets[0])
    expect(page.locator(".deal-keep")).to_contain_text("may clear")
    assert page.evaluate("asked") == 0
    page.fill(f"#f-{first_text(sheets[0])}", "one")
    page.fill(f"#f-{first_text(sheets[0])}", "two")
    assert page.evaluate("asked") == 1


def test_the_chart_goes_away_when_its_numbers_are_cleared(mini_server: str, tab, sheets):
    page = tab.page
    sheet = next(
        (
            s
            for s in sheets
            if page.goto(f"{mini_server}/canvases/{s['url']}") and page.locator(".canvas-zopa").count()
        ),
        None,
    )
    if sheet is None:
        pytest.skip("no worksheet of this content draws the zone of possible agreement")
    zopa = page.locator(".canvas-zopa")
    names = [
        zopa.get_attribute(f"data-{k}")
        for k in ("my-walk-away", "my-target", "their-walk-away", "their-target")
    ]
    for name, value in zip(names, ("100", "150", "120", "90"), strict=True):
        page.fill(f"#f-{name}", value)
    expect(zopa.locator("svg")).to_be_visible()
    for name in names:
        page.fill(f"#f-{name}", "")
    expect(zopa.locator("svg")).to_be_hidden()
    assert page.locator(".canvas-zopa svg[hidden]").count() == 0  # not valid on an <svg>


@pytest.mark.parametrize(
    "tab", [{"viewport": {"width": 390, "height": 844}, "is_mobile": True}], indirect=True
)
def test_on_a_phone_the_deal_menu_folds_and_the_first_question_is_on_screen(mini_server: str, tab, sheets):
    page = tab.page
    for sheet in sheets:
        goto_sheet(page, mini_server, sheet)
        menu = page.locator(".deal-menu")
        assert menu.evaluate("el => el.open") is False
        first = page.locator("#canvas-form :is(input, textarea)").first
        box = first.bounding_box()
        assert box["y"] + 20 < 844, sheet["id"]  # visible without scrolling
        page.click(".deal-menu > summary")
        small = page.eval_on_selector_all(
            ".deal-menu :is(button, select, input, .md-button, summary), .canvas-downloads .md-button",
            """els => els.filter(e => e.offsetParent)
                 .map(e => [e.textContent.trim() || e.id, e.getBoundingClientRect()])
                 .filter(([, r]) => r.width < 24 || r.height < 24).map(([t]) => t)""",
        )
        assert small == [], sheet["id"]


def test_a_first_visit_stores_nothing_until_the_reader_types(mini_server: str, browser, sheets):
    fresh = Page(browser)
    try:
        fresh.page.goto(f"{mini_server}/canvases/{sheets[-1]['url']}")
        assert fresh.page.locator("#canvas-pick option").all_inner_texts() == ["My first deal"]
        assert fresh.page.evaluate("PlaybookStore.keys()") == []  # nothing stored until the reader types
    finally:
        fresh.context.close()
    assert fresh.errors == []


TYPED = {"text": "An answer", "long-text": "A longer\nanswer", "number": "100", "date": "2026-03-14"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_filled_worksheet_and_my_deals_are_valid_and_accessible(
    mini_server: str, tab, sheets, scheme: str, tmp_path: Path
):
    page = tab.page
    page.emulate_media(color_scheme=scheme)
    found, shown = [], []  # shown: each page as filled in, before axe adds its script; one Nu run for all
    for sheet in sheets:
        goto_sheet(page, mini_server, sheet)
        for f in sheet["fields"]:  # every question answered, so the chart (if any) is drawn
            if f["type"] in TYPED:
                page.fill(f"#f-{f['id']}", TYPED[f["type"]])
            elif f["type"] == "checkbox":
                page.check(f"#f-{f['id']}")
            elif f["type"] == "scale":
                page.check(f"#f-{f['id']}-3")
        shown.append(tmp_path / f"{sheet['id']}.html")
        shown[-1].write_text(page.content())
        found += [f"{sheet['id']}: {v}" for v in axe_violations(page)]
    page.goto(f"{mini_server}/canvases/my-deals.html")
    shown.append(tmp_path / "my-deals.html")
    shown[-1].write_text(page.content())
    found += [f"my deals: {v}" for v in axe_violations(page)]
    assert found + nu_errors(*shown) == []
