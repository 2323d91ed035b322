"""Rebranding from mkdocs.yml alone: validated, shown on every page, and readable in any colour."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook import canvas, content, handbook, plan
from playbook.brand import (
    ACCENTS,
    NAMES,
    SLATE,
    WHITE,
    Brand,
    BrandError,
    accents,
    check_names,
    contrast,
    load,
    rgb,
)

from .conftest import MINI, build, built, copy_project

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


@pytest.mark.parametrize("name", sorted(ACCENTS))
def test_any_accent_gives_readable_hovered_and_focused_text(name: str):
    """Material draws hovered and focused links in the accent, and buttons on it: both read at 4.5:1
    in both schemes (the configured deep orange was 2.77:1 on white)."""
    palette = [{"scheme": "default", "accent": name.replace("-", " ")}, {"scheme": "slate", "accent": name}]
    css = Brand(organisation="Acme").css(accents(palette))
    for scheme, page in (("default", WHITE), ("slate", SLATE)):
        block = css.split(f"[data-md-color-scheme={scheme}][data-md-color-accent]")[1].split("}")[0]
        values = dict(re.findall(r"(--md-accent-[\w-]+): (#[0-9a-f]{6})\b", block))
        accent = rgb(values["--md-accent-fg-color"])
        assert contrast(accent, page) >= 4.5, f"{scheme}: hovered or focused link text"
        assert contrast(rgb(values["--md-accent-bg-color"]), accent) >= 4.5, f"{scheme}: text on a button"


def test_an_accent_material_does_not_know_is_refused():
    with pytest.raises(BrandError, match=r"theme\.palette\[1\]\.accent: 'deeporange' is not one of"):
        accents([{"accent": "indigo"}, {"scheme": "slate", "accent": "deeporange"}])
    assert accents({"accent": "Deep Orange"}) == {"default": ACCENTS["deep-orange"]}


def test_pdfs_take_the_brand_colour_made_readable_on_paper(tmp_path: Path):
    look = Brand(organisation="Acme", primary_color="#ffeb3b")
    book = content.load(MINI)
    typesetter = handbook.Typesetter(book, look, "Playbook", "", None)
    chapter = handbook.Chapter("pillars/listen.html", "Listen first", "Learn")
    part = handbook.Part("Learn", "part-1", [chapter])
    documents = [job.html for job in canvas.pdf_jobs(book, plan.build(book), look, tmp_path)]
    documents += [typesetter.chapter(part, chapter, "<p>Ask.</p>"), typesetter.front([part])]
    assert all(f"--ink: {look.ink};" in html for html in documents)


def test_a_wrong_brand_names_each_field_to_fix(tmp_path: Path):
    with pytest.raises(BrandError) as err:
        load({"brand": {"primary_color": "teal", "slogan": "x"}}, tmp_path)
    message = str(err.value)
    assert message.splitlines() == [
        "mkdocs.yml: extra.brand.slogan: no such setting "
        "(there are: organisation, logo, primary_color, contact)",
        "mkdocs.yml: extra.brand.organisation: missing: the organisation's name, as text",
        "mkdocs.yml: extra.brand.primary_color: a colour written #rrggbb, e.g. #00695c (got 'teal')",
    ]
    for brand in (None, "Acme", {"organisation": "  "}, {"organisation": "Acme", "logo": 5}):
        with pytest.raises(BrandError, match=r"^mkdocs\.yml: extra\.brand(\.organisation|\.logo)?: \w"):
            load({"brand": brand}, tmp_path)
    assert load({"brand": {"organisation": " Acme "}}, tmp_path).organisation == "Acme"
    with pytest.raises(BrandError, match=r"extra\.brand\.logo: no file logo\.png under"):
        load({"brand": {"organisation": "Acme", "logo": "logo.png"}}, tmp_path)


def logos(folder: Path) -> None:
    """A logo in each format every output shows (made with Pillow), and an SVG."""
    from PIL import Image

    square = Image.new("RGB", (4, 4), "teal")
    for ending, kind in (("png", "PNG"), ("jpg", "JPEG"), ("jpeg", "JPEG"), ("webp", "WEBP")):
        square.save(folder / f"logo.{ending}", kind)
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect/></svg>'
    (folder / "logo.svg").write_text(svg)


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.jpg", "logo.jpeg", "logo.webp"])
def test_a_logo_that_browsers_and_the_handbook_show_is_accepted(tmp_path: Path, name: str):
    logos(tmp_path)
    assert load({"brand": {"organisation": "Acme", "logo": name}}, tmp_path).logo == name


@pytest.mark.parametrize(
    "name, bytes_of, message",
    [
        ("about/index.md", None, "about/index.md is not an image: the logo must be an SVG, PNG, JPEG or"),
        ("logo.gif", "logo.png", "logo.gif is not an image: the logo must be an SVG, PNG, JPEG or WebP"),
        ("logo.png", "logo.jpg", "logo.png holds JPEG image data, not PNG as its name says: name it *.jpg"),
        ("logo.webp", "logo.svg", "logo.webp holds SVG image data, not WebP as its name says: name it *.svg"),
        ("logo.png", "gif", "logo.png holds GIF image data: export the logo again as SVG, PNG, JPEG or WebP"),
        ("logo.png", "truncated", "logo.png holds no image (or a damaged one): export the logo again"),
        ("logo.svg", "index.md", "logo.svg holds no image (or a damaged one)"),
        ("logo.svg", "html", "logo.svg holds no image"),
        ("logo.svg", "bare svg", "logo.svg is an SVG without its namespace: write <svg xmlns="),
    ],
)  # fmt: skip
def test_a_logo_is_checked_by_its_bytes_not_only_its_name(tmp_path: Path, name, bytes_of, message):
    from PIL import Image

    logos(tmp_path)
    (tmp_path / "about").mkdir()
    (tmp_path / "about/index.md").write_text("# About\n\nThe <svg> of it.\n")
    made = {
        "gif": lambda path: Image.new("RGB", (4, 4)).save(path, "GIF"),
        "truncated": lambda path: path.write_bytes((tmp_path / "logo.png").read_bytes()[:40]),
        "index.md": lambda path: path.write_bytes((tmp_path / "about/index.md").read_bytes()),
        "html": lambda path: path.write_text("<html><body><svg></svg></body></html>"),
        "bare svg": lambda path: path.write_text('<svg viewBox="0 0 4 4"><rect/></svg>'),
    }
    if bytes_of in made:
        made[bytes_of](tmp_path / name)
    elif bytes_of:
        (tmp_path / name).write_bytes((tmp_path / bytes_of).read_bytes())
    with pytest.raises(BrandError) as err:
        load({"brand": {"organisation": "Acme", "logo": name}}, tmp_path)
    assert str(err.value).startswith(f"mkdocs.yml: extra.brand.logo: {message}")


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> Path:
    """The small test tree's playbook rebranded for another organisation in mkdocs.yml only, built once."""
    project = copy_project(tmp_path_factory.mktemp("acme"), MINI)
    rebrand(project, ACME)
    (project / "docs/assets/images").mkdir(parents=True)
    (project / "docs/assets/images/acme.png").write_bytes(base64.b64decode(PIXEL))
    return built(project)  # every PDF carries the brand: no cache to start from


