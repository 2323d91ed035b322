"""Worksheets on paper: each canvas as a fillable PDF, in A4 and in US Letter.

The PDF shares its questions with the web page (templates/_canvas_fields.html), so a field has the
same name everywhere: its id, which is also the key of its answer in the browser. Paper cannot
link, so ``[[id]]`` links print as the title they point to and citations as their short label.
"""

from __future__ import annotations

import functools
from pathlib import Path

import markdown
from markupsafe import Markup

from . import counts, media
from .brand import Brand
from .content import CITE_REF, PLAY_REF, Playbook
from .model import Canvas
from .pdf import FORM_FONT, PdfJob
from .plan import Plan
from .render import cite_labels, environment, text


def on_paper(book: Playbook) -> dict:
    """What the print templates (canvas-print.html, _canvas_print.html) need besides the worksheet."""
    labels, said = cite_labels(book.bibliography), counts.forms(book)
    # one converter, reset for each text (making one costs more than using it); attribute lists for
    # the marks of text meant for one medium (see playbook.media)
    converter = markdown.Markdown(extensions=["attr_list"])

    @functools.cache  # each text is printed on both paper sizes
    def prose(source: str) -> Markup:
        source = PLAY_REF.sub(lambda m: text(book.play(m[1]).title), counts.fill(source, said))
        source = CITE_REF.sub(lambda m: f"({text(labels[m[1]])})", source)
        return Markup(media.only(converter.reset().convert(source), "print"))

    return {"prose": prose, "paper": True, "form_font": FORM_FONT}


def pdf_jobs(book: Playbook, plan: Plan, brand: Brand, site_dir: Path) -> list[PdfJob]:
    """The PDFs the plan lists beside each worksheet's page, one per paper size."""
    template = environment().get_template("canvas-print.html")
    context = on_paper(book)
    return [
        PdfJob(
            template.render(canvas=entry.subject, size=download.paper.css, brand=brand, **context),
            site_dir / download.uri,
        )
        for entry in plan.entries
        if isinstance(entry.subject, Canvas)
        for download in entry.downloads
    ]
