"""The small content tree that tests break stays valid: it loads, and the project builds with it."""

from __future__ import annotations

from playbook.content import SPECS, load

from .conftest import MINI, build


def test_mini_tree_has_every_kind_of_file_and_loads():
    assert all(list(MINI.glob(spec.pattern)) for spec in SPECS)
    book = load(MINI)
    assert book.plays and book.canvases


def test_mini_project_builds_strictly(mini_project):
    result = build(mini_project)
    assert result.returncode == 0, result.stderr
    assert (mini_project / "site/recover/three-rs.html").is_file()
