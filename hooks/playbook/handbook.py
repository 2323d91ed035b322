"""The handbook: the whole playbook as one printable PDF, built from the site's own pages, in parts.

Chapters are the HTML that MkDocs made from each page's Markdown, taken in navigation order, so the
handbook says exactly what the site says and no page is converted twice. Worksheets are the exception:
they are printed with the worksheet PDFs' own layout (_canvas_print.html), and the challenge gets the
printable calendar before its days. The site plan gives each page its part, or none to a page that
only works on screen (the home page, the filterable plays index); within a page, anything marked
``web-only`` (by a template or by content, see :mod:`playbook.media`) is left out.

Each chapter is its own document, rendered and cached by its HTML like every other PDF, so an edit
to one page lays out that chapter alone. A chapter goes to the press as soon as MkDocs has rendered
its page, so it is laid out while MkDocs renders the rest. :mod:`playbook.join` puts the parts
together into one tagged PDF.

Page numbers. A part laid out alone cannot know where it starts, nor on which page a place in
another part lands, yet it prints both: its page numbers, and "(see p. 23)" after a link to
another part (a link inside the part asks CSS ``target-counter()``). So each part's HTML is given
those numbers (:func:`numbered`), which makes them part of its cache key. They are taken from the
last book (``numbers.json``, a guess and nothing more); the join says where every place really is,
and the parts whose numbers were wrong are laid out again, until none is. An edit that moves no
page is laid out once, the edited chapters alone; a cold build takes two or three passes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import posixpath
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from . import cache, canvas, media, pdf
from .brand import Brand
from .content import Playbook
from .model import Canvas
from .pdf import SCHEME
from .plan import HANDBOOK
from .render import environment

NAME = HANDBOOK
PASSES = 4  # layouts of the book before its page numbers must have settled
CONTENTS_END = 6  # the contents' last page holds at least this many lines

HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
ID = re.compile(r'(<[^>]*\s)id="([^"]*)"')
FIELD_NAME = re.compile(r'(<(?:input|textarea|select)\b[^>]*\s)name="([^"]*)"')
LINK = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
ELSEWHERE = re.compile(f'href="{re.escape(SCHEME)}([^"]*)"')  # a link to another part of the book


@dataclass(frozen=True)
class Chapter:
    """One page of the site: where it is built (``pillars/curiosity.html``), its title, the handbook
    part it belongs to and what it presents (a worksheet, the challenge)."""

    uri: str
    title: str
    section: str
    subject: object = None

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
    ``write`` lays out what is new, checks the page numbers, and joins the parts.

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
        self.books = cache.Store(folder, ".pdf")  # finished books, each used only if intact
        self.guess = _last_numbers(folder)
        self.html: dict[str, str] = {}  # chapter uri -> the page's HTML, as MkDocs made it
        self.bound: Future[Path] | None = None  # the book, once every chapter is in (eager only)
        # where each part's places fall, laid out without numbers: when there is no last book to
        # guess the numbers from (a cold build), a cheaper first pass than laying out and joining
        self.measures: dict[str | None, Future[tuple[int, dict[str, int]]]] = {}
        self._bind(parts)
        if eager:
            self._start(None, self.typesetter.front(self.parts))

    def _bind(self, parts: list[Part]) -> None:
        self.parts = [part for part in parts if part.chapters]
        self.places = {c.uri: (p, c) for p in self.parts for c in p.chapters}
        self.anchors = {uri: chapter.anchor for uri, (_, chapter) in self.places.items()}
        self.documents: dict[str, str] = {}  # chapter uri -> its document (without page numbers), once made

    def add(self, uri: str, html: str) -> None:
        """A page of the site as MkDocs rendered it; pages the book does not hold are ignored.

        With ``eager``, the last chapter starts the binding of the book in a thread, and the join in
        a worker process: MkDocs still has every page's template to render (nearly half a build)."""
        if uri in self.anchors:
            self.html[uri] = html
            if self.eager:
                self._start(self.anchors[uri], self._document(uri))
                if len(self.html) == len(self.places):
                    binder = ThreadPoolExecutor(1, thread_name_prefix="playbook-handbook")
                    self.bound = binder.submit(self._make)
                    binder.shutdown(wait=False)  # its thread ends with the book

    def _start(self, first: str | None, document: str) -> None:
        """Lay out a part (named by the place of its first page) as soon as it is in: with the last
        book's numbers, or, with none, only to measure it."""
        if self.guess:
            self.press.submit(numbered(document, first, self.guess))
        elif first not in self.measures:
            from . import join  # to lay out, not to join: its module is the one the press's workers hold

            self.measures[first] = self.press.call(join.measure, numbered(document, first, {}))

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
        """Lay out the parts with the page numbers of the last book, join them, and again with the
        numbers the join found, until they are the same. The book is cached by its parts' HTML."""
        from . import join  # only to join: a build that reuses the book never imports pikepdf

        chapters = [c for p in self.parts for c in p.chapters]
        documents = [self.typesetter.front(self.parts), *(self._document(c.uri) for c in chapters)]
        starts = [None, *(c.anchor for c in chapters)]  # the name of each part's first page
        outline = [(p.title, len(p.chapters)) for p in self.parts]
        numbers = self.guess
        if not numbers:  # no last book: the parts measured without numbers tell them, near enough
            for first, document in zip(starts, documents, strict=True):
                self._start(first, document)
            numbers, page = {}, 1
            for first in starts:
                pages, places = self.measures[first].result()
                numbers |= {name: page + index for name, index in places.items()}
                page += pages
        for _ in range(PASSES):
            laid_out = [numbered(d, first, numbers) for d, first in zip(documents, starts, strict=True)]
            key = self._key(laid_out, outline)
            finished = self.books.get(key)  # only a book whose numbers were right is kept
            if finished is not None:
                if not self.press.call(cache.damaged_pdfs, [finished]).result():
                    return finished  # it opens
                self.books.forget(key)  # recorded as it is, but it does not open: joined again
            paths = [future.result() for future in [self.press.submit(html) for html in laid_out]]
            joined, numbers = self.press.call(join.bind, paths, outline).result()
            settled = [numbered(d, first, numbers) for d, first in zip(documents, starts, strict=True)]
            if settled == laid_out:
                finished = self.books.put(key, joined)
                self.books.save(keep={key})  # the last book is all a build can reuse
                cache.write(self.folder / "numbers.json", json.dumps(numbers, sort_keys=True).encode())
                return finished
        raise RuntimeError(f"the handbook's page numbers still moved after {PASSES} layouts")

    def digest(self, book: Path) -> str:
        """The SHA-256 of a book ``write`` gave."""
        return self.books.digests[book.name.removesuffix(".pdf")]

    def _key(self, documents: list[str], outline: list[tuple[str, int]]) -> str:
        """The finished book's cache key: its parts' HTML, its outline and the code that joins them."""
        digest = hashlib.sha256(repr(outline).encode())
        for module in ("join.py", "fonts.py"):
            digest.update(Path(__file__).with_name(module).read_bytes())
        for html in documents:
            digest.update(pdf.cache_key(html).encode())
        return digest.hexdigest()


