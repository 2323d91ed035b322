"""One build of the site: content, plan and rendered pages in one object, and the files written after.

The MkDocs hook makes a new ``Site`` for every build (``mkdocs serve`` rebuilds in the same process),
hands its pages to MkDocs, passes each page back as MkDocs renders it and, once MkDocs has written
the pages, asks it for the other files: the worksheet and calendar PDFs, the handbook and the
offline zip.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import brand, bundle, canvas, challenge, content, handbook, last_build, media, pdf, plan
from .brand import Brand
from .cache import place
from .content import Playbook
from .render import Renderer

log = logging.getLogger("mkdocs.plugins.playbook")
BRAND_CSS = "assets/stylesheets/brand.css"  # from extra.brand
WORKSHEETS_JS = "assets/javascripts/worksheets.js"  # every worksheet's questions, for deals.js


@dataclass
class Site:
    """Everything one build knows; ``start`` sets up the files beside the pages, once MkDocs has
    placed the pages, and ``page`` hands each rendered page to the handbook."""

    root: Path  # the folder of mkdocs.yml, with content/ in it
    docs: Path
    book: Playbook
    brand: Brand
    plan: plan.Plan
    pages: dict[str, str]  # uri -> Markdown of every generated page
    assets: dict[str, str]  # uri -> text of the other generated files (mkdocs.yml links them)
    stamp: str  # of the files this build reads: see last_build.stamp
    reused: dict[str, str] | None  # nothing changed: file in the site -> its copy in the cache
    fresh: bool = False  # read from the files (not taken from the last build, which read the same)
    built: dict[str, str] = field(default_factory=dict)  # page uri -> where it is built (from start)
    press: pdf.Press | None = None  # lays out this build's PDFs (from start)

    @classmethod
    def load(
        cls, root: Path, docs_dir: Path, extra: dict, cache_dir: Path, site_name: str, palette=None
    ) -> Site:
        """Read and check everything, then render every page; raises ContentError or BrandError.
        ``palette`` is the theme's (mkdocs.yml), whose accent colours the brand makes readable.

        First, if a file changed since the last build finished, WeasyPrint starts loading on another
        core: a PDF will most likely be laid out, and loading it would otherwise wait for the pages.
        If nothing changed, what the last build read and rendered, and the files it made beside the
        pages, are taken as they are (a tenth of a warm build at 100x was reading the content).
        """
        stamp, reused = last_build.prepare(root, docs_dir, cache_dir)
        read = last_build.state(cache_dir, stamp)
        if read is None:
            book = content.load(root / "content")
            look = brand.load(extra, docs_dir)
            site_plan = plan.build(book)
            renderer = Renderer(book, site_plan, site_name)
            pages = {entry.uri: renderer.markdown(entry) for entry in site_plan.generated}
            assets = {BRAND_CSS: look.css(brand.accents(palette)), WORKSHEETS_JS: renderer.worksheets()}
            return cls(root, docs_dir, book, look, site_plan, pages, assets, stamp, reused, fresh=True)
        return cls(root, docs_dir, *read, stamp, reused)

    @property
    def state(self) -> tuple:
        """What ``load`` read and rendered: the same for as long as the files it read are."""
        return self.book, self.brand, self.plan, self.pages, self.assets

    @property
    def origins(self) -> dict[str, str]:
        """Generated page -> the content file to edit for it."""
        return {e.uri: e.origin for e in self.plan.generated if e.origin}

    def start(self, built: dict[str, str], site_dir: Path, cache: Path, config: Mapping, eager: bool) -> None:
        """Set up the handbook and the PDFs beside the pages, once MkDocs knows where each page is
        ``built``; with ``eager``, their layout starts now, while MkDocs renders the pages."""
        self.built, self.site_dir, self.cache_dir = built, site_dir, cache
        if self.reused is not None:
            return
        self.press = pdf.Press(cache / "pdf")
        parts = [
            handbook.Part(
                title,
                f"part-{number}",
                [handbook.Chapter(built[e.uri], e.title, title, e.subject, e.downloads) for e in entries],
            )
            for number, (title, entries) in enumerate(self.plan.parts(), 1)
        ]
        self.handbook = handbook.Handbook(
            parts, self.book, self.brand, config["site_name"], config["site_description"] or "", self.docs,
            self.press, cache / "handbook", eager,
        )  # fmt: skip
        if eager:
            for job in self.downloads:
                self.press.submit(job.html)

    def page(self, uri: str, html: str) -> str:
        """A page as MkDocs rendered it, handed to the handbook; returns it as the site shows it,
        without the text meant for paper."""
        if self.reused is None:
            self.handbook.add(self.built[uri], html)
        return media.only(html, "web")

    @functools.cached_property
    def downloads(self) -> list[pdf.PdfJob]:
        """The PDFs the plan lists beside the pages: each worksheet's and the challenge's calendar."""
        return [
            *challenge.pdf_jobs(self.book, self.plan, self.brand, self.site_dir),
            *canvas.pdf_jobs(self.book, self.plan, self.brand, self.site_dir),
        ]

    def write(self) -> list[Path]:
        """Every file beside the pages; the zip last, since it holds all the others."""
        files = self.reused
        if files is None:
            try:
                laid_out = [(job.target, self.press.submit(job.html)) for job in self.downloads]
                files = {handbook.NAME: str(self.handbook.write())}
                for target, future in laid_out:
                    files[target.relative_to(self.site_dir).as_posix()] = str(future.result())
            finally:
                self.press.close()
        for name, cached in files.items():
            place(Path(cached), self.site_dir / name)
        made = [self.site_dir / name for name in files]
        made.append(bundle.write(self.site_dir, self.cache_dir / "bundle"))
        last_build.record(self.cache_dir, self.stamp, files, self.state if self.fresh else None)
        return made


class Background:
    """Under ``mkdocs serve``: the slow files are made after the browser has reloaded.

    A rebuild empties the site folder, so the files the last run made are put back at once (hard
    links from ``keep``), and serve until the new ones replace them. Runs never overlap, and a run
    that a newer build has overtaken before it started is skipped.
    """

    def __init__(self, keep: Path):
        self.keep = keep
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="playbook-outputs")
        self.lock = threading.Lock()
        self.latest = 0

    def restore(self, site_dir: Path) -> None:
        for kept in self.keep.rglob("*"):
            if kept.is_file():
                place(kept, site_dir / kept.relative_to(self.keep))

    def submit(self, site_dir: Path, make) -> Future:
        """Run ``make()`` (which returns the files it wrote under ``site_dir``) after the build."""
        with self.lock:
            self.latest += 1
            run = self.latest

        def job() -> None:
            if run != self.latest:
                return  # a newer build has already asked for newer files
            start = time.perf_counter()
            try:
                for path in make():
                    place(path, self.keep / path.relative_to(site_dir))
                log.info(f"The files beside the pages are up to date ({time.perf_counter() - start:.1f} s)")
            except Exception:  # a thread's error would otherwise vanish: show it where serve logs
                log.exception("The PDFs, the handbook or the offline zip could not be made")

        return self.pool.submit(job)
