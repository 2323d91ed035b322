"""The cache as untrusted input: records are checked JSON, paths stay inside, files match their
recorded SHA-256, and the site gets copies."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from playbook import cache
from playbook.cache import Damaged, Store, inside, place


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_place_copies_so_nothing_done_to_the_site_reaches_the_cache(tmp_path: Path):
    cached = tmp_path / "cache/a.pdf"
    cached.parent.mkdir()
    cached.write_bytes(b"%PDF new")
    site = tmp_path / "site"
    (site / "canvases").mkdir(parents=True)
    (site / "canvases/a.pdf").write_bytes(b"%PDF old")
    assert place(cached, site, "canvases/a.pdf", sha(b"%PDF new")) == sha(b"%PDF new")
    target = site / "canvases/a.pdf"
    assert target.read_bytes() == b"%PDF new"
    assert not os.path.samefile(cached, target), "a copy, not a link"
    with target.open("r+b") as file:  # as a reader's viewer saves a filled-in form in place
        file.write(b"%PDF filled in")
    assert cached.read_bytes() == b"%PDF new"


def test_place_refuses_a_file_that_is_not_the_one_recorded(tmp_path: Path):
    cached = tmp_path / "a.pdf"
    cached.write_bytes(b"%PDF changed")
    with pytest.raises(Damaged):
        place(cached, tmp_path / "site", "a.pdf", sha(b"%PDF as recorded"))
    assert not (tmp_path / "site/a.pdf").exists()


def test_place_never_writes_outside_the_site(tmp_path: Path):
    cached = tmp_path / "a.pdf"
    cached.write_bytes(b"%PDF")
    site, outside = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir()
    outside.mkdir()
    (site / "canvases").symlink_to(outside)  # a folder of the site that leads out of it
    with pytest.raises(Damaged):
        place(cached, site, "canvases/a.pdf")
    with pytest.raises(Damaged):
        place(cached, site, "../a.pdf")
    assert list(outside.iterdir()) == []


def test_a_path_a_record_names_must_stay_inside_its_folder(tmp_path: Path):
    folder, elsewhere = tmp_path / "cache", tmp_path / "secret"
    (folder / "pdf").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "key.pdf").write_bytes(b"private")
    (folder / "pdf/real.pdf").write_bytes(b"%PDF")
    (folder / "pdf/link.pdf").symlink_to(elsewhere / "key.pdf")
    (folder / "pdf/inner.pdf").symlink_to(folder / "pdf/real.pdf")
    assert inside(folder, "pdf/real.pdf") == (folder / "pdf/real.pdf").resolve()
    assert inside(folder, "pdf/inner.pdf") is not None, "a link that stays inside is fine"
    for hostile in ("pdf/link.pdf", "../secret/key.pdf", str(elsewhere / "key.pdf"), "pdf", "pdf/none.pdf"):
        assert inside(folder, hostile) is None, hostile


def test_a_store_uses_only_files_that_match_its_record(tmp_path: Path):
    folder = tmp_path / "pdf"
    store = Store(folder, ".pdf")
    kept = store.put("a" * 64, b"%PDF kept")
    store.put("b" * 64, b"%PDF altered")
    store.save()
    (folder / f"{'b' * 64}.pdf").write_bytes(b"%PDF altered after")
    (folder / f"{'c' * 64}.pdf").write_bytes(b"%PDF planted, never recorded")
    again = Store(folder, ".pdf")
    assert again.get("a" * 64) == kept.resolve()
    assert again.get("b" * 64) is None and again.get("c" * 64) is None
    again.save(keep={"a" * 64})
    assert sorted(p.name for p in folder.glob("*.pdf")) == [kept.name], "the rest is pruned"


@pytest.mark.parametrize(
    "planted",
    [
        b"",
        b"{not json",
        b'{"files": {"../../etc/passwd": "' + b"0" * 64 + b'"}}',
        b'{"files": {"' + b"a" * 64 + b'": "not a digest"}}',
        b'["another", "shape"]',
        b'{"files": {}, "more": 1}',
        b"[" * 100_000 + b"]" * 100_000,  # deeper than any parser recurses
        b'{"files": {"\xff": 1}}',
    ],
)
def test_a_damaged_or_foreign_record_counts_as_none(tmp_path: Path, planted: bytes):
    (tmp_path / "pdf.json").write_bytes(planted)
    assert Store(tmp_path / "pdf", ".pdf").digests == {}


class Planted:
    """Unpickling this writes a file: the proof that loading a record ran code."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self):
        return (Path.write_text, (self.proof, "code ran"))


def test_a_planted_pickle_is_never_loaded(tmp_path: Path):
    proof = tmp_path / "proof"
    (tmp_path / "pdf.json").write_bytes(pickle.dumps(Planted(proof)))
    assert Store(tmp_path / "pdf", ".pdf").digests == {}
    assert not proof.exists()


def test_damaged_pdfs_are_found_without_repair(tmp_path: Path):
    pikepdf = pytest.importorskip("pikepdf")
    whole = tmp_path / "whole.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(whole)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:-60])  # the cross-reference table's end is gone
    text = tmp_path / "text.pdf"
    text.write_text("not a PDF")
    assert cache.damaged_pdfs([whole, cut, text, tmp_path / "gone.pdf"]) == [cut, text, tmp_path / "gone.pdf"]


def test_a_folder_or_a_link_in_the_way_is_replaced_never_followed(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "pdf").symlink_to(outside)  # the store's folder leads out of the cache
    (cache_dir / "pdf.json").mkdir()  # its record is a folder
    store = Store(cache_dir / "pdf", ".pdf")
    store.put("a" * 64, b"%PDF")
    store.save()
    assert list(outside.iterdir()) == [], "nothing written through the link"
    assert (cache_dir / "pdf").is_dir() and not (cache_dir / "pdf").is_symlink()
    assert Store(cache_dir / "pdf", ".pdf").get("a" * 64) is not None