def numbered(document: str, first: str | None, numbers: dict[str, int]) -> str:
    """A part's document told the page numbers it prints: that of its first page (the place named
    ``first``; None for the book's first page), and those of the places in other parts that it links
    to (each link gets ``data-page``; see handbook.css)."""

    def page(link: re.Match) -> str:
        name = link[1]
        number = numbers.get(name) or numbers.get(name.partition("--")[0])  # else the chapter's start
        return f'{link[0]} data-page="{number}"' if number else link[0]

    start = numbers.get(first, 1) if first else 1
    counter = f"<style>@page :first {{ counter-reset: page {start}; }}</style>\n</head>"
    return ELSEWHERE.sub(page, document).replace("</head>", counter, 1)


def _last_numbers(folder: Path) -> dict[str, int]:
    """The page numbers of the last book: a guess that spares a layout when right, checked when used."""
    try:
        numbers = json.loads(folder.joinpath("numbers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    valid = isinstance(numbers, dict) and all(
        isinstance(k, str) and type(v) is int and v > 0 for k, v in numbers.items()
    )
    return numbers if valid else {}


class Typesetter:
    """The handbook's parts as HTML documents, each complete, for playbook.pdf to render."""

    def __init__(self, book: Playbook, brand: Brand, site_name: str, description: str, logo: str | None):
        self.book, self.logo = book, logo
        self.env = environment()
        self.template = self.env.get_template("handbook.html")
        self.common = {
            "brand": brand,
            "site_name": site_name,
            "description": description,
            "scheme": SCHEME,
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

    def front(self, parts: list[Part]) -> str:
        """The cover and contents, with the page numbers left to :func:`numbered`. The contents'
        last lines stay together, so that no page of it holds just one or two."""
        lines = [a for part in parts for a in (part.anchor, *(c.anchor for c in part.chapters))]
        together = set(lines[-CONTENTS_END:])
        return self.template.render(
            contents=parts, together=together, logo=self.logo, canvas=None, **self.common
        )


def _chapter(chapter: Chapter, html: str, book: Playbook) -> dict:
    """What the template needs for one chapter: a worksheet, or the page's own HTML."""
    if isinstance(chapter.subject, Canvas):
        copies, end = _copies("form", chapter), _end(chapter)
        return {"chapter": chapter, "canvas": chapter.subject, "copies": copies, "end": end, "body": None}
    body = html
    if (
        chapter.subject is book.challenge
    ):  # the printable calendar, where the page has its own, before the days
        calendar = environment().get_template("_challenge_calendar.html").module.calendar(book.challenge)
        body = body.replace("<h2", f"{calendar}{_end(chapter)}{_copies('calendar', chapter)}<h2", 1)
    return {"chapter": chapter, "canvas": None, "body": Markup(body)}


def _copies(what: str, chapter: Chapter) -> Markup:
    """A sentence on how to use a blank form of the book on paper. A printed book has no files beside
    it, so it names the page where the form ends (_end), for a copy of all of it."""
    return Markup(
        '<p class="book-files">To fill this {} in by hand, copy it: it ends on page '
        '<span class="book-page" data-at="#{}"></span>.</p>'
    ).format(what, _end_id(chapter))


def _end_id(chapter: Chapter) -> str:
    return f"{chapter.anchor}--form-end"


def _end(chapter: Chapter) -> Markup:
    """The place where a chapter's blank form ends, for _copies to give its page."""
    return Markup('<span id="{}"></span>').format(_end_id(chapter))


def _localised(chapter: Chapter, html: str, anchors: dict[str, str]) -> str:
    """The chapter's HTML for paper: what is for the screen left out, ids made unique in the book and
    links pointing inside the book."""
    html = media.only(HEADERLINK.sub("", html), "print")
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
