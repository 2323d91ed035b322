"""The site plan: one list of every page, from which navigation, links, citations and PDFs follow."""

from __future__ import annotations

from dataclasses import replace

import pytest

from playbook import content, plan
from playbook.model import Canvas, Play
from playbook.render import Renderer

from .conftest import ROOT


@pytest.fixture(scope="module")
def book():
    return content.load(ROOT / "content")


@pytest.fixture(scope="module")
def site_plan(book):
    return plan.build(book)


def nav_uris(items) -> list[str]:
    """Every page uri the navigation lists, depth first."""
    found: list[str] = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, str):
            found.append(item)
        else:
            for value in item.values():
                found += nav_uris(value)
    return found


def test_every_play_and_worksheet_has_exactly_one_page(book, site_plan):
    uris = [e.uri for e in site_plan.entries]
    assert len(uris) == len(set(uris))
    for item in (*book.plays, *book.canvases):
        entry = site_plan[site_plan.uris[item.id]]
        assert entry.subject is item
        assert entry.origin == book.origin[item.id]


def test_the_navigation_lists_every_page_once_in_plan_order(site_plan):
    assert nav_uris(site_plan.nav()) == [e.uri for e in site_plan.entries if e.nav]


def test_every_generated_page_names_its_content_file_and_renders(book, site_plan):
    renderer = Renderer(book, site_plan, "Playbook")
    for entry in site_plan.generated:
        # a page that presents no content file (My deals) is edited in its template
        where = ("content/", f"hooks/playbook/templates/{entry.template}")
        assert entry.origin.startswith(where) and (ROOT / entry.origin).is_file(), entry.uri
        markdown = renderer.markdown(entry)
        title = "Playbook" if entry.uri == "index.md" else entry.title  # home is headed by the site's name
        assert markdown.startswith(f"# {title}\n") or f"\n# {title}\n" in markdown, entry.uri


def test_rendering_is_pure_any_order_gives_the_same_pages(book, site_plan):
    renderer = Renderer(book, site_plan, "Playbook")
    forward = {e.uri: renderer.markdown(e) for e in site_plan.generated}
    backward = {
        e.uri: Renderer(book, site_plan, "Playbook").markdown(e) for e in reversed(site_plan.generated)
    }
    assert forward == backward


def test_citation_index_comes_from_the_model(book, site_plan):
    keys = {s.key for s in book.bibliography.sources}
    assert set(site_plan.cited_by) <= keys
    for key, uris in site_plan.cited_by.items():
        for uri in uris:
            assert key in set(plan.citations(site_plan[uri].subject))
    # every key some page's subject cites is in the index, pointing at that page
    for entry in site_plan.entries:
        for key in plan.citations(entry.subject):
            assert entry.uri in site_plan.cited_by[key]


def test_citations_are_found_in_cite_lists_and_inline_prose():
    class Fake(Play):
        pass

    play = Fake(
        id="x", title="X [@title]", summary="Text, not a citation: [@e].", when=("before",), time="now",
        body="See [@a] and [@b].", research=({"claim": "True [@c].", "cite": ("d",)},),
    )  # fmt: skip
    assert list(plan.citations(play)) == ["a", "b", "c", "d"], "text (title, summary) cites nothing"


def test_worksheets_and_the_challenge_offer_a_pdf_per_paper(site_plan):
    for entry in site_plan.entries:
        if isinstance(entry.subject, Canvas) or entry.uri == "practise/challenge.md":
            stem = entry.stem
            assert [d.uri for d in entry.downloads] == [f"{stem}-{suffix}.pdf" for suffix in plan.PAPERS]


def test_handbook_parts_follow_the_site_and_end_with_the_appendices(site_plan):
    parts = site_plan.parts()
    titles = [title for title, _ in parts]
    assert titles[-len(plan.APPENDICES) :] == list(plan.APPENDICES)
    in_book = [e.uri for _, entries in parts for e in entries]
    assert "index.md" not in in_book and "plays.md" not in in_book
    assert not any(uri.startswith("about/") for uri in in_book)


def test_a_long_section_is_split_into_groups_that_material_can_prune(book):
    many = tuple(
        s.model_copy(update={"id": f"{s.id}-{n}", "number": n})
        for n, s in enumerate(book.strategies * (2 * plan.NAV_GROUP // len(book.strategies) + 1), start=1)
    )
    origin = {**book.origin, **{s.id: "content/strategies/x.yaml" for s in many}}
    nav = plan.build(replace(book, strategies=many, origin=origin)).nav()
    learn = next(item["Learn"] for item in nav if "Learn" in item)
    strategies = next(item["Strategies"] for item in learn if isinstance(item, dict) and "Strategies" in item)
    index, *groups = strategies
    assert index == "strategies/index.md"
    size, count = plan.NAV_GROUP, len(many)
    labels = [f"{i + 1} to {min(i + size, count)}" for i in range(0, count, size)]
    assert [next(iter(g)) for g in groups] == labels
    assert len(groups) == 3
    assert [uri for g in groups for uri in next(iter(g.values()))] == [f"strategies/{s.id}.md" for s in many]
