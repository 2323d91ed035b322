"""Render the playbook model into Markdown pages, held in memory for the site generator."""

from __future__ import annotations

import re
from collections import Counter
from string import ascii_lowercase

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import answers, brief, counts, media
from .compiled import Compiled
from .content import CITE_REF, PLAY_REF, Playbook
from .model import WHEN_LABELS, Bibliography, Canvas, Play, Source
from .plan import Entry, Plan

# What Markdown or HTML could read as markup in text: HTML's special characters, inline Markdown
# (escapes, code, emphasis, links, attribute lists, tables, headings' closing #s, :emoji:) and, at the
# start, what opens a block (a list, an admonition, a fence, an underline).
SYNTAX = re.compile(r"""[&<>"\\`*_\[\]{}|#]|:(?=[\w+-]+:)|^(?:[+\-=~!?]|\d+[.)])""")
# compiled once per process, in memory: a template compiles differently for pages, so theirs apart
COMPILED = {True: Compiled(), False: Compiled()}


def text(value: str) -> Markup:
    """Text as written, safe in Markdown and in the HTML around it: one line (as HTML shows it), with
    every character that could be markup written as a character reference, which Markdown leaves
    alone and browsers, WeasyPrint and MkDocs' titles show as the character."""
    return Markup(SYNTAX.sub(lambda m: "".join(map(_reference, m[0])), " ".join(value.split())))


def _reference(char: str) -> str:
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}.get(char, f"&#{ord(char)};")


def _shown(value: object) -> object:
    """Every value a page template writes is text, unless a filter made it Markdown (``Markup``)."""
    return text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def environment(markdown: bool = False) -> Environment:
    """One Jinja environment for every template, missing values being errors; ``markdown`` for the
    site's pages (Markdown with HTML in it), where every value is text (see ``text``) unless a filter
    marks it as prose, and otherwise HTML documents (PDFs), which HTML escaping keeps as text."""
    env = Environment(
        loader=PackageLoader("playbook"),
        autoescape=True if markdown else select_autoescape(enabled_extensions=("html",)),
        finalize=_shown if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED[markdown],
    )
    env.globals["WHEN_LABELS"] = WHEN_LABELS
    return env


def cite_labels(bib: Bibliography) -> dict[str, str]:
    """Author-year labels ("Brown, 2025", "Walton & McKersie, 1991"), by source key.

    A work with no named author goes by its publisher; an unknown year reads "n.d.", and works whose
    labels would read alike get a, b, ... in title order, as author-date styles do ("n.d.-a").
    """

    def names(s: Source) -> str:
        surnames = [a.split()[-1] for a in s.authors]
        if len(surnames) > 2:
            return f"{surnames[0]} et al."
        return " & ".join(surnames) or s.by

    plain = {s.key: s.label or f"{names(s)}, {s.year or 'n.d.'}" for s in bib.sources}
    alike = Counter(plain[s.key] for s in bib.sources if not s.label)
    used: Counter[str] = Counter()
    labels = {}
    for s in sorted(bib.sources, key=lambda s: (s.title or s.about or "").casefold()):
        label = labels[s.key] = plain[s.key]
        if alike[label] > 1 and not s.label:
            labels[s.key] = f"{label}{'' if s.year else '-'}{ascii_lowercase[used[label]]}"
            used[label] += 1
    return labels


PARAGRAPHS = re.compile(r"(\n[ \t]*\n)")  # split, keeping the blank lines
SPACED_CITE = re.compile(r"([ \t]*)" + CITE_REF.pattern)  # a citation and the space before it


def cited(text: str | None) -> set[str]:
    return {m[1] for m in CITE_REF.finditer(text or "")}


