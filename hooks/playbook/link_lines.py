"""Give MkDocs' link warnings the file and line they come from, which MkDocs itself leaves out.

MkDocs checks every link but names only the page (``Doc file 'about/authoring.md' contains a link
...``). A logging filter finds the link in the file an author edits (the page under ``docs/``, or
the ``content/`` file a generated page comes from) and puts ``file:line:`` in front, as the content
errors do.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

LINK_WARNING = re.compile(
    r"^Doc file '(?P<page>[^']+)' contains an? (?:\w+ )*?link (?:to )?'(?P<link>[^']+)'"
)
LOGGER = logging.getLogger("mkdocs.structure.pages")


class LinkLines(logging.Filter):
    """Prefixes link warnings with ``file:line:``; ``origins`` maps generated pages to their content file."""

    def __init__(self, root: Path, docs_dir: Path, origins: dict[str, str]):
        super().__init__()
        self.root, self.docs_dir, self.origins = root, docs_dir, origins

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        match = LINK_WARNING.match(message)
        where = match and self.locate(match["page"], match["link"])
        if where:
            record.msg, record.args = f"{where}: {message}", ()
        return True

    def locate(self, page: str, link: str) -> str | None:
        origin = self.origins.get(page)
        path = self.root / origin if origin else self.docs_dir / page
        if not path.is_file():
            return None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if link in line:
                return f"{path.relative_to(self.root).as_posix()}:{number}"
        return None


def install(root: Path, docs_dir: Path, origins: dict[str, str]) -> None:
    """Replace any filter from an earlier build (``mkdocs serve`` rebuilds in the same process)."""
    for old in [f for f in LOGGER.filters if isinstance(f, LinkLines)]:
        LOGGER.removeFilter(old)
    LOGGER.addFilter(LinkLines(root, docs_dir, origins))
