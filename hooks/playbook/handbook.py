"""The handbook: the whole playbook as one printable PDF, built from the site's own pages, in parts.

Chapters are the HTML that MkDocs made from each page's Markdown, taken in navigation order, so the
handbook says exactly what the site says and no page is converted twice. Worksheets are the exception:
they are printed with the worksheet PDFs' own layout (_canvas_print.html), and the challenge gets the
printable calendar before its days. The site plan gives each page its part, or none to a page that
only works on screen (the home page, the filterable plays index); within a page, anything a
template marks ``web-only`` is left out.

Each chapter is its own document, rendered and cached by its HTML like every other PDF, so an edit
to one page lays out that chapter alone; the front matter (cover and contents, whose page numbers
come from the chapters' lengths) is the only other part that may change. A chapter goes to the press
as soon as MkDocs has rendered its page, so it is laid out while MkDocs renders the rest.
:mod:`playbook.join` puts the parts together into one tagged PDF.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import posixpath
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from . import canvas, pdf
from .brand import Brand
from .content import Playbook
from .model import Canvas
from .pdf import SCHEME
from .plan import HANDBOOK, Download
from .render import environment

NAME = HANDBOOK
# Every part draws these characters, invisibly, in regular and bold: then every part's subsets of
# those two faces, which nearly every page uses, are the same bytes, which the join keeps once (a
# book of 60 parts would otherwise carry 60 subsets of each). Other text still prints, in a subset
# of its own. Latin-1, typographic punctuation and the ligatures the text face forms.
PUNCTUATION = "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u2192\u00b7\u00d7\u20ac"
GLYPHS = "".join(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x100)])) + PUNCTUATION + " ff fi fl ffi ffl"

HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
ID = re.compile(r'(<[^>]*\s)id="([^"]*)"')
FIELD_NAME = re.compile(r'(<(?:input|textarea|select)\b[^>]*\s)name="([^"]*)"')
LINK = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.S)


@dataclass(frozen=True)
class Chapter:
    """One page of the site: where it is built (``pillars/curiosity.html``), its title, the handbook
    part it belongs to, what it presents (a worksheet, the challenge) and its PDFs."""

    uri: str
    title: str
    section: str
    subject: object = None
    downloads: tuple[Download, ...] = ()

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.uri.removesuffix(".html").lower())


@dataclass(frozen=True)
class Part:
    """A part of the book: its title, the name of its place in the book and its chapters, in order."""

    title: str
    anchor: str
    chapters: list[Chapter] = field(default_factory=list)


class Handbook:
    """The handbook of one build: chapters are handed in as MkDocs renders their pages (``add``);
    ``write`` lays out what is new, the front matter last, and joins the parts.

    With ``eager``, each chapter goes to the press at once, to be laid out while MkDocs renders the
    other pages; without (under ``mkdocs serve``, where the pages come first), only at ``write``.
    """

    def __init__(
        self,
        parts: list[Part],
        book: Playbook,
        brand: Brand,
        site_name: str,
        description: str,
        docs_dir: Path,
        press: pdf.Press,
        folder: Path,
        eager: bool = True,
    ):
        logo = _data_uri(docs_dir / brand.logo) if brand.logo else None
        self.typesetter = Typesetter(book, brand, site_name, description, logo)
        self.press, self.folder, self.eager = press, folder, eager
        self.html: dict[str, str] = {}  # chapter uri -> the page's HTML, as MkDocs made it
        self.bound: Future[Path] | None = None  # the book, once every chapter is in (eager only)
        self._bind(parts)
        if eager:  # the draft of the contents depends only on titles
            press.submit(self.typesetter.front(self.parts))

    def _bind(self, parts: list[Part]) -> None:
        self.parts = [part for part in parts if part.chapters]
        self.places = {c.uri: (p, c) for p in self.parts for c in p.chapters}
        self.anchors = {uri: chapter.anchor for uri, (_, chapter) in self.places.items()}
        self.documents: dict[str, str] = {}  # chapter uri -> its document, once made

    def add(self, uri: str, html: str) -> None:
        """A page of the site as MkDocs rendered it; pages the book does not hold are ignored.

        With ``eager``, the last chapter starts the binding of the book in a thread, and the join in
        a worker process: MkDocs still has every page's template to render (nearly half a build)."""
        if uri in self.anchors:
            self.html[uri] = html
            if self.eager:
                self.press.submit(self._document(uri))
                if len(self.html) == len(self.places):
                    binder = ThreadPoolExecutor(1, thread_name_prefix="playbook-handbook")
                    self.bound = binder.submit(self._make)
                    binder.shutdown(wait=False)  # its thread ends with the book

    def _document(self, uri: str) -> str:
        if uri not in self.documents:
            part, chapter = self.places[uri]
            html = _localised(chapter, self.html[uri], self.anchors)
            self.documents[uri] = self.typesetter.chapter(part, chapter, html)
        return self.documents[uri]

    def write(self) -> Path:
        """The finished book in the cache (``folder``), laid out again only where its parts' HTML
        changed; safe in a thread."""
        if self.bound is not None:
            return self.bound.result()
        if len(self.html) < len(self.places):  # a `--dirty` build: the pages MkDocs rendered
            parts = self.parts
            self._bind([replace(p, chapters=[c for c in p.chapters if c.uri in self.html]) for p in parts])
        return self._make()

    def _make(self) -> Path:
        """The book is cached by the HTML of all its parts."""
        documents = [self._document(c.uri) for p in self.parts for c in p.chapters]
        finished = self.folder / f"{self.typesetter.key(self.parts, documents)}.pdf"
        if not finished.exists():
            import pikepdf  # only to lay out and join: a build that reuses the book imports neither

            from . import join

            # The contents' length does not depend on its page numbers (they sit in a margin of
            # their own), so a draft without them, laid out beside the chapters, says where they start.
            made = [self.press.submit(html) for html in [*documents, self.typesetter.front(self.parts)]]
            *chapters, draft = [future.result() for future in made]
            lengths = join.page_counts(chapters, self.folder)
            length = len(pikepdf.open(draft).pages)
            front = self.press.submit(self.typesetter.front(self.parts, length, lengths)).result()
            if len(pikepdf.open(front).pages) != length:
                raise RuntimeError("the handbook's page numbers changed the length of its contents")
            outline = [(p.title, len(p.chapters)) for p in self.parts]
            self.press.call(join.write, [front, *chapters], outline, finished).result()
            for old in finished.parent.iterdir():  # the last book is all a build can reuse
                if old.stem != finished.stem:
                    old.unlink()
        return finished


