"""What a build's outputs are made from, as SHA-256 digests: the bytes of the files it reads, the
configuration as MkDocs resolved it, the package's code, and the libraries and fonts that shape
the output.

Every reused result is keyed by these, never by files' times or sizes, which a restore, a branch
switch or an editor can keep while the bytes change. Hashing is cheap next to a build: the whole
project (content/, docs/, the package) takes a few milliseconds at 1x.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys
import types
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from msgspec import Struct

import playbook

from .cache import Sha256

# Python libraries whose versions change what a build writes: the pages (MkDocs, Material, Markdown
# and its extensions, Jinja, YAML, pydantic and msgspec, which read the content and the settings) and
# the PDFs (WeasyPrint and what it writes and reads fonts with, pikepdf).
LIBRARIES = (
    "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe", "pyyaml",
    "pydantic", "msgspec", "weasyprint", "pydyf", "pikepdf", "fonttools", "tinycss2", "cssselect2",
    "pillow",
)  # fmt: skip
# Where a build goes or how it reports, not what it writes: left out, so that `mkdocs serve` (its own
# site folder) or `--strict` does not make an unchanged project look changed.
NOT_OUTPUT = ("config_file_path", "site_dir", "docs_dir", "watch", "dev_addr", "strict")
ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # in a repr: differs in every process


class Inputs(Struct, frozen=True, forbid_unknown_fields=True):
    """One build's inputs, digested: what a build was made from, recorded for the next one."""

    sources: dict[str, Sha256]  # every file the build reads (see ``sources``)
    config: Sha256
    code: Sha256
    tools: Sha256

    @classmethod
    def of(cls, root: Path, docs: Path, config: Mapping, epoch: int) -> Inputs:
        _fc_list()  # started now, read by tools() once the files are hashed
        found = sources(root, docs, config)
        return cls(sources=found, config=configuration(config, epoch), code=code(), tools=tools())

    def edited(self, last: Inputs) -> int | None:
        """How many files differ from ``last``'s, if nothing else does (the same configuration,
        code and tools): an edit. None: more than the files changed."""
        if (self.config, self.code, self.tools) != (last.config, last.code, last.tools):
            return None
        names = self.sources.keys() | last.sources.keys()
        return sum(self.sources.get(name) != last.sources.get(name) for name in names)


def sources(root: Path, docs: Path, config: Mapping) -> dict[str, str]:
    """Every file the build reads, by name: ``content/``, the docs folder, the theme's folder of
    overrides if it has one, and the configuration file named on the command line; the SHA-256 of
    its bytes."""
    custom = getattr(config.get("theme"), "custom_dir", None)
    folders = {"content": root / "content", "docs": docs, **({"theme": Path(custom)} if custom else {})}
    found = {f"{label}/{name}": sha for label, folder in folders.items() for name, sha in _files(folder)}
    used = Path(config["config_file_path"])
    found[f"config/{used.name}"] = _digest(used.read_bytes())
    return found


def tree(folder: Path) -> str:
    """Every file under ``folder``: its name relative to it, and its bytes."""
    return _digest(json.dumps(dict(_files(folder))).encode())


def _files(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path.relative_to(folder).as_posix(), _digest(path.read_bytes())


def code() -> str:
    """The package's code and templates, as they are now (templates may change under serve)."""
    return tree(Path(playbook.__file__).parent)


def configuration(config: Mapping, epoch: int) -> str:
    """The configuration as MkDocs hands it to the hook: after ``-f``, ``!ENV``, ``INHERIT`` and
    the command line, plugins' options and hooks' code included; and ``epoch``, the date a
    reproducible build gives its files (``SOURCE_DATE_EPOCH``, as :mod:`playbook.outputs` read it)."""
    values = {key: plain(value) for key, value in config.items() if key not in NOT_OUTPUT}
    values["SOURCE_DATE_EPOCH"] = epoch
    return _digest(json.dumps(values, sort_keys=True).encode())


def plain(value: object) -> object:
    """``value`` as JSON that says the same thing in every process (no object addresses).

    Functions and classes (``!!python/name:`` in mkdocs.yml) are named; a plugin is its class and
    its options; a hook is its name and its file's bytes; anything else is its ``repr``, or only its
    type if the ``repr`` names an address in memory.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(json.dumps(plain(item), sort_keys=True) for item in value)
    if isinstance(value, types.ModuleType):
        source = getattr(value, "__file__", None)
        return {"module": value.__name__, "sha256": _digest(Path(source).read_bytes()) if source else None}
    if isinstance(value, type | types.FunctionType | types.BuiltinFunctionType | types.MethodType):
        return f"{value.__module__}.{value.__qualname__}"
    options = getattr(value, "config", None)
    if isinstance(options, Mapping):  # a plugin
        return {"plugin": _name(type(value)), "config": plain(options)}
    text = repr(value)
    return {"type": _name(type(value))} if ADDRESS.search(text) else text


@functools.cache
def renderer() -> str:
    """What turns a document into a PDF, besides the document: the package's code as this process
    loaded it, and the tools. Part of every PDF's cache key."""
    return _digest(f"{code()}\n{tools()}".encode())


@functools.cache
def tools() -> str:
    """The versions of Python, zlib and the libraries in ``LIBRARIES``, and the fonts fontconfig
    offers WeasyPrint (each file and its version, as ``fc-list`` tells them). Read once a process."""
    installed = _installed()
    versions = {name: installed.get(name) or _version(name) for name in LIBRARIES}
    versions |= {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION, "fonts": _fonts()}
    return _digest(json.dumps(versions, sort_keys=True).encode())


@functools.cache
def _fonts() -> str:
    listing = _fc_list()
    listed = listing.communicate()[0] if listing else "fc-list not found"
    return _digest("\n".join(sorted(listed.splitlines())).encode())


@functools.cache
def _fc_list() -> subprocess.Popen | None:
    """``fc-list``, started at once: it answers in about 10 ms, on another core, while the files
    are hashed."""
    command = ["fc-list", "--format", "%{file}\t%{fontversion}\n"]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:  # fontconfig's tools are not installed: the fonts go unnamed
        return None


def _installed() -> dict[str, str]:
    """Installed distributions' versions, from the names of their ``.dist-info`` folders: one look
    at each folder of the path (reading each one's metadata, as importlib.metadata does, takes 20
    times as long)."""
    found: dict[str, str] = {}
    for folder in sys.path:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder or "."):
                if name.endswith(".dist-info"):
                    project, _, version = name.removesuffix(".dist-info").partition("-")
                    found.setdefault(re.sub(r"[-_.]+", "-", project).lower(), version)
    return found


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
