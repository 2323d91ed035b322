"""Walking in ready, in a real headless Chromium: the deal brief (on screen, on a phone, on paper), a
deal shared by link and opened in a fresh profile, a colleague's copy brought back with conflicts,
and the preparation timeline as a calendar file.

The brief's parts come from the small test tree's marks (tests/trees/mini); paper is measured on the
shipped worksheets, filled by field type (never by their wording), since one sheet is a promise about
a realistic deal of the shipped playbook.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import Page, download, site_name
from .validators import axe_violations, nu_errors

pytestmark = pytest.mark.browser

BRIEF = "canvases/deal-brief.html"
PAPERS = ("A4", "Letter")


def fill_mini(page, server: str) -> str:
    """A deal on the test worksheet, with a hostile name and answers; returns the deal's id."""
    page.goto(f"{server}/canvases/test-canvas.html")
    page.evaluate("document.querySelector('.deal-menu').open = true")  # folded on a phone
    page.fill("#canvas-name", "Acme <img src=x onerror=alert(1)>")
    page.fill("#f-deal-name", "Acme <b>Ltd</b>")
    page.fill("#f-meeting-date", (date.today() + timedelta(days=5)).isoformat())
    page.fill("#f-their-needs", "A budget signed off by March\nand a pilot first")
    for field, value in {"my-walk-away": "90k", "my-target": "120k", "their-walk-away": "110k"}.items():
        page.fill(f"#f-{field}", value)
    page.fill("#f-trades-1-give", "A longer contract")
    page.fill("#f-trades-1-cost", "5k")
    return page.evaluate("PlaybookDeals.current()")


def shown(page) -> dict[str, list[str]]:
    """The brief as a reader sees it: each visible heading with the visible questions under it."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.deal-brief__part')]
          .filter(p => p.checkVisibility())
          .map(p => [p.querySelector('h2').textContent,
            [...p.querySelectorAll('.deal-brief__item')].filter(i => i.checkVisibility())
              .map(i => i.querySelector('dt').textContent + ': ' + i.querySelector('dd').innerText)]))"""
    )


def test_the_brief_shows_the_marked_answers_as_text_and_says_what_is_still_empty(mini_server: str, tab):
    page = tab.page
    deal = fill_mini(page, mini_server)
    page.click(".deal-menu__brief")
    page.wait_for_url(re.compile(rf"{BRIEF}\?deal={deal}$"))
    parts = shown(page)
    # the order of the headings in brief.yaml, the order of the marks under each; "unused" is left out
    assert list(parts) == ["Who and when", "The numbers", "What we trade"]
    assert parts["The numbers"] == ["My target: 120k", "My walk-away: 90k"]
    assert not page.is_visible(".deal-brief__zopa")  # the picture waits for all four numbers
    assert parts["Who and when"][0] == "Deal name: Acme <b>Ltd</b>"  # text, never markup
    assert parts["What we trade"] == [
        "Trades: A longer contract",
        "Their needs: A budget signed off by March\nand a pilot first",
    ]
    assert page.locator("img").count() == 0
    assert page.inner_text(".deal-brief__deal") == "Acme <img src=x onerror=alert(1)>"
    assert re.match(
        r"The meeting is in 5 days, on \d{4}-\d{2}-\d{2}\. Next, in 3 days: Fill in the test",
        page.inner_text(".deal-brief__countdown"),
    )
    # the fourth number completes the picture, drawn by the worksheet's own code
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-their-target", "80k")
    page.goto(f"{mini_server}/{BRIEF}")
    assert "Zone of possible agreement: from 90,000 to 110,000" in page.inner_text(
        ".deal-brief__zopa figcaption"
    )
    assert page.locator(".deal-brief__zopa svg circle").count() == 2
    assert not page.is_visible(".deal-brief__todo")
    # a new deal: nothing answered, and the worksheet to prepare is named with a link to it
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.click("[data-action=new]")
    page.goto(f"{mini_server}/{BRIEF}")
    assert shown(page) == {}
    todo = page.locator(".deal-brief__empty a")
    assert todo.all_inner_texts() == ["Test worksheet"]
    assert todo.get_attribute("href").startswith("test-canvas.html?deal=")
    # My deals reaches the brief of each deal
    page.goto(f"{mini_server}/canvases/my-deals.html")
    links = page.locator(".my-deals__brief a")
    assert links.count() == 2
    links.last.click()
    page.wait_for_url(re.compile(rf"{BRIEF}\?deal="))


