"""The site plan: every page and file of the playbook, listed once, before anything is rendered.

Everything that needs to know where something lives reads the plan: the renderer (links between
pages, the bibliography's back-links), the navigation, edit links, the handbook's parts and the
templates' links to PDFs. Adding a kind of page means adding an entry here and a template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType

from pydantic import BaseModel

from . import bundle
from .brief import BRIEF_PAGE
from .content import CITE_REF, Playbook
from .model import Canvas, Kind, Play, leaves
from .model import kind as kind_of

NAV_GROUP = 50  # most items a section of the navigation lists before it is split into groups
WORKSHEETS = "Appendix A: Worksheets"
CHALLENGE = "Appendix B: The 30-day challenge"
APPENDICES = (WORKSHEETS, CHALLENGE)  # handbook parts that follow the sources, in this order


@dataclass(frozen=True)
class Paper:
    css: str  # the CSS @page size
    label: str  # the name readers know it by


PAPERS = {"a4": Paper("A4", "A4"), "letter": Paper("letter", "US Letter")}  # file name suffix -> paper
HANDBOOK = "handbook.pdf"
BUNDLE = bundle.NAME


@dataclass(frozen=True)
class Download:
    """A file offered beside a page: a PDF per paper size."""

    uri: str  # where it is written in the site: "canvases/negotiation-canvas-a4.pdf"
    paper: Paper

    @property
    def name(self) -> str:
        return self.uri.rpartition("/")[2]


@dataclass(frozen=True)
class Entry:
    """One page of the site.

    ``template`` is None for a hand-written page under docs/. ``subject`` is the content the page
    presents, whose citations make its entry in the bibliography's back-links. ``part`` is the
    handbook part the page belongs to (None: the page only makes sense on screen).
    """

    uri: str
    title: str
    nav: tuple[str, ...]
    template: str | None = None
    origin: str | None = None
    part: str | None = None
    subject: object = None
    context: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    downloads: tuple[Download, ...] = ()

    @property
    def stem(self) -> str:
        return self.uri.removesuffix(".md")


@dataclass(frozen=True)
class Plan:
    entries: tuple[Entry, ...]
    uris: MappingProxyType  # play or worksheet id -> the uri of its page
    cited_by: MappingProxyType  # source key -> the uris of the pages citing it, in site order

    def __getitem__(self, uri: str) -> Entry:
        return next(e for e in self.entries if e.uri == uri)

    @property
    def generated(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.template)

    def nav(self) -> list:
        """MkDocs' ``nav``: entries in plan order, nested by their ``nav`` place."""
        tree: dict = {}
        for entry in self.entries:
            if entry.nav:
                node = tree
                for label in entry.nav:
                    node = node.setdefault(label, {})
                node.setdefault("", []).append(entry.uri)
        return [{label: _nav_items(node)} for label, node in tree.items()]

    def parts(self) -> list[tuple[str, list[Entry]]]:
        """The handbook's parts in reading order: the site's own order, then the appendices."""
        parts: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.part:
                parts.setdefault(entry.part, []).append(entry)
        return sorted(parts.items(), key=lambda p: APPENDICES.index(p[0]) + 1 if p[0] in APPENDICES else 0)


def _nav_items(node: dict) -> list | str:
    items: list = list(node.get("", []))
    items += [{label: _nav_items(child)} for label, child in node.items() if label]
    if len(items) > NAV_GROUP + 1:
        # Material renders the open part of the nav into every page: in groups that stay folded (and
        # pruned) until opened, a playbook with hundreds of strategies keeps small, fast pages
        head, rest = items[:1], items[1:]
        starts = range(0, len(rest), NAV_GROUP)
        groups = [{f"{i + 1} to {min(i + NAV_GROUP, len(rest))}": rest[i : i + NAV_GROUP]} for i in starts]
        items = head + groups
    return items[0] if len(items) == 1 and isinstance(items[0], str) and len(node) == 1 else items


def build(book: Playbook) -> Plan:
    """The plan of the whole site for this content."""
    entries = tuple(_entries(book))
    uris = {item.id: e.uri for e in entries if isinstance(item := e.subject, Play | Canvas)}
    cited_by: dict[str, dict[str, None]] = {}
    for entry in entries:
        for key in citations(entry.subject):
            cited_by.setdefault(key, {})[entry.uri] = None
    return Plan(
        entries,
        MappingProxyType(uris),
        MappingProxyType({key: tuple(pages) for key, pages in cited_by.items()}),
    )


def citations(subject: object) -> Iterator[str]:
    """Every source key a piece of content cites: ``cite`` lists and ``[@key]`` in its prose, in order."""
    if not isinstance(subject, BaseModel):
        return
    for loc, value in leaves(subject.model_dump()):
        if len(loc) > 1 and loc[-2] == "cite":
            yield value
        elif isinstance(value, str) and kind_of(type(subject), loc) is Kind.PROSE:
            yield from (m[1] for m in CITE_REF.finditer(value))


