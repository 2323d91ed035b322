"""Every kind of page passes axe-core in real Chromium, in the light and the dark colour scheme."""

from __future__ import annotations

import os

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

# .ci/run installs it: npm install --no-save --prefix .cache/npm axe-core@4
AXE = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"

PAGES = {
    "home": "index.html",
    "situations": "situations.html",
    "glossary": "glossary.html",
    "mindset": "mindsets/position-vs-interest.html",
    "pillar": "pillars/curiosity.html",
    "strategy": "strategies/explain-your-demands.html",
    "recovery": "recover/three-rs.html",
    "section index": "strategies/index.html",
    "plays index": "plays.html",
    "article": "learn/perspective.html",
    "evidence": "evidence.html",
    "bibliography": "sources.html",
    "about": "about/index.html",
    "worksheet": "canvases/negotiation-canvas.html",
    "worksheet index": "canvases/index.html",
    "challenge": "practise/challenge.html",
}


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs axe-core at {AXE}: npm install --no-save --prefix .cache/npm axe-core@4")
        pytest.skip("accessibility tests need axe-core: npm install --no-save --prefix .cache/npm axe-core@4")
    return str(AXE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_has_no_axe_violations(server: str, tab, axe: str, scheme: str):
    page = tab.page
    page.emulate_media(color_scheme=scheme)
    material_scheme = {"light": "default", "dark": "slate"}[scheme]
    found = []
    for kind, uri in PAGES.items():
        page.goto(f"{server}/{uri}")
        assert page.get_attribute("body", "data-md-color-scheme") == material_scheme
        page.add_script_tag(path=axe)
        result = page.evaluate("axe.run()")
        found += [
            f"{kind} ({uri}): {v['id']} at {[n['target'] for n in v['nodes']]}: {v['help']}"
            for v in result["violations"]
        ]
    assert found == []
