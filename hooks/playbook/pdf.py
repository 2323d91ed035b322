"""Render complete HTML documents to tagged, light PDFs with WeasyPrint, in parallel, reusing results.

Generic on purpose: worksheets, the challenge calendar and the handbook's parts all hand over finished
HTML documents whose own CSS ``@page`` rule sets the paper size. Form controls become fillable AcroForm
fields (``pdf_forms=True``), named after each control's ``name``. Every PDF is tagged as PDF/UA-1
(structure tree, ``/Lang`` from ``<html lang>``, the ``<title>`` shown as the window title).

WeasyPrint embeds the whole font face that form fields use, so print stylesheets give controls a face
of their own (``FORM_FONT``), which ``pdf_finish`` then replaces by a cut-down one (see there).

A PDF is cached by a key made of its HTML, the package's code and the versions of the tools that
make it (:func:`playbook.fingerprint.renderer`), so a build renders only what changed. Documents must
be self-contained: styles inline, no relative URLs, since nothing outside the HTML is in the key.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import multiprocessing.connection
import signal
import sys
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from . import cache, fingerprint
from .outputs import usable_cpus

# Form controls only, never text, so the face can be dropped; unquoted, which HTML escaping leaves intact
FORM_FONT = "DejaVu Serif"
# A link from one document to another that playbook.join will bind with it: WeasyPrint keeps it as
# a web link to this scheme plus a destination name, and the join makes it a link inside the book.
SCHEME = "x-handbook:"
T = TypeVar("T")
# A worker's first document costs a third of a second more than the next ones: WeasyPrint, pikepdf
# and the join's font tools to load, pango and fontconfig to set up. A worker that will lay out pays
# most of it on this one at its start, while the build reads and renders its pages, so that the first
# chapter an edit hands in is not held up by it. (Not a form: cutting the fields' faces would take a
# fifth of a second more, which only worksheets need.)
WARM_UP = '<!doctype html><html lang="en"><title>-</title><p><b>-</b> <i>-</i></p></html>'


@dataclass(frozen=True)
class PdfJob:
    """One PDF to write: the complete HTML document and where the PDF goes."""

    html: str
    target: Path


def cache_key(html: str) -> str:
    return hashlib.sha256(f"{fingerprint.renderer()}\n{html}".encode()).hexdigest()


def render(html: str) -> bytes:
    """One document to PDF bytes; runs in a worker process."""
    import weasyprint  # here, not at the top: a build that lays nothing out never loads it

    from .pdf_finish import finish  # pikepdf, too, is for rendering only

    return finish(weasyprint.HTML(string=html).write_pdf(pdf_forms=True, pdf_variant="pdf/ua-1"), html)


def _lay_out(html: str, path: Path) -> str:
    """In a worker: the document's PDF, written to ``path``; returns the SHA-256 of its bytes."""
    data = render(html)
    cache.write(path, data)
    return cache.sha256(data)


def _start(layout: bool) -> None:
    """A worker's first task: load pikepdf, and, if it will lay out, warm up (see ``WARM_UP``)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent.sentinel,), daemon=True).start()
    import pikepdf  # noqa: F401

    if layout:
        # a WeasyPrint that cannot load or lay out says why when a real document is laid out
        with contextlib.suppress(Exception):
            from . import join  # noqa: F401

            render(WARM_UP)


def _leave_with(parent: int) -> None:
    """A worker ends when the build's process does, even killed (``mkdocs serve`` stopped by a
    signal never closes its press): nothing is left to lay out for, and it must not hold the
    build's output streams open. It is stopped as the build was: by a signal."""
    multiprocessing.connection.wait([parent])
    signal.raise_signal(signal.SIGTERM)


def _ready() -> None:
    """Nothing: handed to the pool to start its workers at once."""


