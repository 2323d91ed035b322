"""Jinja templates compiled once per process and kept in memory, never in a file."""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class Compiled(BytecodeCache):
    """Templates compiled once per process, for every environment that uses this cache, and kept in
    memory only: a compiled template is code, and no file may hand code to a build. Jinja names
    each by its template and checks the hash of its source, so an edited template is compiled again
    (under ``mkdocs serve``)."""

    def __init__(self):
        self.code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)
