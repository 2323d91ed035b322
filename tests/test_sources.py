"""Sources and citations: who wrote or published a work, author-year labels, each source once a paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from playbook import plan
from playbook.content import load
from playbook.errors import ContentError
from playbook.model import Bibliography
from playbook.render import Renderer, cite_labels


def bibliography(*sources: dict) -> Bibliography:
    return Bibliography(title="Sources", intro="Works cited.", sources=sources)


def write_sources(content: Path, *sources: dict) -> Path:
    path = content / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**data, "sources": [*data["sources"], *sources]}, sort_keys=False))
    return path


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(content)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_a_source_needs_an_author_or_a_publisher(mini_content: Path):
    path = write_sources(mini_content, {"key": "nobody", "about": "Research nobody wrote"})
    [found] = problems(mini_content)
    assert found.startswith(f"content/sources.yaml:{line_of(path, '- key: nobody')}: ")
    assert "needs an 'author' or a 'publisher'" in found


@pytest.mark.parametrize("extra", [{}, {"title": "A Title", "about": "and a description"}])
def test_a_source_has_a_title_or_a_description_not_both(mini_content: Path, extra: dict):
    path = write_sources(mini_content, {"key": "odd", "publisher": "A Journal", **extra})
    [found] = problems(mini_content)
    assert found.startswith(f"content/sources.yaml:{line_of(path, '- key: odd')}: ")
    assert "'title'" in found and "'about'" in found


def test_labels_are_author_year_and_never_read_alike():
    bib = bibliography(
        {"key": "one", "author": "Ann B. Carter", "title": "T", "year": 2020},
        {"key": "two", "author": "Ann Carter and Dan Eve", "title": "T", "year": 2021},
        {"key": "three", "author": "A. Carter, D. Eve, and F. Gale", "title": "T", "year": 2022},
        {"key": "inst", "publisher": "A Journal", "about": "A study"},
        {"key": "b", "author": "Hal Ives", "title": "Second by title"},
        {"key": "a", "author": "Hal Ives", "title": "First by title"},
        {"key": "y2", "author": "Jo Kay", "title": "Zeta", "year": 2019},
        {"key": "y1", "author": "Jo Kay", "title": "Alpha", "year": 2019},
        {"key": "own", "author": "Lu Ma", "title": "T", "label": "Ma's own"},
    )
    assert cite_labels(bib) == {
        "one": "Carter, 2020",
        "two": "Carter & Eve, 2021",
        "three": "Carter et al., 2022",
        "inst": "A Journal, n.d.",
        "a": "Ives, n.d.-a",
        "b": "Ives, n.d.-b",
        "y1": "Kay, 2019a",
        "y2": "Kay, 2019b",
        "own": "Ma's own",
    }


def test_one_heading_per_author_in_surname_order():
    bib = bibliography(
        {"key": "z", "author": "Paul Zak", "about": "Z"},
        {"key": "j", "publisher": "Journal of Things", "about": "J"},
        {"key": "b2", "author": "Donita Brown", "title": "Later", "year": 2025},
        {"key": "b1", "author": "Donita Brown", "title": "Earlier", "year": 2020},
    )
    assert [(by, [s.key for s in works]) for by, works in bib.by_author] == [
        ("Donita Brown", ["b1", "b2"]),
        ("Journal of Things", ["j"]),
        ("Paul Zak", ["z"]),
    ]


@pytest.fixture
def renderer(mini_content: Path) -> Renderer:
    book = load(mini_content)
    return Renderer(book, plan.build(book), "Playbook")


def test_a_paragraph_cites_each_source_once(renderer: Renderer):
    text = (
        "First claim [@test-study]. Second claim [@test-source] [@test-study].\n"
        "Still the same paragraph [@test-study].\n\n"
        "A new paragraph [@test-study]."
    )
    first, second = renderer.prose(text).split("\n\n")
    assert first.count("#test-study") == 1 and first.count("#test-source") == 1
    assert first.startswith("First claim [Study, 2020](/sources.md#test-study){.cite}.")
    assert "Second claim [Author, 2024](/sources.md#test-source){.cite}.\nStill" in first
    assert second.count("#test-study") == 1


def test_a_cite_list_leaves_out_what_the_text_already_cites(renderer: Renderer):
    assert renderer.cite(("test-study", "test-source"), "Cited inline [@test-study].") == (
        "[Author, 2024](/sources.md#test-source){.cite}"
    )
    assert renderer.cite(("test-study", "test-study")).count("#test-study") == 1
    assert renderer.cite(("test-study",), "[@test-study]", None) == ""


def test_shipped_sources_name_an_author_or_publisher_and_read_alike_nowhere():
    from .conftest import ROOT

    bib = load(ROOT / "content").bibliography
    labels = cite_labels(bib)
    assert len(set(labels.values())) == len(labels)
    for source in bib.sources:
        assert source.author or source.publisher, source.key
        assert labels[source.key].rpartition(", ")[2][:4].isdigit() or "n.d." in labels[source.key]


def test_no_paragraph_of_the_site_cites_a_source_twice(site: Path):
    repeated = []
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r"<(p|li|td)\b[^>]*>(.*?)</\1>", html, re.S):
            keys = re.findall(r'<a class="cite" href="[^"]*sources\.html#([\w-]+)"', block[1])
            if len(keys) != len(set(keys)):
                repeated.append(f"{page.relative_to(site)}: {keys}")
    assert repeated == []
