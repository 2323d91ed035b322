"""A keyboard pass: Tab through a page and check that every stop shows where the focus is.

At each stop the focused element must not be hidden behind anything (WCAG 2.4.11). Its area is
captured focused and blurred (a small clip, not the page): the pixels must differ (2.4.7), and those
that changed by 3:1 or more must cover at least a ring two CSS pixels wide around it (2.4.13, which
implies 1.4.11's 3:1). axe must find its text readable while it is focused from the keyboard, and
while it is hovered and focused as after a click (1.4.3).

Stops that look alike (the same element, classes, colours and surroundings) are drawn alike, so each
look is captured once per scheme: the 30 "Day N done" boxes are one capture, not thirty. Whether a
stop is covered is checked at every stop, since that depends on where it is.

``kinds`` lists a page of every kind, ``use`` puts a page in the state a reader leaves it in and
``clicked`` a button in the state a click leaves it in, for the pass and for axe after use.
"""

from __future__ import annotations

import io

from playbook import content, plan

from .conftest import MINI
from .validators import load_axe

# The focused element (or the label that draws it), whether something covers it where Tab left
# it, and, for a look not yet in ``seen``: its box (scrolled to the middle of the view, with room
# around it for a ring) and the perimeter of its boxes, in CSS pixels.
STOP = """([margin, seen]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawn = (node) => [...node.getClientRects()].filter(r => r.width && r.height);
  // an input drawn by a label instead (Material's palette switch): its own, or the one beside it
  const labels = [...(el.labels || []), ...el.parentElement.querySelectorAll(':scope > label')];
  const shown = drawn(el).length ? el : labels.find(l => drawn(l).length) || el;
  const name = el.outerHTML.slice(0, 120);
  if (!drawn(shown).length) return {name, hidden: true};
  const covered = drawn(shown).some(r => {
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && !shown.contains(hit) && !labels.some(l => l.contains(hit));
  });
  const background = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'page';
  };
  const look = [el.tagName, el.type || '', el.getAttribute('class'), el.getAttribute('role'),
    el.parentElement.getAttribute('class'), getComputedStyle(el).color, background(el.parentElement)]
    .join('|');
  if (seen.includes(look)) return {name, covered, look};
  shown.scrollIntoView({block: 'center', inline: 'nearest'});
  const rects = drawn(shown);
  const box = rects.reduce((a, r) => ({left: Math.min(a.left, r.left), top: Math.min(a.top, r.top),
    right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom)}));
  const x = Math.max(0, Math.floor(box.left - margin)), y = Math.max(0, Math.floor(box.top - margin));
  const clip = {x, y, width: Math.min(innerWidth, Math.ceil(box.right + margin)) - x,
    height: Math.min(innerHeight, Math.ceil(box.bottom + margin)) - y};
  if (clip.width <= 0 || clip.height <= 0) return {name, hidden: true};  // out of sight
  const perimeter = rects.reduce((sum, r) => sum + 2 * (r.width + r.height), 0);
  const inner = [box.left - x, box.top - y, box.right - x, box.bottom - y];  // its box, in the clip
  return {name, covered, look, clip, perimeter, inner};
}"""
# No transitions: a capture mid-fade would differ (Playwright's captures hide the caret). The focused
# element answers elementFromPoint even where its page ignores the pointer on it (Material's links
# to the page itself), so that only what is drawn over it counts as covering it.
QUIET = """*, *::before, *::after { transition: none !important; animation: none !important; }
:focus, :focus * { pointer-events: auto !important; }"""
MARGIN = 12  # CSS pixels around an element where its focus indicator may be drawn
LINEAR = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in range(256)]


def keyboard_pass(page, seen: set[str], limit: int = 600) -> list[str]:
    """Tab from the top of the page to its end; the problems found, as readable lines. ``seen`` holds
    the looks already captured (in this scheme), and gains this page's."""
    page.add_style_tag(content=QUIET)
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    away(page)
    problems = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP, [MARGIN, sorted(seen)])
        if stop is None:
            return problems  # the focus left the page: the pass is over
        found = ["focused but not drawn (WCAG 2.4.7)"] if stop.get("hidden") else []
        if stop.get("covered"):
            found.append("covered by another element where Tab leaves it (WCAG 2.4.11)")
        if "clip" in stop:
            seen.add(stop["look"])
            found += _appearance(page, stop)
        problems += [f"{stop['name']}: {problem}" for problem in found]
    return [*problems, f"still tabbing after {limit} stops"]


def _appearance(page, stop: dict) -> list[str]:
    """The focus indicator and the text, focused from the keyboard and as after a click."""
    clip, found = stop["clip"], []
    focused = page.screenshot(clip=clip, animations="disabled", caret="hide")
    found += [f"text while focused: {f}" for f in axe_contrast(page)]
    page.evaluate("() => { window.stop = document.activeElement; stop.blur(); }")
    blurred = page.screenshot(clip=clip, animations="disabled", caret="hide")
    changed, strong, sides = indicator_area(focused, blurred, stop["inner"])
    ring = 2 * stop["perimeter"]
    if not changed:
        found.append("no focus indicator: focused and blurred look the same (WCAG 2.4.7)")
    elif strong < ring:
        found.append(f"focus indicator too faint: {strong} pixels changed by 3:1, a 2 px ring is {ring:.0f}")
    elif missing := [side for side in CLIPPED if side not in sides]:
        found.append(f"focus indicator cut off on the {' and '.join(missing)} (a box around it clips it)")
    page.evaluate("() => stop.focus({focusVisible: false})")
    page.mouse.move(clip["x"] + clip["width"] / 2, clip["y"] + clip["height"] / 2)
    found += [f"text when hovered or clicked: {f}" for f in axe_contrast(page)]
    away(page)
    page.evaluate("() => { stop.blur(); stop.focus(); }")  # where Tab goes on from
    return found


