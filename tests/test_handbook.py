"""The handbook PDF, opened with pypdf: bookmarks, contents page numbers, internal links, caching."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from playbook import content, handbook

from .conftest import ROOT, build

PARTS = [
    "Prepare",
    "Learn",
    "Practise",
    "Recover",
    "Evidence",
    "Appendix A: Worksheets",
    "Appendix B: The 30-day challenge",
]


@pytest.fixture(scope="module")
def pdf(site: Path) -> PdfReader:
    return PdfReader(site / handbook.NAME)


@pytest.fixture(scope="module")
def book():
    return content.load(ROOT / "content")


def words(text: str) -> str:
    """Text compared as a reader sees it: lines joined (also where they broke at a hyphen), any case."""
    return re.sub(r"-\s+", "-", " ".join(text.split())).casefold()


def page_text(pdf: PdfReader, number: int) -> str:
    return words(pdf.pages[number - 1].extract_text())


def outline(pdf: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []
    for item in pdf.outline if items is None else items:
        if isinstance(item, list):
            found += outline(pdf, item, depth + 1)
        else:
            found.append((depth, item.title, pdf.get_destination_page_number(item) + 1))
    return found


def test_handbook_is_linked_from_the_home_page(site: Path):
    assert f'href="{handbook.NAME}"' in (site / "index.html").read_text()


def test_bookmarks_hold_every_part_and_chapter_and_open_at_their_page(pdf: PdfReader, book):
    marks = outline(pdf)
    assert [title for depth, title, _ in marks if depth == 0] == PARTS
    chapters = {title: page for depth, title, page in marks if depth == 1}
    expected = [*book.mindsets, *book.pillars, *book.strategies, book.recovery, *book.canvases]
    titles = {next(t for t in chapters if t.endswith(p.title)) for p in expected}
    assert len(titles) == len(expected), "every mindset, pillar, strategy, protocol and worksheet"
    for _, title, page in marks:
        assert words(title) in page_text(pdf, page), f"bookmark {title!r} opens page {page}"
    assert [p for _, _, p in marks] == sorted(p for _, _, p in marks), "in reading order"


def test_contents_page_numbers_point_at_each_chapter(pdf: PdfReader):
    first_chapter = outline(pdf)[0][2]  # the contents run from page 2 to the page before it
    contents = "\n".join(pdf.pages[i].extract_text() for i in range(1, first_chapter - 1))
    entries = re.findall(r"^(.+?)(?: \.)+ (\d+)$", contents, re.M)
    assert len(entries) >= 30
    assert [title for title, _ in entries if title in PARTS] == PARTS
    for title, page in entries:
        assert words(title) in page_text(pdf, int(page)), f"contents: {title} on page {page}"


def test_citations_and_cross_links_jump_inside_the_pdf(pdf: PdfReader, book):
    named = pdf.named_destinations
    destinations = {name: pdf.get_destination_page_number(d) + 1 for name, d in named.items()}
    sources_page = destinations["sources"]
    targets = []
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                name = str(annotation["/Dest"])
                assert name in destinations, f"page {number}: link to missing destination {name}"
                targets.append((number, name))
    citations = [(n, name) for n, name in targets if name.startswith("sources--")]
    assert len(citations) > 20
    assert all(destinations[name] >= sources_page for _, name in citations), "citations land in the sources"
    keys = {name.removeprefix("sources--") for _, name in citations}
    assert keys <= {s.key for s in book.bibliography.sources}
    assert any(name.startswith("strategies-") for _, name in targets), "cross links between plays"


def test_every_figure_and_source_is_in_the_handbook(pdf: PdfReader, book):
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    for figure in book.evidence.figures:
        assert words(figure.value) in text, figure.id
    for source in book.bibliography.sources:
        assert words(source.title) in text, source.key


def test_handbook_and_worksheets_are_rebuilt_only_when_their_inputs_change(site: Path, tmp_path: Path):
    project = shutil.copytree(site.parent, tmp_path / "project", ignore=shutil.ignore_patterns("site"))
    cache = project / ".cache/playbook/pdf"
    cold = set(cache.iterdir())
    assert build(project).returncode == 0
    assert set(cache.iterdir()) == cold, "a warm rebuild renders no PDF"
    path = project / "content/strategies/explain-your-demands.yaml"
    data = yaml.safe_load(path.read_text())
    data["summary"] += " Edited."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert build(project).returncode == 0
    assert len(set(cache.iterdir()) - cold) == 1, "one edited strategy re-renders the handbook alone"
    edited = PdfReader(project / "site" / handbook.NAME)
    assert "edited." in words(" ".join(page.extract_text() for page in edited.pages))
