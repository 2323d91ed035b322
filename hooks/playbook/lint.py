"""Warnings about text that YAML or Markdown would silently change from what its author meant.

None of these is an error to either of them, so neither the schema nor a strict MkDocs build sees
them; the page just shows something else: a list item indented one space too far joins the item
above it, a list written right under a line of text becomes part of that paragraph, a line that
starts with ``#`` becomes a heading, a ``[[link]]`` broken between its brackets shows as text. Each
is reported at its line as a warning (an error under ``--strict``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import source
from .errors import Problem

ITEM = re.compile(r"(?:[-*+]|\d+\.)[ \t]+\S")  # a Markdown list item, once indentation is stripped
OWN_BLOCK = re.compile(r"#|<|\||>|```|~~~|!!!|\?\?\?")  # lines that are blocks of their own, not text
HASHTAG = re.compile(r"#+[^#\s]")  # "#hashtag", "#1": still a heading to Python-Markdown
SPLIT = re.compile(r"\[[ \t]*\n[ \t]*[\[@]|\][ \t]*\n[ \t]*\]")  # [ / [x]] or [[x] / ] or [ / @key]


def prose(doc: source.Document) -> list[Problem]:
    """What Markdown or YAML would change in any text value of ``doc``."""
    found: list[Problem] = []
    for loc, value in doc.strings():
        span = doc.spans[loc]
        written = doc.text[span.start : span.end]  # as in the file: lines before YAML joins them
        lines = [(span.line + n, message) for n, message in (*_joined_items(written, span), *_split(written))]
        lines += [(doc.text_line(loc, offset), message) for offset, message in _markdown(value)]
        found += [Problem(doc.name, line, message) for line, message in lines]
    return found


def _joined_items(written: str, span: source.Span) -> Iterator[tuple[int, str]]:
    """Outside a ``|`` block YAML joins a line to the one above with a space, so an item on a line of
    its own joins the text above: ``- one`` then `` - two``, one space further in, is the single item
    "one - two". Nothing joins across a blank line, to a ``>`` block's first line (the one above is
    its indicator), or to or from a line a ``>`` block indents further than its first: YAML keeps
    those breaks."""
    if span.style == "|":
        return
    lines = written.split("\n")
    first = 1 if span.style == ">" else 0  # the first line of text: a ">" block's indicator comes before
    base = _indent(next((line for line in lines[first:] if line.strip()), ""))
    for number in range(first + 1, len(lines)):
        line, above = lines[number], lines[number - 1]
        if not above.strip() or (span.style == ">" and max(_indent(line), _indent(above)) > base):
            continue
        if ITEM.match(line.strip()):
            yield (
                number,
                (
                    f"this line is read as more of the text above it ('... {line.strip()[:30]}'), not as a "
                    "new item: YAML joins it to that line. If it is a new item, line up its '-' with the "
                    "one above, or write the text as a '|' block"
                ),
            )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _markdown(value: str) -> Iterator[tuple[int, str]]:
    """Lists that Markdown runs into the paragraph above, and lines it makes headings."""
    block = None  # what the current block (lines since the last blank line) started as
    offset = 0
    lines = value.split("\n")
    for text in lines:
        at, offset = offset, offset + len(text) + 1
        stripped = text.strip()
        if not stripped:
            block = None
            continue
        if len(lines) > 1 and HASHTAG.match(stripped):
            yield (
                at,
                (
                    f"Markdown makes this line a heading ('{stripped[:30]}'); if the '#' is meant as text, "
                    r"write \# instead, or reword the line so it does not start with it"
                ),
            )
        elif len(lines) > 1 and stripped.startswith("# "):
            yield (
                at,
                (
                    "a top-level heading ('# ') inside the text: the page's title is its only one; use "
                    "'## ' for a section, or write \\# if the '#' is meant as text"
                ),
            )
        if ITEM.match(stripped) and block == "text":
            yield (
                at,
                (
                    "Markdown runs this list into the line of text above it, as one paragraph: put a blank "
                    "line before the list"
                ),
            )
            block = "joined"  # said once for the paragraph
            continue
        if block is None:
            block = "item" if ITEM.match(stripped) else "own" if OWN_BLOCK.match(stripped) else "text"
        if OWN_BLOCK.match(stripped):
            block = None if stripped.startswith("#") else block  # a heading is a block of one line


def _split(written: str) -> Iterator[tuple[int, str]]:
    for match in SPLIT.finditer(written):
        kind = "citation [@...]" if "@" in match[0] else "link [[...]]"
        yield (
            written.count("\n", 0, match.start()),
            (
                f"a {kind} is split across lines here, between its brackets, so it shows as text: keep "
                "its brackets together"
            ),
        )
