"""What the last finished build left in the cache: a stamp of the files it read, the files it
placed beside the pages (the PDFs, the handbook), and what it read and rendered from them (pickled),
so that an unchanged project neither reads its content again nor makes any of those files.

Standard library only: the MkDocs hook asks it, before importing anything else, whether a PDF will
most likely be laid out, and if so WeasyPrint starts loading on another core (see ``prepare``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
from pathlib import Path

from . import pdf

NAME = "last-build.json"  # in the cache folder
STATE = "last-build.pickle"  # beside it: the stamp, then what the build read and rendered
VERSIONS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "weasyprint", "pikepdf")


def stamp(root: Path, docs: Path) -> str:
    """When each file that shapes the site last changed, and its size (content, pages, this package),
    and the versions of the libraries that make the pages and PDFs from them."""
    digest = hashlib.sha256(repr([importlib.metadata.version(name) for name in VERSIONS]).encode())
    for top in (root / "mkdocs.yml", root / "content", docs, Path(__file__).parent):
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if "__pycache__" not in path.parts:
                info = path.stat()
                digest.update(f"{path.relative_to(top)}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def prepare(root: Path, docs: Path, cache_dir: Path) -> tuple[str, dict[str, str] | None]:
    """This build's stamp, and the files the last build placed if nothing changed since and they are
    all still there; if something changed, WeasyPrint starts loading now (about a second), on another
    core, since a PDF will most likely be laid out."""
    now, last = stamp(root, docs), _read(cache_dir)
    files = last.get("files") if last.get("stamp") == now else None
    if files is None or not all(map(os.path.isfile, files.values())):
        pdf.warm_up()
        return now, None
    return now, files


def record(cache_dir: Path, stamp: str, files: dict[str, str], state: object = None) -> None:
    """What a build that finished placed beside the pages (site-relative name -> cached file) and,
    if it read them anew, what it made of the files it read."""
    if state is not None:
        partial = cache_dir / f"{STATE}.{os.getpid()}.partial"
        try:
            with partial.open("wb") as file:
                pickle.dump(stamp, file)
                pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(cache_dir / STATE)  # atomic: a build that stops half way leaves the last one
        finally:
            partial.unlink(missing_ok=True)
    (cache_dir / NAME).write_text(json.dumps({"stamp": stamp, "files": files}))


def state(cache_dir: Path, stamp: str) -> object:
    """What the last build made of the files it read, if they are the same files (``stamp``);
    else None. The stamp is read first, so nothing pickled by other code is ever unpickled."""
    try:
        with (cache_dir / STATE).open("rb") as file:
            return pickle.load(file) if pickle.load(file) == stamp else None
    except Exception:  # gone, or damaged in any of the ways unpickling can fail: read anew
        return None


def _read(cache_dir: Path) -> dict:
    try:
        last = json.loads((cache_dir / NAME).read_text())
        files = last.get("files") if isinstance(last, dict) else None
        whole = isinstance(files, dict) and all(isinstance(f, str) for f in [*files, *files.values()])
        return last if whole else {}  # a damaged record: the files are made (or looked up) again
    except (OSError, ValueError):
        return {}
