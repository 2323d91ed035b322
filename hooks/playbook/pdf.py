"""Render complete HTML documents to tagged, light PDFs with WeasyPrint, in parallel, reusing results.

Generic on purpose: worksheets, the challenge calendar and the handbook's parts all hand over finished
HTML documents whose own CSS ``@page`` rule sets the paper size. Form controls become fillable AcroForm
fields (``pdf_forms=True``), named after each control's ``name``. Every PDF is tagged as PDF/UA-1
(structure tree, ``/Lang`` from ``<html lang>``, the ``<title>`` shown as the window title).

WeasyPrint embeds the whole font face that form fields use (about 380 KB of DejaVu Sans) and, when it
is the text's font too, stops subsetting the text. So print stylesheets give controls a face of their
own (``FORM_FONT``), and :func:`finish` then points every field at Helvetica, a standard font that
every viewer supplies for typed text, and drops that face. It also sets each field's tooltip
(``/TU``) from the control's ``title`` where the HTML gives one: WeasyPrint takes a label's text
first, which for a scale's radio buttons is just "3". A radio button's title is its question; each
button's tooltip is the question and its value ("How ready am I?: 3").

A PDF is cached under ``cache_dir`` by the hash of its HTML (and the versions that shape it), so a
build renders only what changed. Documents must be self-contained: styles inline, no relative URLs,
since nothing outside the HTML is part of the hash.
"""

from __future__ import annotations

import hashlib
import html as markup
import importlib.metadata
import io
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .cache import place

# WeasyPrint is imported only to render: importing it takes about half a second, which a build whose
# PDFs all come from the cache should not pay.
WEASYPRINT = importlib.metadata.version("weasyprint")
VERSION = 3  # of what this module does to WeasyPrint's output; part of every cache key
# Form controls only, never text, so the face can be dropped; unquoted, which HTML escaping leaves intact
FORM_FONT = "DejaVu Serif"
HELVETICA = {
    "/Type": "/Font",
    "/Subtype": "/Type1",
    "/BaseFont": "/Helvetica",
    "/Encoding": "/WinAnsiEncoding",
}

CONTROL = re.compile(r"<(?:input|textarea|select)\b[^>]*>")
ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
DA_FONT = re.compile(rb"/(\S+) (\S+) Tf")


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

    return finish(weasyprint.HTML(string=html).write_pdf(pdf_forms=True, pdf_variant="pdf/ua-1"), html)


def finish(data: bytes, html: str) -> bytes:
    """WeasyPrint's PDF with its table headers' scope told and its form fields made light."""
    pdf = pikepdf.open(io.BytesIO(data))
    _scope_headers(pdf.Root.StructTreeRoot.K)
    if "/AcroForm" in pdf.Root:
        _lighten(pdf, html)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _scope_headers(element: pikepdf.Object, parents: tuple[str, ...] = ()) -> None:
    """Each header cell says what it heads (WeasyPrint does not write ``scope``): the cells below it
    when it sits in the table's head, else the cells of its row."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            _scope_headers(kid, parents)
    elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
        if element.S == "/TH":
            scope = "/Column" if "/THead" in parents[-2:] else "/Row"
            if not isinstance(element.get("/A"), pikepdf.Dictionary):
                element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            element.A.Scope = pikepdf.Name(scope)
        _scope_headers(element.get("/K", pikepdf.Array()), (*parents, str(element.S)))


def _lighten(pdf: pikepdf.Pdf, html: str) -> None:
    """Fields typed in Helvetica instead of an embedded face, and each tooltip the control's ``title``."""
    form = pdf.Root.AcroForm
    titles = _titles(html)
    form_fonts = set()
    for field in form.Fields:
        name = str(field.get("/T", ""))
        if "/DA" in field:
            form_fonts.update(m[1] for m in DA_FONT.finditer(bytes(field.DA)))
            field.DA = pikepdf.String(DA_FONT.sub(rb"/Helv \2 Tf", bytes(field.DA)))
        if name in titles:
            field.TU = pikepdf.String(titles[name])
        for value, kid in zip(field.get("/Opt", ()), field.get("/Kids", ()), strict=False):
            kid.TU = pikepdf.String(f"{field.get('/TU', name)}: {value}")
            if "/T" in kid:
                del kid["/T"]  # a radio button is part of its group, not a field of the same name
    # the field's face shares the pages' font dictionary: drop it there unless some text uses it
    text = b"".join(_drawings(pdf))
    for name in {f"/{n.decode()}" for n in form_fonts if not re.search(rb"/" + re.escape(n) + rb"\s", text)}:
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            if name in fonts:
                del fonts[name]
    # WeasyPrint lists radio buttons among the fields too; only their group is a field
    form.Fields = pikepdf.Array(f for f in form.Fields if "/Parent" not in f)
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica()))


def helvetica() -> pikepdf.Dictionary:
    """The font dictionary of Helvetica, which PDF viewers supply: nothing to embed."""
    return pikepdf.Dictionary({key: pikepdf.Name(value) for key, value in HELVETICA.items()})


def _drawings(pdf: pikepdf.Pdf) -> Iterable[bytes]:
    """Every content stream that can draw text: the pages' and their form XObjects'."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        yield from (s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents]))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            yield obj.read_bytes()


def _titles(html: str) -> dict[str, str]:
    """Control name -> its ``title``, for the controls that have one (for radio buttons: the question)."""
    titles = {}
    for tag in CONTROL.findall(html):
        attributes = {key: markup.unescape(a or b) for key, a, b in ATTRIBUTE.findall(tag)}
        if "title" in attributes and "name" in attributes:
            titles[attributes["name"]] = attributes["title"]
    return titles


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
        return list(pool.map(render, documents, chunksize=max(1, len(documents) // (workers * 4))))