def test_the_brief_titles_the_tab_with_the_deal_name_once_however_often_it_is_shown(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#canvas-name", "Q1: renewal")
    page.goto(f"{mini_server}/{BRIEF}")
    title = page.title()
    assert title.startswith("Q1: renewal: ") and title.count("renewal") == 1
    for _ in range(3):  # shown again, and another tab saving this deal
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        page.evaluate("dispatchEvent(new StorageEvent('storage', {key: null, storageArea: localStorage}))")
    assert page.title() == title


def test_the_brief_is_valid_accessible_and_reached_by_keyboard(mini_server: str, tab):
    from .test_accessibility import unreachable

    page = tab.page
    page.goto(f"{mini_server}/{BRIEF}")
    empty = page.content()
    assert axe_violations(page) == []
    fill_mini(page, mini_server)
    page.goto(f"{mini_server}/{BRIEF}")
    filled = page.content()
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found += axe_violations(page)
    assert found == []
    assert unreachable(page) == []
    page.click("[data-action=share]")
    assert axe_violations(page) == []
    assert nu_errors(empty, filled) == []


def test_the_brief_at_phone_width_needs_no_sideways_scrolling(mini_server: str, tab, tmp_path):
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    fill_mini(page, mini_server)
    page.fill("#f-their-needs", "Averyveryverylongwordwithoutanyspace" * 8)
    page.fill("#f-their-target", "80k")
    page.goto(f"{mini_server}/{BRIEF}")
    page.screenshot(path=tmp_path / "brief-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wide = page.evaluate(
        """[...document.querySelectorAll('.deal-brief *')]
          .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > 391).map(e => e.className)"""
    )
    assert wide == []


@pytest.mark.parametrize("tab", [{"locale": "en-GB", "timezone_id": "Europe/London"}], indirect=True)
def test_the_printed_brief_names_the_deal_on_every_page_and_the_meeting_by_its_day(
    mini_server: str, tab, tmp_path
):
    """Paper is read long after it was printed: each page carries the deal's name, the dates and its
    number, as a printed worksheet does, and the meeting is a day, never a countdown."""
    from .test_browser_paper import lines_of, pages_of, text

    page = tab.page
    page.clock.set_fixed_time("2026-12-05T10:00:00Z")
    fill_mini(page, mini_server)
    page.fill("#f-meeting-date", "2026-12-19")
    page.fill("#f-their-needs", "\n".join(f"Need {n}: a line long enough to be a line" for n in range(90)))
    page.goto(f"{mini_server}/{BRIEF}")
    assert page.inner_text(".deal-brief__countdown").startswith("The meeting is in 14 days")
    pages, _ = pages_of(page.pdf(format="A4"), tmp_path)
    assert len(pages) >= 2
    everything = []
    for n, words in enumerate(pages, start=1):
        lines = [text(line) for line in lines_of(words)]
        assert lines[0] == "Deal: Acme <img src=x onerror=alert(1)> Printed 5 December 2026", n
        assert lines[-1].startswith("Last changed 5 December 2026"), n
        assert lines[-1].endswith(f"Page {n} of {len(pages)}"), n
        everything += lines
    assert any(line.startswith("Meeting on 19 December 2026") for line in everything)
    assert not any("The meeting is" in line or "days" in line for line in everything)
    # after printing, the screen is as it was
    assert page.locator(".deal-paper").count() == 0
    assert page.is_visible(".deal-brief__countdown")
    assert page.title().startswith("Acme <img src=x onerror=alert(1)>: ")


# ---- paper: the shipped worksheets, filled by field type ----

REALISTIC = {
    "text": "Dana Reyes, head of purchasing",
    "long-text": "They must show savings to their board this quarter, and a failed pilot last year "
    "still worries them.",
    "number": "120k",
    "date": (date.today() + timedelta(days=9)).isoformat(),
    "rows": 3,
}
NUMBERS = ["90k", "120k", "110k", "80k"]  # walk-away, target, their walk-away, their target: a zone


def fill_every_marked_answer(page, server: str, scale: int) -> None:
    """Every field the shipped brief shows, answered; `scale` times the realistic length of text."""
    page.goto(f"{server}/canvases/my-deals.html")
    sheets = page.evaluate("PlaybookDeals.worksheets()")
    for sheet in sheets.values():
        page.goto(f"{server}/canvases/{sheet['url']}")
        marked = page.evaluate(
            "id => [...new Set([...document.querySelectorAll('[data-field]')].map(e => e.dataset.field))]",
            sheet["id"],
        )
        zopa = page.evaluate(
            "() => { const z = document.querySelector('.canvas-zopa'); return z ? {...z.dataset} : {}; }"
        )
        numbers = dict(
            zip(
                [zopa.get(k) for k in ("myWalkAway", "myTarget", "theirWalkAway", "theirTarget")],
                NUMBERS,
                strict=True,
            )
        )
        for field in sheet["fields"]:
            if field["id"] not in marked:
                continue
            kind = field["type"]
            if kind in ("text", "long-text"):
                page.fill(
                    f"#f-{field['id']}",
                    " ".join([REALISTIC[kind]] * scale)[: 1900 if kind == "text" else 10**5],
                )
            elif kind == "number":
                page.fill(f"#f-{field['id']}", numbers.get(field["id"], REALISTIC["number"]))
            elif kind == "date":
                page.fill(f"#f-{field['id']}", REALISTIC["date"])
            elif kind == "rows":
                rows = page.locator(f"[data-field='{field['id']}'] tbody tr")
                for row in range(min(rows.count(), REALISTIC["rows"] * scale)):
                    for cell in rows.nth(row).locator("input[data-column], textarea[data-column]").all():
                        cell.fill(
                            "120k"
                            if cell.get_attribute("inputmode")
                            else "Two more months of support at no charge"[: 20 * scale]
                        )


def pages_printed(page, paper: str) -> tuple[int, list[str]]:
    """Pages of the brief printed to PDF by Chromium on `paper`, and the last line of text on each."""
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    page.emulate_media(media="screen")
    lasts = [
        next(reversed([line for line in p.extract_text().splitlines() if line.strip()]), "")
        for p in reader.pages
    ]
    return len(reader.pages), lasts


def test_a_realistic_deal_prints_on_one_page_and_a_long_one_on_two_with_no_heading_left_alone(
    server: str, tab
):
    """On A4 and on Letter, each deal filled in once and printed on both."""
    page = tab.page
    fill_every_marked_answer(page, server, 1)
    page.goto(f"{server}/{BRIEF}")
    headings = page.locator(".deal-brief__part h2").all_inner_texts()
    assert len(headings) == page.locator(".deal-brief__part").count()  # every part has something to show
    for paper in PAPERS:
        count, _ = pages_printed(page, paper)
        assert count == 1, paper
    page.goto(f"{server}/canvases/my-deals.html")
    page.evaluate("localStorage.clear()")
    fill_every_marked_answer(page, server, 3)
    page.goto(f"{server}/{BRIEF}")
    for paper in PAPERS:
        count, lasts = pages_printed(page, paper)
        assert count == 2, paper
        assert not set(lasts) & set(headings), (paper, lasts)  # no page ends on a heading


# ---- sharing by link ----


def make_link(page, passphrase: str = "") -> tuple[str, str]:
    page.click(".deal-brief__tools [data-action=share]")
    dialog = page.locator("dialog.deal-dialog")
    if passphrase:
        dialog.locator("input[type=password]").fill(passphrase)
    dialog.locator("text=Make the link").click()
    page.wait_for_function(
        "document.querySelector('dialog.deal-dialog .deal-dialog__status').textContent.includes('characters')"
    )
    return dialog.locator("textarea").input_value(), dialog.locator(".deal-dialog__status").inner_text()


@pytest.mark.parametrize("passphrase", ["", "correct horse battery"])
def test_a_deal_shared_by_link_opens_in_a_fresh_profile_after_asking(
    browser, mini_server: str, tab, passphrase: str
):
    page = tab.page
    fill_mini(page, mini_server)
    page.goto(f"{mini_server}/{BRIEF}")
    link, said = make_link(page, passphrase)
    assert link.startswith(f"{mini_server}/canvases/my-deals.html#deal=1.{'e' if passphrase else 'p'}.")
    assert "Chat and mail tools keep the links you send" in page.inner_text("dialog.deal-dialog")
    assert "characters" in said
    other = Page(browser)  # a colleague's browser: a fresh profile
    try:
        requests = []
        other.page.on("request", lambda r: requests.append(r.url))
        other.page.goto(link)
        assert all("#" not in url and "deal=" not in url for url in requests)  # the deal never leaves
        dialog = other.page.locator("dialog.deal-dialog")
        if passphrase:
            dialog.locator("input[type=password]").fill("wrong guess")
            dialog.locator("button[type=submit]").click()
            other.page.wait_for_selector("text=That passphrase does not open this link")
            assert other.page.evaluate("Object.keys(localStorage).filter(k => k.includes('deal:'))") == []
            dialog.locator("input[type=password]").fill(passphrase)
            dialog.locator("button[type=submit]").click()
            dialog = other.page.locator("dialog.deal-dialog", has_text="Before importing")
        assert 'A new deal, "\u2068Acme <img src=x onerror=alert(1)>\u2069"' in dialog.inner_text()
        assert (
            other.page.evaluate("Object.keys(localStorage).filter(k => k.includes('deal:'))") == []
        )  # asks first
        assert "#" not in other.page.url  # the fragment left the address bar
        dialog.get_by_role("button", name="Import", exact=True).click()
        other.page.wait_for_selector("text=Imported 1 deal")
        other.page.goto(f"{mini_server}/{BRIEF}")
        assert shown(other.page)["Who and when"][0] == "Deal name: Acme <b>Ltd</b>"
        assert other.errors == [] and other.foreign == []
    finally:
        other.context.close()


def test_a_link_opened_in_a_tab_already_showing_my_deals_is_asked_about(browser, mini_server: str, tab):
    page = tab.page
    fill_mini(page, mini_server)
    page.goto(f"{mini_server}/{BRIEF}")
    link, _ = make_link(page)
    other = Page(browser)
    try:
        other.page.goto(f"{mini_server}/canvases/my-deals.html")
        other.page.evaluate("window.sameDocument = true")
        other.page.goto(link)  # only the fragment changes: the page stays and hears "hashchange"
        dialog = other.page.locator("dialog.deal-dialog", has_text="Before importing")
        dialog.get_by_role("button", name="Import", exact=True).click()
        other.page.wait_for_selector("text=Imported 1 deal")
        assert other.page.evaluate("window.sameDocument") is True
        assert "#" not in other.page.url
        assert other.page.locator(".my-deals__deal", has_text="Acme <img").count() == 1
    finally:
        other.context.close()


def test_a_tampered_link_a_newer_one_and_a_deal_too_long_for_a_link(browser, mini_server: str, tab):
    page = tab.page
    fill_mini(page, mini_server)
    page.goto(f"{mini_server}/{BRIEF}")
    link, _ = make_link(page)
    head, _, code = link.partition("#deal=")
    flipped = code[:-30] + ("A" if code[-30] != "A" else "B") + code[-29:]
    # a sound link around an export of a newer version: import's sentence, said of a link
    newer = page.evaluate(
        """async () => {
          const file = PlaybookDeals.envelope(PlaybookDeals.list());
          return PlaybookShare.encode(JSON.stringify({...file, version: 99}));
        }"""
    )
    for bad, sentence in [
        (flipped, "This link is damaged"),
        (code[:-50], "This link is damaged"),
        ("2" + code[1:], "newer version of the playbook"),
        (newer, "This link was made by a newer version"),
    ]:
        other = Page(browser)
        try:
            other.page.goto(f"{head}#deal={bad}")
            other.page.wait_for_selector(f".canvas-error:has-text('{sentence}')")
            assert "nothing was imported" in other.page.inner_text(".canvas-error")
            assert other.page.evaluate("Object.keys(localStorage).filter(k => k.includes('deal:'))") == []
        finally:
            other.context.close()
    # a deal past the limit: no link, and the page says to use Export
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    noise = page.evaluate(
        "Array.from({length: 30000}, (_, i) => String.fromCharCode(0x4e00 + (i * 7919) % 20000)).join('')"
    )
    page.fill("#f-their-needs", noise)
    page.goto(f"{mini_server}/{BRIEF}")
    link, said = make_link(page)
    assert link == ""
    assert "too long for a link" in said and "Export" in said


# ---- a colleague's copy back ----


@pytest.mark.parametrize(
    ("choice", "kept"), [("Keep mine", "Mine"), ("Keep theirs", "Theirs"), ("Keep both", "Mine\n\nTheirs")]
)
def test_a_copy_changed_on_both_sides_comes_back_with_the_conflict_shown(
    browser, mini_server: str, tab, tmp_path, choice, kept
):
    page = tab.page
    fill_mini(page, mini_server)
    page.goto(f"{mini_server}/{BRIEF}")
    link, _ = make_link(page)
    colleague = Page(browser, accept_downloads=True)
    try:
        colleague.page.goto(link)
        colleague.page.locator("dialog.deal-dialog").get_by_role("button", name="Import", exact=True).click()
        colleague.page.goto(f"{mini_server}/canvases/test-canvas.html")
        colleague.page.fill("#f-their-needs", "Theirs")
        colleague.page.fill("#f-my-target", "130k")  # only the colleague changes this one
        file = download(colleague.page, "[data-action=export]", tmp_path)
    finally:
        colleague.context.close()
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    page.fill("#f-their-needs", "Mine")
    page.set_input_files("#canvas-import", file)
    dialog = page.locator("dialog.deal-dialog")
    assert "Changed: Test worksheet, My target: 130k (was: 120k)" in dialog.inner_text()
    conflict = dialog.locator(".deal-dialog__conflict")
    assert conflict.count() == 1
    assert conflict.locator(".deal-dialog__value").all_inner_texts() == ["Mine", "Theirs"]
    assert page.input_value("#f-their-needs") == "Mine"  # nothing changes until the reader says so
    conflict.locator(f"label:text-is('{choice}')").click()
    dialog.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("text=Imported")
    assert page.input_value("#f-their-needs") == kept
    assert page.input_value("#f-my-target") == "130k"


def deals_file(*deals: dict) -> dict:
    """A file of deals as My deals' import input takes it."""
    envelope = {
        "format": "negotiation-playbook",
        "kind": "deals",
        "id": "deals",
        "version": 1,
        "data": {"deals": deals},
    }
    return {"name": "deals.json", "mimeType": "application/json", "buffer": json.dumps(envelope).encode()}


@pytest.mark.parametrize("deal_id", ["__proto__", "constructor", "hasOwnProperty"])
def test_the_choices_for_a_deal_of_any_id_are_followed_and_touch_no_prototype(mini_server: str, tab, deal_id):
    """Deal ids come from files, and the dialog's choices are keyed by them."""
    page = tab.page
    page.goto(f"{mini_server}/canvases/my-deals.html")
    copy = lambda name, value, t: {  # noqa: E731
        "id": deal_id,
        "name": name,
        "worksheets": {"test-canvas": {"answers": {"their-needs": {"v": value, "t": t}}, "earlier": {}}},
    }
    page.set_input_files("#deals-import", files=[deals_file(copy("Supplier renewal", "Mine", 5))])
    expect(page.locator(".canvas-status")).to_contain_text("Imported 1 deal")
    page.set_input_files("#deals-import", files=[deals_file(copy("Their name", "Theirs", 7))])
    dialog = page.locator("dialog.deal-dialog")
    dialog.locator("label:text-is('Keep my name')").click()
    dialog.locator("label:text-is('Keep mine')").click()
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".canvas-status")).to_contain_text("Imported 1 deal")
    assert page.evaluate("Object.keys(Object.prototype)") == []
    stored = json.loads(page.evaluate(f"localStorage.getItem('negotiation-playbook:deal:{deal_id}')"))
    assert stored["name"] == "Supplier renewal"
    assert stored["worksheets"]["test-canvas"]["answers"]["their-needs"]["v"] == "Mine"