class Typesetter:
    """The handbook's parts as HTML documents, each complete, for playbook.pdf to render."""

    def __init__(self, book: Playbook, brand: Brand, site_name: str, description: str, logo: str | None):
        self.book, self.logo, self.about = book, logo, (brand, site_name, description)
        self.env = environment()
        self.template = self.env.get_template("handbook.html")
        self.common = {
            "brand": brand,
            "site_name": site_name,
            "description": description,
            "scheme": SCHEME,
            "glyphs": GLYPHS.replace("\\", "\\\\").replace('"', '\\"'),  # as a CSS string
            **canvas.on_paper(book),
        }

    def chapter(self, part: Part, chapter: Chapter, html: str) -> str:
        """One chapter's document; the title of its part opens the part's first chapter."""
        page = self.template.render(
            contents=None,
            part=part if chapter is part.chapters[0] else None,
            **self.common,
            **_chapter(chapter, html, self.book),
        )
        return _fields_named(chapter, page)

    def front(self, parts: list[Part], length: int = 0, lengths: list[int] | None = None) -> str:
        """The cover and contents, ``length`` pages long, before chapters of ``lengths`` pages; with
        no lengths, a draft whose page numbers are left blank."""
        pages, first = {}, length + 1
        chapters = [(part, chapter) for part in parts for chapter in part.chapters]
        for (part, chapter), count in zip(chapters, lengths or [], strict=bool(lengths)):
            pages[chapter.anchor] = first
            pages.setdefault(part.anchor, first)
            first += count
        return self.template.render(contents=parts, pages=pages, logo=self.logo, canvas=None, **self.common)

    def key(self, parts: list[Part], documents: list[str]) -> str:
        """The finished book's cache key: the front matter follows from the chapters' titles and
        lengths (so from their HTML), the template and the code that joins them."""
        skeleton = [(p.title, p.anchor, [(c.title, c.anchor) for c in p.chapters]) for p in parts]
        digest = hashlib.sha256(repr((skeleton, self.logo, self.about)).encode())
        digest.update(self.env.loader.get_source(self.env, "handbook.html")[0].encode())
        digest.update(Path(__file__).with_name("join.py").read_bytes())
        for html in documents:
            digest.update(pdf.cache_key(html).encode())
        return digest.hexdigest()


def _chapter(chapter: Chapter, html: str, book: Playbook) -> dict:
    """What the template needs for one chapter: a worksheet, or the page's own HTML."""
    files = [(d.uri, d.paper.label) for d in chapter.downloads]
    if isinstance(chapter.subject, Canvas):
        return {
            "chapter": chapter,
            "canvas": chapter.subject,
            "files": _files("Blank forms", files),
            "body": None,
        }
    body = html
    if (
        chapter.subject is book.challenge
    ):  # the printable calendar, where the page has its own, before the days
        calendar = environment().get_template("_challenge_calendar.html").module.calendar(book.challenge)
        body = body.replace("<h2", f"{calendar}{_files('The same calendar on its own', files)}<h2", 1)
    return {"chapter": chapter, "canvas": None, "body": Markup(body)}


def _files(what: str, files: list[tuple[str, str]]) -> Markup:
    """A sentence naming the PDFs beside the handbook, since paper cannot link to them."""
    names = Markup(" and ").join(Markup("{} ({})").format(name, label) for name, label in files)
    return Markup('<p class="book-files">{}, to print or fill in: {}, beside this handbook.</p>').format(
        what, names
    )


def _localised(chapter: Chapter, html: str, anchors: dict[str, str]) -> str:
    """The chapter's HTML with ids made unique in the book and links pointing inside the book."""
    html = HEADERLINK.sub("", html)
    html = ID.sub(lambda m: f'{m[1]}id="{chapter.anchor}--{m[2]}"', html)

    def link(m: re.Match) -> str:
        before, href, after, text = m.groups()
        if re.match(r"[a-z]+:", href):
            return m[0]  # another site: the PDF keeps the web link
        path, _, fragment = href.partition("#")
        target = chapter.uri
        if path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.uri), path))
        if target not in anchors:
            if target.endswith(".pdf"):  # a file beside the handbook: name it, since paper cannot link
                return f"{text} ({target}, beside this handbook)"
            return text  # a page or form the handbook does not hold: keep the words, drop the link
        inside = f"{anchors[target]}--{fragment}" if fragment else anchors[target]
        where = "#" if target == chapter.uri else SCHEME  # the same part, or another one
        return f'<a{before} href="{where}{inside}"{after}>{text}</a>'

    return LINK.sub(link, html)


def _fields_named(chapter: Chapter, html: str) -> str:
    """Fields stay fillable in the book; each needs a name that no other chapter's fields use."""
    return FIELD_NAME.sub(lambda m: f'{m[1]}name="{chapter.anchor}--{m[2]}"', html)


def _data_uri(path: Path) -> str:
    """The logo inside the HTML, since a PDF job must not depend on files beside it (see pdf.py)."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
