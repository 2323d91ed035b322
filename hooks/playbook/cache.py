"""Cached build outputs (PDFs, the offline zip) and how they reach the site."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path


def place(cached: Path, target: Path) -> None:
    """Put a cached file into the site as a hard link, so a warm build copies no megabytes of PDF.

    Falls back to a copy where a link cannot be made (the site on another file system than the cache).
    Nothing writes into these files afterwards, so sharing them with the cache is safe. The new file
    replaces the old in one step: a server never finds the target missing or half written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    try:
        os.link(cached, partial)
    except OSError:
        shutil.copyfile(cached, partial)
    partial.replace(target)
