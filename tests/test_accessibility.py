"""Every built page passes axe-core in real Chromium, in the light and the dark colour scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from .validators import axe_violations

pytestmark = pytest.mark.browser


def pages(site: Path) -> list[str]:
    """Every page of the build, so a new kind of page is checked the day it appears."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violations(site: Path, server: str, tab, scheme: str):
    page = tab.page
    page.emulate_media(color_scheme=scheme)
    material_scheme = {"light": "default", "dark": "slate"}[scheme]
    found = []
    for uri in pages(site):
        page.goto(f"{server}/{uri}")
        assert page.get_attribute("body", "data-md-color-scheme") == material_scheme
        found += axe_violations(page)
    assert found == []
