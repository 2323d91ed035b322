"""Every built page is valid HTML for the Nu HTML Checker (but for Material's own two messages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .validators import material_own, nu_errors


def test_every_built_page_has_no_nu_errors(site: Path):
    assert nu_errors(*sorted(site.rglob("*.html"))) == []


@pytest.mark.slow  # runs the Nu HTML Checker (Java)
def test_the_checker_still_reports_our_own_mistakes():
    """Material's two messages are set aside on Material's markup only; ours still count."""
    page = """<!doctype html><html lang="en"><title>t</title><body>
<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">Material</label><input id="__nav_2">
<label class="our-label" for="ours" tabindex="">ours</label><input id="ours">
<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
<input class="our-toggle" type="checkbox" autocomplete="off">
<svg hidden></svg></body></html>"""
    found = nu_errors(page)
    assert len(found) == 3, found
    assert sum("tabindex" in line and "our-label" in line for line in found) == 1
    assert sum("autocomplete" in line and "our-toggle" in line for line in found) == 1
    assert any("“svg”" in line for line in found)


@pytest.mark.parametrize(
    "message, own",
    [
        ({"message": "Bad value “” for attribute “tabindex” on element “label”: x", "extract": ""}, False),
        ({"message": "anything", "extract": '<label class="md-nav__link" tabindex="">'}, False),
    ],
)
def test_only_the_exact_message_on_materials_markup_is_set_aside(message: dict, own: bool):
    assert material_own(message) is own
