"""store.js, the on-device storage every interactive page shares, in a real headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_keeps_its_own_keys_and_deletes_only_them(server: str, tab):
    page = tab.page
    page.goto(f"{server}/index.html")
    page.evaluate("localStorage.setItem('someone-else', 'keep me')")
    assert page.evaluate("PlaybookStore.write('canvas:x', {a: [1, 'two']})") == {"ok": True}
    assert page.evaluate("PlaybookStore.write('challenge', 3)") == {"ok": True}
    page.reload()
    assert page.evaluate("PlaybookStore.read('canvas:x', null)") == {"a": [1, "two"]}
    assert page.evaluate("PlaybookStore.read('missing', 'fallback')") == "fallback"
    assert sorted(page.evaluate("PlaybookStore.keys()")) == ["canvas:x", "challenge"]
    assert page.evaluate("PlaybookStore.clearAll()") == 2
    assert page.evaluate("PlaybookStore.keys()") == []
    assert page.evaluate("localStorage.getItem('someone-else')") == "keep me"


def test_reports_a_browser_that_refuses_to_store(server: str, tab):
    page = tab.page
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }"
    )
    page.goto(f"{server}/index.html")
    result = page.evaluate("PlaybookStore.write('k', 1)")
    assert result["ok"] is False and "full" in result["error"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not json {", "not valid JSON"),
        ('["a list"]', "not exported from the Negotiation Playbook"),
        ('{"format": "other-app", "kind": "canvases"}', "not exported from the Negotiation Playbook"),
        ('{"format": "negotiation-playbook", "kind": "challenge", "id": "x"}', "holds challenge data"),
        ('{"format": "negotiation-playbook", "kind": "canvases", "id": "other"}', 'belongs to "other"'),
        ('{"format": "negotiation-playbook", "kind": "canvases", "id": "x", "version": 1}', "incomplete"),
    ],
)
def test_parse_turns_bad_files_into_clear_messages(server: str, tab, text: str, expected: str):
    page = tab.page
    page.goto(f"{server}/index.html")
    result = page.evaluate("t => PlaybookStore.parse(t, {kind: 'canvases', id: 'x'})", text)
    assert result["ok"] is False
    assert expected in result["error"]
    assert page.evaluate("PlaybookStore.keys()") == []


def test_exports_an_envelope_that_parses_back(server: str, tab, tmp_path: Path):
    page = tab.page
    page.goto(f"{server}/index.html")
    with page.expect_download() as info:
        page.evaluate("PlaybookStore.download('x.json', PlaybookStore.envelope('canvases', 'x', 2, {n: 1}))")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["format"] == "negotiation-playbook" and data["version"] == 2 and data["data"] == {"n": 1}
    parsed = page.evaluate("t => PlaybookStore.parse(t, {kind: 'canvases', id: 'x'})", saved.read_text())
    assert parsed["ok"] is True and parsed["envelope"]["data"] == {"n": 1}


def test_load_sets_damaged_text_aside_and_never_overwrites_a_backup(server: str, tab):
    page = tab.page
    page.goto(f"{server}/index.html")
    empty = {"state": "empty", "value": None, "backup": None}
    assert page.evaluate("PlaybookStore.load('k', v => true)") == empty
    page.evaluate("localStorage.setItem('negotiation-playbook:k', '{not json')")
    first = page.evaluate("PlaybookStore.load('k', v => true)")
    assert first == {"state": "damaged", "value": None, "backup": "backup:k:1"}
    assert page.evaluate("PlaybookStore.read('k', 'gone')") == "gone"  # a keystroke now cannot overwrite it
    # a readable value of the wrong shape, then a check that throws: both set aside, each in a new key
    page.evaluate("PlaybookStore.write('k', [1, 2])")
    assert page.evaluate("PlaybookStore.load('k', v => !Array.isArray(v))")["backup"] == "backup:k:2"
    page.evaluate("PlaybookStore.write('k', {a: 1})")
    assert page.evaluate("PlaybookStore.load('k', v => v.a.b.c)")["backup"] == "backup:k:3"
    assert page.evaluate("PlaybookStore.backups()") == [
        {"key": "backup:k:1", "text": "{not json"},
        {"key": "backup:k:2", "text": "[1,2]"},
        {"key": "backup:k:3", "text": '{"a":1}'},
    ]
    page.evaluate("PlaybookStore.write('k', {a: 2})")
    ok = {"state": "ok", "value": {"a": 2}, "backup": None}
    assert page.evaluate("PlaybookStore.load('k', v => v.a === 2)") == ok
    assert page.evaluate("PlaybookStore.removeBackup('backup:k:2')") == {"ok": True}
    assert page.evaluate("PlaybookStore.removeBackup('k')")["ok"] is False  # only backups, by this door
    assert [b["key"] for b in page.evaluate("PlaybookStore.backups()")] == ["backup:k:1", "backup:k:3"]


def test_a_damaged_value_stays_put_when_its_backup_cannot_be_written(server: str, tab):
    page = tab.page
    page.goto(f"{server}/index.html")
    page.evaluate("localStorage.setItem('negotiation-playbook:k', 'oops')")
    full = "() => { Storage.prototype.setItem = () => { throw new DOMException('', 'QuotaExceededError') } }"
    page.evaluate(full)
    damaged = {"state": "damaged", "value": None, "backup": None}
    assert page.evaluate("PlaybookStore.load('k', v => true)") == damaged
    assert page.evaluate("localStorage.getItem('negotiation-playbook:k')") == "oops"


def test_watch_tells_other_tabs_of_changes_and_of_delete_all(server: str, tab):
    page = tab.page
    other = tab.context.new_page()
    for p in (page, other):
        p.goto(f"{server}/index.html")
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


def test_the_first_save_asks_to_keep_storage_and_the_note_says_what_happens(server: str, tab):
    page = tab.page
    page.add_init_script(
        "window.persistCalls = 0; let kept = false;"
        "navigator.storage.persist = async () => { persistCalls += 1; kept = true; return true; };"
        "navigator.storage.persisted = async () => kept;"
    )
    page.goto(f"{server}/index.html")
    page.evaluate(NOTE)
    page.wait_for_function("note.textContent.includes('may clear')")
    page.evaluate("PlaybookStore.saved(); PlaybookStore.saved()")
    page.wait_for_function("note.textContent.includes('keeps')")
    assert page.evaluate("persistCalls") == 1
    assert "export a copy now" not in page.evaluate("note.textContent")


def test_suggests_a_copy_when_changes_are_a_week_older_than_the_last_export(server: str, tab):
    page = tab.page
    eight_days = 8 * 24 * 3600 * 1000
    page.clock.install(time="2026-03-01T09:00:00")
    page.goto(f"{server}/index.html")
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


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "negotiation-playbook", "kind": {"toString": 1}, "id": "x"}',
        '{"format": "negotiation-playbook", "kind": "canvases", "id": {"toString": {}, "valueOf": 2}}',
        '{"format": "negotiation-playbook", "kind": "canvases", "id": ["x"], "version": 1, "data": {}}',
    ],
)
def test_parse_never_throws_on_values_that_cannot_become_text(server: str, tab, text: str):
    page = tab.page
    page.goto(f"{server}/index.html")
    result = page.evaluate("t => PlaybookStore.parse(t, {kind: 'canvases', id: 'x'})", text)
    assert result["ok"] is False and "nothing was imported" in result["error"]
