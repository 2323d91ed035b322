"""The 30-day challenge as a printable calendar: one fillable PDF per paper size, a box to tick per day."""

from __future__ import annotations

from pathlib import Path

from .brand import Brand
from .content import Playbook
from .pdf import PdfJob
from .render import environment

# file name suffix -> CSS page size; the page links to both files
PAPERS = {"a4": "A4", "letter": "letter"}


def pdf_jobs(book: Playbook, brand: Brand, site_dir: Path) -> list[PdfJob]:
    """The calendar PDFs, written beside the challenge page (practise/challenge-<paper>.pdf)."""
    template = environment().get_template("challenge-calendar.html")
    return [
        PdfJob(
            template.render(challenge=book.challenge, paper=size, brand=brand),
            site_dir / "practise" / f"challenge-{name}.pdf",
        )
        for name, size in PAPERS.items()
    ]
