"""The handbook: the whole playbook as one printable PDF, built from the site's own pages.

Chapters are the HTML that MkDocs made from each page's Markdown, taken in navigation order, so the
handbook says exactly what the site says and no page is converted twice. Links between pages become
links inside the PDF (a citation jumps to its entry in the bibliography); the contents list takes
its page numbers from WeasyPrint's ``target-counter``; chapter and section headings become the PDF's
bookmarks. Pages that only work on screen (the home page, the filterable plays index, the authoring
guide) are left out; worksheets and the 30-day challenge follow the sources as appendices.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .brand import Brand
from .pdf import PdfJob
from .render import environment

NAME = "handbook.pdf"
SCREEN_ONLY = ("index.html", "plays.html", "about/")
APPENDICES = {
    "canvases/": "Appendix A: Worksheets",
    "practise/challenge.html": "Appendix B: The 30-day challenge",
}

HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
ID = re.compile(r'(<[^>]*\s)id="([^"]*)"')
FIELD_NAME = re.compile(r'(<(?:input|textarea|select)\b[^>]*\s)name="([^"]*)"')
LINK = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.S)


@dataclass(frozen=True)
class Chapter:
    """One page of the site: where it is built (``pillars/curiosity.html``), its title and its HTML."""

    uri: str
    title: str
    section: str
    html: str

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.uri.removesuffix(".html").lower())


@dataclass
class Part:
    title: str
    anchor: str
    chapters: list[Chapter] = field(default_factory=list)


def job(
    pages: list[Chapter], brand: Brand, site_name: str, description: str, docs_dir: Path, site_dir: Path
) -> PdfJob:
    """The handbook's PDF job (rendered and cached with the other PDFs), written to ``site_dir/NAME``."""
    chapters = [p for p in pages if not p.uri.startswith(SCREEN_ONLY)]
    anchors = {c.uri: c.anchor for c in chapters}
    parts: list[Part] = []
    for chapter in sorted(chapters, key=lambda c: _appendix(c) is not None):  # stable: appendices last
        title = _appendix(chapter) or chapter.section
        if not parts or parts[-1].title != title:
            parts.append(Part(title, f"part-{len(parts) + 1}"))
        parts[-1].chapters.append(chapter)
    template = environment().get_template("handbook.html")
    html = template.render(
        parts=parts,
        body={c.uri: Markup(_localise(c, anchors)) for c in chapters},
        brand=brand,
        logo=_data_uri(docs_dir / brand.logo) if brand.logo else None,
        site_name=site_name,
        description=description,
    )
    return PdfJob(html, site_dir / NAME)


def _appendix(chapter: Chapter) -> str | None:
    return next((title for prefix, title in APPENDICES.items() if chapter.uri.startswith(prefix)), None)


def _localise(chapter: Chapter, anchors: dict[str, str]) -> str:
    """The chapter's HTML with ids made unique in the book and links pointing inside the book."""
    html = HEADERLINK.sub("", chapter.html)
    html = ID.sub(lambda m: f'{m[1]}id="{chapter.anchor}--{m[2]}"', html)
    # worksheet fields stay fillable in the book; each needs a name no other worksheet uses
    html = FIELD_NAME.sub(lambda m: f'{m[1]}name="{chapter.anchor}--{m[2]}"', html)

    def link(m: re.Match) -> str:
        before, href, after, text = m.groups()
        if re.match(r"[a-z]+:", href):
            return m[0]  # another site: the PDF keeps the web link
        path, _, fragment = href.partition("#")
        target = chapter.uri
        if path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.uri), path))
        if target not in anchors:
            return text  # a page, file or form the handbook does not hold: keep the words, drop the link
        inside = f"{anchors[target]}--{fragment}" if fragment else anchors[target]
        return f'<a{before} href="#{inside}"{after}>{text}</a>'

    return LINK.sub(link, html)


def _data_uri(path: Path) -> str:
    """The logo inside the HTML, since a PDF job must not depend on files beside it (see pdf.py)."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
