"""The offline bundle: the whole site in one zip, linked from the home page, that works unzipped."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from playbook import bundle


def test_bundle_holds_every_file_of_the_site_but_itself(site: Path):
    zipped = site / bundle.NAME
    assert f'href="{bundle.NAME}"' in (site / "index.html").read_text(), "linked from the home page"
    names = zipfile.ZipFile(zipped).namelist()
    assert all(name.startswith(f"{bundle.FOLDER}/") for name in names), "one folder when unzipped"
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p != zipped}
    assert {name.removeprefix(f"{bundle.FOLDER}/") for name in names} == built


def zip_of(site: Path, cache: Path, epoch: int = 0, code: str = "code") -> tuple[Path, str]:
    return bundle.Zip(site, ["pages/a.pdf"], epoch, code).finish(cache)


def small_site(folder: Path) -> Path:
    (folder / "pages").mkdir(parents=True)
    (folder / "index.html").write_text("<p>home</p>")
    (folder / "pages/a.html").write_text("<p>a</p>")
    (folder / "pages/a.pdf").write_bytes(b"%PDF-1.7 not really")
    (folder / "zz.html").write_text("<p>last page</p>")
    return folder


def test_bundle_is_reused_until_a_file_changes(tmp_path: Path, monkeypatch):
    site, cache = small_site(tmp_path / "site"), tmp_path / "cache"
    first, digest = zip_of(site, cache)
    assert cache_sha(first) == digest
    with monkeypatch.context() as patch:
        patch.setattr(bundle.Zip, "_add", lambda *a: pytest.fail("zipped again"))
        assert zip_of(site, cache) == (first, digest), "the same files: the same zip"
    (site / "pages/a.html").write_text("<p>a, edited</p>")
    zipped, _ = zip_of(site, cache)
    assert zipfile.ZipFile(zipped).read(f"{bundle.FOLDER}/pages/a.html") == b"<p>a, edited</p>"
    assert list(cache.glob("*.zip")) == [zipped], "the cache keeps one zip"


def test_bundle_is_made_again_for_another_date_or_other_code(tmp_path: Path):
    """The same files, with another SOURCE_DATE_EPOCH or by other code, are another zip."""
    site, cache = small_site(tmp_path / "site"), tmp_path / "cache"
    _, digest = zip_of(site, cache)
    dated, dated_digest = zip_of(site, cache, epoch=1700000000)
    assert dated_digest != digest
    assert {e.date_time for e in zipfile.ZipFile(dated).infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert zip_of(site, cache, epoch=1700000000, code="changed")[0] != dated


def test_a_damaged_cached_zip_is_made_again(tmp_path: Path):
    site, cache = small_site(tmp_path / "site"), tmp_path / "cache"
    zipped, digest = zip_of(site, cache)
    zipped.write_bytes(zipped.read_bytes()[:100])
    again, same = zip_of(site, cache)
    assert same == digest and cache_sha(again) == digest
    assert zipfile.ZipFile(again).testzip() is None


def test_the_zip_depends_only_on_the_files_names_and_bytes(tmp_path: Path):
    """MkDocs' files in name order, then the PDFs made beside them; every entry dated SOURCE_DATE_EPOCH
    (or 1980-01-01) and readable by all; PDFs stored as they are."""
    one = small_site(tmp_path / "one/site")
    other = small_site(tmp_path / "other/site")
    os.utime(other / "index.html", (1e9, 1e9))
    (other / "pages/a.html").chmod(0o600)
    made = [zip_of(site, site.parent / "cache")[0].read_bytes() for site in (one, other)]
    assert made[0] == made[1]
    entries = zipfile.ZipFile(io.BytesIO(made[0])).infolist()
    names = [e.filename.removeprefix(f"{bundle.FOLDER}/") for e in entries]
    assert names == ["index.html", "pages/a.html", "zz.html", "pages/a.pdf"]
    assert {(e.date_time, e.external_attr >> 16) for e in entries} == {((1980, 1, 1, 0, 0, 0), 0o100644)}
    assert {e.filename.rsplit(".")[-1]: e.compress_type for e in entries}["pdf"] == zipfile.ZIP_STORED


def test_a_zip_made_in_steps_is_the_zip_made_at_once(tmp_path: Path):
    """A build zips MkDocs' files, then the PDFs ready while the handbook is joined, in the zip's order:
    an output that comes after one not ready waits for ``finish``."""
    site = small_site(tmp_path / "site")
    for name in ("b.pdf", "c.pdf"):
        (site / "pages" / name).write_bytes(f"%PDF-1.7 {name}".encode())
    outputs = ["pages/a.pdf", "pages/b.pdf", "pages/c.pdf"]
    at_once = bundle.Zip(site, outputs, 0, "code").finish(tmp_path / "once")[0].read_bytes()
    steps = bundle.Zip(site, outputs, 0, "code")
    steps.compress()
    steps.compress({"pages/a.pdf", "pages/c.pdf"})  # b.pdf is not in the site yet
    assert [e.filename.rsplit("/")[-1] for e in steps.archive.infolist()][-2:] == ["zz.html", "a.pdf"]
    assert steps.finish(tmp_path / "steps")[0].read_bytes() == at_once


def cache_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.browser
def test_unzipped_bundle_works_from_disk(site: Path, tmp_path: Path, tab):
    zipfile.ZipFile(site / bundle.NAME).extractall(tmp_path)
    page = tab.page
    page.goto((tmp_path / bundle.FOLDER / "index.html").as_uri())
    page.locator(".md-typeset a[href$='pillars/index.html']").first.click()
    page.locator(".md-typeset .cards a[href$='.html']:not([href*='/'])").first.click()  # a pillar
    assert page.url.startswith((tmp_path / bundle.FOLDER).as_uri())
    page.wait_for_url("**/pillars/*.html")
    page.wait_for_selector("h1")
    assert "/pillars/" in page.url and not page.url.endswith("index.html")
    page.click(".md-search__input")
    page.keyboard.type("concession", delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert any("oncession" in t for t in page.locator(".md-search-result__item").all_inner_texts())
