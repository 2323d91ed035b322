"""The reader's way in, in real Chromium: home to the tools in one click, search that finds the words
people type, card grids without a lonely card, and worksheets with room for real answers. The site is
built from the small test tree (tests/trees/mini), whose words and jobs these tests name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbook import render

pytestmark = pytest.mark.browser

WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def worksheets(site: Path) -> list[str]:
    """The built worksheet pages: those holding a worksheet form (not the index, not My deals)."""
    return sorted(p.name for p in (site / "canvases").glob("*.html") if 'id="canvas-form"' in p.read_text())


@pytest.mark.parametrize(
    ("job", "lands_on"),
    [
        ("Prepare", "canvases/test-canvas.html"),
        ("Repair", "recover/three-rs.html"),
        ("Practise", "practise/challenge.html"),
    ],
)
@pytest.mark.parametrize("via", ["http", "file"])
def test_one_click_from_home_to_each_tool(
    mini_site: Path, mini_server: str, tab, job: str, lands_on: str, via: str
):
    """The small tree's three jobs (tests/trees/mini/content/home.yaml) and where each first leads."""
    page = tab.page
    page.set_viewport_size(WIDE)
    page.goto(f"{mini_server}/index.html" if via == "http" else (mini_site / "index.html").as_uri())
    card = page.locator(".jobs li", has_text=job)
    card.locator("a.md-button--primary").click()
    page.wait_for_load_state()
    assert page.url.endswith(lands_on)
    target = lands_on.removesuffix(".html")
    if target.startswith("canvases/"):
        assert page.locator(f"form#canvas-form[data-canvas='{Path(target).name}']").is_visible()
    else:
        assert page.locator("h1").is_visible()


def test_a_job_also_reaches_its_other_pages(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/index.html")
    page.locator(".jobs li", has_text="Prepare").locator("a.md-button:not(.md-button--primary)").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("situations.html")


def rows_of_cards(page) -> list[list[int]]:
    """For each card grid on the page, how many cards sit on each of its rows, top to bottom."""
    tops = page.eval_on_selector_all(
        ".md-typeset .grid.cards",
        "grids => grids.map(g => [...g.querySelectorAll(':scope > ul > li')]"
        ".map(c => Math.round(c.getBoundingClientRect().top)))",
    )
    return [[grid.count(t) for t in sorted(set(grid))] for grid in tops]


# Grids of one to ten cards with the classes a build gives them, so every rule of playbook.css is tried
# whatever number of cards the content has.
GRIDS = """fits => document.querySelector("article").insertAdjacentHTML("beforeend", fits.map((fit, n) =>
  `<div class="grid cards ${fit}"><ul>${"<li><p><strong>A card</strong></p><p>Its text.</p></li>"
  .repeat(n + 1)}</ul></div>`).join(""))"""


@pytest.mark.parametrize("width", [1600, 1366, 1100, 900, 700, 390])
def test_no_card_grid_leaves_one_card_alone(mini_server: str, tab, width: int):
    page = tab.page
    page.set_viewport_size({"width": width, "height": 900})
    for uri in ("index.html", "pillars/index.html", "strategies/index.html", "canvases/"):
        page.goto(f"{mini_server}/{uri}")
        if uri == "index.html":
            page.evaluate(GRIDS, [render.grid_fit(count) for count in range(1, 11)])
        grids = rows_of_cards(page)
        assert grids, uri
        for rows in grids:
            assert max(rows) == 1 or rows[-1] > 1, f"{uri} at {width}px: cards per row {rows}"


@pytest.mark.parametrize(
    ("query", "page_uri"),
    [("fallback", "glossary.html"), ("plan b", "glossary.html"), ("first time", "situations.html")],
)
def test_the_search_index_finds_the_words_people_type(mini_site: Path, query: str, page_uri: str):
    docs = json.loads((mini_site / "search/search_index.json").read_text())["docs"]
    hits = {
        d["location"].partition("#")[0] for d in docs if query.lower() in (d["title"] + d["text"]).lower()
    }
    assert page_uri in hits


@pytest.mark.parametrize(
    ("query", "page_uri"), [("fallback", "glossary.html"), ("moments", "situations.html")]
)
def test_search_from_disk_finds_glossary_and_situations(mini_site: Path, tab, query: str, page_uri: str):
    page = tab.page
    page.goto((mini_site / "index.html").as_uri())
    page.click(".md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")
    assert any(page_uri in href for href in links), links
    # and following the result shows the term
    page.locator(f".md-search-result__item a[href*='{page_uri}']").first.click()
    page.wait_for_load_state()
    assert query.lower() in page.locator("article").inner_text().lower()


@pytest.mark.parametrize("tab", [{"viewport": PHONE, "is_mobile": True}], indirect=True)
def test_no_page_scrolls_sideways_on_a_phone(mini_site: Path, tab):
    """Every page of the small tree, whose challenge cites a source with a long name from a day's card
    (a citation kept on one line once made the challenge page wider than a phone)."""
    page = tab.page
    wide = []
    for path in sorted(mini_site.rglob("*.html")):
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path.relative_to(mini_site).as_posix()}: {width}px")
    assert wide == []


