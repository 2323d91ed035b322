"""The real site, built into a temporary folder: pages, links, edit links, privacy, and build errors."""

from __future__ import annotations

import re
from pathlib import Path

from playbook import plan
from playbook.content import load

from .conftest import ROOT, build
from .editing import edit, set_value


def html_of(site: Path, uri: str) -> str:
    return (site / uri.removesuffix(".md")).with_suffix(".html").read_text()


def test_every_play_worksheet_and_generated_page_is_built_and_not_empty(site: Path):
    site_plan = plan.build(load(ROOT / "content"))
    for entry in site_plan.generated:
        html = html_of(site, entry.uri)
        body = re.sub(
            r"<[^>]+>", " ", html.split('<article class="md-content__inner')[1].split("</article>")[0]
        )
        assert len(body.split()) > 20, f"{entry.uri} is nearly empty"
    for uri in site_plan.uris.values():
        assert (site / uri.removesuffix(".md")).with_suffix(".html").is_file(), uri


def test_pages_cross_link_and_every_citation_resolves(site: Path):
    book = load(ROOT / "content")
    site_plan = plan.build(book)
    sources = (site / "sources.html").read_text()
    keys = {s.key for s in book.bibliography.sources}
    cited = set()
    for entry in site_plan.generated:
        html = html_of(site, entry.uri)
        for key in re.findall(r'sources\.html#([a-z0-9-]+)"', html):
            assert key in keys and f'id="{key}"' in sources, (entry.uri, key)
            cited.add(key)
    assert cited, "pages cite their sources"
    for key in cited:
        entry = sources.split(f'id="{key}"')[1].split("<h2")[0]
        assert re.search(r'href="[a-z/-]+\.html"', entry), f"{key} lists the pages citing it"
    pillar = html_of(site, site_plan.uris[book.pillars[0].id])
    assert re.search(r'href="\.\./(pillars|strategies|mindsets|canvases)/[a-z0-9-]+\.html"', pillar)


def test_plays_index_lists_every_play_with_filter_data(site: Path):
    html = (site / "plays.html").read_text()
    cards = re.findall(r'<div class="play-card"[^>]*>', html)
    assert len(cards) == len(load(ROOT / "content").plays)
    assert all(re.search(r'data-when="(before|during|after|recovery)( [a-z]+)*"', c) for c in cards)


def test_no_page_loads_anything_from_another_host(site: Path):
    pattern = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    for page in site.rglob("*.html"):
        assert not pattern.search(page.read_text()), page
    assert (site / "search/search_index.js").is_file(), "offline search index is inlined"


def test_real_build_is_strict_and_quiet(shipped):
    _, result = shipped
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_broken_content_stops_the_build_with_file_and_line(warm_project: Path):
    path = warm_project / "content/strategies/give-first.yaml"
    line = edit(path, "\ntitle:", "\ntitel:") + 1
    long_id = "x" * 300  # would name an output file longer than any file system allows
    set_value(warm_project / "content/canvases/test-canvas.yaml", ("id",), long_id)
    result = build(warm_project)
    assert result.returncode != 0
    assert f"content/strategies/give-first.yaml:{line}: unknown field 'titel'" in result.stderr
    assert "content/strategies/give-first.yaml:1: missing required field 'title'" in result.stderr
    assert (
        "content/canvases/test-canvas.yaml:1: id: string should have at most 80 characters" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (warm_project / "site").exists(), "nothing written"


def test_broken_link_in_docs_fails_strict_with_file_and_line(warm_project: Path):
    (warm_project / "docs/about/index.md").write_text("# Guide\n\n[gone](../no-such-page.md)\n")
    result = build(warm_project)
    assert result.returncode != 0
    assert re.search(
        r"docs/about/index\.md:3: Doc file 'about/index\.md' contains a link "
        r"'\.\./no-such-page\.md'",
        result.stderr,
    ), result.stderr


def test_broken_link_in_content_prose_names_the_content_line(warm_project: Path):
    path = warm_project / "content/pillars/listen.yaml"
    line = edit(path, "  and at the worksheet", "  and at [the missing page](/nowhere.md) the worksheet")
    result = build(warm_project)
    assert result.returncode != 0
    assert (
        f"content/pillars/listen.yaml:{line}: Doc file 'pillars/listen.md' contains a link" in result.stderr
    ), result.stderr


def test_a_writer_previews_the_pages_without_the_files_beside_them(warm_project: Path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_OUTPUTS", "false")
    result = build(warm_project)
    assert result.returncode == 0, result.stderr
    site = warm_project / "site"
    assert (site / "index.html").is_file() and (site / "canvases/test-canvas.html").is_file()
    assert not list(site.rglob("*.pdf")) and not list(site.rglob("*.zip")), "no PDF, handbook or zip"
    assert "are off (extra.outputs.enabled)" in result.stderr
    monkeypatch.delenv("PLAYBOOK_OUTPUTS")
    assert build(warm_project).returncode == 0
    assert (site / "handbook.pdf").is_file(), "and back on, everything is made"


def test_a_wrong_output_setting_stops_the_build_with_its_name(warm_project: Path):
    config = warm_project / "mkdocs.yml"
    text, found = re.subn(r"^(\s+workers:)[^#\n]*", r"\1 none ", config.read_text(), count=1, flags=re.M)
    assert found == 1, "mkdocs.yml names extra.outputs.workers"  # whatever value a host gave it
    config.write_text(text)
    result = build(warm_project)
    assert result.returncode != 0
    assert "mkdocs.yml: extra.outputs.workers: a whole number from 1 to 256 (got 'none')" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_docs_file_named_like_a_made_file_stops_the_build_with_its_name(warm_project: Path):
    """MkDocs would copy it where the handbook goes, and one of the two would silently replace the
    other: in a build that takes the last one's files, and in one after an edit."""
    for step in ("the last build's files", "after an edit"):
        (warm_project / "docs/handbook.pdf").write_bytes(b"%PDF-1.7 someone's own handbook")
        result = build(warm_project)
        assert result.returncode != 0, step
        assert "docs/handbook.pdf: the build makes handbook.pdf itself: rename it" in result.stderr, step
        assert "Traceback" not in result.stderr
        (warm_project / "docs/handbook.pdf").unlink()
        edit(warm_project / "content/pillars/listen.yaml", "Listen first", "Listen first, then ask")
