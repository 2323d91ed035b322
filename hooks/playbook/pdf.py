"""Render complete HTML documents to PDF with WeasyPrint, in parallel, reusing unchanged results.

Generic on purpose: worksheets, the challenge calendar and the handbook all hand over finished HTML
documents whose own CSS ``@page`` rule sets the paper size. Form controls become fillable AcroForm
fields (``pdf_forms=True``), named after each control's ``name``.

A PDF is cached under ``cache_dir`` by the hash of its HTML (and the WeasyPrint version), so a build
renders only what changed. Documents must be self-contained: styles inline, no relative URLs, since
nothing outside the HTML is part of the hash.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import place

# WeasyPrint is imported only to render: importing it takes about half a second, which a build whose
# PDFs all come from the cache should not pay.
WEASYPRINT = importlib.metadata.version("weasyprint")


@dataclass(frozen=True)
class PdfJob:
    """One PDF to write: the complete HTML document and where the PDF goes."""

    html: str
    target: Path


def cache_key(html: str) -> str:
    return hashlib.sha256(f"weasyprint {WEASYPRINT}\n{html}".encode()).hexdigest()


def render(html: str) -> bytes:
    """One document to PDF bytes; runs in a worker process."""
    import weasyprint  # here, not at the top: see WEASYPRINT

    return weasyprint.HTML(string=html).write_pdf(pdf_forms=True)


def write_pdfs(jobs: Iterable[PdfJob], cache_dir: Path) -> list[Path]:
    """Write every job's PDF, rendering only documents not already in the cache; returns the targets."""
    jobs = list(jobs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = {job: cache_dir / f"{cache_key(job.html)}.pdf" for job in jobs}
    todo = {path: job.html for job, path in cached.items() if not path.exists()}
    for path, data in zip(todo, _render_all(list(todo.values())), strict=True):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: an interrupted build never leaves half a PDF in the cache
    for job, path in cached.items():
        place(path, job.target)
    return [job.target for job in jobs]


def _render_all(documents: list[str]) -> list[bytes]:
    """Spread the documents over the machine's cores; a single one is rendered here, without a pool."""
    workers = min(len(documents), os.cpu_count() or 1)
    if workers <= 1:
        return [render(html) for html in documents]
    # forkserver, not fork: `mkdocs serve` runs threads, and forking a threaded process can deadlock.
    # The server imports WeasyPrint once, so each worker starts with it loaded.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "playbook.pdf"])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(render, documents))
