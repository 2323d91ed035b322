"""Keyboard only: a person who cannot use a mouse fills a worksheet and ticks off a challenge day."""

from __future__ import annotations

import pytest

from .conftest import tab_to

pytestmark = pytest.mark.browser


def test_fill_a_worksheet_with_the_keyboard_alone(server: str, tab):
    page = tab.page
    page.goto(f"{server}/canvases/negotiation-canvas.html")
    tab_to(page, "#f-counterpart")
    page.keyboard.type("Dana, head of procurement")
    tab_to(page, "#f-their-goals")
    page.keyboard.type("A supplier who delivers on time.")
    page.keyboard.press("Enter")  # a new line inside the answer, not a form submission
    page.keyboard.type("Fewer escalations.")
    page.reload()
    assert page.input_value("#f-counterpart") == "Dana, head of procurement"
    assert page.input_value("#f-their-goals") == "A supplier who delivers on time.\nFewer escalations."


def test_tick_off_a_challenge_day_with_the_keyboard_alone(server: str, tab):
    page = tab.page
    page.goto(f"{server}/practise/challenge.html")
    done, note = (f".challenge-day[data-day='1'] [name={name}]" for name in ("done", "note"))
    tab_to(page, done)
    page.keyboard.press("Space")
    assert page.is_checked(done)
    tab_to(page, note)
    page.keyboard.type("Listed six meetings; two matter most.")
    page.reload()
    assert page.is_checked(done)
    assert page.input_value(note) == "Listed six meetings; two matter most."
