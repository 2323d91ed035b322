"""Keyboard only: a person who cannot use a mouse sees where the focus is on every kind of page, in
both colour schemes, before and after using it, and fills a worksheet and ticks off a challenge day."""

from __future__ import annotations

import pytest

from .conftest import tab_to
from .focus import USED, keyboard_pass, kinds, use

pytestmark = pytest.mark.browser


SCHEMES = [
    {"color_scheme": scheme, "viewport": {"width": 1366, "height": 900}} for scheme in ("light", "dark")
]


@pytest.mark.parametrize("tab", SCHEMES, indirect=True, ids=["light", "dark"])
def test_every_tab_stop_shows_where_the_focus_is_before_and_after_use(mini_server: str, tab):
    page = tab.page
    seen: set[str] = set()  # looks captured, once each in this scheme: a look that use changes is new
    found = []
    for uri, _ in kinds():
        page.goto(f"{mini_server}/{uri}")
        found += [f"{uri}: {problem}" for problem in keyboard_pass(page, seen)]
    for uri, template in kinds():
        if template in USED:
            page.goto(f"{mini_server}/{uri}")
            use(page, template)
            found += [f"{uri}, after use: {problem}" for problem in keyboard_pass(page, seen)]
    assert found == [], "\n".join(found)


# Whether the focused element is on screen: None once the focus has left the page. The palette switch
# is a radio button drawn by its option's visible label (see playbook.css).
ON_SCREEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = (el.closest(".md-header__option") ?? el).getBoundingClientRect();
  const shown = r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 &&
    r.top < innerHeight && getComputedStyle(el).visibility !== "hidden";
  return {name: el.outerHTML.slice(0, 90), shown};
}"""


@pytest.mark.parametrize("tab", [{"viewport": {"width": 390, "height": 844}}], indirect=True, ids=["phone"])
def test_on_a_phone_every_tab_stop_is_on_screen(mini_server: str, tab):
    """Material's navigation drawer waits off screen on a phone: closed, none of its links is a stop."""
    page = tab.page
    found = []
    for uri, _ in kinds():
        page.goto(f"{mini_server}/{uri}")
        for _ in range(400):
            page.keyboard.press("Tab")
            if (stop := page.evaluate(ON_SCREEN)) is None:
                break
            if not stop["shown"]:
                found.append(f"{uri}: {stop['name']}")
    assert found == [], "\n".join(found)
    page.click("label.md-header__button[for=__drawer]")  # opened, the drawer's links are stops again
    tab_to(page, ".md-sidebar--primary a.md-nav__link >> nth=0")


def test_the_keyboard_pass_finds_focus_that_cannot_be_seen(tab):
    """A control with no focus indicator, one too faint, one whose text fades when focused, one
    behind a fixed header and one whose ring a box clips are found; a control with a clear ring
    passes."""
    page = tab.page
    page.set_viewport_size({"width": 800, "height": 600})
    page.set_content("""<style>
      body { margin: 0; padding: 120px 40px 900px; font: 16px sans-serif; }
      :focus-visible { outline: 3px solid #000; outline-offset: 2px; }
      .none:focus-visible { outline: none; }
      .faint:focus-visible { outline: 1px solid #ccc; }
      .fading:focus-visible { color: #bbb; }
      header { position: fixed; top: 0; left: 0; right: 0; height: 100px; background: #fff; z-index: 1; }
      .under { position: fixed; top: 40px; left: 40px; }
      </style><header></header>
      <button class="ring">ring</button> <button class="none">none</button>
      <button class="faint">faint</button> <a href="#" class="fading">fading</a>
      <button class="under">under</button>
      <div style="overflow: hidden; padding: 0 8px 8px"><button class="clipped">clipped</button></div>""")
    found = keyboard_pass(page, set())
    assert not any('class="ring"' in line for line in found), found
    expected = {"none": "no focus indicator", "faint": "too faint", "fading": "text while focused",
                "under": "covered by another element", "clipped": "cut off on the top"}  # fmt: skip
    for name, problem in expected.items():
        assert any(f'class="{name}' in line and problem in line for line in found), (name, found)


def test_fill_a_worksheet_with_the_keyboard_alone(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/canvases/test-canvas.html")
    tab_to(page, "#f-deal-name")
    page.keyboard.type("Dana, head of procurement")
    tab_to(page, "#f-their-needs")
    page.keyboard.type("A supplier who delivers on time.")
    page.keyboard.press("Enter")  # a new line inside the answer, not a form submission
    page.keyboard.type("Fewer escalations.")
    page.reload()
    assert page.input_value("#f-deal-name") == "Dana, head of procurement"
    assert page.input_value("#f-their-needs") == "A supplier who delivers on time.\nFewer escalations."


def test_tick_off_a_challenge_day_with_the_keyboard_alone(mini_server: str, tab):
    page = tab.page
    page.goto(f"{mini_server}/practise/challenge.html")
    done, note = (f".challenge-day[data-day='1'] [name={name}]" for name in ("done", "note"))
    tab_to(page, done)
    page.keyboard.press("Space")
    assert page.is_checked(done)
    tab_to(page, note)
    page.keyboard.type("Listed six meetings; two matter most.")
    page.reload()
    assert page.is_checked(done)
    assert page.input_value(note) == "Listed six meetings; two matter most."
