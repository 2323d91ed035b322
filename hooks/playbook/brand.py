"""The hosting organisation's brand, set under ``extra.brand`` in mkdocs.yml, and colours made from it.

An organisation rebrands the playbook without touching code: its name, logo, primary colour and a
contact line appear in the site's header and footer, in the PDFs and on the handbook's cover. Any
colour is accepted; text drawn on it or in it is adjusted until it reads at WCAG AA contrast (4.5:1),
so a pale brand colour cannot make the header or the links unreadable. So is the accent that
Material gives hovered and focused links and buttons (theme.palette in mkdocs.yml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from xml.etree import ElementTree

import msgspec
from msgspec import Meta, Struct

from . import settings

Hex = Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}$", description="a colour written #rrggbb, e.g. #00695c")]
Text = Annotated[str, Meta(description="text, in quotes if it holds a colon")]
RGB = tuple[int, int, int]

AA = 4.5
WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)
SLATE: RGB = (30, 33, 41)  # Material's dark ("slate") page background, hsl(225, 15%, 14%)


class BrandError(Exception):
    """``extra.brand`` in mkdocs.yml is missing or wrong; the message names each field to fix."""


class Brand(Struct, frozen=True, forbid_unknown_fields=True):
    organisation: Annotated[str, Meta(pattern=r"\S", description="the organisation's name, as text")]
    logo: Annotated[str, Meta(description="a file under docs/, e.g. assets/images/logo.svg")] | None = None
    primary_color: Hex = "#00695c"
    contact: Text | None = None  # e.g. "Questions? people-team@example.org"

    def __post_init__(self):
        msgspec.structs.force_setattr(self, "organisation", self.organisation.strip())

    @property
    def ink(self) -> str:
        """The brand colour for text and rules on paper: darkened, if need be, to read on white."""
        return hex_(readable(rgb(self.primary_color), WHITE))

    def css(self, accents: dict[str, str] | None = None) -> str:
        """Material's colour variables for this brand and the ``accents`` (see :func:`accents`), in
        both the light and the dark scheme."""
        primary = rgb(self.primary_color)
        light, dark = (rgb((accents or {}).get(scheme, ACCENTS["indigo"])) for scheme in ("default", "slate"))
        return (
            "/* Made from extra.brand and theme.palette in mkdocs.yml by playbook.brand: do not edit. */\n"
            ":root > * {\n"
            f"  --md-primary-fg-color: {self.primary_color};\n"
            f"  --md-primary-fg-color--light: {hex_(mix(primary, WHITE, 0.2))};\n"
            f"  --md-primary-fg-color--dark: {hex_(mix(primary, BLACK, 0.2))};\n"
            f"  --md-primary-bg-color: {hex_(on(primary))};\n"
            f"  --md-primary-bg-color--light: {hex_(on(primary))}b3;\n"
            f"  --md-typeset-a-color: {hex_(readable(primary, WHITE))};\n"
            "}\n"
            "[data-md-color-scheme=slate][data-md-color-primary] {\n"
            f"  --md-typeset-a-color: {hex_(readable(primary, SLATE))};\n"
            "}\n"
            f"{_accent('default', readable(light, WHITE))}{_accent('slate', readable(dark, SLATE))}"
        )


# Material's accent colours by the names theme.palette gives them, as its palette stylesheet draws them
ACCENTS = {
    "red": "#ff1a47", "pink": "#f50056", "purple": "#df41fb", "deep-purple": "#7c4dff", "indigo": "#526cfe",
    "blue": "#4287ff", "light-blue": "#0091eb", "cyan": "#00bad6", "teal": "#00bda4", "green": "#00c753",
    "light-green": "#63de17", "lime": "#b0eb00", "yellow": "#ffd500", "amber": "#ffaa00",
    "orange": "#ff9100", "deep-orange": "#ff6e42",
}  # fmt: skip


def accents(palette: list | dict | None) -> dict[str, str]:
    """Each colour scheme's accent (``default``, ``slate``) from theme.palette in mkdocs.yml.

    Material turns hovered and focused links and buttons the accent colour: :meth:`Brand.css` then
    darkens or lightens it, as it does the primary colour, until text in it, and text on it, reads
    at 4.5:1. A name Material does not know is an error, since Material would silently ignore it."""
    found = {}
    for n, entry in enumerate(palette if isinstance(palette, list) else [palette or {}]):
        name = str(entry.get("accent", "indigo")).lower().replace(" ", "-")
        if name not in ACCENTS:
            raise BrandError(
                f"mkdocs.yml: theme.palette[{n}].accent: '{entry['accent']}' is not one of Material's accent "
                f"colours: {', '.join(ACCENTS)}"
            )
        found.setdefault(entry.get("scheme", "default"), ACCENTS[name])
    return found


def _accent(scheme: str, color: RGB) -> str:
    """The accent variables for one scheme; more specific than Material's own ([data-md-color-accent])."""
    return (
        f"[data-md-color-scheme={scheme}][data-md-color-accent] {{\n"
        f"  --md-accent-fg-color: {hex_(color)};\n"
        f"  --md-accent-fg-color--transparent: {hex_(color)}1a;\n"
        f"  --md-accent-bg-color: {hex_(on(color))};\n"
        f"  --md-accent-bg-color--light: {hex_(on(color))}b3;\n"
        "}\n"
    )


