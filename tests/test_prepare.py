"""A build whose files changed starts loading WeasyPrint before MkDocs renders; an unchanged one does not."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from playbook import pdf
from playbook.site import Site

from .conftest import build


def prepares(project: Path, monkeypatch) -> bool:
    """Whether a build of ``project`` would start loading WeasyPrint early."""
    calls = []
    monkeypatch.setattr(pdf, "warm_up", lambda: calls.append(True))
    config = load_config(str(project / "mkdocs.yml"))
    Site.load(project, project / "docs", config.extra, project / ".cache/playbook")
    return bool(calls)


def test_weasyprint_is_loaded_early_only_after_a_change(mini_project: Path, monkeypatch):
    assert prepares(mini_project, monkeypatch), "never built: PDFs will be laid out"
    assert build(mini_project).returncode == 0
    assert not prepares(mini_project, monkeypatch), "nothing changed since the last build"
    strategy = next((mini_project / "content/strategies").glob("*.yaml"))
    strategy.write_text(strategy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert prepares(mini_project, monkeypatch), "a content file changed"