class Press:
    """Lays documents out in worker processes as soon as they are handed in, so that a build can
    start a PDF while MkDocs is still rendering pages; a document laid out before comes from the
    cache (``cache_dir``, a :class:`playbook.cache.Store`) if its bytes are the ones recorded, and
    one handed in twice is laid out once. Whether the PDFs taken from the cache open is checked in
    one go, by ``check``, for the ones a build places or joins.

    The workers start at once and, with ``layout``, load WeasyPrint on the other cores while the
    build goes on. They are forked while the process has one thread (at the start of a build, or of
    `mkdocs serve`, which keeps the press for all its builds), so nothing they inherit can be held
    by a thread that does not exist in them; they leave, as every forked worker of multiprocessing
    does, without the interpreter's teardown. Where the process already runs threads, they are
    started by a fork server instead.
    """

    def __init__(self, cache_dir: Path, workers: int | None = None, layout: bool = True):
        self.store = cache.Store(cache_dir, ".pdf")
        self.workers = workers or usable_cpus()
        self.pool = ProcessPoolExecutor(self.workers, _context(), initializer=_start, initargs=(layout,))
        for _ in range(self.workers):
            self.pool.submit(_ready)
        self.pending: dict[str, Future[Path]] = {}  # key -> the PDF, for this build
        self.reused: set[Path] = set()  # the PDFs taken from the cache, not checked yet
        self.lock = threading.Lock()

    def submit(self, html: str) -> Future[Path]:
        """The future path of the document's PDF in the cache."""
        key = cache_key(html)
        with self.lock:
            if key not in self.pending:
                cached = self.store.get(key)
                if cached is not None:
                    self.pending[key] = _done(cached)
                    self.reused.add(cached)
                else:
                    work = self.pool.submit(_lay_out, html, self.store.path(key))
                    self.pending[key] = _then(work, lambda digest: self._made(key, digest))
            return self.pending[key]

    def unchecked(self) -> set[Path]:
        """The PDFs taken from the cache that no check has opened yet (a copy)."""
        with self.lock:
            return set(self.reused)

    def check(self, paths: Collection[Path]) -> Future[list[Path]]:
        """Those of ``paths`` (PDFs in the cache) that do not open, as a worker finds them. They are
        deleted: handed in again, they are laid out again. The others leave ``reused``."""
        return _then(self.call(cache.damaged_pdfs, paths), functools.partial(self._checked, set(paths)))

    def _checked(self, paths: set[Path], damaged: list[Path]) -> list[Path]:
        with self.lock:
            self.reused -= paths
            for path in damaged:
                key = path.name.removesuffix(".pdf")
                self.pending.pop(key, None)
                self.store.forget(key)
                path.unlink(missing_ok=True)
        return damaged

    def _made(self, key: str, digest: str) -> Path:
        self.store.add(key, digest)
        return self.store.path(key)

    def digest(self, path: Path) -> str:
        """The SHA-256 of a PDF this press handed out."""
        return self.store.digests[path.name.removesuffix(".pdf")]

    def call(self, work: Callable[..., T], *args) -> Future[T]:
        """``work(*args)`` in a worker process, where WeasyPrint and pikepdf are loaded (``work`` and
        its arguments go there by pickle); the build's own process is never held meanwhile."""
        return self.pool.submit(work, *args)

    def keep_only_used(self) -> None:
        """The cache keeps the PDFs handed out since the last call, and no others (so it never grows
        past one build's PDFs)."""
        with self.lock:
            made = [key for key, future in self.pending.items() if future.done() and not future.cancelled()]
            used = {key for key in made if self.pending[key].exception() is None}
            self.pending.clear()
            self.reused.clear()
        self.store.save(keep=used)

    def close(self) -> None:
        """Stop the workers, dropping what no one waited for (a build that failed half way), and
        record what the cache holds."""
        self.pool.shutdown(cancel_futures=True)
        self.store.save()

    def __enter__(self) -> Press:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _done(result: T) -> Future[T]:
    done: Future[T] = Future()
    done.set_result(result)
    return done


def _then(work: Future, finish: Callable) -> Future:
    """A future of ``finish(result)`` once ``work`` is done (cancelled or failed with it)."""
    done: Future = Future()

    def settle(work: Future) -> None:
        if work.cancelled():
            done.cancel()
        elif work.exception() is not None:
            done.set_exception(work.exception())
        else:
            done.set_result(finish(work.result()))

    work.add_done_callback(settle)
    return done


def _context() -> multiprocessing.context.BaseContext:
    """Fork while the process has one thread (Linux): the workers start with everything the build
    has imported, at no cost. Otherwise a fork server, which is safe beside threads."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
