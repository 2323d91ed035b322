"""Render complete HTML documents to tagged, light PDFs with WeasyPrint, in parallel, reusing results.

Generic on purpose: worksheets, the challenge calendar and the handbook's parts all hand over finished
HTML documents whose own CSS ``@page`` rule sets the paper size. Form controls become fillable AcroForm
fields (``pdf_forms=True``), named after each control's ``name``. Every PDF is tagged as PDF/UA-1
(structure tree, ``/Lang`` from ``<html lang>``, the ``<title>`` shown as the window title).

WeasyPrint embeds the whole font face that form fields use, so print stylesheets give controls a face
of their own (``FORM_FONT``), which ``pdf_finish`` then replaces by Helvetica (see there).

A PDF is cached under ``cache_dir`` by the hash of its HTML (and the versions that shape it), so a
build renders only what changed. Documents must be self-contained: styles inline, no relative URLs,
since nothing outside the HTML is part of the hash.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import multiprocessing.forkserver
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import place

# WeasyPrint is imported only to render: importing it takes about half a second, which a build whose
# PDFs all come from the cache should not pay.
WEASYPRINT = importlib.metadata.version("weasyprint")
VERSION = 3  # of what this module does to WeasyPrint's output; part of every cache key
# Form controls only, never text, so the face can be dropped; unquoted, which HTML escaping leaves intact
FORM_FONT = "DejaVu Serif"


@dataclass(frozen=True)
class PdfJob:
    """One PDF to write: the complete HTML document and where the PDF goes."""

    html: str
    target: Path


def cache_key(html: str) -> str:
    return hashlib.sha256(f"weasyprint {WEASYPRINT} playbook.pdf {VERSION}\n{html}".encode()).hexdigest()


def render(html: str) -> bytes:
    """One document to PDF bytes; runs in a worker process."""
    import weasyprint  # here, not at the top: see WEASYPRINT

    from .pdf_finish import finish  # pikepdf, too, is for rendering only

    return finish(weasyprint.HTML(string=html).write_pdf(pdf_forms=True, pdf_variant="pdf/ua-1"), html)


def render_cached(documents: Iterable[str], cache_dir: Path) -> list[Path]:
    """Each document's PDF in the cache, rendering only those not already there."""
    documents = list(documents)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = [cache_dir / f"{cache_key(html)}.pdf" for html in documents]
    todo = {path: html for path, html in zip(cached, documents, strict=True) if not path.exists()}
    for path, data in zip(todo, _render_all(list(todo.values())), strict=True):
        tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: an interrupted build never leaves half a PDF in the cache
    return cached


def write_pdfs(jobs: Iterable[PdfJob], cache_dir: Path) -> list[Path]:
    """Write every job's PDF, rendering only documents not already in the cache; returns the targets."""
    jobs = list(jobs)
    for job, path in zip(jobs, render_cached((job.html for job in jobs), cache_dir), strict=True):
        place(path, job.target)
    return [job.target for job in jobs]


def warm_up() -> None:
    """Start the process that forks the renderers now, so that it loads WeasyPrint (about a second)
    on another core while MkDocs is still rendering the pages."""
    _context()
    multiprocessing.forkserver.ensure_running()


def _context() -> multiprocessing.context.BaseContext:
    # forkserver, not fork: `mkdocs serve` runs threads, and forking a threaded process can deadlock.
    # The server imports WeasyPrint once and stays up for the process's life (every build of `mkdocs
    # serve`), so each worker starts with it loaded.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "playbook.pdf", "playbook.pdf_finish"])
    return context


def _render_all(documents: list[str]) -> list[bytes]:
    """Spread the documents over the machine's cores."""
    if not documents:
        return []
    workers = min(len(documents), os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
        return list(pool.map(render, documents, chunksize=max(1, len(documents) // (workers * 4))))
