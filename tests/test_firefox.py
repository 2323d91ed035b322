"""A second engine: the playbook's promises smoke-tested in Firefox (Debian's firefox-esr, driven
through Marionette), over http and from disk, on the small test tree. The pages are driven through
what a reader sees (labels, button names), not through the scripts' own functions."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path

import pytest
import yaml

from .conftest import MINI, serving_folder

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    # marionette_driver's helpers use APIs their libraries have deprecated (mozinfo: distro's old name;
    # mozrunner: telnetlib) and leave the sockets of its connection attempts to the collector:
    # warnings about them, not about the playbook
    pytest.mark.filterwarnings("ignore:distro.linux_distribution:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:'telnetlib' is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
DEAL = "Deal typed in Firefox"


@pytest.fixture(scope="module")
def http_base(mini_site: Path):
    with serving_folder(mini_site) as url:
        yield url + "/"


@pytest.fixture
def firefox(tmp_path: Path):
    """Headless Firefox in a fresh profile, saving downloads to ``tmp_path / "downloads"``."""
    if not FIREFOX:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's firefox-esr for the Firefox tests: apt-get install firefox-esr")
        pytest.skip("the Firefox tests need Debian's firefox-esr (apt-get install firefox-esr)")
    from marionette_driver.marionette import Marionette

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    prefs = {
        "browser.download.folderList": 2,
        "browser.download.dir": str(downloads),
        "browser.download.useDownloadDir": True,
        "browser.download.always_ask_before_handling_new_types": False,
        "network.proxy.type": 0,
    }
    log = str(tmp_path / "gecko.log")  # Firefox's own log, which would otherwise land in the current folder
    client = Marionette(host="127.0.0.1", port=port, bin=FIREFOX, headless=True, prefs=prefs, gecko_log=log)
    client.start_session({"strictFileInteractability": False})  # a hidden file input takes a path
    client.downloads = downloads
    try:
        yield client
    finally:
        client.delete_session()
        client.cleanup()


def wait(client, check, what: str, seconds: float = 20):
    from marionette_driver import Wait

    return Wait(client, timeout=seconds, ignored_exceptions=Exception).until(
        lambda c: check(), message=f"waited for {what}"
    )


def labelled(client, label: str):
    """The control a visible label names, as a reader finds it."""
    from marionette_driver.by import By

    tag = client.find_element(By.XPATH, f"//label[normalize-space(text())={json.dumps(label)}]")
    target = tag.get_attribute("for")
    return (
        client.find_element(By.ID, target) if target else tag.find_element(By.CSS_SELECTOR, "input, textarea")
    )


def button(client, name: str):
    from marionette_driver.by import By

    return next(
        b
        for b in client.find_elements(By.XPATH, f"//button[normalize-space()={json.dumps(name)}]")
        if b.is_displayed()
    )


def accept_prompt(client) -> None:
    from marionette_driver.marionette import Alert

    wait(client, lambda: Alert(client).text is not None, "a confirmation")
    Alert(client).accept()


def script_errors(client, origin: str) -> list[str]:
    """Errors the pages' own scripts raised, from Firefox's console service (chrome context)."""
    client.set_context("chrome")
    try:
        found = client.execute_script(
            "return Services.console.getMessageArray()"
            ".filter(m => m instanceof Ci.nsIScriptError && !(m.flags & Ci.nsIScriptError.warningFlag)"
            " && m.category.includes('javascript')).map(m => `${m.sourceName}: ${m.errorMessage}`)"
        )
    finally:
        client.set_context("content")
    return [line for line in found if line.startswith(origin)]


def first_text_field(site: Path) -> str:
    """The label of the first one-line text field of the test worksheet, read from its content file."""
    worksheet = yaml.safe_load((MINI / "canvases/test-canvas.yaml").read_text())
    return next(f["label"] for s in worksheet["sections"] for f in s["fields"] if f["type"] == "text")


def main_text(client) -> str:
    return client.find_element("css selector", "main").text


@pytest.mark.parametrize("over", ["http", "file"])
def test_firefox_keeps_deals_progress_and_search(firefox, mini_site: Path, http_base: str, over: str):
    base = http_base if over == "http" else mini_site.as_uri() + "/"
    client = firefox
    label = first_text_field(mini_site)

    def answer():
        return labelled(client, label).get_property("value")

    # a deal named and answered on a worksheet is there after a reload
    client.navigate(base + "canvases/test-canvas.html")
    name = wait(client, lambda: labelled(client, "Name"), "the deal's name field")
    name.clear()
    name.send_keys(DEAL)
    labelled(client, label).send_keys("An answer from Firefox")
    time.sleep(0.5)
    client.refresh()
    assert wait(client, lambda: labelled(client, "Name").get_property("value") == DEAL, "the deal's name")
    assert answer() == "An answer from Firefox"

    # export it, delete it, import the file: the answer comes back
    button(client, "Export this deal").click()
    exported = wait(client, lambda: next(iter(client.downloads.glob("*.json")), None), "the export")
    wait(client, lambda: DEAL in exported.read_text(), "the exported file")
    button(client, "Delete this deal").click()
    accept_prompt(client)
    assert wait(client, lambda: answer() == "", "the deletion")
    client.find_element("css selector", "input[type=file]").send_keys(str(exported))
    assert wait(client, lambda: answer() == "An answer from Firefox", "the import")

    if over == "http":
        # the same deal on another worksheet and on My deals (from disk, Firefox gives every file a
        # storage of its own, so pages opened from disk share nothing: see the README)
        client.navigate(base + "canvases/follow-up.html")  # the small tree's second worksheet
        assert wait(client, lambda: labelled(client, "Name").get_property("value") == DEAL, "the deal")
        client.navigate(base + "canvases/my-deals.html")
        assert wait(client, lambda: DEAL in main_text(client), "My deals")

    # the challenge keeps a tick and a note across a reload
    client.navigate(base + "practise/challenge.html")
    wait(client, lambda: client.find_element("css selector", "[aria-label='Day 1 done']"), "day 1").click()
    client.find_element("css selector", "[aria-label='Note on day 1']").send_keys("Noted in Firefox")
    time.sleep(0.5)
    client.refresh()
    day = "[aria-label='Day 1 done']"
    assert wait(client, lambda: client.find_element("css selector", day).is_selected(), "the tick")
    note = client.find_element("css selector", "[aria-label='Note on day 1']").get_property("value")
    assert note == "Noted in Firefox"

    # search finds a play by a word of its title
    word = yaml.safe_load((MINI / "pillars/listen.yaml").read_text())["title"].split()[0]
    client.find_element("css selector", ".md-search__input").click()
    client.find_element("css selector", ".md-search__input").send_keys(word)

    def found() -> bool:
        results = client.find_elements("css selector", ".md-search-result__item")
        return any(word.lower() in r.text.lower() for r in results)

    assert script_errors(client, base.split("/")[0]) == []
    try:
        wait(client, found, "search results")
    except Exception:
        if over == "http":
            raise
        # Material's search worker, run from disk through its iframe polyfill, never answers in about
        # half of Firefox's runs here (no script error; Chromium's from-disk search is tested in
        # test_browser_site): known, said in the README, and everything above still holds
        pytest.xfail("Firefox: search from disk did not answer this time")
