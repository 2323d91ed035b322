"""Rebranding from mkdocs.yml alone: validated, shown on every page, and readable in any colour."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook import canvas, content, handbook, plan
from playbook.brand import SLATE, WHITE, Brand, BrandError, contrast, load, rgb

from .conftest import ROOT, build, copy_project

# a one-pixel PNG, for the logo
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
ACME = """  brand:
    organisation: Acme Health & Care
    logo: assets/images/acme.png
    primary_color: "#ffeb3b"
    contact: "Ask the <People> team: people@acme.example"
"""


def rebrand(project: Path, brand: str) -> None:
    config = project / "mkdocs.yml"
    text, n = re.subn(r"  brand:\n(    .*\n)+", brand, config.read_text())
    assert n == 1
    config.write_text(text)


@pytest.mark.parametrize("color", ["#ffeb3b", "#00695c", "#000000", "#ffffff", "#7f7f7f", "#e91e63"])
def test_any_brand_colour_gives_readable_text(color: str):
    css = Brand(organisation="Acme", primary_color=color).css()
    values = dict(re.findall(r"(--md-[\w-]+): (#[0-9a-f]{6})", css))
    assert values["--md-primary-fg-color"] == color
    on_primary = rgb(values["--md-primary-bg-color"])
    assert contrast(on_primary, rgb(color)) >= 4.5, "header text on the brand colour"
    light, dark = re.findall(r"--md-typeset-a-color: (#[0-9a-f]{6})", css)
    assert contrast(rgb(light), WHITE) >= 4.5, "links on the light page"
    assert contrast(rgb(dark), SLATE) >= 4.5, "links on the dark page"
    assert contrast(rgb(Brand(organisation="Acme", primary_color=color).ink), WHITE) >= 4.5, "on paper"


def test_pdfs_take_the_brand_colour_made_readable_on_paper(tmp_path: Path):
    look = Brand(organisation="Acme", primary_color="#ffeb3b")
    book = content.load(ROOT / "content")
    typesetter = handbook.Typesetter(book, look, "Playbook", "", None)
    chapter = handbook.Chapter("pillars/curiosity.html", "Curiosity", "Learn")
    part = handbook.Part("Learn", "part-1", [chapter])
    documents = [job.html for job in canvas.pdf_jobs(book, plan.build(book), look, tmp_path)]
    documents += [typesetter.chapter(part, chapter, "<p>Ask.</p>"), typesetter.front([part])]
    assert all(f"--ink: {look.ink};" in html for html in documents)


def test_a_wrong_brand_names_each_field_to_fix(tmp_path: Path):
    with pytest.raises(BrandError) as err:
        load({"brand": {"primary_color": "teal", "slogan": "x"}}, tmp_path)
    message = str(err.value)
    assert "mkdocs.yml: extra.brand.organisation: Field required" in message
    assert "mkdocs.yml: extra.brand.primary_color: String should match pattern" in message
    assert "mkdocs.yml: extra.brand.slogan: Extra inputs are not permitted" in message
    with pytest.raises(BrandError, match=r"extra\.brand\.logo: no file logo\.png under"):
        load({"brand": {"organisation": "Acme", "logo": "logo.png"}}, tmp_path)


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> Path:
    """The playbook rebranded for another organisation in mkdocs.yml only, built once."""
    project = copy_project(tmp_path_factory.mktemp("acme"))
    rebrand(project, ACME)
    (project / "docs/assets/images").mkdir(parents=True)
    (project / "docs/assets/images/acme.png").write_bytes(base64.b64decode(PIXEL))
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.slow
def test_rebranded_build_shows_the_organisation_and_logo(acme: Path):
    for uri in ("index.html", "strategies/explain-your-demands.html", "sources.html"):
        html = (acme / uri).read_text()
        assert "Acme Health &amp; Care" in html, uri
        assert "Ask the &lt;People&gt; team: people@acme.example" in html, "contact shown as text, not HTML"
        assert re.search(r'<img src="(\.\./)?assets/images/acme\.png"', html), "logo in the header"
    assert (acme / "assets/images/acme.png").is_file()


@pytest.mark.slow
def test_rebranded_pdfs_carry_the_organisation_and_contact(acme: Path):
    brand_line = "Acme Health & Care · Ask the <People> team: people@acme.example"
    pages = {"handbook.pdf": 1, "canvases/negotiation-canvas-a4.pdf": 0, "practise/challenge-letter.pdf": 0}
    for pdf, page in pages.items():
        text = " ".join(PdfReader(acme / pdf).pages[page].extract_text().split())
        assert brand_line in text, pdf
    cover = PdfReader(acme / "handbook.pdf").pages[0]
    assert "Acme Health & Care" in cover.extract_text()
    assert [image.name for image in cover.images], "the logo on the handbook's cover"


@pytest.mark.browser
def test_rebranded_header_takes_the_colour_with_readable_text(acme: Path, tab):
    tab.page.goto((acme / "index.html").as_uri())
    header = tab.page.locator(".md-header")
    colours = header.evaluate("h => [getComputedStyle(h).backgroundColor, getComputedStyle(h).color]")
    assert colours == ["rgb(255, 235, 59)", "rgb(0, 0, 0)"], "pale yellow takes black text, not white"


def test_broken_brand_stops_the_build(project: Path):
    rebrand(project, '  brand:\n    primary_color: "#12345"\n')
    result = build(project)
    assert result.returncode != 0
    assert "mkdocs.yml: extra.brand.organisation: Field required" in result.stderr
    assert "mkdocs.yml: extra.brand.primary_color: String should match pattern" in result.stderr
    assert "Traceback" not in result.stderr
