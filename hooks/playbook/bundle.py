"""The offline bundle: the whole built site in one zip, to unzip anywhere and open from disk.

Pages work from ``file://`` (Material's offline plugin, relative links, search index inlined), so the
zip is simply every file of the site under one folder, itself excepted. It is kept in the cache under
the digest of what made it (the site's files, their date and the code), and made again only when
one of them changed.

The same files give the same bytes: the files MkDocs wrote in name order, then the files made beside
the pages (the PDFs) in name order, each dated ``SOURCE_DATE_EPOCH`` (without it, 1980-01-01, the
zip format's first day) and readable by all, whatever the times and permissions in ``site/``. The
two groups let a build compress MkDocs' files while its PDFs are still being laid out, and add the
PDFs that come before the handbook in that order while the handbook is still being joined.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from collections.abc import Collection
from pathlib import Path

from .cache import Store

NAME = "negotiation-playbook-offline.zip"  # linked from the home page (content/home.yaml)
FOLDER = "negotiation-playbook"  # unzipping gives one folder, not files spilled over the desktop
# compressed already: deflating them again takes time and saves a few percent at most
STORED = (".pdf", ".zip", ".gz", ".png", ".jpg", ".jpeg", ".woff", ".woff2")
FIRST_DAY = 315532800  # 1980-01-01 00:00 UTC: zip dates start there


class Zip:
    """The zip of a site: ``outputs`` are the files made beside the pages (the PDFs); ``compress``
    takes MkDocs' files and the outputs ready so far, ``finish`` the rest. ``epoch``: the date of
    every entry, in seconds (``SOURCE_DATE_EPOCH``); ``code``: the digest of the code that zips, part
    of the key with it."""

    def __init__(self, site_dir: Path, outputs: Collection[str], epoch: int, code: str):
        self.site_dir = site_dir
        names = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
        pages = sorted(set(names) - {*outputs, NAME})
        self.order = [*pages, *sorted(outputs)]  # the zip's: MkDocs' files, then the files beside them
        self.pages = len(pages)  # how many of them are MkDocs'
        self.date = time.gmtime(max(FIRST_DAY, epoch))[:6]
        # the key: what made the zip (the code, the date), then every file's name and bytes in its order
        self.key = hashlib.sha256(f"{code}\0{self.date}\0".encode())
        self.read = 0  # of the files in that order, how many the key holds
        self.out = io.BytesIO()
        self.archive = zipfile.ZipFile(self.out, "w")

    def compress(self, ready: Collection[str] = ()) -> None:
        """Into the zip, in its order and as far as they are in the site: MkDocs' files, then those of
        the files beside the pages that are ``ready``."""
        while self.read < len(self.order) and (self.read < self.pages or self.order[self.read] in ready):
            name = self.order[self.read]
            self._add(name, self._read(name))

    def finish(self, cache_dir: Path) -> tuple[Path, str]:
        """The zip in the cache, and its SHA-256: the one made before from the same files, or this one."""
        store = Store(cache_dir, ".zip")
        rest = self.order[self.read :]
        for name in rest:
            self._read(name)
        key = self.key.hexdigest()
        cached = store.get(key)
        if cached is None:
            for name in rest:
                self._add(name, (self.site_dir / name).read_bytes())
            self.archive.close()
            cached = store.put(key, self.out.getvalue())
        store.save(keep={key})  # one site's zip is enough to keep
        return cached, store.digests[key]

    def _read(self, name: str) -> bytes:
        """A file's bytes, added to the key."""
        data = (self.site_dir / name).read_bytes()
        self.key.update(f"{name}\0{len(data)}\0".encode())
        self.key.update(data)
        self.read += 1
        return data

    def _add(self, name: str, data: bytes) -> None:
        entry = zipfile.ZipInfo(f"{FOLDER}/{name}", self.date)
        entry.create_system = 3  # Unix, so that the permissions below are read
        entry.external_attr = 0o100644 << 16  # a plain file, readable by all
        entry.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
        # zlib's fastest level: half the time of its default, for a zip about a tenth larger
        self.archive.writestr(entry, data, compresslevel=1)
