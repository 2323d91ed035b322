"""`mkdocs serve`: edits to content/ and to the templates reach the browser without a restart; the
slow files (PDFs, handbook, zip) are made after the reload while the last ones keep serving, a
deleted page's files leave the site and the zip, and "up to date" is said only when it is true."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from bench.run import serving
from playbook import bundle

from .conftest import copy_worksheet

pytestmark = pytest.mark.slow
UP_TO_DATE = "beside the pages are up to date"


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return b""


def wait_for(check, seconds: float = 300) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def text_of(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def said(log: list[str]) -> int:
    """How often serve has said "up to date" (a build error ends the wait)."""
    assert not any("ERROR" in line or "Traceback" in line for line in log), "".join(log)
    return sum(UP_TO_DATE in line for line in log)


def summary(project: Path, text: str) -> None:
    path = project / "content/strategies/give-first.yaml"
    data = yaml.safe_load(path.read_text())
    data["summary"] = text
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_serve_reloads_pages_first_and_keeps_serving_the_last_handbook(warm_project: Path):
    project = warm_project
    with serving(project) as (base, log):
        page = base + "pillars/index.html"
        assert wait_for(lambda: said(log) == 1), "".join(log)
        handbook = fetch(base + "handbook.pdf")
        assert handbook.startswith(b"%PDF")

        sections = project / "content/sections.yaml"
        data = yaml.safe_load(sections.read_text())
        data["pillars"]["title"] = "Edited while serving"
        sections.write_text(yaml.safe_dump(data))
        assert wait_for(lambda: b"Edited while serving" in fetch(page)), "the content edit did not show"
        # the page is back before the background work ends, and the last handbook is still served
        assert fetch(base + "handbook.pdf") == handbook or said(log) == 2
        assert wait_for(lambda: said(log) == 2), "".join(log)
        assert "Edited while serving" in text_of(fetch(base + "handbook.pdf"))

        template = project / "hooks/playbook/templates/index.md"
        template.write_text(template.read_text() + "\nTemplate edited while serving.\n")
        assert wait_for(lambda: b"Template edited while serving" in fetch(page)), (
            "the template edit did not show"
        )
        assert not any("Traceback" in line or "ERROR" in line for line in log), "".join(log)


def test_up_to_date_is_said_only_of_the_latest_save(warm_project: Path):
    """Two saves a second apart: whenever "up to date" is said, the handbook holds the second."""
    with serving(warm_project) as (base, log):
        assert wait_for(lambda: said(log) == 1), "".join(log)
        summary(warm_project, "The first save.")
        time.sleep(1)
        summary(warm_project, "The second save.")
        saved = said(log)
        assert wait_for(lambda: said(log) > saved), "".join(log)
        book = text_of(fetch(base + "handbook.pdf"))
        assert "The second save." in book and "The first save." not in book
        assert not any("Traceback" in line or "ERROR" in line for line in log), "".join(log)


def test_a_deleted_worksheet_leaves_the_site_and_the_zip(warm_project: Path):
    canvases = warm_project / "content/canvases"
    number = len(list(canvases.glob("*.yaml"))) + 1
    copy_worksheet(
        warm_project / "content", "test-canvas", id="second-canvas", number=number, title="A second worksheet"
    )
    pdfs = [f"canvases/second-canvas-{paper}.pdf" for paper in ("a4", "letter")]

    def zipped() -> set[str]:
        names = zipfile.ZipFile(io.BytesIO(fetch(base + bundle.NAME))).namelist()
        return {name.removeprefix(f"{bundle.FOLDER}/") for name in names}

    with serving(warm_project) as (base, log):
        assert wait_for(lambda: said(log) == 1), "".join(log)
        assert all(fetch(base + pdf).startswith(b"%PDF") for pdf in pdfs)
        assert set(pdfs) <= zipped()
        (canvases / "second-canvas.yaml").unlink()
        assert wait_for(lambda: not fetch(base + "canvases/second-canvas.html")), "the page is gone"
        assert not any(fetch(base + pdf) for pdf in pdfs), "and its PDFs at once"
        assert wait_for(lambda: said(log) == 2), "".join(log)
        assert not any(fetch(base + pdf) for pdf in pdfs) and not set(pdfs) & zipped()
    assert not (warm_project / ".cache/playbook/serve").exists(), "no folder brings them back"
    store = warm_project / ".cache/playbook/pdf"
    recorded = json.loads(store.with_suffix(".json").read_text())["files"]
    assert {path.stem for path in store.glob("*.pdf")} == set(recorded), "pruned to the last build's PDFs"
