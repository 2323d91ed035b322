"""Worksheets use the screen: on a desktop and on a phone every box has the room its answer needs,
tables of up to five columns stay grids on a desktop, text boxes grow with their text, and the saved
state never covers a field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import MINI, built, copy_project, serving_folder

pytestmark = pytest.mark.browser

SHORT = 140  # CSS px: room for a short answer, a number or a date (about 17 characters)
SENTENCE = 200  # CSS px: a box for sentences (long-text), which grows downwards as well
SCREENS = {"desktop": (1366, 900), "phone": (390, 844)}

# Every answer box of the page's form: its kind, its width, whether it sits in a table shown as a
# grid (not as cards) and that table's column count.
BOXES = """() => [...document.querySelectorAll(
    'form.canvas :is(input[type=text], input[type=number], input[type=date], textarea)')].map(el => {
  const table = el.closest('table');
  return {id: el.id, sentence: el.tagName === 'TEXTAREA', width: el.getBoundingClientRect().width,
    grid: table ? getComputedStyle(table).display === 'table' : null,
    columns: table ? Number(table.dataset.columns) : 0};
})"""


def worksheets(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.glob("canvases/*.html")
        if (p.read_text(encoding="utf-8").count('id="canvas-form"'))
    )


def check_room(page, screen: str) -> list[str]:
    """Boxes narrower than their answers need, tables shown as cards that fit as a grid, a page wider
    than the screen."""
    found = []
    if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
        found.append("the page is wider than the screen")
    for box in page.evaluate(BOXES):
        need = SENTENCE if box["sentence"] else SHORT
        if box["width"] < need:
            found.append(f"{box['id']}: {box['width']:.0f} px wide, needs {need}")
        if screen == "desktop" and box["columns"] and box["grid"] is not (box["columns"] <= 5):
            shown = "a grid" if box["grid"] else "cards"
            found.append(f"{box['id']}: a table of {box['columns']} columns shown as {shown}")
    return found


def check_growth(page) -> list[str]:
    """Text boxes that scroll instead of growing once they hold ten lines: the first of each kind
    (an answer, a sentence in a table, a note on the challenge)."""
    found = []
    for kind in (".canvas-field > textarea", "table.canvas-rows textarea", ".challenge-log textarea"):
        for area in page.locator(kind).all()[:1]:
            area.fill("\n".join(f"Line {n} of a long answer" for n in range(1, 11)))
            if area.evaluate("a => a.scrollHeight > a.clientHeight + 1"):
                found.append(
                    f"{area.get_attribute('aria-label') or area.get_attribute('id')}: scrolls, not grows"
                )
    return found


def check_status(page) -> list[str]:
    """Fields the saved state covers when the field has the focus (it shows once something is typed)."""
    page.locator("form.canvas input[type=text]").first.fill("Dana, Acme")
    found = []
    for field in page.locator("form.canvas :is(input, textarea, select)").all():
        field.focus()
        covered = field.evaluate("""f => {
          const s = document.querySelector('.canvas-status').getBoundingClientRect();
          const r = f.getBoundingClientRect();
          return s.width > 0 && r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
        }""")
        if covered:
            found.append(f"{field.get_attribute('id')}: covered by the saved state")
    return found


@pytest.mark.parametrize("screen", SCREENS)
def test_every_worksheet_gives_each_answer_room_on_a_desktop_and_a_phone(
    site: Path, server: str, tab, screen
):
    """The shipped worksheets, as an invariant."""
    width, height = SCREENS[screen]
    page = tab.page
    page.set_viewport_size({"width": width, "height": height})
    found = []
    for uri in worksheets(site):
        page.goto(f"{server}/{uri}")
        found += [
            f"{uri}: {problem}"
            for problem in check_room(page, screen) + check_status(page) + check_growth(page)
        ]
    assert found == []


@pytest.fixture(scope="module")
def six_columns(tmp_path_factory, mini_site: Path) -> str:
    """The small test tree with a six-column table in its worksheet, built and served."""
    root = tmp_path_factory.mktemp("six-columns")
    project = copy_project(root, MINI)
    path = project / "content/canvases/test-canvas.yaml"
    canvas = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = [{"id": f"c{n}", "label": f"Column {n}"} for n in range(1, 6)] + [
        {"id": "c6", "label": "What I will say", "type": "long-text"}
    ]
    field = {
        "id": "six",
        "label": "Six columns",
        "prompt": "One row each.",
        "type": "rows",
        "columns": columns,
    }
    canvas["sections"][0]["fields"].append(field)
    path.write_text(yaml.safe_dump(canvas, sort_keys=False), encoding="utf-8")
    with serving_folder(built(project, cache_of=mini_site)) as url:
        yield url


@pytest.mark.parametrize("screen", SCREENS)
def test_a_table_of_six_columns_turns_into_cards_that_keep_the_room(six_columns: str, tab, screen):
    width, height = SCREENS[screen]
    page = tab.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{six_columns}/canvases/test-canvas.html")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('table[data-columns=\"6\"]')).display")
        == "block"
    )
    found = check_room(page, screen) + check_status(page) + check_growth(page)
    assert found == []


def test_the_challenge_note_grows_with_its_text_on_a_phone(mini_server: str, tab):
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{mini_server}/practise/challenge.html")
    assert check_growth(page) == []
