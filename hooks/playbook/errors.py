"""Content problems, collected so that one build reports all of them at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file, pointing at the line to fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised once per load with every problem found, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in content/:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))
