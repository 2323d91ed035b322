"""The 30-day challenge page in headless Chromium, with "today" fixed by Playwright's clock.

The page is built from the small test tree (tests/trees/mini), so these tests hold whatever the
shipped challenge says; titles and actions are read from the page itself.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import built, site_name
from .validators import axe_violations, nu_errors

pytestmark = pytest.mark.browser

PAGE = "practise/challenge.html"
KEY = "negotiation-playbook:challenge"
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


def second_tab(tab, url: str, today: date):
    """Another tab of the same browser profile, so both share the site's storage."""
    page = tab.context.new_page()
    page.on("pageerror", lambda e: tab.errors.append(str(e)))
    page.clock.set_fixed_time(noon(today))
    page.goto(url)
    return page


def seed(tab, text: str) -> None:
    """Saved progress as a browser might hold it, written before the page's scripts run (first load only)."""
    tab.page.add_init_script(
        f"if (!sessionStorage.seeded) {{ localStorage.setItem({KEY!r}, {json.dumps(text)});"
        " sessionStorage.seeded = 1; }"
    )


def saved(page):
    text = page.evaluate(f"localStorage.getItem({KEY!r})")
    return None if text is None else json.loads(text)


def arrived(page, day: int, note: str) -> None:
    """Wait until this tab's copy of the site's storage holds the note another tab saved for ``day``.

    Chromium keeps a copy of localStorage in each tab's process and passes a write on to the others a
    moment later (with the storage event), not at once: read too soon, another tab's copy is stale.
    A tab's writes arrive in order, so its last note carries everything it wrote before.
    """
    page.wait_for_function(
        "([key, day, note]) => JSON.parse(localStorage.getItem(key))?.days?.[day]?.note === note",
        arg=[KEY, str(day), note],
    )


def card(page, n: int):
    return page.locator(f'.challenge-day[data-day="{n}"]')


def cell(page, n: int):
    return page.locator(f'.challenge-cell[data-day="{n}"]')


def title(page, n: int) -> str:
    return cell(page, n).locator(".challenge-cell__title").inner_text()


def start_on(page, day: date) -> None:
    page.fill("input[name=start]", day.isoformat())


def tick(page, n: int) -> None:
    card(page, n).locator("[name=done]").check()


def ticked(page, *days: int) -> list[bool]:
    return [card(page, n).locator("[name=done]").is_checked() for n in days]


def summary(page) -> str:
    return (
        page.locator(".challenge-summary").inner_text() + " " + page.locator(".challenge-today").inner_text()
    )


def status(page):
    return page.locator(".challenge-status")


def download(page, action: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"[data-action={action}]")
    return Path(info.value.path()).read_bytes()


def load_file(page, path: Path) -> None:
    page.set_input_files(".challenge-data input[type=file]", path)


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


def test_start_date_ticks_and_notes_survive_a_reload(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY + timedelta(days=2))
    assert page.input_value("input[name=start]") == "2025-06-09"  # next Monday by default
    assert page.locator("[aria-current=date]").count() == 0
    assert saved(page) is None  # nothing is stored until the reader does something
    start_on(page, MONDAY)
    assert cell(page, 1).locator("time").get_attribute("datetime") == "2025-06-02"
    assert cell(page, 30).locator("time").get_attribute("datetime") == "2025-07-01"
    assert card(page, 30).locator(".challenge-day__when time").get_attribute("datetime") == "2025-07-01"
    current = page.locator("[aria-current=date]").evaluate_all("els => els.map(e => e.dataset.day)")
    assert current == ["3", "3"]
    tick(page, 1)
    tick(page, 2)
    note = '<img src=x onerror="alert(1)"> went "well", mostly; next time & more'
    card(page, 2).locator("[name=note]").fill(note)
    page.reload()
    assert page.input_value("input[name=start]") == "2025-06-02"
    assert ticked(page, 1, 2, 3) == [True, True, False]
    assert card(page, 2).locator("[name=note]").input_value() == note
    assert page.locator(".challenge-day img").count() == 0
    assert "2 of 30 days done" in summary(page)
    assert cell(page, 2).get_attribute("class").split().count("is-done") == 1


