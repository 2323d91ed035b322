"""Shared fixtures: copies of the project to break, real builds, and a real headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock
import pytest
import yaml

from bench.run import copy_project, unmarked

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Debian's build of the same Chromium without a window system, which Playwright itself runs for headless
# tests: the same Blink and V8, at two thirds of the full browser's CPU per test (measured: the suite
# took 10:51 with the full browser and 8:40 with this one). Tests that need what only the full browser
# has (its back/forward cache) launch CHROMIUM.
HEADLESS_SHELL = shutil.which("chromium-headless-shell") or CHROMIUM
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


SLOW_FIXTURES = {
    "shipped",
    "site",
    "server",
    "browser",
    "tab",
    "project",
    "mini_project",
    "mini_site",
    "acme",
    "configured",
    "hostile_site",
}
MINI = ROOT / "tests/trees/mini/content"  # a small valid content tree, for tests that break content


def pytest_collection_modifyitems(items):
    """Real builds and browsers are `slow`: `pytest -m "not slow"` runs the fast tests alone."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session):
    """Without pytest-xdist (``-n 0``), start the Node tests (tests/test_js.py) as soon as they are
    collected: they run on the other core while the Python tests run here, and their test waits for
    the outcome. Each worker of xdist collects every test, so there the test starts them itself."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any(item.nodeid.startswith("tests/test_js.py::") for item in session.items):
        from .test_js import start

        session.config.node_folder = tempfile.TemporaryDirectory(prefix="node-tests-")
        session.config.node_tests = start(Path(session.config.node_folder.name))


def copy_worksheet(content: Path, source: str, **changes) -> Path:
    """A second worksheet made from ``source`` with ``changes`` (id, number, title), without the
    source's places in the deal brief or its meeting date, which one worksheet holds each."""
    worksheet = unmarked(yaml.safe_load((content / "canvases" / f"{source}.yaml").read_text()))
    worksheet |= changes
    path = content / "canvases" / f"{changes['id']}.yaml"
    path.write_text(yaml.safe_dump(worksheet, sort_keys=False))
    return path


def write_pdfs(jobs: list, cache: Path) -> list[Path]:
    """Lay out ``jobs`` (``playbook.pdf.PdfJob``) and place each PDF at its target, as a build does."""
    from playbook.cache import place
    from playbook.pdf import Press

    with Press(cache) as press:
        for job, made in [(job, press.submit(job.html)) for job in jobs]:
            place(made.result(), job.target.parent, job.target.name, press.digest(made.result()))
    return [job.target for job in jobs]


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a real `mkdocs build --strict` as a user would, capturing its output and exit status."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture
def mini_content(tmp_path: Path) -> Path:
    """A copy of the small test tree's ``content/``, to break without depending on the shipped content."""
    return Path(shutil.copytree(MINI, tmp_path / "content"))


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """The project (mkdocs.yml, docs/, hooks/) with the small test tree as its ``content/``."""
    return copy_project(tmp_path, MINI)


@pytest.fixture
def warm_project(mini_project: Path, mini_site: Path) -> Path:
    """``mini_project`` with the build cache that the small tree's build for the run left, as a
    writer's last build leaves it: a build then lays out only the PDFs its change touches (for tests
    of what a build says or serves, not of what a cold build makes)."""
    take_cache(mini_site, mini_project)
    return mini_project


def take_cache(site: Path, project: Path) -> None:
    """The build cache that built ``site``, copied into ``project``."""
    shutil.copytree(site.parent / ".cache/playbook", project / ".cache/playbook", dirs_exist_ok=True)


def built(project: Path, cache_of: Path | None = None) -> Path:
    """The site of ``project``, built for real (strict) as `mkdocs build --strict` builds it, but in this
    process (a subprocess costs seconds of imports; tests of the command itself use ``build``). A
    failed build raises, its warnings in the captured log. ``cache_of``: a site built before, whose
    build cache this build starts from, so that it lays out only the PDFs its changes touch.

    The hook file is the copy's; the ``playbook`` package below it is this checkout's, as imported.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    if cache_of is not None:
        take_cache(cache_of, project)
    config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return project / "site"


def once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name``, filled by ``make`` once for the whole test run: by whichever xdist worker
    asks first, while the others wait for it (each would build it again otherwise, seconds of CPU)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's, above each worker's own
    folder, made = root / name, root / f"{name}.made"
    with filelock.FileLock(root / f"{name}.lock"):
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            made.touch()
    return folder


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The real playbook, built once for the whole run as its users build it (`mkdocs build --strict`,
    a new process): the project and what the build said."""

    def make(project: Path) -> None:
        result = build(copy_project(project))
        said = [result.returncode, result.stdout, result.stderr]
        project.with_name("shipped.json").write_text(json.dumps(said))

    project = once(tmp_path_factory, "shipped", make)
    said = json.loads(project.with_name("shipped.json").read_text())
    return project, subprocess.CompletedProcess(["mkdocs", "build", "--strict"], *said)


@pytest.fixture(scope="session")
def site(shipped) -> Path:
    """The real playbook's site, built once for the whole session."""
    project, result = shipped
    assert result.returncode == 0, result.stderr
    return project / "site"


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files without a line on stderr for each request."""

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serving_folder(folder: Path, handler: type[Quiet] = Quiet) -> Iterator[str]:
    """``folder`` served over http on a free loopback port (by ``handler``, a web server of some
    other kind): its address, with no slash at the end."""
    handler = functools.partial(handler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site: Path):
    """The built site served over http on a free loopback port."""
    with serving_folder(site) as url:
        yield url


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The site built once for the whole run from the small test tree (tests/trees/mini)."""
    return once(tmp_path_factory, "mini", lambda project: built(copy_project(project, MINI))) / "site"


@pytest.fixture(scope="session")
def mini_server(mini_site: Path):
    with serving_folder(mini_site) as url:
        yield url


def download(page, selector: str, folder: Path) -> Path:
    """Click ``selector`` and keep the file the page downloads, under its suggested name, in ``folder``."""
    with page.expect_download() as info:
        page.click(selector)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests: apt-get install chromium")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=HEADLESS_SHELL, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A fresh browser profile with a log of every request that leaves the machine's own files."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(("file:", "data:", "blob:", "about:", "http://127.0.0.1")):
            self.foreign.append(url)


@pytest.fixture
def tab(browser, request):
    """A page in a fresh profile; the test fails if it asked any other host for anything.

    Parametrize it indirectly with a dict of context options, e.g. ``{"timezone_id": "Asia/Tokyo"}``.
    """
    opened = Page(browser, accept_downloads=True, **getattr(request, "param", {}))
    yield opened
    opened.context.close()
    assert opened.foreign == [], f"requests to other hosts: {opened.foreign}"
    assert opened.errors == [], f"JavaScript errors: {opened.errors}"


def site_name(page) -> str:
    """The playbook's name as the page's header shows it (the configuration's site_name)."""
    return page.inner_text(".md-header__topic:first-child .md-ellipsis")


def tab_to(page, selector: str, limit: int = 400) -> int:
    """Press Tab, as a keyboard user would, until ``selector`` has the focus; how many presses it took."""
    target = page.locator(selector).element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return presses
    raise AssertionError(f"Tab never reaches {selector}")
