"""Cached outputs reach the site as hard links where possible, as copies where not."""

from __future__ import annotations

import os
from pathlib import Path

from playbook.cache import place


def test_place_links_and_replaces_an_older_file(tmp_path: Path):
    cached = tmp_path / "cache/a.pdf"
    cached.parent.mkdir()
    cached.write_bytes(b"%PDF new")
    target = tmp_path / "site/canvases/a.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF old")
    place(cached, target)
    assert target.read_bytes() == b"%PDF new"
    assert os.path.samefile(cached, target)


def test_place_copies_where_no_link_can_be_made(tmp_path: Path, monkeypatch):
    cached = tmp_path / "a.pdf"
    cached.write_bytes(b"%PDF")

    def refuse(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "site/a.pdf"
    place(cached, target)
    assert target.read_bytes() == b"%PDF"
    assert not os.path.samefile(cached, target)
