"""Under `mkdocs serve`, a content error shows in the browser at once, with its file and line, and the
browser goes back to the page by itself when the error is fixed; no reload by hand, no waiting."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

from playbook import serve_errors

from .editing import edit
from .test_serve import fetch, wait_for


def test_the_error_page_shows_problems_as_text(tmp_path: Path):
    (tmp_path / "old.html").write_text("old")
    (tmp_path / "assets").mkdir()
    serve_errors.write(tmp_path, "content/x.yaml:3: <script>alert(1)</script> & more")
    assert [p.name for p in tmp_path.iterdir()] == ["404.html"]
    page = (tmp_path / "404.html").read_text()
    assert "content/x.yaml:3: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


@contextlib.contextmanager
def serving(project: Path):
    """`mkdocs serve` on a free port, its log, and at the end the end of it and of every process it
    started (the PDF press's workers hold its output open, so the log would never end)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(server.stderr), daemon=True)
    reader.start()
    try:
        yield f"http://127.0.0.1:{port}/", log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        reader.join(timeout=30)
        server.stderr.close()


@pytest.mark.browser
def test_a_failed_rebuild_shows_in_the_browser_and_clears_itself(mini_project: Path, tab):
    page = tab.page
    listen = mini_project / "content/pillars/listen.yaml"
    good = listen.read_text()
    with serving(mini_project) as (base, log):
        assert wait_for(lambda: b"</html>" in fetch(base + "pillars/index.html"), 300), "".join(log)
        page.goto(base + "pillars/index.html")
        heading = page.locator("h1").inner_text()

        line = edit(listen, "  and at the worksheet", "and at the worksheet")  # out of its | block
        problems = page.locator("#problems")
        problems.wait_for(timeout=60_000)  # the page reloaded by itself
        assert f"content/pillars/listen.yaml:{line}: YAML syntax error" in problems.inner_text()
        assert "could not be built" in page.locator("h1").inner_text()
        with pytest.raises(HTTPError) as missing:
            urllib.request.urlopen(base + "strategies/index.html", timeout=5)
        assert b'id="problems"' in missing.value.read(), "every page shows the problems, not a stale copy"

        listen.write_text(good)
        page.locator("h1", has_text=heading).wait_for(timeout=60_000)  # back by itself
        assert page.url == base + "pillars/index.html"
        assert not any("Traceback" in entry for entry in log), "".join(log)