def test_a_missed_day_is_carried_forward_and_the_streak_counts_days_in_a_row(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    tick(page, 1)
    assert "Current streak: 1 day in a row" in summary(page)

    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=1)))
    page.reload()
    tick(page, 2)
    assert "Current streak: 2 days in a row" in summary(page)
    assert f"Today's practice is done. Next: Day 3: {title(page, 3)}" in summary(page)

    # Wednesday goes by with nothing done; on Thursday day 3 is still the one to do.
    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=3)))
    page.reload()
    text = summary(page)
    assert "2 of 30 days done." in text and "No streak yet today." in text
    assert f"Today: Day 3: {title(page, 3)} (from " in text and "carried forward" in text
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


def test_calendar_file_has_thirty_all_day_events_linking_back(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    raw = download(page, "calendar")
    events = parse_ics(raw)
    assert len(events) == 30
    made_by = str(icalendar.Calendar.from_ical(raw)["prodid"])
    assert made_by == f"-//{site_name(page)}//EN", "made by the site, by its own name"
    for n, event in enumerate(events, start=1):
        day = MONDAY + timedelta(days=n - 1)
        assert event.decoded("dtstart") == day and event.decoded("dtend") == day + timedelta(days=1)
        assert str(event["summary"]) == f"Day {n}: {title(page, n)}"
        link = f"{mini_server}/{PAGE}#day-{n}"
        assert str(event["url"]) == link and str(event["description"]).endswith(link)
        assert "valarm" not in [c.name.lower() for c in event.subcomponents]
    action = card(page, 1).locator(".challenge-day__action").inner_text().strip()
    assert str(events[0]["description"]).startswith(action)


def weekdays(start: date, count: int) -> list[date]:
    found, day = [], start
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize("tab", [{"viewport": {"width": 1366, "height": 900}}], indirect=True)
def test_working_days_only_moves_the_plan_off_weekends_everywhere(mini_server: str, tab):
    saturday = MONDAY - timedelta(days=2)
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    page.check("input[name=workdays]")
    start_on(page, saturday)  # a weekend start: day 1 is the Monday after
    page.reload()
    assert page.is_checked("input[name=workdays]")  # kept with the progress
    plan = weekdays(MONDAY, 30)
    dates = page.locator(".challenge-cell time").evaluate_all("els => els.map(e => e.dateTime)")
    assert [date.fromisoformat(d) for d in dates] == plan
    assert card(page, 6).locator(".challenge-day__when time").get_attribute("datetime") == plan[5].isoformat()

    events = parse_ics(download(page, "calendar"))
    assert [e.decoded("dtstart") for e in events] == plan
    assert all(e.decoded("dtstart").weekday() < 5 for e in events) and len(events) == 30

    # A week of the plan fills one row of seven boxes on a desktop screen.
    tops = [round(cell(page, n).bounding_box()["y"]) for n in range(1, 9)]
    assert len(set(tops[:7])) == 1 and tops[7] > tops[6]

    # Friday ticked, then the weekend: no day is today, nothing is missed and the streak holds.
    friday = plan[4]
    for n, day in enumerate(plan[:5], start=1):
        page.clock.set_fixed_time(noon(day))
        page.reload()
        tick(page, n)
    page.clock.set_fixed_time(noon(friday + timedelta(days=1)))
    page.reload()
    assert page.locator("[aria-current=date]").count() == 0
    assert page.locator(".challenge-cell.is-late").count() == 0
    assert "Current streak: 5 days in a row." in summary(page)
    assert f"No practice at the weekend. Next: Day 6: {title(page, 6)}" in summary(page)
    page.clock.set_fixed_time(noon(plan[5]))
    page.reload()
    assert cell(page, 6).get_attribute("aria-current") == "date"
    assert "Current streak: 5 days in a row." in summary(page)  # Monday is still open
    tick(page, 6)
    assert "Current streak: 6 days in a row." in summary(page)


@pytest.mark.parametrize("tab", [{"timezone_id": "America/New_York"}], indirect=True)
def test_calendar_file_at_a_chosen_time_has_reminders_across_a_clock_change(mini_site: Path, tab):
    autumn = date(2025, 10, 20)  # New York leaves summer time on 2 November, within the 30 days
    page = open_on(tab, (mini_site / PAGE).as_uri(), autumn)
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
    assert str(events[6]["url"]) == f"{(mini_site / PAGE).as_uri()}#day-7"  # opened from disk: a file URL


def test_text_with_commas_semicolons_quotes_and_line_breaks_survives_the_calendar_file(
    mini_project: Path, mini_site: Path, tab
):
    path = mini_project / "content/challenge.yaml"
    data = yaml.safe_load(path.read_text())
    day = data["days"][0]
    day["title"] = 'Ask, listen; then "decide" \\ later'
    first = 'First, ask; then listen: "why?" costs 5€ ' + "ünïcödé ✓ 🤝 " * 12
    second = "Second paragraph; it keeps a backslash C:\\deals\\notes, and ends here."
    day["action"] = f"{first.strip()}\n\n{second}\n"
    day["phrase"] = 'Say "yes, and"; never "no, but"'
    day["reflect"] = "What changed, and why; was it 'real'?"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    built(mini_project, cache_of=mini_site)  # only the PDFs the change touches are made again

    url = (mini_project / "site" / PAGE).as_uri()
    page = open_on(tab, url, MONDAY)
    raw = download(page, "calendar")
    assert b"\r\n " in raw  # long lines were folded
    first_event = parse_ics(raw)[0]
    assert str(first_event["summary"]) == f"Day 1: {day['title']}"
    expected = [first.strip(), second, f"Try saying. “{day['phrase']}”", f"Reflect. {day['reflect']}"]
    assert str(first_event["description"]) == "\n\n".join([*expected, f"{url}#day-1"])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_gives_a_one_page_calendar(mini_server: str, tab, paper: str):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
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
    mini_server: str, tab, tmp_path: Path
):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    page.check("input[name=workdays]")
    tick(page, 1)
    card(page, 1).locator("[name=note]").fill("keep me")
    page.click(".challenge-data summary")
    exported = tmp_path / "progress.json"
    exported.write_bytes(download(page, "export"))
    envelope = json.loads(exported.read_text())
    assert envelope["kind"] == "challenge" and envelope["data"]["workdays"] is True

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    assert ticked(page, 1) == [False] and not page.is_checked("input[name=workdays]")
    assert "0 of 30 days done" in summary(page)

    load_file(page, exported)  # the file is read asynchronously: expect() waits
    expect(status(page)).to_have_text("Loaded progress.json.")
    assert ticked(page, 1) == [True] and page.is_checked("input[name=workdays]")
    assert card(page, 1).locator("[name=note]").input_value() == "keep me"
    kept = saved(page)

    def refused(data, sentence: str) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**envelope, "data": data}))
        page.evaluate("document.querySelector('.challenge-status').textContent = ''")
        load_file(page, bad)
        expect(status(page)).to_contain_text(sentence)
        assert saved(page) == kept

    days = envelope["data"]["days"]
    refused(
        {**envelope["data"], "days": {"1": {**days["1"], "done": "yesterday"}}}, "Nothing was imported: day 1"
    )
    refused({**envelope["data"], "start": "1899-12-31"}, "start date is not a real date from 1900 to 2200")
    refused({**envelope["data"], "start": "2201-01-01"}, "Nothing was imported")
    refused({**envelope["data"], "days": {**days, "31": days["1"]}}, "this challenge has no day 31")
    refused({**envelope["data"], "days": {"1": {"note": "x" * 2001}}}, "longer than 2000 characters")
    not_ours = tmp_path / "not-ours.json"
    not_ours.write_text('{"hello": "world"}')
    load_file(page, not_ours)
    expect(status(page)).to_contain_text("not a playbook export, so nothing")

    # Loading over existing progress asks first; saying no changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**envelope, "data": {"days": {}}}))
    load_file(page, other)
    expect(status(page)).to_have_text("Nothing was imported.")
    page.reload()
    assert ticked(page, 1) == [True]
    assert card(page, 1).locator("[name=note]").input_value() == "keep me"


