"""The record of the last finished build (``last-build.json`` in the cache): what it was made from
(the digests of :class:`playbook.fingerprint.Inputs`), what it rendered (the pages' Markdown, the
generated assets, the navigation, the edit links' files) and the files it placed beside the pages.
A build made from the same inputs takes all of it as it is: it reads no content, renders nothing
and lays out no PDF. A build after an edit learns from it how many files changed.

The record is untrusted like the rest of the cache (see :mod:`playbook.cache`): JSON of one exact
shape, every path in it relative and below its folder, every file it names still inside the cache
and holding the bytes recorded. Anything else, and the record counts as none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from msgspec import Meta, Struct

from . import cache
from .cache import BELOW, Relative, Sha256
from .fingerprint import Inputs

NAME = "last-build.json"
NAV_DEPTH = 16  # sections in sections: the playbook's nav has three levels
Pdf = Annotated[str, Meta(pattern=f"^{BELOW}\\.pdf$")]  # only PDFs are placed from this record


class Placed(Struct, frozen=True, forbid_unknown_fields=True):
    """A file placed beside the pages: where it is in the cache, and the SHA-256 of its bytes."""

    path: Relative
    sha256: Sha256


class LastBuild(Struct, frozen=True, forbid_unknown_fields=True):
    inputs: Inputs  # what the build was made from
    warnings: list[tuple[str, int, str]]  # the content's warnings (file, line, message): said again
    pages: dict[Relative, str]  # generated page uri -> its Markdown
    assets: dict[Relative, str]  # generated asset uri -> its text
    nav: list  # MkDocs' nav: page uris, and titled sections of them (see _check_nav)
    origins: dict[Relative, Relative]  # generated page uri -> the content file to edit for it
    files: dict[Pdf, Placed]  # site-relative name -> file

    def __post_init__(self):
        _check_nav(self.nav)


def _check_nav(items: object, depth: int = 0) -> None:
    """A nav is a list of page uris and of {title: uri or nav} sections, a few levels deep (msgspec
    reads no recursive type on this Python, so this walks it); a ValueError makes the record none."""
    if not isinstance(items, list) or depth > NAV_DEPTH:
        raise ValueError("a nav must be a list, a few levels deep")
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if not isinstance(title, str):
                    raise ValueError("a nav section's title must be text")
                if not isinstance(value, str):
                    _check_nav(value, depth + 1)
        elif not isinstance(item, str):
            raise ValueError("a nav item must be a page or a section")


def read(cache_dir: Path) -> LastBuild | None:
    """The last build's record, if there is a sound one."""
    return cache.read(cache_dir / NAME, LastBuild)


def reusable(cache_dir: Path, last: LastBuild, inputs: Inputs) -> bool:
    """The last build was made from the same ``inputs``, and every file it placed is still intact
    inside the cache."""
    if last.inputs != inputs:
        return False
    for placed in last.files.values():
        path = cache.inside(cache_dir, placed.path)
        if path is None or not cache.intact(path, placed.sha256):
            return False
    return True


def write(cache_dir: Path, last: LastBuild) -> None:
    cache.record(cache_dir / NAME, last)
