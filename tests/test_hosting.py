"""Hosting the built site: the Pages workflow, every link and anchor, and serving under a sub-path."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections import deque
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit

import icalendar
import pytest
import yaml

from .conftest import ROOT
from .links import is_local, parse

WORKFLOW = ROOT / ".github/workflows/pages.yml"


def test_pages_workflow_builds_strict_on_main_and_deploys():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "main" in triggers["push"]["branches"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert any("mkdocs build --strict" in run for run in runs)
    assert any("pip install -e ." in run for run in runs), "the build installs the playbook package"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}, "only the deploy job may publish"


def test_every_internal_link_and_anchor_resolves(site: Path):
    root = site.resolve()
    pages = {page.resolve(): parse(page.read_text(encoding="utf-8")) for page in root.rglob("*.html")}
    broken = []
    for page, (urls, _) in pages.items():
        for url in filter(is_local, urls):
            parts = urlsplit(url)
            # only 404.html links from the root ("/assets/..."): a server shows it at any depth
            base = root if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root)} -> {url}"
            if root not in target.parents or not target.is_file():
                broken.append(f"{where}: no such file")
            elif (
                target.suffix == ".html"
                and parts.fragment
                and unquote(parts.fragment) not in pages[target][1]
            ):
                broken.append(f"{where}: no such anchor")
    assert broken == []


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under PREFIX, as an intranet server would under https://intranet/playbook/."""

    PREFIX = "/playbook/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.PREFIX):
            return str(Path(self.directory) / "no-such-file-outside-the-prefix")
        return super().translate_path("/" + path.removeprefix(self.PREFIX))

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def subpath(site: Path):
    handler = functools.partial(_SubPathHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/playbook/"
    httpd.shutdown()
    httpd.server_close()


def crawl(start: str) -> tuple[set[str], list[str]]:
    """Follow every local link from ``start``; return the URLs fetched and the ones that failed."""
    seen, failed, queue = {start}, [], deque([start])
    while queue:
        url = queue.popleft()
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as err:
            failed.append(f"{url}: {err.code}")
            continue
        if kind != "text/html":
            continue
        for link in filter(is_local, parse(body.decode())[0]):
            target = urljoin(url, link).split("#")[0]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen, failed


def test_site_works_under_a_sub_path(site: Path, subpath: str):
    fetched, failed = crawl(subpath + "index.html")
    assert failed == []
    assert all(url.startswith(subpath) for url in fetched)
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    reached = {url.removeprefix(subpath) for url in fetched}
    assert built <= reached, f"pages no link leads to: {built - reached}"
    downloads = {
        "handbook.pdf",
        "negotiation-playbook-offline.zip",
        "canvases/negotiation-canvas-a4.pdf",
        "canvases/negotiation-canvas-letter.pdf",
        "practise/challenge-a4.pdf",
        "assets/stylesheets/playbook.css",
    }
    assert downloads <= reached


@pytest.mark.browser
def test_search_works_under_a_sub_path(subpath: str, tab):
    page = tab.page
    page.goto(subpath + "pillars/curiosity.html")
    page.click(".md-search__input")
    page.keyboard.type("concession", delay=30)
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(subpath) and "oncession" in page.locator("h1").inner_text()


@pytest.mark.browser
def test_calendar_file_links_back_under_the_sub_path(subpath: str, tab):
    page = tab.page
    page.goto(subpath + "practise/challenge.html")
    page.fill("input[name=start]", "2026-03-02")
    with page.expect_download() as download:
        page.click("[data-action=calendar]")
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 30
    assert str(events[0]["url"]) == subpath + "practise/challenge.html#day-1"
