"""The 30-day challenge page in headless Chromium, with "today" fixed by Playwright's clock."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import build

pytestmark = pytest.mark.browser

PAGE = "practise/challenge.html"
MONDAY = date(2025, 6, 2)
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "X-WR-CALNAME"}
TEXT = re.compile(r"(?:\\[\\;,nN]|[^\\;,\x00-\x08\x0a-\x1f\x7f])*")  # RFC 5545 section 3.3.11


def noon(day: date) -> datetime:
    """Midday UTC is the same calendar day in every time zone the tests use."""
    return datetime.combine(day, time(12), UTC)


def open_on(tab, url: str, today: date):
    page = tab.page
    page.clock.set_fixed_time(noon(today))
    page.goto(url)
    return page


def card(page, n: int):
    return page.locator(f'.challenge-day[data-day="{n}"]')


def cell(page, n: int):
    return page.locator(f'.challenge-cell[data-day="{n}"]')


def start_on(page, day: date) -> None:
    page.fill("input[name=start]", day.isoformat())


def tick(page, n: int) -> None:
    card(page, n).locator("[name=done]").check()


def summary(page) -> str:
    return (
        page.locator(".challenge-summary").inner_text() + " " + page.locator(".challenge-today").inner_text()
    )


def download(page, action: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"[data-action={action}]")
    return Path(info.value.path()).read_bytes()


def parse_ics(raw: bytes) -> list:
    """The calendar's events, after checking the RFC 5545 rules that importers are strict about."""
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), "CRLF line ends only"
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
        line.decode("utf-8")  # a fold inside a multi-byte character would make this line invalid
    for line in "".join(raw.decode().split("\r\n ")).splitlines():  # unfolded
        name, _, value = line.partition(":")
        if name in TEXT_PROPERTIES:
            assert TEXT.fullmatch(value), f"unescaped TEXT value: {line}"
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert len({str(e["uid"]) for e in events}) == len(events), "UIDs must be unique"
    assert all("dtstamp" in e for e in events)
    return events


def test_start_date_ticks_and_notes_survive_a_reload(server: str, tab):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY + timedelta(days=2))
    assert page.input_value("input[name=start]") == "2025-06-09"  # next Monday by default
    assert page.locator("[aria-current=date]").count() == 0
    start_on(page, MONDAY)
    assert cell(page, 1).locator("time").get_attribute("datetime") == "2025-06-02"
    assert cell(page, 30).locator("time").get_attribute("datetime") == "2025-07-01"
    assert page.locator("[aria-current=date]").evaluate_all("els => els.map(e => e.dataset.day)") == [
        "3",
        "3",
    ]
    tick(page, 1)
    tick(page, 2)
    note = '<img src=x onerror="alert(1)"> went "well", mostly; next time & more'
    card(page, 2).locator("[name=note]").fill(note)
    page.reload()
    assert page.input_value("input[name=start]") == "2025-06-02"
    assert [card(page, n).locator("[name=done]").is_checked() for n in (1, 2, 3)] == [True, True, False]
    assert card(page, 2).locator("[name=note]").input_value() == note
    assert page.locator(".challenge-day img").count() == 0
    assert "2 of 30 days done" in summary(page)
    assert cell(page, 2).get_attribute("class").split().count("is-done") == 1


def test_a_missed_day_is_carried_forward_and_the_streak_counts_days_in_a_row(server: str, tab):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    tick(page, 1)
    assert "Current streak: 1 day in a row" in summary(page)

    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=1)))
    page.reload()
    tick(page, 2)
    assert "Current streak: 2 days in a row" in summary(page)
    assert "Today's practice is done. Next: Day 3:" in summary(page)

    # Wednesday goes by with nothing done; on Thursday day 3 is still the one to do.
    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=3)))
    page.reload()
    text = summary(page)
    assert "2 of 30 days done." in text and "No streak yet today." in text
    assert "Today: Day 3: Let them describe success first (from " in text and "carried forward" in text
    assert "is-late" in cell(page, 3).get_attribute("class")
    assert cell(page, 4).get_attribute("aria-current") == "date"
    tick(page, 3)
    assert "Today: Day 4:" in summary(page)
    tick(page, 4)
    text = summary(page)
    assert "4 of 30 days done." in text and "Current streak: 1 day in a row" in text
    assert "Today's practice is done. Next: Day 5:" in text

    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=4)))
    page.reload()
    assert "Current streak: 1 day in a row" in summary(page)  # today is still open
    tick(page, 5)
    assert "5 of 30 days done. Current streak: 2 days in a row." in summary(page)


def test_calendar_file_has_thirty_all_day_events_linking_back(server: str, tab):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    events = parse_ics(download(page, "calendar"))
    assert len(events) == 30
    for n, event in enumerate(events, start=1):
        day = MONDAY + timedelta(days=n - 1)
        assert event.decoded("dtstart") == day and event.decoded("dtend") == day + timedelta(days=1)
        title = cell(page, n).locator(".challenge-cell__title").inner_text()
        assert str(event["summary"]) == f"Day {n}: {title}"
        link = f"{server}/{PAGE}#day-{n}"
        assert str(event["url"]) == link and str(event["description"]).endswith(link)
        assert "valarm" not in [c.name.lower() for c in event.subcomponents]
    action = card(page, 1).locator(".challenge-day__action").inner_text().strip()
    assert str(events[0]["description"]).startswith(action)


