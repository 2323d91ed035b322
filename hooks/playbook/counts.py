"""How many strategies, pillars, worksheets... the content holds, for prose and templates to say.

"Six strategies" goes stale the day a seventh is added. Prose says ``{{ count.strategies }}``
("six"), ``{{ Count.strategies }}`` ("Six") or ``{{ digits.strategies }}`` ("6") instead, and
templates use the same names. Where a text states a number in words or digits before one of these
nouns ("the four pillars", "Six strategies") and it is not the content's, the check warns at its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import source
from .errors import Problem

SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SUBSTITUTION = re.compile(r"\{\{\s*(count|Count|digits)\.(\w+)\s*\}\}")
NOUNS = ("mindsets", "pillars", "strategies", "worksheets")  # the kinds whose stated numbers are checked


def words(number: int) -> str:
    """The number in English words up to ninety-nine ("twenty-one"), in digits above."""
    if number < 20:
        return SMALL[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens - 2] + (f"-{SMALL[ones]}" if ones else "")
    return str(number)


def sizes(book) -> dict[str, int]:
    """How many of each countable kind ``book`` (a Playbook) holds, by the name prose uses."""
    return {
        "mindsets": len(book.mindsets),
        "pillars": len(book.pillars),
        "strategies": len(book.strategies),
        "worksheets": len(book.canvases),
        "plays": len(book.plays),
        "situations": len(book.situations.situations),
        "terms": len(book.glossary.terms),
        "sources": len(book.bibliography.sources),
    }


def forms(book) -> dict[str, dict[str, str]]:
    """``{"count": {"strategies": "six"}, "Count": {...: "Six"}, "digits": {...: "6"}}``: Jinja globals."""
    numbers = sizes(book)
    said = {kind: words(n) for kind, n in numbers.items()}
    return {
        "count": said,
        "Count": {kind: text[0].upper() + text[1:] for kind, text in said.items()},
        "digits": {kind: str(n) for kind, n in numbers.items()},
    }


def fill(text: str, said: dict[str, dict[str, str]]) -> str:
    """Prose with each ``{{ count.kind }}`` replaced by its words (``said`` is ``forms(book)``)."""
    return SUBSTITUTION.sub(lambda m: said[m[1]][m[2]], text)


def unknown(doc: source.Document, kinds: dict[str, int]) -> list[Problem]:
    """Substitutions naming nothing the content counts: errors, since they would show as written."""
    return [
        Problem(
            doc.name,
            doc.text_line(loc, m.start()),
            f"'{m[0]}' counts nothing the playbook knows: write {m[1]}. followed by one of "
            + ", ".join(kinds),
        )
        for loc, value in doc.strings()
        for m in SUBSTITUTION.finditer(value)
        if m[2] not in kinds
    ]


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else SMALL.index(word) if word in SMALL else None


# a number before a noun it counts, stated as a count: after "the", "all", "these"... or as the first
# word of a title or sentence ("Six strategies"); "combine two strategies" counts nothing
STATED = re.compile(
    r"(?:\b(?P<det>the|all|these|those|our|its|their|your)\s+|\b)"
    rf"(?P<number>{'|'.join(SMALL[2:])}|\d+)\s+(?:[a-z]+(?:-[a-z]+)*\s+)?"
    rf"(?P<noun>{'|'.join(NOUNS)})\b",
    re.IGNORECASE,
)


def stated(doc: source.Document, kinds: dict[str, int]) -> Iterator[Problem]:
    """Warnings where the text says how many there are, and the content holds another number."""
    for loc, value in doc.strings():
        for m in STATED.finditer(value):
            number, noun = _number(m["number"]), m["noun"].lower()
            if not (m["det"] or m["number"][0].isupper()) or number == kinds[noun]:
                continue
            yield Problem(
                doc.name,
                doc.text_line(loc, m.start("number")),
                f"says '{m[0].strip()}' but the playbook has {kinds[noun]} {noun}: in prose, write "
                f"{{{{ count.{noun} }}}} (or Count., digits.) to say it from the content; elsewhere, "
                "change the number",
            )
