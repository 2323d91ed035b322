"""Render the playbook model into Markdown pages, held in memory for the site generator."""

from __future__ import annotations

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, select_autoescape

from .content import CITE_REF, PLAY_REF, Playbook
from .model import WHEN_LABELS, Canvas, Play, Source
from .plan import Entry, Plan


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
    """Turns a plan entry into its page's Markdown: ``[[id]]`` links to that page, ``[@key]`` cites.

    Rendering is a pure function of the entry, the content and the plan: pages can be rendered in
    any order, and only the pages that changed need rendering again.
    """

    def __init__(self, playbook: Playbook, plan: Plan):
        self.book, self.plan = playbook, plan
        self.sources = {s.key: s for s in playbook.bibliography.sources}
        self.env = env = environment()
        env.filters.update(md=self.prose, link=self.link, cite=self.cite, uri=self.uri)
        env.globals.update(
            book=playbook,
            prose=self.prose,
            label=cite_label,
            cited_by=plan.cited_by,
            titles={e.uri: e.title for e in plan.entries},
        )
        links = Backlinks(playbook)
        env.globals.update(
            worksheets_for=links.worksheets.get,
            situations_for=links.situations.get,
            terms_for=links.terms.get,
            fit=grid_fit,
        )

    def uri(self, item: Play | Canvas) -> str:
        return self.plan.uris[item.id]

    def link(self, play_id: str) -> str:
        return f"[{self.book.play(play_id).title}](/{self.plan.uris[play_id]})"

    def cite(self, keys: tuple[str, ...]) -> str:
        return " ".join(f"[{cite_label(self.sources[k])}](/sources.md#{k}){{.cite}}" for k in keys)

    def prose(self, text: str | None) -> str:
        text = PLAY_REF.sub(lambda m: self.link(m[1]), text or "")
        return CITE_REF.sub(lambda m: self.cite((m[1],)), text)

    def markdown(self, entry: Entry) -> str:
        return self.env.get_template(entry.template).render(**entry.context, title=entry.title, entry=entry)