@pytest.mark.parametrize("tab", [{"timezone_id": "America/New_York"}], indirect=True)
def test_calendar_file_at_a_chosen_time_has_reminders_across_a_clock_change(site: Path, tab):
    autumn = date(2025, 10, 20)  # New York leaves summer time on 2 November, within the 30 days
    page = open_on(tab, (site / PAGE).as_uri(), autumn)
    start_on(page, autumn)
    page.fill("input[name=time]", "08:30")
    events = parse_ics(download(page, "calendar"))
    new_york = ZoneInfo("America/New_York")
    starts = [e.decoded("dtstart").astimezone(new_york) for e in events]
    assert [(s.date(), s.time()) for s in starts] == [
        (autumn + timedelta(days=n), time(8, 30)) for n in range(30)
    ]
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(minutes=15) for e in events)
    assert all([c.name for c in e.subcomponents] == ["VALARM"] for e in events)
    assert str(events[6]["url"]) == f"{(site / PAGE).as_uri()}#day-7"  # opened from disk: a file URL


def test_text_with_commas_semicolons_quotes_and_line_breaks_survives_the_calendar_file(
    project: Path, site: Path, tab
):
    path = project / "content/challenge.yaml"
    data = yaml.safe_load(path.read_text())
    day = data["days"][0]
    day["title"] = 'Ask, listen; then "decide" \\ later'
    first = 'First, ask; then listen: "why?" costs 5€ ' + "ünïcödé ✓ 🤝 " * 12
    second = "Second paragraph; it keeps a backslash C:\\deals\\notes, and ends here."
    day["action"] = f"{first.strip()}\n\n{second}\n"
    day["phrase"] = 'Say "yes, and"; never "no, but"'
    day["reflect"] = "What changed, and why; was it 'real'?"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    shutil.copytree(site.parent / ".cache", project / ".cache")  # only the changed PDFs are rendered again
    result = build(project)
    assert result.returncode == 0, result.stderr

    url = (project / "site" / PAGE).as_uri()
    page = open_on(tab, url, MONDAY)
    raw = download(page, "calendar")
    assert b"\r\n " in raw  # long lines were folded
    first_event = parse_ics(raw)[0]
    assert str(first_event["summary"]) == f"Day 1: {day['title']}"
    expected = [first.strip(), second, f"Try saying. “{day['phrase']}”", f"Reflect. {day['reflect']}"]
    assert str(first_event["description"]) == "\n\n".join([*expected, f"{url}#day-1"])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_gives_a_one_page_calendar(server: str, tab, paper: str):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    tick(page, 1)
    page.emulate_media(media="print")
    assert page.locator(".challenge-day").first.is_hidden()
    assert page.locator(".challenge-cell").nth(29).is_visible()
    inch = {side: "0.5in" for side in ("top", "right", "bottom", "left")}  # about a browser's default margins
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, margin=inch, print_background=True)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Day 30" in text and "Jul 1" in text


def test_export_then_import_restores_progress_and_a_bad_file_changes_nothing(
    server: str, tab, tmp_path: Path
):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    tick(page, 1)
    card(page, 1).locator("[name=note]").fill("keep me")
    page.click(".challenge-data summary")
    saved = tmp_path / "progress.json"
    saved.write_bytes(download(page, "export"))
    assert json.loads(saved.read_text())["kind"] == "challenge"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    assert not card(page, 1).locator("[name=done]").is_checked()
    assert "0 of 30 days done" in summary(page)

    page.set_input_files("[data-action=import]", saved)  # the file is read asynchronously: expect() waits
    expect(page.locator(".challenge-status")).to_have_text("Loaded progress.json.")
    assert card(page, 1).locator("[name=done]").is_checked()
    assert card(page, 1).locator("[name=note]").input_value() == "keep me"

    envelope = json.loads(saved.read_text())
    envelope["data"]["days"]["1"]["done"] = "yesterday"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(envelope))
    page.set_input_files("[data-action=import]", damaged)
    expect(page.locator(".challenge-status")).to_contain_text("damaged, so nothing was imported")
    not_ours = tmp_path / "not-ours.json"
    not_ours.write_text('{"hello": "world"}')
    page.set_input_files("[data-action=import]", not_ours)
    expect(page.locator(".challenge-status")).to_contain_text("not exported from the Negotiation Playbook")
    page.reload()
    assert card(page, 1).locator("[name=done]").is_checked()
    assert card(page, 1).locator("[name=note]").input_value() == "keep me"


def test_a_browser_that_refuses_storage_is_told_so(server: str, tab):
    tab.page.add_init_script(
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    tick(page, 1)
    status = page.locator(".challenge-status")
    assert status.is_visible() and "storage for this site is full" in status.inner_text()


def test_two_tabs_show_each_others_ticks_instead_of_overwriting_them(server: str, tab):
    first = open_on(tab, f"{server}/{PAGE}", MONDAY)
    second = tab.context.new_page()
    second.goto(f"{server}/{PAGE}")
    start_on(first, MONDAY)
    tick(first, 1)
    expect(card(second, 1).locator("[name=done]")).to_be_checked()
    tick(second, 2)
    expect(card(first, 2).locator("[name=done]")).to_be_checked()
    first.reload()
    assert "2 of 30 days done" in summary(first)


def test_unreadable_saved_progress_is_reported(server: str, tab):
    tab.page.add_init_script(
        "if (!sessionStorage.seeded) {"
        " localStorage.setItem('negotiation-playbook:challenge', JSON.stringify({days: 5}));"
        " sessionStorage.seeded = 1; }"
    )
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    expect(page.locator(".challenge-status")).to_contain_text("could not be read")
    assert "0 of 30 days done" in summary(page)


def test_a_page_left_open_overnight_moves_today_on_when_shown_again(server: str, tab):
    page = open_on(tab, f"{server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    assert cell(page, 1).get_attribute("aria-current") == "date"
    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=1)))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert cell(page, 2).get_attribute("aria-current") == "date"
    assert "is-late" in cell(page, 1).get_attribute("class")
    assert "Day 1: Map this week's conversations (from " in summary(page)
