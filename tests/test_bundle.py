"""The offline bundle: the whole site in one zip, linked from the home page, that works unzipped."""

from __future__ import annotations

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


def test_bundle_is_reused_until_a_file_changes(tmp_path: Path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "pages").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "pages/a.html").write_text("<p>a</p>")
    first = bundle.write(site, cache).read_bytes()
    (cache_zip,) = cache.glob("*.zip")
    cache_zip.write_bytes(first + b"marker")  # a reused zip is copied as it is
    assert bundle.write(site, cache).read_bytes().endswith(b"marker")
    (site / "pages/a.html").write_text("<p>a, edited</p>")
    zipped = zipfile.ZipFile(bundle.write(site, cache))
    assert zipped.read(f"{bundle.FOLDER}/pages/a.html") == b"<p>a, edited</p>"
    assert len(list(cache.glob("*.zip"))) == 1, "the cache keeps one zip"


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
