"""The small test tree's site (tests/trees/mini) in a real headless Chromium, from disk and over http."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_search_works_from_disk_without_network(mini_site: Path, tab):
    page = tab.page
    page.goto((mini_site / "index.html").as_uri())
    page.click(".md-search__input")
    page.keyboard.type("concession")
    page.wait_for_selector(".md-search-result__item")
    titles = page.locator(".md-search-result__item").all_inner_texts()
    assert any("oncession" in t for t in titles)


def test_plays_index_filters_by_when_and_tag(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/plays.html")
    total = page.locator(".play-card").count()
    page.check("input[name=when][value=recovery]")
    visible = page.locator(".play-card:visible")
    assert 0 < visible.count() < total
    assert all("recovery" in (c.get_attribute("data-when") or "") for c in visible.all())
    page.uncheck("input[name=when][value=recovery]")
    tag = page.locator("select[name=tag] option").nth(1).get_attribute("value")
    page.select_option("select[name=tag]", tag)
    assert all(tag in (c.get_attribute("data-tags") or "").split() for c in visible.all())
    assert page.locator(".play-filter__count").inner_text().endswith(f"of {total} plays")


def test_print_hides_navigation(mini_site: Path, tab):
    page = tab.page
    page.goto((mini_site / "pillars/listen.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".md-header").is_hidden()
    assert page.locator("h1").is_visible()
