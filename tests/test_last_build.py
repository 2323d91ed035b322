"""What a build knows of the last one: a project whose files changed starts loading WeasyPrint before
MkDocs renders; an unchanged one takes the files the last build made beside the pages as they are."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build as build_in_process
from mkdocs.config import load_config

from playbook import content, pdf
from playbook.site import Site

from .conftest import build


def prepares(project: Path, monkeypatch) -> bool:
    """Whether a build of ``project`` would start loading WeasyPrint early."""
    calls = []
    monkeypatch.setattr(pdf, "warm_up", lambda: calls.append(True))
    config = load_config(str(project / "mkdocs.yml"))
    palette = config.theme.get("palette")
    Site.load(project, project / "docs", config.extra, project / ".cache/playbook", config.site_name, palette)
    return bool(calls)


def test_weasyprint_is_loaded_early_only_after_a_change(mini_project: Path, monkeypatch):
    assert prepares(mini_project, monkeypatch), "never built: PDFs will be laid out"
    assert build(mini_project).returncode == 0
    assert not prepares(mini_project, monkeypatch), "nothing changed since the last build"
    with monkeypatch.context() as patch:
        patch.setattr(importlib.metadata, "version", lambda name: "999")
        assert prepares(mini_project, patch), "another version of a library that makes the files"
    strategy = next((mini_project / "content/strategies").glob("*.yaml"))
    strategy.write_text(strategy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert prepares(mini_project, monkeypatch), "a content file changed"


def test_an_unchanged_project_lays_nothing_out(mini_project: Path, monkeypatch):
    assert build(mini_project).returncode == 0
    site = mini_project / "site"
    files = {path.relative_to(site): path.read_bytes() for path in site.rglob("*.pdf")}
    handed = []
    monkeypatch.setattr(pdf.Press, "submit", lambda press, html: handed.append(html))
    build_in_process(load_config(str(mini_project / "mkdocs.yml"), site_dir=str(site)))
    assert handed == [], "no document was even made, let alone laid out"
    assert {path.relative_to(site): path.read_bytes() for path in site.rglob("*.pdf")} == files
    for cached in (mini_project / ".cache/playbook/pdf").glob("*.pdf"):
        cached.unlink()  # the files the last build recorded are gone: everything is made again
    monkeypatch.undo()
    build_in_process(load_config(str(mini_project / "mkdocs.yml"), site_dir=str(site)))
    again = {path.relative_to(site): path.read_bytes() for path in site.rglob("*.pdf")}
    assert again.keys() == files.keys() and all(data.startswith(b"%PDF") for data in again.values())


def test_the_hook_starts_weasyprint_before_it_imports_the_rest(mini_project: Path):
    """The hook's own imports take a third of a second: a changed project starts WeasyPrint first."""
    probe = (
        "import sys, runpy, playbook.pdf as pdf\n"
        "pdf.warm_up = lambda: print('warm', 'playbook.site' in sys.modules)\n"
        "runpy.run_path('hooks/playbook_hook.py')\n"
    )

    def imported() -> str:
        env = {**os.environ, "PYTHONPATH": str(mini_project / "hooks")}
        command = [sys.executable, "-c", probe]
        run = subprocess.run(command, cwd=mini_project, env=env, capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        return run.stdout

    assert imported() == "warm False\n", "never built, and nothing else imported yet"
    assert build(mini_project).returncode == 0
    assert imported() == "", "nothing changed since the last build"


def test_an_unchanged_project_is_not_read_again(mini_project: Path, monkeypatch):
    """Its content, plan and pages come from the last build; a change, or a damaged copy, reads anew."""
    assert build(mini_project).returncode == 0
    config = load_config(str(mini_project / "mkdocs.yml"))

    def load() -> Site:
        return Site.load(
            mini_project,
            mini_project / "docs",
            config.extra,
            mini_project / ".cache/playbook",
            config.site_name,
            config.theme.get("palette"),
        )

    with monkeypatch.context() as patch:
        patch.setattr(content, "load", lambda root: pytest.fail("read again"))
        kept = load()
    state = mini_project / ".cache/playbook/last-build.pickle"
    state.write_bytes(state.read_bytes()[:200])  # cut short
    anew = load()
    assert not kept.fresh and anew.fresh, "a damaged copy: read anew"
    assert (kept.pages, kept.assets, kept.plan.nav(), kept.origins) == (
        anew.pages, anew.assets, anew.plan.nav(), anew.origins
    )  # fmt: skip
    assert build(mini_project).returncode == 0
    assert not load().fresh, "the build that read anew kept what it read"
    strategy = next((mini_project / "content/strategies").glob("*.yaml"))
    strategy.write_text(strategy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load().fresh, "a content file changed"