# mkdocs.yml's names for the site, which Material writes into every page as they are, unescaped: in
# the header's text, in attributes and in meta tags
NAMES = ("site_name", "site_description", "site_author")
MARKUP = set('<>"')


def check_names(config: dict, config_file: str = "mkdocs.yml") -> None:
    """The site's names hold no character that would turn into markup in Material's pages (a ``<script>``
    in ``site_name`` would run on every page)."""
    for key in NAMES:
        if found := sorted(MARKUP & set(config.get(key) or "")):
            raise BrandError(
                f"{config_file}: {key}: {' '.join(found)} cannot be used, since Material writes this name "
                "into every page as HTML: leave them out (for a quotation, write “ ” instead)"
            )


def load(extra: dict, docs_dir: Path) -> Brand:
    """The brand from mkdocs.yml's ``extra``; a missing or invalid one is an error naming each field."""
    brand = settings.read(extra.get("brand"), Brand, "mkdocs.yml: extra.brand", BrandError)
    if brand.logo:
        logo, docs = (docs_dir / brand.logo).resolve(), docs_dir.resolve()
        if not logo.is_relative_to(docs) or not logo.is_file():
            raise BrandError(
                f"mkdocs.yml: extra.brand.logo: no file {brand.logo} under {docs_dir.name}/ "
                f"(the logo is published with the site, so it must be a file inside {docs_dir.name}/)"
            )
        if problem := _not_an_image(logo, brand.logo):
            raise BrandError(f"mkdocs.yml: extra.brand.logo: {problem}")
    return brand


# Images that browsers and WeasyPrint (the handbook's cover) both show, by the name's ending; the name
# decides the type a server announces, and the bytes must agree with it.
LOGO_FORMATS = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}
SVG = "{http://www.w3.org/2000/svg}svg"


def _not_an_image(path: Path, name: str) -> str | None:
    """What is wrong with the logo at ``path``, or None when it is an image every output shows."""
    expected = LOGO_FORMATS.get(path.suffix.lower())
    if expected is None:
        return (
            f"{name} is not an image: the logo must be an SVG, PNG, JPEG or WebP file, which both "
            "browsers and the handbook show (for example: assets/images/logo.svg)"
        )
    found = _format(path)
    if found == expected:
        return None
    if found == "svg":
        return f'{name} is an SVG without its namespace: write <svg xmlns="http://www.w3.org/2000/svg" ...>'
    if ending := next((e for e, kind in LOGO_FORMATS.items() if kind == found), None):
        return f"{name} holds {found} image data, not {expected} as its name says: name it *{ending}"
    holds = f"{found} image data" if found else "no image (or a damaged one)"
    return f"{name} holds {holds}: export the logo again as SVG, PNG, JPEG or WebP"


def _format(path: Path) -> str | None:
    """The kind of image in the file's bytes (a name from LOGO_FORMATS, "svg" for an SVG that lacks
    its namespace, another image format's name), or None when it holds none or a damaged one."""
    try:
        root = ElementTree.parse(path).getroot()
        return "SVG" if root.tag == SVG else "svg" if root.tag == "svg" else None
    except ElementTree.ParseError:
        pass
    from PIL import Image, UnidentifiedImageError  # only for a logo, and WeasyPrint needs it anyway

    try:
        with Image.open(path) as image:
            image.verify()
            return {"WEBP": "WebP"}.get(image.format, image.format)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def rgb(color: str) -> RGB:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def hex_(color: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def luminance(color: RGB) -> float:
    """Relative luminance as WCAG 2 defines it."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in color]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(color: RGB, other: RGB, share: float) -> RGB:
    r, g, b = (round(c + (o - c) * share) for c, o in zip(color, other, strict=True))
    return r, g, b


def on(color: RGB) -> RGB:
    """Black or white, whichever reads better on ``color``."""
    return max((WHITE, BLACK), key=lambda text: contrast(text, color))


def readable(color: RGB, background: RGB) -> RGB:
    """``color``, moved toward black or white just far enough to read on ``background`` at 4.5:1."""
    target = BLACK if luminance(background) > 0.18 else WHITE
    for step in range(21):
        candidate = mix(color, target, step / 20)
        if contrast(candidate, background) >= AA:
            return candidate
    return target
