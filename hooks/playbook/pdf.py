"""Render complete HTML documents to tagged, light PDFs with WeasyPrint, in parallel, reusing results.

Generic on purpose: worksheets, the challenge calendar and the handbook's parts all hand over finished
HTML documents whose own CSS ``@page`` rule sets the paper size. Form controls become fillable AcroForm
fields (``pdf_forms=True``), named after each control's ``name``. Every PDF is tagged as PDF/UA-1
(structure tree, ``/Lang`` from ``<html lang>``, the ``<title>`` shown as the window title).

WeasyPrint embeds the whole font face that form fields use, so print stylesheets give controls a face
of their own (``FORM_FONT``), which ``pdf_finish`` then replaces by a cut-down one (see there).

A PDF is cached by the hash of its HTML (and the versions that shape it), so a build renders only
what changed. Documents must be self-contained: styles inline, no relative URLs,
since nothing outside the HTML is part of the hash.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import multiprocessing.forkserver
import os
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

# WeasyPrint is imported only to render: importing it takes about half a second, which a build whose
# PDFs all come from the cache should not pay.
WEASYPRINT = importlib.metadata.version("weasyprint")
VERSION = 4  # of what this module does to WeasyPrint's output; part of every cache key
# Form controls only, never text, so the face can be dropped; unquoted, which HTML escaping leaves intact
FORM_FONT = "DejaVu Serif"
# A link from one document to another that playbook.join will bind with it: WeasyPrint keeps it as
# a web link to this scheme plus a destination name, and the join makes it a link inside the book.
SCHEME = "x-handbook:"
T = TypeVar("T")


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


def _lay_out(html: str, path: Path) -> Path:
    """Render into the cache, in a worker; atomic, so an interrupted build never leaves half a PDF."""
    tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(render(html))
    tmp.replace(path)
    return path


class Press:
    """Lays documents out in worker processes as soon as they are handed in, so that a build can
    start a PDF while MkDocs is still rendering pages; a document laid out before comes from the
    cache, and one handed in twice is laid out once.

    Starting a worker waits until WeasyPrint has loaded, so the build's own thread never does it:
    each document is handed to a worker by a thread of the press, which waits for it there.
    """

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.workers = os.cpu_count() or 1
        self.feeders = ThreadPoolExecutor(self.workers, thread_name_prefix="playbook-press")
        self.pending: dict[Path, Future[Path]] = {}
        self.pool: ProcessPoolExecutor | None = None
        self.closed = False
        self.lock = threading.Lock()

    def submit(self, html: str) -> Future[Path]:
        """The future path of the document's PDF in the cache."""
        path = self.cache_dir / f"{cache_key(html)}.pdf"
        with self.lock:
            if path in self.pending:
                return self.pending[path]
            if path.exists():
                made: Future[Path] = Future()
                made.set_result(path)
                return made
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            self.pending[path] = self.call(_lay_out, html, path)
            return self.pending[path]

    def call(self, work: Callable[..., T], *args) -> Future[T]:
        """``work(*args)`` in a worker process, where WeasyPrint and pikepdf are loaded (``work`` and
        its arguments go there by pickle); the GIL of the build is never held meanwhile."""
        return self.feeders.submit(self._run, work, args)

    def _run(self, work: Callable[..., T], args: tuple) -> T:
        with self.lock:
            if self.closed:
                raise CancelledError("the press was closed")
            if self.pool is None:
                self.pool = ProcessPoolExecutor(self.workers, mp_context=_context())
            pool = self.pool
        return pool.submit(work, *args).result()

    def close(self) -> None:
        """Stop the workers, dropping what no one waited for (a build that failed half way)."""
        self.feeders.shutdown(wait=False, cancel_futures=True)
        with self.lock:
            pool, self.pool, self.closed = self.pool, None, True
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        self.feeders.shutdown()

    def __enter__(self) -> Press:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def warm_up() -> None:
    """Start the process that forks the renderers now, so that it loads WeasyPrint (about a second)
    on another core while MkDocs is still rendering the pages."""
    _context()
    multiprocessing.forkserver.ensure_running()


def _context() -> multiprocessing.context.BaseContext:
    # forkserver, not fork: `mkdocs serve` runs threads, and forking a threaded process can deadlock.
    # The server imports WeasyPrint (and what joins the handbook) once and stays up for the process's
    # life (every build of `mkdocs serve`), so each worker starts with it loaded.
    context = multiprocessing.get_context("forkserver")
    preload = ["playbook.press_server", "weasyprint", "playbook.pdf", "playbook.pdf_finish", "playbook.join"]
    context.set_forkserver_preload(preload)
    return context