def test_a_start_date_outside_1900_to_2200_is_refused_with_a_sentence(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    for typed in ("1850-01-01", "2201-01-01"):
        start_on(page, date.fromisoformat(typed))
        expect(status(page)).to_contain_text("Pick a start date from 1900 to 2200")
        assert page.input_value("input[name=start]") == MONDAY.isoformat()
        assert saved(page)["start"] == MONDAY.isoformat()


def test_a_browser_that_refuses_storage_is_told_so(mini_server: str, tab):
    tab.page.add_init_script(
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    tick(page, 1)
    assert status(page).is_visible() and "storage for this site is full" in status(page).inner_text()


def test_two_tabs_show_each_others_ticks_instead_of_overwriting_them(mini_server: str, tab):
    first = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    second = second_tab(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(first, MONDAY)
    tick(first, 1)
    expect(card(second, 1).locator("[name=done]")).to_be_checked()
    tick(second, 2)
    expect(card(first, 2).locator("[name=done]")).to_be_checked()
    first.reload()
    assert "2 of 30 days done" in summary(first)


def test_ticks_and_notes_made_at_the_same_moment_in_two_tabs_are_all_kept(mini_server: str, tab):
    # The second tab hears nothing from the first (as if the news were still on its way), so any
    # change it saves from its own stale copy would wipe out the first tab's.
    first = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(first, MONDAY)
    deaf = tab.context.new_page()
    deaf.add_init_script("window.addEventListener('storage', (e) => e.stopImmediatePropagation(), true);")
    deaf.clock.set_fixed_time(noon(MONDAY))
    deaf.goto(f"{mini_server}/{PAGE}")
    tick(first, 1)
    card(first, 3).locator("[name=note]").fill("from the first tab")
    arrived(deaf, 3, "from the first tab")  # in its storage, but its page has not heard of it
    tick(deaf, 2)
    tick(deaf, 3)  # the same day as the first tab's note
    card(deaf, 4).locator("[name=note]").fill("from the second tab")
    arrived(first, 4, "from the second tab")
    progress = saved(first)["days"]
    assert {n for n, d in progress.items() if d["done"]} == {"1", "2", "3"}
    assert progress["3"]["note"] == "from the first tab" and progress["4"]["note"] == "from the second tab"
    first.reload()
    assert ticked(first, 1, 2, 3, 4) == [True, True, True, False]


def test_a_deletion_in_one_tab_is_followed_by_the_others_and_never_written_back(mini_server: str, tab):
    first = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    second = second_tab(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(first, MONDAY)
    tick(first, 1)
    card(first, 1).locator("[name=note]").fill("private")
    expect(card(second, 1).locator("[name=note]")).to_have_value("private")

    first.once("dialog", lambda dialog: dialog.accept())
    first.click(".challenge-data summary")
    first.click("[data-action=clear]")
    expect(card(second, 1).locator("[name=done]")).not_to_be_checked()
    expect(status(second)).to_have_text("Your progress was deleted in another tab.")
    assert card(second, 1).locator("[name=note]").input_value() == ""
    tick(second, 2)  # a new tick starts new progress: the deleted day does not come back
    expect(card(first, 2).locator("[name=done]")).to_be_checked()  # the first tab has it too
    assert saved(first)["days"] == {"2": {"done": MONDAY.isoformat(), "note": ""}}

    # "Delete all my data" (on any page) is followed the same way.
    third = second_tab(tab, f"{mini_server}/canvases/my-deals.html", MONDAY)  # a page with store.js
    third.evaluate("PlaybookStore.clearAll()")
    for page in (first, second):
        expect(card(page, 2).locator("[name=done]")).not_to_be_checked()
    card(second, 5).locator("[name=note]").fill("after")
    arrived(first, 5, "after")
    assert set(saved(first)["days"]) == {"5"}


def test_unreadable_saved_progress_is_set_aside_reported_and_never_overwritten(
    mini_server: str, tab, tmp_path
):
    damaged = '{"start": "2025-06-02", "days": {"1": {"done": "2025-06-02", "note": "half a no'
    seed(tab, damaged)
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    expect(status(page)).to_contain_text("could not be read, so it was set aside, not deleted")
    assert "0 of 30 days done" in summary(page)
    backups = page.evaluate("PlaybookStore.backups().filter(b => b.key.startsWith('backup:challenge:'))")
    assert [b["text"] for b in backups] == [damaged]
    tick(page, 1)
    page.reload()
    assert ticked(page, 1) == [True]
    assert page.evaluate(f"localStorage.getItem('negotiation-playbook:{backups[0]['key']}')") == damaged

    page.click(".challenge-data summary")
    expect(page.locator(".challenge-backup")).to_be_visible()
    copy = download(page, "save-backup")
    assert json.loads(copy)["kind"] == "set-aside" and json.loads(copy)["data"]["text"] == damaged
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete-backup]")
    expect(page.locator(".challenge-backup")).to_be_hidden()
    assert page.evaluate("PlaybookStore.backups()") == []
    assert ticked(page, 1) == [True]
    # the saved copy is a file "Load a saved copy" takes: unreadable still, so it is set aside again
    path = tmp_path / "set-aside.json"
    path.write_bytes(copy)
    load_file(page, path)
    expect(status(page)).to_contain_text("set aside in this browser again")
    assert [b["text"] for b in page.evaluate("PlaybookStore.backups()")] == [damaged]
    assert ticked(page, 1) == [True]


def test_a_note_too_long_to_keep_is_refused_with_a_sentence_not_cut(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    box = card(page, 4).locator("[name=note]")
    box.fill("kept")
    box.focus()
    page.evaluate("navigator.clipboard.writeText('z'.repeat(2500))")
    page.keyboard.press("Control+V")
    expect(status(page)).to_contain_text("A note takes up to 2,000 characters")
    assert box.input_value() == "kept" and saved(page)["days"]["4"]["note"] == "kept"


def test_a_tab_shown_again_takes_the_newer_note_another_tab_saved(mini_server: str, tab):
    first = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    card(first, 3).locator("[name=note]").fill("old note")
    second = second_tab(tab, f"{mini_server}/{PAGE}", MONDAY)
    # the first tab misses the other's save (a frozen background tab hears no storage event)
    first.evaluate("window.addEventListener('storage', (e) => e.stopImmediatePropagation(), true)")
    card(second, 3).locator("[name=note]").fill("newer note")
    arrived(first, 3, "newer note")
    first.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(card(first, 3).locator("[name=note]")).to_have_value("newer note")
    card(first, 3).locator("[name=note]").press("End")
    card(first, 3).locator("[name=note]").press("!")
    assert saved(first)["days"]["3"]["note"] == "newer note!"


FULL = (
    "window.realSetItem = Storage.prototype.setItem;"
    "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };"
    "undefined"  # the value of this script: Playwright calls a function it returns
)


def test_a_note_typed_while_storage_is_full_stays_when_shown_again_and_is_saved_once_it_fits(
    mini_server: str, tab
):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    card(page, 1).locator("[name=note]").fill("saved note")
    page.evaluate(FULL)
    card(page, 2).locator("[name=note]").fill("typed while full")
    tick(page, 3)
    expect(status(page)).to_contain_text("storage for this site is full")
    # meanwhile another tab saves a note for another day (storage events do not reach the page itself)
    other = {**saved(page), "days": {**saved(page)["days"], "4": {"done": None, "note": "from another tab"}}}
    page.evaluate(f"realSetItem.call(localStorage, {KEY!r}, {json.dumps(json.dumps(other))})")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(card(page, 2).locator("[name=note]")).to_have_value("typed while full")
    expect(card(page, 4).locator("[name=note]")).to_have_value("from another tab")
    assert ticked(page, 3) == [True]
    expect(status(page)).to_contain_text("storage for this site is full")  # still not saved, and said
    assert set(saved(page)["days"]) == {"1", "4"}
    page.evaluate("Storage.prototype.setItem = realSetItem; undefined")  # space was freed
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    days = saved(page)["days"]
    assert [days[n]["note"] for n in "124"] == ["saved note", "typed while full", "from another tab"]
    assert days["3"]["done"] == MONDAY.isoformat()
    expect(status(page)).to_be_hidden()


def test_what_could_not_be_saved_before_a_deletion_elsewhere_is_not_written_after_it(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    card(page, 1).locator("[name=note]").fill("saved note")
    page.evaluate(FULL)
    card(page, 2).locator("[name=note]").fill("typed while full")
    # another page deletes all data while this one is frozen in the back/forward cache (no storage event)
    page.evaluate(f"localStorage.removeItem({KEY!r}); Storage.prototype.setItem = realSetItem; undefined")
    page.evaluate("dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(card(page, 2).locator("[name=note]")).to_have_value("")
    assert saved(page) is None


@pytest.mark.parametrize(
    "progress",
    [{"days": 5}, {"start": "2300-01-01", "days": {}}, {"start": "1899-12-31"}, {"days": {"1": {"done": 1}}}],
    ids=["days-not-a-map", "start-after-2200", "start-before-1900", "done-not-a-date"],
)
def test_saved_progress_of_the_wrong_shape_is_set_aside(mini_server: str, tab, progress):
    seed(tab, json.dumps(progress))
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    expect(status(page)).to_contain_text("could not be read")
    assert page.input_value("input[name=start]") == MONDAY.isoformat()
    assert saved(page) is None and len(page.evaluate("PlaybookStore.backups()")) == 1


def test_progress_for_days_that_do_not_exist_neither_counts_nor_shows(mini_server: str, tab):
    today = MONDAY.isoformat()
    ghost = {"done": today, "note": "ghost"}
    days = {n: ghost for n in ("0", "31", "x", "1e9", "01", "-1", "__proto__", "toString")}
    seed(tab, json.dumps({"start": today, "days": days}))
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    assert status(page).is_hidden()
    text = summary(page)
    assert "0 of 30 days done." in text and "No streak yet today." in text and "Today: Day 1:" in text
    assert page.locator(".is-done").count() == 0 and "ghost" not in page.locator("article").inner_text()
    tick(page, 1)
    assert "1 of 30 days done. Current streak: 1 day in a row." in summary(page)
    assert set(saved(page)["days"]) == {*days, "1"}  # kept as they were, not lost


def test_a_page_left_open_overnight_moves_today_on_when_shown_again(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    assert cell(page, 1).get_attribute("aria-current") == "date"
    page.clock.set_fixed_time(noon(MONDAY + timedelta(days=1)))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert cell(page, 2).get_attribute("aria-current") == "date"
    assert "is-late" in cell(page, 1).get_attribute("class")
    assert f"Day 1: {title(page, 1)} (from " in summary(page)


def test_load_a_saved_copy_is_a_button_the_keyboard_reaches(mini_server: str, tab):
    page = tab.page  # no fixed clock here: under it Chromium grants a key press no user activation
    # Playwright asks for file choosers without waiting for the answer, so a chooser that opens
    # right after the first listener is added can go unseen: listen from before the page loads.
    page.on("filechooser", lambda _: None)
    page.goto(f"{mini_server}/{PAGE}")
    page.click(".challenge-data summary")
    page.focus("[data-action=export]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "import"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # (a synthetic Enter opens no chooser in headless Chromium)
    assert not chooser.value.is_multiple()


# ---- imports as untrusted input: generated files, from plausible exports to any JSON at all ----

HOSTILE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "toJSON", "hasOwnProperty", "then"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(HOSTILE_KEYS), inner, max_size=4)
    ),
    max_leaves=6,
)
dates = st.sampled_from(
    ["1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01", "2025-02-29", "2025-6-2", ""]
) | (st.dates().map(date.isoformat))
day_keys = st.sampled_from(["0", "1", "30", "31", "x", "1e9", "01", "-1", *HOSTILE_KEYS]) | st.integers(
    -3, 40
).map(str)
day_records = st.fixed_dictionaries(
    {},
    optional={
        "done": st.none() | dates | json_values,
        "note": st.text(max_size=20) | json_values | st.just("x" * 2001),
    },
)
progress = st.fixed_dictionaries(
    {},
    optional={
        "start": st.none() | dates | json_values,
        "time": st.sampled_from(["", "08:30", "23:59", "24:00", "8:30"]) | json_values,
        "workdays": st.booleans() | json_values,
        "days": st.dictionaries(day_keys, day_records | json_values, max_size=5) | json_values,
        **{key: json_values for key in ("extra", *HOSTILE_KEYS[:3])},
    },
)
envelopes = st.fixed_dictionaries(
    {
        "format": st.just("negotiation-playbook") | json_values,
        "kind": st.just("challenge") | json_values,
        "id": st.just("30-day") | json_values,
        "version": st.just(1) | json_values,
        "data": progress | json_values,
    },
    optional={"exported": json_values, **{key: json_values for key in HOSTILE_KEYS}},
)
files = st.one_of(
    envelopes.map(json.dumps),
    envelopes.map(json.dumps).map(lambda text: text[: len(text) // 2]),  # cut short
    json_values.map(json.dumps),
    st.text(max_size=30),
)


def fuzz(examples: int) -> settings:
    """Hypothesis settings for a batch test: no example database in the repository, no deadline."""
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


def accepted_is_valid(progress: dict) -> bool:
    """What an accepted file must hold, checked apart from the page's own code."""

    def is_date(value) -> bool:
        try:
            return 1900 <= date.fromisoformat(value).year <= 2200 and len(value) == 10
        except (TypeError, ValueError):
            return False

    days = progress["days"]
    return (
        set(progress) == {"start", "time", "workdays", "days"}
        and (progress["start"] is None or is_date(progress["start"]))
        and re.fullmatch(r"|([01]\d|2[0-3]):[0-5]\d", progress["time"]) is not None
        and isinstance(progress["workdays"], bool)
        and set(days) <= {str(n) for n in range(1, 31)}
        and all(set(d) == {"done", "note"} for d in days.values())
        and all(d["done"] is None or is_date(d["done"]) for d in days.values())
        and all(isinstance(d["note"], str) and len(d["note"]) <= 2000 for d in days.values())
    )


PARSE_ALL = """texts => texts.map(text => {
  try { return PlaybookChallenge.parse(text, 30); } catch (error) { return {threw: String(error)}; }
})"""


def test_fuzzed_files_are_refused_with_a_sentence_or_accepted_only_when_valid(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    verdicts = {True: 0, False: 0}

    @fuzz(examples=50)  # 1,000 files, 20 to a batch (longer lists make Hypothesis slow to generate)
    @given(st.lists(files, min_size=20, max_size=20))
    def check(texts):
        for text, result in zip(texts, page.evaluate(PARSE_ALL, texts), strict=True):
            assert "threw" not in result, (text, result)
            if result["ok"]:
                assert accepted_is_valid(result["progress"]), (text, result)
            else:
                assert re.fullmatch(r"[A-Z].{10,}\.", result["error"]), (text, result)
            verdicts[result["ok"]] += 1

    check()
    assert verdicts[True] > 0 and verdicts[False] > 0, verdicts  # both paths were exercised


# Each file goes through the page's own import (a File on the real input); saved progress is compared.
IMPORT_ALL = """async texts => {
  window.confirm = () => true;
  const input = document.querySelector('.challenge-data input[type=file]');
  const status = document.querySelector('.challenge-status');
  const saved = () => localStorage.getItem('negotiation-playbook:challenge');
  const outcomes = [];
  for (const text of texts) {
    const before = saved();
    status.textContent = '';
    const files = new DataTransfer();
    files.items.add(new File([text], 'fuzz.json', {type: 'application/json'}));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    for (let n = 0; !status.textContent && n < 1000; n += 1) await new Promise(r => setTimeout(r, 1));
    const parsed = PlaybookChallenge.parse(text, 30);
    const expected = parsed.ok ? JSON.stringify(parsed.progress) : null;
    outcomes.push({message: status.textContent, before, after: saved(), expected});
  }
  return outcomes;
}"""


def test_fuzzed_imports_change_saved_progress_only_when_accepted(mini_server: str, tab):
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY)
    start_on(page, MONDAY)
    tick(page, 1)

    @fuzz(examples=15)  # 300 files
    @given(st.lists(files, min_size=20, max_size=20))
    def check(texts):
        for text, outcome in zip(texts, page.evaluate(IMPORT_ALL, texts), strict=True):
            assert outcome["message"], text  # every file gets a sentence
            if outcome["message"] == "Loaded fuzz.json.":
                assert outcome["after"] == outcome["expected"], text
            else:
                assert outcome["after"] == outcome["before"] and outcome["expected"] is None, (text, outcome)

    check()
    assert tab.errors == []
    assert summary(page)  # the page still works after it all


# ---- valid and accessible after real use, light and dark ----


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_challenge_in_use_is_valid_html_with_no_axe_violations(
    mini_site: Path, mini_server: str, tab, scheme
):
    seed(tab, "not JSON")  # so the set-aside copy and its buttons show too
    page = open_on(tab, f"{mini_server}/{PAGE}", MONDAY + timedelta(days=2))
    page.emulate_media(color_scheme=scheme)
    start_on(page, MONDAY)
    page.check("input[name=workdays]")
    for n in (1, 3):
        tick(page, n)
    card(page, 1).locator("[name=note]").fill("It went well.")
    page.click(".challenge-data summary")
    page.set_input_files(
        ".challenge-data input[type=file]",
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b"{not json"}],
    )
    expect(status(page)).to_contain_text("nothing was imported")
    expect(page.locator(".challenge-backup")).to_be_visible()
    assert page.locator(".challenge-cell.is-done").count() == 2 and page.locator(".is-late").count() > 0

    after_use = "<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML")  # before axe
    assert axe_violations(page) == []
    assert nu_errors(mini_site / PAGE, after_use) == []
