"""One build of the site: settings, brand, pages and the files beside them, in one object.

The MkDocs hook makes a new ``Site`` for every build (``mkdocs serve`` rebuilds in the same process),
hands its pages to MkDocs, passes each page back as MkDocs renders it and, once MkDocs has written
the pages, asks it for the files beside them: the worksheet and calendar PDFs, the handbook and the
offline zip (``make``, the slow part, then ``publish``).

A build made from the same inputs as the last finished one (:mod:`playbook.fingerprint`) takes what
that build recorded (:mod:`playbook.last_build`): it reads no content, renders no page and lays out
no PDF; it checks the recorded files and copies them into the site.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import brand, bundle, cache, fingerprint, last_build, media, outputs, pdf
from .brand import Brand
from .errors import Problem
from .last_build import LastBuild, Placed
from .outputs import Outputs

if TYPE_CHECKING:  # the modules that read, render and lay out the content: see Site.content
    from .content import Playbook
    from .handbook import Handbook
    from .plan import Plan

log = logging.getLogger("mkdocs.plugins.playbook")
BRAND_CSS = "assets/stylesheets/brand.css"  # from extra.brand
WORKSHEETS_JS = "assets/javascripts/worksheets.js"  # every worksheet's questions, for deals.js
HANDBOOK = "handbook.pdf"  # playbook.plan.HANDBOOK, which a build that reads nothing does not import
FEW_FILES = 3  # an edit to this many files or fewer lays out a few documents: see _workers
PDFS, BOOKS, ZIPS = "pdf", "handbook", "bundle"  # folders of the cache (each store's record beside it)
# all that the cache keeps: each store, the record of its files, and the last build's record
CACHED = {*(PDFS, BOOKS, ZIPS), *(f"{store}.json" for store in (PDFS, BOOKS, ZIPS)), last_build.NAME}


@dataclass(frozen=True)
class Made:
    """A file made for the site, in the cache, and the SHA-256 of its bytes (None: not known yet)."""

    path: Path
    sha256: str | None = None


@dataclass
class Site:
    """Everything one build knows. ``start`` sets up the files beside the pages once MkDocs has
    placed the pages, and ``page`` takes each page as MkDocs renders it."""

    root: Path  # the folder of the configuration file, with content/ in it
    docs: Path
    cache_dir: Path
    config: Mapping  # as MkDocs resolved it
    inputs: fingerprint.Inputs
    settings: Outputs
    brand: Brand
    pages: dict[str, str]  # uri -> Markdown of every generated page
    assets: dict[str, str]  # uri -> text of the other generated files (mkdocs.yml links them)
    nav: list
    origins: dict[str, str]  # generated page -> the content file to edit for it
    warnings: tuple[Problem, ...]  # what the content's pages may show other than their authors meant
    last: LastBuild | None  # the last build, if it was made from the same inputs
    press: pdf.Press | None = None  # lays out this build's PDFs (None: outputs are off)
    model: tuple[Playbook, Plan] | None = None  # the content and its plan, once read
    html: dict[str, str] = field(default_factory=dict)  # built page -> its HTML, as MkDocs made it
    built: dict[str, str] = field(default_factory=dict)  # page uri -> where it is built (from start)
    book: Handbook | None = None  # the handbook being laid out while MkDocs renders (eager)
    laid_out: bool = False  # the press was asked for this build's PDFs
    # of the PDFs taken from the cache (the last build's files, or the downloads of a build that lays
    # out), those that do not open: a worker finds out while MkDocs renders
    checked: Future[list[Path]] | None = None

    @classmethod
    def load(
        cls, root: Path, docs: Path, config: Mapping, cache_dir: Path, press: pdf.Press | None = None,
        session: bool = False,
    ) -> Site:  # fmt: skip
        """Check the settings and the brand; take the last build's record if it was made from the same
        inputs, else read and check the content and render every page. Raises OutputsError,
        BrandError or ContentError.

        The press (given, under ``session``, for all builds of `mkdocs serve`) starts here, before the
        content is read: its workers load WeasyPrint on the other cores meanwhile. A build that takes
        the last one's files starts one worker, which only checks them.
        """
        extra = config["extra"]
        config_file = Path(config["config_file_path"]).name
        settings = outputs.load(extra, config_file)
        brand.check_names(config, config_file)
        look = brand.load(extra, docs)
        inputs = fingerprint.Inputs.of(root, docs, config, settings.epoch)
        for folder in (cache_dir.parent, cache_dir):  # a link there would lead writes and removals out
            cache.real_folder(folder)
        before = last_build.read(cache_dir)
        last = before if before and last_build.reusable(cache_dir, before, inputs) else None
        if not settings.enabled:
            press = None
        elif press is None:
            workers = _workers(settings, inputs, before and before.inputs, last is not None, session)
            press = pdf.Press(cache_dir / PDFS, *workers)
        site = cls(root, docs, cache_dir, config, inputs, settings, look, {}, {}, [], {}, (), last, press)
        if last is not None:
            site.pages, site.assets, site.nav, site.origins = last.pages, last.assets, last.nav, last.origins
            site.warnings = tuple(Problem(*problem) for problem in last.warnings)
            if press is not None:  # do its files open? A worker finds out while MkDocs renders
                site.checked = press.check([cache_dir / placed.path for placed in last.files.values()])
            return site
        from .render import Renderer

        book, plan = site.content
        renderer = Renderer(book, plan, config["site_name"])
        site.pages = {entry.uri: renderer.markdown(entry) for entry in plan.generated}
        accents = brand.accents(config["theme"].get("palette"))  # the theme's, made readable with the brand
        site.assets = {BRAND_CSS: look.css(accents), WORKSHEETS_JS: renderer.worksheets()}
        site.warnings = book.warnings
        site.nav = plan.nav()
        site.origins = {e.uri: e.origin for e in plan.generated if e.origin}
        return site

    @property
    def content(self) -> tuple[Playbook, Plan]:
        """The content and its plan, read when first asked for. A build that takes the last build's
        record asks only if a recorded file turns out damaged: it does not even import the content
        model, the renderer or the handbook (a tenth of a warm build at 1x)."""
        from . import content, plan

        if self.model is None:
            book = content.load(self.root / "content")
            self.model = book, plan.build(book)
        return self.model

    def start(self, built: dict[str, str], site_dir: Path, eager: bool) -> None:
        """Set up the files beside the pages, once MkDocs knows where each page is ``built``; with
        ``eager``, their layout starts now, while MkDocs renders the pages."""
        self.built, self.site_dir = built, site_dir
        if self.press is not None and self.last is None and eager:
            self.book = self._handbook(eager=True)
            for job in self.downloads:
                self.press.submit(job.html)
            self.checked = self.press.check(self.press.unchecked())  # before the chapters come in

    def page(self, uri: str, html: str) -> str:
        """A page as MkDocs rendered it, handed to the handbook; returns it as the site shows it,
        without the text meant for paper."""
        self.html[self.built[uri]] = html
        if self.book is not None:
            self.book.add(self.built[uri], html)
        return media.only(html, "web")

    @functools.cached_property
    def downloads(self) -> list[pdf.PdfJob]:
        """The PDFs the plan lists beside the pages: each worksheet's and the challenge's calendar."""
        from . import canvas, challenge

        book, plan = self.content
        return [
            *challenge.pdf_jobs(book, plan, self.brand, self.site_dir),
            *canvas.pdf_jobs(book, plan, self.brand, self.site_dir),
        ]

    @property
    def names(self) -> set[str]:
        """The files this build places beside the pages, by their names in the site."""
        if not self.settings.enabled:
            return set()
        if self.last is not None:
            return {*self.last.files, bundle.NAME}
        plan = self.content[1]
        return {HANDBOOK, bundle.NAME, *(d.uri for e in plan.entries for d in e.downloads)}

    def clashes(self, written: Mapping[str, str]) -> list[str]:
        """What MkDocs writes (name in the site -> its file in the docs folder) under the name of a
        file made beside the pages, which would replace it or be replaced: one line each, to fix."""
        clashing = sorted(self.names & written.keys())
        return [f"{self.docs.name}/{written[n]}: the build makes {n} itself: rename it" for n in clashing]

    def write(self) -> dict[str, Made]:
        """Every file beside the pages (`mkdocs build`); with the outputs off, none. A build that lays
        out places the worksheets' and calendars' PDFs, and zips them, while the handbook is joined."""
        if self.press is None:
            log.info("The PDFs, the handbook and the offline zip are off (extra.outputs.enabled)")
            self._record({})
            return {}
        zipping = self._zip(self.names - {bundle.NAME})
        if self.last is not None:
            return self.publish(self.make(), zipping)
        zipping.compress()  # MkDocs' files, while the PDFs are still being laid out
        self.laid_out = True
        downloads = self._made(self._submitted())
        placed = {name: self._placed(name, made) for name, made in downloads.items()}
        zipping.compress(placed.keys())
        return self.publish({HANDBOOK: self._join(), **downloads}, zipping, placed)

    def make(self) -> dict[str, Made]:
        """The PDFs and the handbook, in the cache: the last build's if they are intact and open,
        else laid out (what the cache holds intact is reused). Safe in a thread."""
        if self.last is not None:
            if not self.checked.result():
                return {name: Made(self.cache_dir / p.path, p.sha256) for name, p in self.last.files.items()}
            log.info("A PDF in the cache does not open: the files beside the pages are made again")
        self.laid_out = True
        submitted = self._submitted()
        book = self._join()  # its parts are laid out beside the downloads
        return {HANDBOOK: book, **self._made(submitted)}

    def _submitted(self) -> list[tuple[pdf.PdfJob, Future[Path]]]:
        """The worksheets' and calendars' PDFs, handed to the press. Those a check found damaged while
        MkDocs rendered are gone from the cache by then, so they are laid out again."""
        if self.checked is not None:
            self.checked.result()
        return [(job, self.press.submit(job.html)) for job in self.downloads]

    def _made(self, submitted: list[tuple[pdf.PdfJob, Future[Path]]]) -> dict[str, Made]:
        """Those PDFs, laid out or taken from the cache and opened, by their names in the site."""
        pdfs = {job: future.result() for job, future in submitted}
        unchecked = self.press.unchecked() & set(pdfs.values())
        damaged = self.press.check(unchecked).result() if unchecked else []  # from the cache: do they open?
        pdfs |= {job: self.press.submit(job.html).result() for job, path in pdfs.items() if path in damaged}
        return {
            job.target.relative_to(self.site_dir).as_posix(): Made(path, self.press.digest(path))
            for job, path in pdfs.items()
        }

    def _join(self) -> Made:
        """The handbook. A part taken from the cache that does not open makes its join fail: such
        parts are laid out again, and the book joined anew."""
        try:
            return _bound(self.book or self._handbook(eager=False))
        except Exception:
            if not self.press.check(self.press.unchecked()).result():
                raise
            log.info("A PDF in the cache does not open: the handbook is made again")
            return _bound(self._handbook(eager=False))

    def publish(
        self, files: dict[str, Made], zipping: bundle.Zip | None = None, early: Mapping[str, Made] = {}
    ) -> dict[str, Made]:  # fmt: skip
        """Copy ``files`` into the site (but those placed ``early``); then the zip of the whole site,
        and the record of this build. Raises cache.Damaged if a cached file changed meanwhile."""
        placed = {name: early.get(name) or self._placed(name, made) for name, made in files.items()}
        zipping = zipping or self._zip(files.keys())
        placed[bundle.NAME] = self._placed(bundle.NAME, Made(*zipping.finish(self.cache_dir / ZIPS)))
        if self.laid_out:  # else the last build's record holds all this already
            self.press.keep_only_used()
            self._record({name: made for name, made in placed.items() if name != bundle.NAME})
        cache.keep_only(self.cache_dir, CACHED)
        return placed

    def _placed(self, name: str, made: Made) -> Made:
        """A copy of ``made`` in the site as ``name``, checked against its SHA-256 on the way."""
        return Made(made.path, cache.place(made.path, self.site_dir, name, made.sha256))

    def _zip(self, outputs: Collection[str]) -> bundle.Zip:
        return bundle.Zip(self.site_dir, outputs, self.settings.epoch, self.inputs.code)

    def _record(self, files: dict[str, Made]) -> None:
        """What this build read, rendered and placed, for the next build made from the same inputs."""
        cached = {
            n: Placed(path=m.path.relative_to(self.cache_dir).as_posix(), sha256=m.sha256)
            for n, m in files.items()
        }
        last = LastBuild(
            inputs=self.inputs,
            warnings=[(w.file, w.line, w.message) for w in self.warnings],
            pages=self.pages,
            assets=self.assets,
            nav=self.nav,
            origins=self.origins,
            files=cached,
        )
        last_build.write(self.cache_dir, last)

    def current(self) -> bool:
        """The files this build read are still as they were (no save since it started)."""
        now = fingerprint.sources(self.root, self.docs, self.config), fingerprint.code()
        return now == (self.inputs.sources, self.inputs.code)

    def _handbook(self, eager: bool) -> Handbook:
        """The handbook of this build's pages; with ``eager``, fed as MkDocs renders them, else at once
        with the pages rendered so far."""
        from . import handbook

        book, plan = self.content
        parts = [
            handbook.Part(
                title,
                f"part-{number}",
                [handbook.Chapter(self.built[e.uri], e.title, title, e.subject) for e in entries],
            )
            for number, (title, entries) in enumerate(plan.parts(), 1)
        ]
        about = self.config["site_name"], self.config["site_description"] or ""
        made = handbook.Handbook(
            parts,
            book,
            self.brand,
            *about,
            self.docs,
            self.press,
            cache.real_folder(self.cache_dir / BOOKS),
            eager,
        )
        if not eager:
            for uri, html in self.html.items():
                made.add(uri, html)
        return made


def versioned(read: Callable[[str], bytes]) -> Callable[[str], str]:
    """A template filter: the address of a file of the site with a digest of its bytes (``read``) as
    its query, "assets/javascripts/deals.js?v=3f2a…". A page of a new version of the site then asks
    for the scripts of that version, never for a copy the browser kept of an earlier one (servers
    and ``file://`` ignore the query)."""

    @functools.cache
    def address(uri: str) -> str:
        return f"{uri}?v={hashlib.sha256(read(uri)).hexdigest()[:12]}"

    return address


def _bound(book: Handbook) -> Made:
    """The finished book in the cache, and the SHA-256 its store recorded for it."""
    path = book.write()
    return Made(path, book.digest(path))


def _workers(
    settings: Outputs, inputs: fingerprint.Inputs, before: fingerprint.Inputs | None, reuse: bool,
    session: bool,
) -> tuple[int, bool]:  # fmt: skip
    """How many workers the press of a build starts, and whether they load WeasyPrint at once.

    A build that ``reuse``s the last build's files starts one, which only checks them. A build after
    an edit to a few files (the configuration, code and tools as they were ``before``) lays out a few
    chapters: one worker, so that WeasyPrint loads once and the other CPUs are left to MkDocs. Any
    other build, and every build of `mkdocs serve` (one press for the ``session``), starts as many as
    the settings allow.
    """
    if session:
        return settings.processes, True
    if reuse:
        return 1, False
    edited = before and inputs.edited(before)
    return (1 if edited is not None and edited <= FEW_FILES else settings.processes), True


class Background:
    """Under ``mkdocs serve``: the files beside the pages are made after the browser has reloaded.

    A rebuild empties the site folder, so the files the last run placed are put back at once (copies,
    and only those this build places too: a deleted page's PDFs are gone), and serve until the new
    ones replace them. Runs never overlap. A run that a newer build has overtaken places nothing and
    says nothing; "up to date" is said only when the files placed were made from the files as they
    are now.
    """

    def __init__(self):
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="playbook-outputs")
        self.lock = threading.Lock()
        self.latest = 0  # the build that started last
        self.placed: dict[str, Made] = {}  # what the last run placed

    def begin(self) -> int:
        """A build starts: runs for the builds before it are overtaken."""
        with self.lock:
            self.latest += 1
            return self.latest

    def restore(self, site: Site) -> None:
        """Put the last files placed back into a rebuilt site: only those it will place itself."""
        for name in site.names & self.placed.keys():
            made = self.placed[name]
            with contextlib.suppress(OSError, cache.Damaged):  # gone from the cache: made again soon
                cache.place(made.path, site.site_dir, name, made.sha256)

    def submit(self, site: Site, build: int) -> Future:
        """Make and place the files beside the pages of ``build``, unless a newer build overtakes it."""

        def run() -> None:
            start = time.perf_counter()
            try:
                if build != self.latest:
                    return
                made = site.make()
                with self.lock:
                    if build != self.latest:
                        return
                    self.placed = site.publish(made)
                    if site.current():
                        seconds = time.perf_counter() - start
                        log.info(f"The files beside the pages are up to date ({seconds:.1f} s)")
            except Exception:  # a thread's error would otherwise vanish: show it where serve logs
                if build == self.latest:
                    log.exception("The PDFs, the handbook or the offline zip could not be made")

        return self.pool.submit(run)

    def close(self) -> None:
        """Stop: the run under way places nothing."""
        self.begin()
        self.pool.shutdown(wait=False, cancel_futures=True)
