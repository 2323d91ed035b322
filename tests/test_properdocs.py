"""The way off MkDocs 1.x, kept proven: ProperDocs, run as the README says, builds the playbook
unchanged (the project as it is, with the small test tree as its content), and its pages, PDFs and
offline zip hold what MkDocs' do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import MINI, copy_project
from .test_readme import command

pytestmark = pytest.mark.slow
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')  # names the tool, and only that


def pdf_text(path: Path) -> tuple:
    reader = PdfReader(path)
    return (
        len(reader.pages),
        [page.extract_text() for page in reader.pages],
        sorted(reader.get_fields() or {}),
    )


def test_properdocs_builds_what_mkdocs_builds(mini_site: Path, tmp_path: Path):
    site = mini_site
    project = copy_project(tmp_path, MINI)
    (project / ".venv").symlink_to(Path(sys.prefix))
    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    line = command(".venv/bin/properdocs build")
    done = subprocess.run(["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    theirs = project / "site"

    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file()}
    pages = sorted(f for f in files if f.endswith(".html"))
    assert pages
    for name in pages:
        ours, built = (GENERATOR.sub(b"", (root / name).read_bytes()) for root in (site, theirs))
        assert ours == built, f"{name} differs"
    for name in sorted(f for f in files if f.endswith(".pdf")):
        assert pdf_text(site / name) == pdf_text(theirs / name), f"{name} differs"
    zips = [f for f in files if f.endswith(".zip")]
    for name in zips:
        with zipfile.ZipFile(site / name) as ours, zipfile.ZipFile(theirs / name) as built:
            assert ours.namelist() == built.namelist()