@pytest.mark.slow
def test_rebranded_build_shows_the_organisation_and_logo(acme: Path):
    for uri in ("index.html", "strategies/give-first.html", "sources.html"):
        html = (acme / uri).read_text()
        assert "Acme Health &amp; Care" in html, uri
        assert "Ask the &lt;People&gt; team: people@acme.example" in html, "contact shown as text, not HTML"
        assert re.search(r'<img src="(\.\./)?assets/images/acme\.png"', html), "logo in the header"
    assert (acme / "assets/images/acme.png").is_file()


@pytest.mark.slow
def test_rebranded_pdfs_carry_the_organisation_and_contact(acme: Path):
    brand_line = "Acme Health & Care · Ask the <People> team: people@acme.example"
    pages = {"handbook.pdf": 1, "canvases/test-canvas-letter.pdf": 0, "practise/challenge-a4.pdf": 0}
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


@pytest.mark.parametrize("key", NAMES)
@pytest.mark.parametrize("name", ["Acme <script>alert(1)</script>", 'The "Acme" guide', "a > b"])
def test_a_name_that_material_would_write_as_markup_is_refused(key: str, name: str):
    with pytest.raises(BrandError, match=rf"^mkdocs\.yml: {key}: .* cannot be used") as raised:
        check_names({key: name})
    assert "“ ”" in str(raised.value)
    check_names({key: "Acme Health & Care: the negotiation guide, 'v2'"})  # no markup: fine


def test_a_site_name_with_markup_stops_the_build_with_its_key(mini_project: Path):
    config = mini_project / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_name: .*$", "site_name: Acme <script>alert(1)</script>", config.read_text())
    )
    result = build(mini_project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "mkdocs.yml: site_name: < > cannot be used" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "brand, messages",
    [
        (
            '    primary_color: "#12345"\n',
            [
                "mkdocs.yml: extra.brand.organisation: missing: the organisation's name",
                "extra.brand.primary_color: a colour written #rrggbb, e.g. #00695c (got '#12345')",
            ],
        ),
        (
            "    organisation: Acme\n    logo: about/index.md\n",
            ["mkdocs.yml: extra.brand.logo: about/index.md is not an image"],
        ),
    ],
)
def test_broken_brand_stops_the_build(mini_project: Path, brand: str, messages: list[str]):
    rebrand(mini_project, f"  brand:\n{brand}")
    result = build(mini_project)
    assert result.returncode != 0
    assert all(message in result.stderr for message in messages), result.stderr
    assert "Traceback" not in result.stderr