def away(page) -> None:
    """The pointer where it hovers nothing."""
    page.mouse.move(0, page.viewport_size["height"] - 1)


SIDES = ("top", "right", "bottom", "left")
# the sides a scrolling box cuts off (a sidebar's first link); a box that grows sideways when focused
# (Material's search field) has moved its left edge by the time it is captured
CLIPPED = ("top", "bottom")
EDGE = 6  # CSS pixels inside an element's edge where a ring drawn inward (the search box's) may lie


def indicator_area(focused: bytes, blurred: bytes, inner: list[float]) -> tuple[int, int, set[str]]:
    """How many pixels differ between two captures, how many changed by 3:1 or more, and on which
    sides of the element's box (``inner``: left, top, right, bottom in the clip) those lie."""
    from PIL import Image

    shots = [Image.open(io.BytesIO(png)).convert("RGB") for png in (focused, blurred)]
    width = shots[0].width
    a, b = (shot.tobytes() for shot in shots)
    left, top, right, bottom = inner
    edge = min(EDGE, (right - left) / 3, (bottom - top) / 3)  # a small box: its middle third
    changed = strong = 0
    sides: set[str] = set()
    for i in range(0, len(a), 3):
        if a[i : i + 3] != b[i : i + 3]:
            changed += 1
            light, dark = sorted((_luminance(a[i : i + 3]), _luminance(b[i : i + 3])), reverse=True)
            if (light + 0.05) / (dark + 0.05) >= 3:
                strong += 1
                x, y = (i // 3) % width, (i // 3) // width
                # a side's part of a ring: beyond (or just inside) that edge, along its middle
                across, along = left + edge <= x < right - edge, top + edge <= y < bottom - edge
                near = (y < top + edge and across, x >= right - edge and along,
                        y >= bottom - edge and across, x < left + edge and along)  # fmt: skip
                sides |= {side for side, yes in zip(SIDES, near, strict=True) if yes}
    return changed, strong, sides


def _luminance(pixel: bytes) -> float:
    r, g, b = pixel
    return 0.2126 * LINEAR[r] + 0.7152 * LINEAR[g] + 0.0722 * LINEAR[b]


def axe_contrast(page) -> list[str]:
    """axe's color-contrast findings on the focused element and what it holds."""
    load_axe(page)
    found = page.evaluate(
        """() => axe.run(document.activeElement, {runOnly: ['color-contrast'], resultTypes: ['violations']})
             .then(r => r.violations.flatMap(v => v.nodes.map(n => n.failureSummary)))"""
    )
    return [" ".join(f.split()) for f in found]


def use(page, template: str | None) -> None:
    """What a reader does on a page of this kind (its template): fill in a worksheet, plan and tick
    off the challenge, filter the plays; then scroll down and back a little, which brings up
    Material's back-to-top button. Transitions are off, so that checks see where the page settles."""
    page.add_style_tag(content=QUIET)
    if template == "canvas.md":  # the first box of each kind the worksheet has
        answers = {
            "input[type=text]": "Dana, Acme",
            "input[type=number]": "480",
            "input[type=date]": "2026-03-02",
            "textarea": "A supplier who delivers on time.\nFewer escalations.",
        }
        for selector, answer in answers.items():
            for box in page.locator(f"form.canvas {selector}").all()[:1]:
                box.fill(answer)
        for kind in ("checkbox", "radio"):
            for box in page.locator(f"form.canvas input[type={kind}]").all()[:1]:
                box.check()
    elif template == "challenge.md":
        page.fill("input[name=start]", "2026-03-02")
        page.locator(".challenge-log input[name=done]").first.check()
        page.locator(".challenge-log textarea").first.fill("Listed six meetings; two matter most.")
    elif template == "plays.md":
        page.locator(".play-filter input[type=checkbox]").first.check()
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(100)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)  # Material shows the back-to-top button once the page scrolls up


# Kinds of page (templates) whose use changes what they show: forms, and scrolling (on the home page,
# where Material's back-to-top button comes up, the same on every page)
USED = {"home.md", "canvas.md", "my-deals.md", "challenge.md", "plays.md"}


def kinds() -> list[tuple[str, str | None]]:
    """One page of every kind (by its template) of the small test tree, in the site's order, which
    puts a worksheet before My deals, and the page a server shows for a missing address: (built
    page, template)."""
    first: dict[str, str] = {}
    for entry in plan.build(content.load(MINI)).entries:
        first.setdefault(entry.template or entry.uri, entry.uri)
    return [
        *((uri.removesuffix(".md") + ".html", template) for template, uri in first.items()),
        ("404.html", None),
    ]


def clicked(page) -> None:
    """The page's first button in the state a click leaves it: hovered and focused, with no keyboard
    ring (without the click's own effects, such as a download)."""
    button = page.locator(".md-content :is(button, .md-button):visible").first
    if button.count():
        button.hover()
        button.evaluate("b => b.focus({focusVisible: false})")