def test_worksheets_hold_on_a_phone(mini_site: Path, tab):
    page = tab.page
    page.set_viewport_size(PHONE)
    for name in worksheets(mini_site):
        page.goto((mini_site / "canvases" / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        outside = page.eval_on_selector_all(
            "#canvas-form :is(input, textarea, select, button)",
            f"""els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect())
                .filter(r => r.left < 0 || r.right > {PHONE["width"]}).length""",
        )
        assert outside == 0, name


def test_on_a_phone_rows_become_cards_with_a_label_above_each_box(mini_site: Path, tab):
    """(On a desktop, tables of up to five columns stay grids: see test_worksheet_layout.)"""
    page = tab.page
    page.set_viewport_size(PHONE)
    found = 0
    for name in worksheets(mini_site):
        page.goto((mini_site / "canvases" / name).as_uri())
        for table in page.locator("table.canvas-rows:not([data-columns='1'])").all():
            found += 1
            assert table.locator("thead").is_hidden(), name
            first = table.locator("tbody td[data-label]").first
            label = first.evaluate("td => getComputedStyle(td, '::before').content")
            assert first.get_attribute("data-label") in label
            box, cell = first.locator("[data-column]").bounding_box(), first.bounding_box()
            assert box["y"] > cell["y"] + 5, "the label sits above the box"
    assert found, "no worksheet has a table of more than one column to check"


NO_FIELD_SIZING = """
    const supports = CSS.supports.bind(CSS);
    CSS.supports = (...args) => !String(args[0]).startsWith("field-sizing") && supports(...args);
    addEventListener("DOMContentLoaded", () => document.head.insertAdjacentHTML(
      "beforeend", "<style>textarea { field-sizing: fixed !important; }</style>"));
"""


@pytest.mark.parametrize("css", ["field-sizing", "script where a browser has no field-sizing"])
def test_text_areas_grow_with_their_text(mini_site: Path, tab, css: str):
    page = tab.page
    page.set_viewport_size(WIDE)
    if css != "field-sizing":
        page.add_init_script(NO_FIELD_SIZING)
    page.goto((mini_site / "canvases/test-canvas.html").as_uri())  # its long-text question
    area = page.locator("#canvas-form textarea").first
    before = area.bounding_box()["height"]
    area.fill("\n".join(f"Line {n} of a long answer" for n in range(1, 16)))
    after = area.bounding_box()["height"]
    assert after > before * 2
    assert area.evaluate("a => a.scrollHeight <= a.clientHeight + 1"), "all of the text shows"


@pytest.mark.parametrize("viewport", [WIDE, PHONE])
def test_tick_boxes_and_buttons_are_big_enough_to_hit(mini_site: Path, tab, viewport):
    page = tab.page
    page.set_viewport_size(viewport)
    small = []
    for name in worksheets(mini_site):
        page.goto((mini_site / "canvases" / name).as_uri())
        small += page.eval_on_selector_all(
            "main :is(input[type=checkbox], input[type=radio], button, .md-button)",
            """els => els.filter(e => e.offsetParent).map(e => [e.id || e.textContent.trim(),
                e.getBoundingClientRect()]).filter(([, r]) => r.width < 24 || r.height < 24)
                .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        )
    assert small == []
