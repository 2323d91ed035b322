"""What the last finished build left in the cache: a stamp of the files it read, and the files it
placed beside the pages (the PDFs, the handbook), so that an unchanged project makes none of them.

Standard library only: the MkDocs hook asks it, before importing anything else, whether a PDF will
most likely be laid out, and if so WeasyPrint starts loading on another core (see ``prepare``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

from . import pdf

NAME = "last-build.json"  # in the cache folder
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


def record(cache_dir: Path, stamp: str, files: dict[str, str]) -> None:
    """What a build that finished placed beside the pages (site-relative name -> cached file)."""
    (cache_dir / NAME).write_text(json.dumps({"stamp": stamp, "files": files}))


def _read(cache_dir: Path) -> dict:
    try:
        last = json.loads((cache_dir / NAME).read_text())
        files = last.get("files") if isinstance(last, dict) else None
        whole = isinstance(files, dict) and all(isinstance(f, str) for f in [*files, *files.values()])
        return last if whole else {}  # a damaged record: the files are made (or looked up) again
    except (OSError, ValueError):
        return {}
