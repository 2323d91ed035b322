"""The 30-day challenge as a printable calendar: one fillable PDF per paper size, a box to tick per day."""

from __future__ import annotations

from pathlib import Path

from .brand import Brand
from .content import Playbook
from .pdf import FORM_FONT, PdfJob
from .plan import Plan
from .render import environment


def pdf_jobs(book: Playbook, plan: Plan, brand: Brand, site_dir: Path) -> list[PdfJob]:
    """The calendar PDFs the plan lists beside the challenge page, one per paper size."""
    template = environment().get_template("challenge-calendar.html")
    return [
        PdfJob(
            template.render(
                challenge=book.challenge, paper=download.paper.css, brand=brand, form_font=FORM_FONT
            ),
            site_dir / download.uri,
        )
        for entry in plan.entries
        if entry.subject is book.challenge
        for download in entry.downloads
    ]
