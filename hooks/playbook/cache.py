"""The build cache (``.cache/playbook``) as untrusted input, and how its files reach the site.

Anything can be in the cache: files left by an older version, a build that stopped half way, a
restore from CI, or someone's plant. So it holds only plain files and JSON records, validated when
read (msgspec), and nothing whose loading can run code. A record that names a path outside the
cache once resolved (``..``, an absolute path, a symlink out) is discarded whole; a file is used
only if its SHA-256 is the one recorded, and a PDF placed in the site or joined into the handbook
only if it also opens (pikepdf, in a worker of the press). What fails any check is made again.

The site gets copies, never links: nothing done to a file in ``site/`` reaches the cache, the zip
or the next build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, TypeVar

import msgspec
from msgspec import Meta, Struct

Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]
# a path a record names, below its folder: not empty, not absolute, no ".." part, no backslash or NUL
BELOW = r"(?!/)(?!(?:.*/)?\.\.(?:/|$))[^\\\x00]+"
Relative = Annotated[str, Meta(pattern=f"^{BELOW}$")]
Record = TypeVar("Record", bound=Struct)


class Damaged(Exception):
    """A cached file is not the one recorded (another process wrote into the cache after it was
    checked), or a file would be placed outside its folder."""


def inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` if, once every symlink is resolved, it is a file below ``folder``."""
    try:
        base = folder.resolve()
        path = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return None
    return path if path.is_relative_to(base) and path.is_file() else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def intact(path: Path, expected: str) -> bool:
    """The file is there and its bytes are the ones recorded."""
    try:
        return sha256(path.read_bytes()) == expected
    except OSError:
        return False


def damaged_pdfs(paths: Iterable[Path]) -> list[Path]:
    """The PDFs among ``paths`` that pikepdf cannot open (no repair tried); runs in a worker."""
    import pikepdf  # a worker's, where it is loaded already

    damaged = []
    for path in paths:
        try:
            with pikepdf.open(path, attempt_recovery=False):
                pass
        except Exception:  # whatever a damaged file makes qpdf say
            damaged.append(path)
    return damaged


def real_folder(path: Path) -> Path:
    """A folder of the cache, and a real one: a file or a link found in its place is removed (a
    link would lead what is written there out of the cache)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write(path: Path, data: bytes) -> None:
    """``data`` into ``path`` in one step: a reader never finds it half written. A folder in its
    place (a damaged cache) is removed; a link is replaced, never followed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    # a new file of a name no one could know before (a planted link there would be followed)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def place(cached: Path, folder: Path, name: str, expected: str | None = None) -> str:
    """Copy a cached file to ``folder / name``, checking on the way that its bytes are the
    ``expected`` ones; returns their SHA-256. The target replaces any file there in one step (a
    server never finds it missing) and must stay below ``folder`` once resolved."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise Damaged(f"{name} would be written outside {folder}")
    data = cached.read_bytes()
    digest = sha256(data)
    if expected is not None and digest != expected:
        raise Damaged(f"{cached} changed during the build")
    write(target, data)
    return digest


def keep_only(folder: Path, names: set[str]) -> None:
    """Remove everything in ``folder`` but ``names`` (what an older version or an interrupted build
    left: it would never be read, only take room). Links are removed, never followed."""
    for entry in folder.iterdir():
        if entry.name not in names:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def read(path: Path, kind: type[Record]) -> Record | None:
    """The record in ``path`` if it is there and JSON of exactly ``kind``'s shape; else None."""
    try:
        return msgspec.json.decode(path.read_bytes(), type=kind)
    except (OSError, msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError; too deep
        return None


def record(path: Path, value: Struct) -> None:
    write(path, msgspec.json.encode(value))


class Index(Struct, forbid_unknown_fields=True):
    """What a store holds: each file's key and the SHA-256 of its bytes."""

    files: dict[Sha256, Sha256]


class Store:
    """A folder of files named by the key of what made them (``<key><suffix>``), and a record of
    each file's SHA-256 beside it (``<folder>.json``): a file not in the record, or not matching it,
    is unknown."""

    def __init__(self, path: Path, suffix: str):
        self.folder, self.suffix = real_folder(path), suffix
        self.index = path.with_name(f"{path.name}.json")
        index = read(self.index, Index)
        self.digests: dict[str, str] = dict(index.files) if index else {}
        self.lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{self.suffix}"

    def get(self, key: str) -> Path | None:
        """The file for ``key``, if the store holds it intact."""
        known = self.digests.get(key)
        path = inside(self.folder, f"{key}{self.suffix}") if known else None
        return path if path and intact(path, known) else None

    def put(self, key: str, data: bytes) -> Path:
        write(self.path(key), data)
        self.add(key, sha256(data))
        return self.path(key)

    def add(self, key: str, digest: str) -> None:
        """A file that a worker wrote for ``key``."""
        with self.lock:
            self.digests[key] = digest

    def forget(self, key: str) -> None:
        """A file found damaged: gone, record and all."""
        with self.lock:
            self.digests.pop(key, None)
            self.path(key).unlink(missing_ok=True)

    def save(self, keep: set[str] | None = None) -> None:
        """Write the record; with ``keep``, first remove every file whose key is not in it."""
        with self.lock:
            if keep is not None:
                self.digests = {key: value for key, value in self.digests.items() if key in keep}
                for path in self.folder.glob(f"*{self.suffix}"):
                    if path.name.removesuffix(self.suffix) not in self.digests:
                        path.unlink(missing_ok=True)
            record(self.index, Index(files=self.digests))
