"""The 30-day challenge as a printable calendar: one fillable PDF per paper size, a box to tick per day."""

from __future__ import annotations

from pathlib import Path

from .brand import Brand
from .content import Playbook
from .pdf import FORM_FONT, PAPERS, PdfJob
from .render import environment


def pdf_name(paper: str) -> str:
    return f"challenge-{paper}.pdf"


def pdf_jobs(book: Playbook, brand: Brand, site_dir: Path) -> list[PdfJob]:
    """The calendar PDFs, written beside the challenge page (practise/challenge-<paper>.pdf)."""
    template = environment().get_template("challenge-calendar.html")
    return [
        PdfJob(
            template.render(challenge=book.challenge, paper=size, brand=brand, form_font=FORM_FONT),
            site_dir / "practise" / pdf_name(paper),
        )
        for paper, (size, _) in PAPERS.items()
    ]
