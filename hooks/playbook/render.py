"""Render the playbook model into Markdown pages, held in memory for the site generator."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, select_autoescape

from .content import CITE_REF, PLAY_REF, Playbook
from .model import WHEN_LABELS, Canvas, Mindset, Pillar, Play, Recovery, Source, Strategy

NAV_GROUP = 50  # most items a section of the navigation lists before it is split into groups
SECTION = {
    Mindset: "mindsets",
    Pillar: "pillars",
    Strategy: "strategies",
    Recovery: "recover",
    Canvas: "canvases",
}


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes in the site, its Markdown, and the content file to edit."""

    uri: str
    markdown: str
    origin: str | None = None


def environment() -> Environment:
    """One Jinja environment for every template: HTML is autoescaped, missing values are errors."""
    env = Environment(
        loader=PackageLoader("playbook"),
        autoescape=select_autoescape(enabled_extensions=("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # compiled templates kept between builds (in the user's temp folder, keyed by their source)
        bytecode_cache=FileSystemBytecodeCache(),
    )
    env.globals["WHEN_LABELS"] = WHEN_LABELS
    return env


def play_uri(play: Play | Canvas) -> str:
    return f"{SECTION[type(play)]}/{play.id}.md"


def cite_label(source: Source) -> str:
    """A short author-year label, as readers of research expect to see it."""
    if source.label:
        return source.label
    author = source.author.split(",")[0].split(" and ")[0].strip()
    return f"{author}, {source.year}" if source.year else author


def grid_fit(count: int) -> str:
    """Classes that give a grid of ``count`` cards a column count whose last row is never one lonely card.

    Wide screens get 3 columns, else 2 or 4, whichever leaves a last row of two cards or more (a
    count none of them suits gets one column); medium screens two columns when the count is even,
    else one; phones one. playbook.css holds the rules.
    """
    columns = next((c for c in (3, 2, 4) if c <= count and count % c != 1), 1)
    return " ".join(["fit", f"fit--c{columns}", *(["fit--even"] if count % 2 == 0 else [])])


class Backlinks:
    """What links to each page from elsewhere in the content, so both directions come from one source.

    A worksheet names the plays behind it (``related``, its own and its fields'); a situation names its
    plays; a glossary term names the pages that use it. Each map goes the other way, keyed by the page's id.
    """

    def __init__(self, book: Playbook):
        self.worksheets: dict[str, list[Canvas]] = {}
        self.situations: dict[str, list] = {}
        self.terms: dict[str, list] = {}
        for canvas in book.canvases:
            for play_id in canvas.plays:
                self.worksheets.setdefault(play_id, []).append(canvas)
        for situation in book.situations.situations:
            for play_id in situation.related:
                self.situations.setdefault(play_id, []).append(situation)
        for term in book.glossary.sorted:
            for page_id in term.related:
                self.terms.setdefault(page_id, []).append(term)


class Renderer:
    """Turns content into pages; ``[[id]]`` becomes a link to that play, ``[@key]`` a citation."""

    def __init__(self, playbook: Playbook):
        self.book = playbook
        self.env = environment()
        self.sources = {s.key: s for s in playbook.bibliography.sources}
        self.env.filters["md"] = self.prose
        self.env.filters["link"] = self.link
        self.env.filters["cite"] = self.cite
        self.env.filters["uri"] = play_uri
        self.env.globals["book"] = playbook
        links = Backlinks(playbook)
        self.env.globals.update(
            worksheets_for=links.worksheets.get,
            situations_for=links.situations.get,
            terms_for=links.terms.get,
            fit=grid_fit,
        )
        self.current = ""
        self.cited_by: dict[str, dict[str, None]] = {}  # source key -> the uris citing it, in page order
        self.titles: dict[str, str] = {}  # page uri -> its title

    def link(self, play_id: str) -> str:
        play = self.book.play(play_id)
        return f"[{play.title}](/{play_uri(play)})"

    def cite(self, keys: tuple[str, ...]) -> str:
        for key in keys:
            self.cited_by.setdefault(key, {})[self.current] = None
        return " ".join(f"[{cite_label(self.sources[k])}](/sources.md#{k}){{.cite}}" for k in keys)

    def prose(self, text: str | None) -> str:
        text = PLAY_REF.sub(lambda m: self.link(m[1]), text or "")
        return CITE_REF.sub(lambda m: self.cite((m[1],)), text)

    def page(self, uri: str, template: str, origin: str | None = None, **context) -> Page:
        self.current = uri
        markdown = self.env.get_template(template).render(**context)
        self.titles[uri] = markdown.partition("# ")[2].partition("\n")[0]
        return Page(uri, markdown, origin)

    def pages(self) -> list[Page]:
        book = self.book
        pages = [
            self.page(play_uri(p), f"{SECTION[type(p)]}.md", book.origin[p.id], play=p) for p in book.plays
        ]
        pages += [
            *(
                self.page(
                    f"{kind}/index.md",
                    "index.md",
                    "content/sections.yaml",
                    section=getattr(book.sections, kind),
                    plays=getattr(book, kind),
                )
                for kind in ("mindsets", "pillars", "strategies", "canvases")
            ),
            *(
                self.page(play_uri(c), "canvas.md", book.origin[c.id], canvas=c, prose=self.prose)
                for c in book.canvases
            ),
            self.page(
                "learn/perspective.md", "article.md", "content/perspective.yaml", article=book.perspective
            ),
            self.page(
                "learn/foundations.md", "article.md", "content/foundations.yaml", article=book.foundations
            ),
            self.page("practise/culture.md", "article.md", "content/culture.yaml", article=book.culture),
            self.page(
                "practise/next-steps.md", "article.md", "content/next-steps.yaml", article=book.next_steps
            ),
            self.page(
                "practise/challenge.md", "challenge.md", "content/challenge.yaml", challenge=book.challenge
            ),
            self.page("evidence.md", "evidence.md", "content/evidence.yaml", evidence=book.evidence),
            self.page("index.md", "home.md", "content/home.yaml", home=book.home),
            self.page("situations.md", "situations.md", "content/situations.yaml", page=book.situations),
            self.page("glossary.md", "glossary.md", "content/glossary.yaml", page=book.glossary),
            self.page(
                "plays.md", "plays.md", "content/sections.yaml", section=book.sections.plays, plays=book.plays
            ),
        ]
        # last, so that it can list every page citing each source
        bib = book.bibliography
        pages.append(
            self.page(
                "sources.md",
                "sources.md",
                "content/sources.yaml",
                bib=bib,
                label=cite_label,
                cited_by=self.cited_by,
                titles=self.titles,
            )
        )
        return pages


def nav(book: Playbook) -> list:
    """The site navigation: four ways in (prepare, learn, practise, recover) and the evidence behind them."""

    def section(index: str, plays) -> list:
        uris = [play_uri(p) for p in plays]
        if len(uris) <= NAV_GROUP:
            return [index, *uris]
        # Material renders the open part of the nav into every page: in groups that stay folded (and
        # pruned) until opened, a playbook with hundreds of strategies keeps small, fast pages
        starts = range(0, len(uris), NAV_GROUP)
        groups = {f"{i + 1} to {min(i + NAV_GROUP, len(uris))}": uris[i : i + NAV_GROUP] for i in starts}
        return [index, *({label: group} for label, group in groups.items())]

    return [
        {"Home": "index.md"},
        {
            "Prepare": [
                "situations.md",
                "learn/perspective.md",
                {"Worksheets": section("canvases/index.md", book.canvases)},
            ]
        },
        {
            "Learn": [
                "learn/foundations.md",
                {"Mindsets": section("mindsets/index.md", book.mindsets)},
                {"Pillars": section("pillars/index.md", book.pillars)},
                {"Strategies": section("strategies/index.md", book.strategies)},
                "glossary.md",
            ]
        },
        {"Practise": ["plays.md", "practise/challenge.md", "practise/culture.md", "practise/next-steps.md"]},
        {"Recover": [play_uri(book.recovery)]},
        {"Evidence": ["evidence.md", "sources.md"]},
        {"About": ["about/authoring.md"]},
    ]
