"""Render the playbook model into Markdown pages, held in memory for the site generator."""

from __future__ import annotations

import json

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

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
            worksheets=self.worksheets,
        )

    def worksheets(self) -> Markup:
        """Every worksheet's questions as JSON for the browser, which counts, checks and prints deals by them.

        Safe inside <script>: "<" and "&" are escaped, so no answer-like text can end the element.
        """
        data = {
            c.id: {
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
            for c in self.book.canvases
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return Markup(text.replace("<", "\\u003c").replace("&", "\\u0026"))

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
