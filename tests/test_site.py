"""The real site, built into a temporary folder: pages, links, edit links, privacy, and build errors."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import build

GENERATED = [
    "pillars/curiosity.html",
    "strategies/label-your-concessions.html",
    "mindsets/position-vs-interest.html",
    "recover/three-rs.html",
    "evidence.html",
    "sources.html",
    "plays.html",
    "learn/perspective.html",
    "practise/culture.html",
    "practise/next-steps.html",
    "learn/foundations.html",
]


def test_every_generated_page_is_built(site: Path):
    for uri in GENERATED:
        assert (site / uri).is_file(), uri


def test_pages_cross_link_and_cite(site: Path):
    html = (site / "pillars/emotional-acknowledgment.html").read_text()
    assert re.search(r'href="\.\./sources\.html#[a-z0-9-]+"', html), "citations link into the bibliography"
    assert re.search(r'href="\.\./(pillars|strategies|mindsets)/[a-z0-9-]+\.html"', html), (
        "related plays link"
    )
    sources = (site / "sources.html").read_text()
    for key in re.findall(r'sources\.html#([a-z0-9-]+)"', html):
        assert f'id="{key}"' in sources
        entry = sources.split(f'id="{key}"')[1].split("<h2")[0]
        assert 'href="pillars/emotional-acknowledgment.html"' in entry, f"{key} lists the pages citing it"


def test_plays_index_lists_every_play_with_filter_data(site: Path):
    html = (site / "plays.html").read_text()
    cards = re.findall(r'<div class="play-card"[^>]*>', html)
    assert len(cards) == 2 + 4 + 6 + 1
    assert all(re.search(r'data-when="(before|during|after|recovery)( [a-z]+)*"', c) for c in cards)
    assert 'data-when="recovery"' in html


def test_no_page_loads_anything_from_another_host(site: Path):
    pattern = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    for page in site.rglob("*.html"):
        assert not pattern.search(page.read_text()), page
    assert (site / "search/search_index.js").is_file(), "offline search index is inlined"


def test_real_build_is_strict_and_quiet(project: Path):
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_broken_content_stops_the_build_with_file_and_line(project: Path):
    path = project / "content/strategies/explain-your-demands.yaml"
    path.write_text(path.read_text().replace("\ntitle:", "\ntitel:", 1))
    result = build(project)
    assert result.returncode != 0
    assert re.search(
        r"content/strategies/explain-your-demands\.yaml:\d+: unknown field 'titel'", result.stderr
    )
    assert re.search(
        r"content/strategies/explain-your-demands\.yaml:\d+: missing required field 'title'", result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (project / "site/index.html").exists(), "nothing half-written"


def test_broken_link_in_docs_fails_strict_with_file_and_line(project: Path):
    (project / "docs/about/index.md").write_text("# Guide\n\n[gone](../no-such-page.md)\n")
    result = build(project)
    assert result.returncode != 0
    assert re.search(
        r"docs/about/index\.md:3: Doc file 'about/index\.md' contains a link "
        r"'\.\./no-such-page\.md'",
        result.stderr,
    ), result.stderr


def test_broken_link_in_content_prose_names_the_content_line(project: Path):
    path = project / "content/pillars/curiosity.yaml"
    text = path.read_text()
    path.write_text(text.replace("\nsummary: ", "\nsummary: See [the missing page](/nowhere.md). ", 1))
    line = text[: text.index("\nsummary: ")].count("\n") + 2
    result = build(project)
    assert result.returncode != 0
    assert (
        f"content/pillars/curiosity.yaml:{line}: Doc file 'pillars/curiosity.md' contains a link"
        in result.stderr
    ), result.stderr
