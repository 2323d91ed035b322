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

from pydantic import AfterValidator, BaseModel, ConfigDict
from typing_extensions import TypeAliasType

from . import cache
from .cache import Relative, Sha256
from .fingerprint import Inputs

NAME = "last-build.json"


def _pdf(name: str) -> str:
    if not name.endswith(".pdf"):
        raise ValueError("only PDFs are placed beside the pages from this record")
    return name


class Placed(BaseModel):
    """A file placed beside the pages: where it is in the cache, and the SHA-256 of its bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: Relative
    sha256: Sha256


# MkDocs' nav: page uris, and titled sections of them
Nav = TypeAliasType("Nav", "list[str | dict[str, str | Nav]]")


class LastBuild(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    inputs: Inputs  # what the build was made from
    warnings: list[tuple[str, int, str]]  # the content's warnings (file, line, message): said again
    pages: dict[Relative, str]  # generated page uri -> its Markdown
    assets: dict[Relative, str]  # generated asset uri -> its text
    nav: Nav
    origins: dict[Relative, Relative]  # generated page uri -> the content file to edit for it
    files: dict[Annotated[Relative, AfterValidator(_pdf)], Placed]  # site-relative name -> file


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
