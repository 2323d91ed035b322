"""Hosting the built site: the Pages workflow, every link and anchor, and serving under a sub-path."""

from __future__ import annotations

import hashlib
import re
import urllib.request
from collections import deque
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit

import icalendar
import pytest
import yaml

from playbook.model import CHALLENGE_DAYS

from .conftest import MINI, ROOT, Quiet, built, copy_project, serving_folder
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


def test_pages_workflow_builds_for_the_address_github_gives():
    """configure-pages runs first, and its base_url (https://owner.github.io/repository) is the site_url."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps]
    configure = steps[order.index("actions/configure-pages")]
    build_step = next(step for step in steps if "mkdocs build" in step.get("run", ""))
    assert order.index("actions/configure-pages") < steps.index(build_step)
    assert build_step["env"]["SITE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}/"
    config = (ROOT / "mkdocs.yml").read_text()
    assert "\nsite_url: !ENV SITE_URL\n" in config, "mkdocs.yml reads site_url from SITE_URL"
    assert "\nrepo_url:" not in config, "with repo_url set, Material asks the GitHub API for stars"


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


class _SubPathHandler(Quiet):
    """Serves the site only under PREFIX, as an intranet server would under https://intranet/playbook/."""

    PREFIX = "/playbook/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.PREFIX):
            return str(Path(self.directory) / "no-such-file-outside-the-prefix")
        return super().translate_path("/" + path.removeprefix(self.PREFIX))


@pytest.fixture(scope="module")
def subpath(mini_site: Path):
    """The small test tree's site, served under /playbook/ only."""
    with serving_folder(mini_site, _SubPathHandler) as url:
        yield f"{url}/playbook/"


class _PagesHandler(_SubPathHandler):
    """Like GitHub Pages for a project site: the site under /playbook/, its 404.html for any missing page."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory, mini_site: Path):
    """A small playbook built for https://owner.github.io/playbook/ and served as GitHub Pages would."""
    project = copy_project(tmp_path_factory.mktemp("pages"), MINI)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", "https://owner.github.io/playbook")
        built(project, cache_of=mini_site)
    with serving_folder(project / "site", _PagesHandler) as url:
        yield f"{url}/playbook/"


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["no-such-page", "pillars/gone.html", "a/b/c/d/"])
def test_the_404_page_is_styled_under_the_repository_path(pages_site: str, tab, missing: str):
    page = tab.page
    failed = []
    page.on("response", lambda r: r.status >= 400 and r.url != pages_site + missing and failed.append(r.url))
    response = page.goto(pages_site + missing)
    assert response.status == 404
    assert "404" in page.locator("h1").inner_text()
    assert failed == [], "the 404 page's own files must load"
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any("/playbook/assets/stylesheets/main." in s for s in sheets), sheets
    # Material's stylesheet applied: the header is laid out, not a bare list of links
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


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


def test_each_page_asks_for_the_scripts_of_its_own_version(mini_site: Path):
    """A page's own scripts carry a digest of their bytes in their address, so that after an update
    a browser fetches them anew rather than running a copy it kept of another version; the pages
    that keep deals also carry the stamp of the schema they were built with."""
    schema = (mini_site / "assets/javascripts/worksheets.js").read_text(encoding="utf-8")
    stamp = re.search(r'"stamp":"([0-9a-f]{16})"', schema)[1]
    pages = 0
    for page in (mini_site / "canvases").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="(\.\./assets/javascripts/[^"]+)"', html)
        versioned = [s.partition("?v=") for s in scripts if "?v=" in s]  # the page's own (its front matter)
        for path, _, version in versioned:
            assert version == hashlib.sha256((page.parent / path).read_bytes()).hexdigest()[:12], path
        if "../assets/javascripts/worksheets.js" in [path for path, _, _ in versioned]:
            pages += 1
            assert f'<meta name="playbook-schema" content="{stamp}">' in html, page.name
    assert pages >= 3  # the worksheets, My deals and the brief


def test_site_works_under_a_sub_path(mini_site: Path, subpath: str):
    fetched, failed = crawl(subpath + "index.html")
    assert failed == []
    assert all(url.startswith(subpath) for url in fetched)
    built = {p.relative_to(mini_site).as_posix() for p in mini_site.rglob("*.html")} - {"404.html"}
    reached = {url.removeprefix(subpath) for url in fetched}
    assert built <= reached, f"pages no link leads to: {built - reached}"
    downloads = {
        "handbook.pdf",
        "negotiation-playbook-offline.zip",
        "canvases/test-canvas-a4.pdf",
        "canvases/test-canvas-letter.pdf",
        "practise/challenge-a4.pdf",
        "assets/stylesheets/playbook.css",
    }
    assert downloads <= reached


@pytest.mark.browser
def test_search_works_under_a_sub_path(subpath: str, tab):
    page = tab.page
    page.goto(subpath + "pillars/listen.html")
    page.click(".md-search__input")
    page.keyboard.type("concession")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(subpath) and "concession" in page.locator("article").inner_text().lower()


@pytest.mark.browser
def test_calendar_file_links_back_under_the_sub_path(subpath: str, tab):
    page = tab.page
    page.goto(subpath + "practise/challenge.html")
    page.fill("input[name=start]", "2026-03-02")
    with page.expect_download() as download:
        page.click("[data-action=calendar]")
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == CHALLENGE_DAYS
    assert str(events[0]["url"]) == subpath + "practise/challenge.html#day-1"
