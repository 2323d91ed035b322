"""Every built page passes axe-core in real Chromium, light and dark, before and after use, and every
control is reached by Tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from .focus import USED, clicked, kinds, use
from .validators import COLOURS, WITH_TARGET_SIZE, axe_violations

pytestmark = pytest.mark.browser


def pages(site: Path) -> list[str]:
    """Every page of the build, so a new kind of page is checked the day it appears."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violations_and_tab_reaches_every_control(
    site: Path, server: str, tab, scheme: str
):  # fmt: skip
    """axe in both schemes: in the light one every rule and target size, in the dark one the rules
    about colour (the rest cannot differ). The Tab pass once, in the light scheme, on the same visit:
    it opens the page's disclosures, so it comes after axe."""
    page = tab.page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.emulate_media(color_scheme=scheme)
    material_scheme = {"light": "default", "dark": "slate"}[scheme]
    found = []
    for uri in pages(site):
        page.goto(f"{server}/{uri}")
        assert page.get_attribute("body", "data-md-color-scheme") == material_scheme
        found += axe_violations(page, rules=WITH_TARGET_SIZE if scheme == "light" else COLOURS)
        if scheme == "light":
            found += [f"{uri}: {problem}" for problem in unreachable(page)]
    assert found == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_page_has_no_axe_violations_after_use(mini_server: str, tab, scheme: str):
    """Filled in, ticked off, scrolled, and with a button as a click leaves it (hovered, focused):
    where Material's focus and hover colours met the project's, text fell to 2.4:1."""
    page = tab.page
    page.emulate_media(color_scheme=scheme)
    found = []
    for uri, template in kinds():
        if template not in USED:
            continue  # the same before and after use, which the test above checks
        page.goto(f"{mini_server}/{uri}")
        use(page, template)
        clicked(page)
        found += axe_violations(page)
    assert found == []


# Opens every disclosure, marks every control a keyboard user should reach (one radio button per group:
# arrow keys move within it), then records each one Tab lands on.
MARK_CONTROLS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]';
  const controls = [...document.querySelectorAll(focusable)].filter(el =>
    !el.disabled && el.tabIndex >= 0 && el.checkVisibility({visibilityProperty: true}));
  controls.forEach((el, n) => {
    const group = el.type === 'radio' && controls.find(c => c.type === 'radio' && c.name === el.name);
    el.dataset.control = group ? group.dataset.control ?? n : n;
  });
  window.reached = new Set();
  document.addEventListener('focusin', e => window.reached.add(e.target.dataset.control));
  // What looks or acts like a control must be or hold a focusable one (a label over a hidden input is not)
  const looks = '.md-button, [role=button], [role=link], [role=checkbox], [role=tab], [onclick]';
  const dead = [...document.querySelectorAll(looks)].filter(el =>
    el.checkVisibility() && !el.matches(focusable) && !el.querySelector('[data-control]'));
  return {count: controls.length, dead: dead.map(el => el.outerHTML.slice(0, 120))};
}"""
# Still focusable now (Material hides its back-to-top button again) and never reached
MISSED = """() => [...document.querySelectorAll('[data-control]')]
  .filter(el => el.tabIndex >= 0 && el.checkVisibility({visibilityProperty: true}))
  .filter(el => !window.reached.has(el.dataset.control)).map(el => el.outerHTML.slice(0, 120))"""


def unreachable(page) -> list[str]:
    """Controls on the page as it is now that Tab alone never reaches, or that are not controls at all."""
    marked = page.evaluate(MARK_CONTROLS)
    for _ in range(3):  # a round of presses per control, three rounds at most
        for _ in range(marked["count"] + 1):
            page.keyboard.press("Tab")
        if not (missed := page.evaluate(MISSED)):
            break
    return [f"looks like a control but Tab cannot reach it: {html}" for html in marked["dead"]] + [
        f"Tab never reaches {html}" for html in missed
    ]


def test_the_tab_check_finds_what_a_keyboard_cannot_reach(tab):
    """A styled label over a hidden file input, and a control behind a focus trap, are found; a closed
    disclosure's contents and a group of radio buttons (one Tab stop) are not wrongly reported."""
    page = tab.page
    page.set_content("""<a href="#a">link</a>
      <label class="md-button">Load a file <input type="file" hidden></label>
      <details><summary>More</summary><button>inside a closed disclosure</button></details>
      <input type="radio" name="scale" value="1"><input type="radio" name="scale" value="2">
      <button id="trap">a trap</button> <button id="after">after the trap</button>
      <script>document.getElementById('trap').addEventListener('keydown', e => {
        if (e.key === 'Tab') e.preventDefault(); });</script>""")
    found = unreachable(page)
    assert len(found) == 2, found
    assert "Load a file" in found[0] and "after the trap" in found[1]