def grid_fit(count: int) -> str:
    """Classes that lay out ``count`` cards with no card alone on the last row, none narrower than a third.

    Wide screens get three columns (one or two for up to four cards); where three would leave one card
    alone (7, 10, 13... cards), the last four sit two to a row, each half the row ("fit--pairs").
    Medium screens get two columns when the count is even, else one; phones one. playbook.css holds
    the rules. (Four columns gave seven strategies cards about 120 px wide.)
    """
    columns = count if count <= 2 else 2 if count == 4 else 3
    pairs = columns == 3 and count % 3 == 1
    return " ".join(
        [
            "fit",
            f"fit--c{columns}",
            *(["fit--pairs"] if pairs else []),
            *(["fit--even"] if count % 2 == 0 else []),
        ]
    )


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

    def __init__(self, playbook: Playbook, plan: Plan, site_name: str):
        self.book, self.plan = playbook, plan
        self.labels = cite_labels(playbook.bibliography)
        self.said = counts.forms(playbook)  # {{ count.strategies }} and its kin, in prose and templates
        self.env = env = environment(markdown=True)
        env.filters.update(md=self.prose, link=self.link, cite=self.cite, uri=self.uri)
        env.globals.update(
            book=playbook,
            site_name=site_name,  # mkdocs.yml's: the one place the playbook is named
            prose=self.prose,
            label=self.labels.__getitem__,
            date=self.date,
            cited_by=plan.cited_by,
            titles={e.uri: e.title for e in plan.entries},
        )
        links = Backlinks(playbook)
        env.globals.update(
            worksheets_for=links.worksheets.get,
            situations_for=links.situations.get,
            terms_for=links.terms.get,
            fit=grid_fit,
            brief_outline=brief.outline(playbook),
            **self.said,
        )
        self.schema = answers.schema(
            {c.id: self._worksheet(c) for c in playbook.canvases},
            brief={"url": f"{brief.BRIEF_PAGE}.html", "title": playbook.brief.title},
            timeline=self.timeline(),
        )
        env.globals["schema_stamp"] = self.schema["stamp"]  # in the pages that load the schema

    def date(self, source: Source) -> str:
        """The year as the bibliography prints it: the one in the label, a or b included, or n.d."""
        return str(source.year or "n.d.") if source.label else self.labels[source.key].rpartition(", ")[2]

    def worksheets(self) -> str:
        """What a deal may hold (answers.py) and every worksheet's questions, as one script for the
        pages that keep deals: they count, check, import and print deals by it."""
        return answers.script(self.schema)

    def _worksheet(self, c: Canvas) -> dict:
        return {
            "id": c.id,
            "title": c.title,
            "version": c.version,
            "url": self.plan.uris[c.id].rpartition("/")[2].removesuffix(".md") + ".html",
            "fields": [
                {
                    "id": f.id,
                    "type": f.type,
                    "label": f.label,
                    "columns": [{"id": k.id, "type": k.type, "label": k.label} for k in f.columns],
                }
                for f in c.fields.values()
            ],
        }

    def timeline(self) -> dict:
        """The preparation timeline as the pages count it down: the meeting's date field and the steps."""
        found = brief.meeting(self.book)
        return {
            "meeting": {"worksheet": found[0].id, "field": found[1].id} if found else None,
            "steps": [
                s.model_dump(include={"days", "title", "worksheets", "brief"}) for s in self.book.brief.steps
            ],
        }

    def uri(self, item: Play | Canvas) -> str:
        return self.plan.uris[item.id]

    def link(self, play_id: str) -> Markup:
        return Markup(f"[{text(self.book.play(play_id).title)}](/{self.plan.uris[play_id]})")

    def cite(self, keys: tuple[str, ...], *already: str | None) -> Markup:
        """Citations of ``keys``, but none of those the texts in ``already`` cite themselves."""
        skip = set().union(*map(cited, already))
        return Markup(" ").join(
            Markup(f"[{text(self.labels[k])}](/sources.md#{k}){{.cite}}")
            for k in dict.fromkeys(keys)
            if k not in skip
        )

    def prose(self, source: str | None) -> Markup:
        """Markdown with counts said, plays linked and sources cited, each source once a paragraph: at its
        first claim."""
        source = PLAY_REF.sub(lambda m: self.link(m[1]), counts.fill(source or "", self.said))
        # a mark for one medium ends its paragraph: what a template writes after the text starts another
        end = "\n\n" if media.ends_marked(source) else ""
        return Markup("".join(map(self._cite_once, PARAGRAPHS.split(source))) + end)

    def _cite_once(self, paragraph: str) -> str:
        seen: set[str] = set()

        def citation(m: re.Match) -> str:
            if m[2] in seen:
                return ""
            seen.add(m[2])
            return m[1] + self.cite((m[2],))

        return SPACED_CITE.sub(citation, paragraph)

    def markdown(self, entry: Entry) -> str:
        return self.env.get_template(entry.template).render(**entry.context, title=entry.title, entry=entry)
