"""`mkdocs serve`: edits to content/ and to the templates reach the browser without a restart, and
the slow files (PDFs, handbook, zip) are made after the reload while the last ones keep serving."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from bench.run import serving

pytestmark = pytest.mark.slow


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return b""


def wait_for(check, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_serve_reloads_pages_first_and_keeps_serving_the_last_handbook(mini_project: Path):
    project = mini_project
    with serving(project) as (base, log):
        done = lambda: sum("beside the pages are up to date" in line for line in log)  # noqa: E731
        page = base + "pillars/index.html"
        assert wait_for(lambda: done() == 1, 300), "".join(log)
        handbook = fetch(base + "handbook.pdf")
        assert handbook.startswith(b"%PDF")

        sections = project / "content/sections.yaml"
        data = yaml.safe_load(sections.read_text())
        data["pillars"]["title"] = "Edited while serving"
        sections.write_text(yaml.safe_dump(data))
        assert wait_for(lambda: b"Edited while serving" in fetch(page)), "the content edit did not show"
        # the page is back before the background work ends, and the last handbook is still served
        assert fetch(base + "handbook.pdf") == handbook or done() == 2
        assert wait_for(lambda: done() == 2, 300), "".join(log)
        assert fetch(base + "handbook.pdf") != handbook, "the handbook was made again from the edit"

        template = project / "hooks/playbook/templates/index.md"
        template.write_text(template.read_text() + "\nTemplate edited while serving.\n")
        assert wait_for(lambda: b"Template edited while serving" in fetch(page)), (
            "the template edit did not show"
        )
        assert not any("Traceback" in line or "ERROR" in line for line in log), "".join(log)
