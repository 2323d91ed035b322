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
