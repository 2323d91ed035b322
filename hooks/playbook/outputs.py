"""Files the site offers beside its pages (fillable PDFs, calendar files), written after the build."""

from __future__ import annotations

from pathlib import Path

from . import canvas, challenge, pdf
from .brand import Brand
from .content import Playbook
from .plan import Plan


def write(book: Playbook, plan: Plan, brand: Brand, site_dir: Path, cache_dir: Path) -> list[Path]:
    """Write every output into ``site_dir``; each kind of output adds its PDF jobs to one parallel run."""
    jobs: list[pdf.PdfJob] = [
        *challenge.pdf_jobs(book, plan, brand, site_dir),
        *canvas.pdf_jobs(book, plan, brand, site_dir),
    ]
    return pdf.write_pdfs(jobs, cache_dir / "pdf")
