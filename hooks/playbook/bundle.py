"""The offline bundle: the whole built site in one zip, to unzip anywhere and open from disk.

Pages work from ``file://`` (Material's offline plugin, relative links, search index inlined), so the
zip is simply every file of the site under one folder. It is made last, after every PDF and calendar
file, and never contains itself. A rebuild that changed no file reuses the zip made before.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .cache import place
from .plan import BUNDLE

NAME = BUNDLE
FOLDER = "negotiation-playbook"  # unzipping gives one folder, not files spilled over the desktop


def write(site_dir: Path, cache_dir: Path) -> Path:
    """Zip ``site_dir`` into ``site_dir/NAME``, reusing the cached zip of identical files."""
    target = site_dir / NAME
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and p != target)
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.relative_to(site_dir).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    cached = cache_dir / f"{digest.hexdigest()}.zip"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("*.zip"):  # one site's zip is enough to keep
            old.unlink()
        partial = cached.with_suffix(".tmp")
        # made again after every edit: zlib's fastest level takes half the time of its default, for
        # a zip about a tenth larger
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for path in files:
                archive.write(path, f"{FOLDER}/{path.relative_to(site_dir).as_posix()}")
        partial.replace(cached)  # atomic: an interrupted build leaves no broken zip to reuse
    place(cached, target)
    return target
