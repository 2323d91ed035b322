"""store.js in a real headless Chromium, for what needs a browser: its storage refusing, a download,
storage events between tabs, and the browser's own persistence. The rest of store.js is tested in
Node (tests/js/store.test.js). The page is the small test tree's challenge, which loads store.js."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_reports_a_browser_that_refuses_to_store(mini_server: str, tab):
    page = tab.page
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }"
    )
    page.goto(f"{mini_server}/practise/challenge.html")
    result = page.evaluate("PlaybookStore.write('k', 1)")
    assert result["ok"] is False and "full" in result["error"]


def test_exports_an_envelope_that_parses_back(mini_server: str, tab, tmp_path: Path):
    page = tab.page
    page.goto(f"{mini_server}/practise/challenge.html")
    with page.expect_download() as info:
        page.evaluate("PlaybookStore.download('x.json', PlaybookStore.envelope('canvases', 'x', 2, {n: 1}))")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["format"] == "negotiation-playbook" and data["version"] == 2 and data["data"] == {"n": 1}
    parsed = page.evaluate("t => PlaybookStore.parse(t, {kind: 'canvases', id: 'x'})", saved.read_text())
    assert parsed["ok"] is True and parsed["envelope"]["data"] == {"n": 1}


def test_watch_tells_other_tabs_of_changes_and_of_delete_all(mini_server: str, tab):
    page = tab.page
    other = tab.context.new_page()
    for p in (page, other):
        p.goto(f"{mini_server}/practise/challenge.html")
    other.evaluate(
        "window.heard = []; PlaybookStore.watch('deal:*', (v, k) => heard.push([k, v]));"
        "PlaybookStore.watch('challenge', (v, k) => heard.push([k, v]))"
    )
    page.evaluate("PlaybookStore.write('deal:a', {n: 1}); PlaybookStore.write('challenge', {d: 2})")
    page.evaluate("PlaybookStore.write('unwatched', 3)")
    page.evaluate("sessionStorage.setItem('negotiation-playbook:deal:b', '1')")
    page.evaluate("PlaybookStore.clearAll()")
    other.wait_for_function("heard.length >= 4")
    heard = other.evaluate("heard")
    assert heard[:2] == [["deal:a", {"n": 1}], ["challenge", {"d": 2}]]
    assert sorted(map(tuple, heard[2:]), key=str) == [("challenge", None), ("deal:a", None)]


NOTE = "window.note = document.createElement('p'); document.body.append(note); PlaybookStore.keepNote(note)"


def test_the_first_save_asks_to_keep_storage_and_the_note_says_what_happens(mini_server: str, tab):
    page = tab.page
    page.add_init_script(
        "window.persistCalls = 0; let kept = false;"
        "navigator.storage.persist = async () => { persistCalls += 1; kept = true; return true; };"
        "navigator.storage.persisted = async () => kept;"
    )
    page.goto(f"{mini_server}/practise/challenge.html")
    page.evaluate(NOTE)
    page.wait_for_function("note.textContent.includes('may clear')")
    page.evaluate("PlaybookStore.saved(); PlaybookStore.saved()")
    page.wait_for_function("note.textContent.includes('keeps')")
    assert page.evaluate("persistCalls") == 1
    assert "export a copy now" not in page.evaluate("note.textContent")


def test_suggests_a_copy_when_changes_are_a_week_older_than_the_last_export(mini_server: str, tab):
    page = tab.page
    eight_days = 8 * 24 * 3600 * 1000
    page.clock.install(time="2026-03-01T09:00:00")
    page.goto(f"{mini_server}/practise/challenge.html")
    page.evaluate(NOTE)
    page.evaluate("PlaybookStore.saved()")
    page.clock.fast_forward(eight_days)  # nothing exported in eight days
    page.evaluate("PlaybookStore.keepNote(note)")
    page.wait_for_function("note.textContent.includes('export a copy now')")
    page.evaluate("PlaybookStore.exported()")
    page.wait_for_function("!note.textContent.includes('export a copy now')")
    page.clock.fast_forward(eight_days)  # a week after the export, but nothing changed since
    page.evaluate("PlaybookStore.keepNote(note)")
    page.wait_for_timeout(50)
    assert "export a copy now" not in page.evaluate("note.textContent")
    page.evaluate("PlaybookStore.saved(); PlaybookStore.keepNote(note)")
    page.wait_for_function("note.textContent.includes('export a copy now')")