# ---- the preparation timeline ----


def test_the_timeline_goes_to_the_calendar_as_an_ics_file(mini_server: str, tab, tmp_path):
    page = tab.page
    fill_mini(page, mini_server)
    meeting = date.today() + timedelta(days=5)
    countdown = page.inner_text(".deal-menu__countdown")
    assert countdown.startswith(f"The meeting is in 5 days, on {meeting.isoformat()}. Next, in 3 days:")
    page.goto(f"{mini_server}/canvases/my-deals.html")
    assert page.inner_text(".my-deals__countdown") == countdown
    path = download(page, ".my-deals__deal [data-action=calendar]", tmp_path)
    assert path.suffix == ".ics"
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events] == [
        (meeting - timedelta(days=2), "Fill in the test worksheet (Acme <img src=x onerror=alert(1)>)"),
        (meeting - timedelta(days=1), "Read the brief (Acme <img src=x onerror=alert(1)>)"),
        (meeting, "Meeting: Acme <img src=x onerror=alert(1)>"),
    ]
    assert str(events[0]["URL"]).startswith(f"{mini_server}/canvases/test-canvas.html?deal=")
    assert str(events[1]["URL"]).startswith(f"{mini_server}/{BRIEF}?deal=")
    assert len({str(e["UID"]) for e in events}) == 3
    assert str(calendar["PRODID"]) == f"-//{site_name(page)}//EN"
