"""Content problems, collected so that one build reports all of them at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

# under MkDocs' own logger, so that a warning fails `mkdocs build --strict`
log = logging.getLogger("mkdocs.plugins.playbook")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file, pointing at the line to fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised once per load with every problem found, sorted by file and line.

    ``first`` are the problems that may cause others (a file that cannot be read): they lead the list.
    """

    def __init__(self, first: list[Problem], then: list[Problem] = ()):
        self.problems = sorted(set(first)) + sorted(set(then) - set(first))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in content/:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


def warn(problems: tuple[Problem, ...]) -> None:
    """Log each warning as the build's own (a strict build then stops on it)."""
    for problem in problems:
        log.warning(str(problem))