def _page(uri: str, title: str, nav: tuple[str, ...], template: str, origin: str, subject, **extra) -> Entry:
    """A generated page; its template reads ``extra``, less ``part`` and ``downloads`` (defaulted here)."""
    part = extra.pop("part", nav[0])
    downloads = extra.pop("downloads", ())
    return Entry(uri, title, nav, template, origin, part, subject, MappingProxyType(extra), downloads)


def _pdfs(stem: str) -> tuple[Download, ...]:
    return tuple(Download(f"{stem}-{suffix}.pdf", paper) for suffix, paper in PAPERS.items())


def _entries(book: Playbook) -> Iterator[Entry]:
    """Every page, in the order of the navigation (which is also the handbook's reading order)."""
    home = book.home
    yield _page("index.md", "Home", ("Home",), "home.md", "content/home.yaml", home, home=home, part=None)
    yield from _prepare(book)
    yield from _learn(book)
    yield from _practise(book)
    play = book.recovery
    yield _page(
        f"recover/{play.id}.md", play.title, ("Recover",), "recover.md", book.origin[play.id], play, play=play
    )
    evidence, bib = book.evidence, book.bibliography
    yield _page(
        "evidence.md", evidence.title, ("Evidence",), "evidence.md", EVIDENCE, evidence, evidence=evidence
    )
    yield _page("sources.md", bib.title, ("Evidence",), "sources.md", SOURCES, None, bib=bib)
    yield Entry("about/index.md", "About this playbook", ("About",))


EVIDENCE, SOURCES, SECTIONS = "content/evidence.yaml", "content/sources.yaml", "content/sections.yaml"
MY_DEALS = "hooks/playbook/templates/my-deals.md"  # a page of the site itself, with no content file


def _article(uri: str, article, nav: tuple[str, ...], name: str) -> Entry:
    return _page(uri, article.title, nav, "article.md", f"content/{name}.yaml", article, article=article)


def _index(uri: str, section, nav: tuple[str, ...], plays, template: str = "index.md", **extra) -> Entry:
    return _page(uri, section.title, nav, template, SECTIONS, section, section=section, plays=plays, **extra)


def _prepare(book: Playbook) -> Iterator[Entry]:
    moments = book.situations
    yield _page(
        "situations.md", moments.title, ("Prepare",), "situations.md", "content/situations.yaml", moments,
        page=moments,
    )  # fmt: skip
    yield _article("learn/perspective.md", book.perspective, ("Prepare",), "perspective")
    nav = ("Prepare", "Worksheets")
    yield _index("canvases/index.md", book.sections.canvases, nav, book.canvases, part=WORKSHEETS)
    for canvas in book.canvases:
        stem = f"canvases/{canvas.id}"
        yield _page(
            f"{stem}.md", canvas.title, nav, "canvas.md", book.origin[canvas.id], canvas, canvas=canvas,
            part=WORKSHEETS, downloads=_pdfs(stem),
        )  # fmt: skip
    # every deal on this device, across the worksheets (the page's worksheet links assume this folder)
    yield _page("canvases/my-deals.md", "My deals", nav, "my-deals.md", MY_DEALS, None, part=None)
    # one deal's answers compiled for the meeting, as content/brief.yaml and the worksheets' marks say
    yield _page(
        f"canvases/{BRIEF_PAGE}.md", book.brief.title, nav, "brief.md", "content/brief.yaml", book.brief,
        brief=book.brief, part=None,
    )  # fmt: skip


def _learn(book: Playbook) -> Iterator[Entry]:
    yield _article("learn/foundations.md", book.foundations, ("Learn",), "foundations")
    words = book.glossary
    yield _page(
        "glossary.md", words.title, ("Learn",), "glossary.md", "content/glossary.yaml", words, page=words
    )
    for kind, label, prefix in (
        ("mindsets", "Mindsets", "Mindset"),
        ("pillars", "Pillars", "Pillar"),
        ("strategies", "Strategies", "Strategy"),
    ):
        nav, plays = ("Learn", label), getattr(book, kind)
        yield _index(f"{kind}/index.md", getattr(book.sections, kind), nav, plays)
        for play in plays:
            title = f"{prefix} {play.number}: {play.title}"
            yield _page(
                f"{kind}/{play.id}.md", title, nav, f"{kind}.md", book.origin[play.id], play, play=play
            )


def _practise(book: Playbook) -> Iterator[Entry]:
    nav = ("Practise",)
    challenge = book.challenge
    yield _page(
        "practise/challenge.md", challenge.title, nav, "challenge.md", "content/challenge.yaml", challenge,
        challenge=challenge, part=CHALLENGE, downloads=_pdfs("practise/challenge"),
    )  # fmt: skip
    yield _index("plays.md", book.sections.plays, nav, book.plays, "plays.md", part=None)
    yield _article("practise/culture.md", book.culture, nav, "culture")
    yield _article("practise/next-steps.md", book.next_steps, nav, "next-steps")
