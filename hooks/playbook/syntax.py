"""YAML syntax errors told as an author would fix them: the line of the slip, what went wrong, an example.

PyYAML reports where its parser gave up, which is often lines after the slip ("could not find
expected ':'" at the next field, for a line dedented inside a ``|`` block), in its own terms. The
slips people make in content files are few: a line indented too little or too much, a ``: `` inside
a value, a value that starts with a character YAML reserves, an unclosed quote or bracket, a tab.
Each is recognised from PyYAML's message and the lines around it, and explained in plain words with
the line as it should be written.
"""

from __future__ import annotations

import re

import yaml

HEADER = re.compile(r"^\s*(?:- )?(?:[\w-]+:\s*)?[|>][+-]?[1-9]?\s*(?:#.*)?$")  # body: |   - >-
FIELD = re.compile(r"^(\s*)(?:- )?([\w-]+):(?:\s|$)")  # "  title: x" or "  - key: x"
VALUE = re.compile(r"^(\s*(?:- )?[\w-]+:\s+)(.*)$")  # the value after "name: "


def explain(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line to fix (1-based) and a sentence saying how."""
    lines = text.split("\n")
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    at = _line(getattr(error, "problem_mark", None), lines)
    start = _line(getattr(error, "context_mark", None), lines) or at
    if "tab" in problem or "\t" in _lead(lines, at):
        return (
            at,
            "this line is indented with a tab: YAML indents with spaces only; replace the tab with spaces",
        )
    if "simple key" in context:
        return start, _not_a_field(lines, start)
    if "quoted scalar" in context:
        return start, (
            "a quotation mark opened on this line is never closed: end the value with the same mark, "
            """as in title: "Listen first" (to show a quotation mark inside, wrap the value in the """
            """other kind: title: 'The "why" behind it')"""
        )
    if "flow sequence" in context or "flow mapping" in context:
        return start, (
            "a list in square brackets (or braces) starts on this line but is not closed, or lacks a "
            "comma between items: write it as related: [curiosity, speak-their-language]; if the value "
            "is text that starts with a bracket, put it in quotes: title: '[[curiosity]] first'"
        )
    if "alias" in context or "anchor" in context or "cannot start any token" in problem:
        return at, _quote(lines, at, "YAML reserves the character the value starts with")
    if "mapping values are not allowed" in problem:
        return at, _colon(lines, at)
    if "expected" in problem and ("key" in problem or "block end" in problem or "indicator" in problem):
        return at, _misaligned(lines, at)
    return at or 1, (
        f"YAML cannot read this line (it says: {problem}); compare its indentation and punctuation "
        "with the lines above it: a field reads 'name: value', a list item '- value'"
    )


def _line(mark, lines: list[str]) -> int:
    """A mark's 1-based line, kept inside the file (the end of the file is its last line)."""
    return min(mark.line + 1, len(lines)) if mark is not None else 0


def _lead(lines: list[str], number: int) -> str:
    """The spaces (or tabs) in front of line ``number``."""
    line = lines[number - 1] if number else ""
    return line[: len(line) - len(line.lstrip())]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _above(lines: list[str], number: int):
    """The non-blank, non-comment lines above line ``number``, nearest first, as (number, text)."""
    for n in range(number - 1, 0, -1):
        text = lines[n - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            yield n, text


def _written(indent: int, line: str) -> str:
    spaces = f"{indent} space{'s' if indent != 1 else ''}" if indent else "no space"
    text = line.strip()
    return f'"{" " * indent}{text if len(text) <= 40 else text[:36] + " ..."}" ({spaces} before it)'


def _out_of_block(lines: list[str], number: int) -> str | None:
    """If the line is text dedented out of a ``|`` or ``>`` block above it: how to indent it back."""
    line, block_indent = lines[number - 1], None
    for n, text in _above(lines, number):
        if _indent(text) > _indent(line):
            block_indent = _indent(text)
            continue
        if HEADER.match(text) and block_indent is not None:
            return (
                f"this line is indented less than the text above it, so it ends the text of "
                f"'{text.strip()}' (line {n}) and is read as a new field, which it is not; indent it "
                f"like the lines above it: {_written(block_indent, line)}"
            )
        return None
    return None


def _not_a_field(lines: list[str], number: int) -> str:
    """A line YAML took for a new field, with no ``name:``: most often text dedented out of its block."""
    return _out_of_block(lines, number) or (
        "this line is read as a new field, but has no 'name:' in front; write it as 'name: value' "
        "(for example: title: Listen first), or, if it continues the text above, indent it like that text"
    )


def _colon(lines: list[str], number: int) -> str:
    """``mapping values are not allowed``: a field indented into the value above, or ': ' in a value."""
    line = lines[number - 1]
    previous = next(_above(lines, number), None)
    if previous and FIELD.match(line) and _indent(line) > _indent(previous[1]) and FIELD.match(previous[1]):
        field = FIELD.match(previous[1])
        indent = len(field[1]) + (2 if previous[1].lstrip().startswith("- ") else 0)
        return (
            f"this line is indented more than the field on line {previous[0]}, so it is read as more of "
            f"that field's value, and then its ':' makes no sense; line it up with the field above: "
            f"{_written(indent, line)}"
        )
    return _quote(lines, number, "a ': ' inside a value makes YAML read a new field there")


def _quote(lines: list[str], number: int, why: str) -> str:
    line = lines[number - 1]
    value = VALUE.match(line)
    if value is None:
        return f"{why}: put the value in quotes, as in title: 'Price: the real cost'"
    quoted = "'" + value[2].replace("'", "''") + "'"
    return f"{why}: put the whole value in quotes: {value[1].strip()} {quoted}"


def _misaligned(lines: list[str], number: int) -> str:
    """A field or item whose indentation matches nothing around it."""
    line = lines[number - 1]
    value = VALUE.match(line)
    if out := _out_of_block(lines, number):
        return out
    if value and value[2][:1] in "[{\"'" and not _closed(value[2]):
        return _quote(
            lines, number, "a value that starts with a bracket or a quotation mark must end with it"
        )
    if line.lstrip().startswith("- "):
        for n, text in _above(lines, number):
            if text.lstrip().startswith("- "):
                return (
                    f"this list item is not lined up with the one on line {n}: items of one list start "
                    f"at the same column; write it as {_written(_indent(text), line)}"
                )
    n, text = next(_above(lines, number), (0, ""))
    field = FIELD.match(text)
    if field and not line.lstrip().startswith("- "):
        indent = len(field[1]) + (2 if text.lstrip().startswith("- ") else 0)
        return (
            f"this line is not lined up with the fields around it: a field lines up with the one above "
            f"it ('{field[2]}:' on line {n}), and a list item's fields with the first one after its "
            f"'- '; write it as {_written(indent, line)}"
        )
    return (
        "this line is not lined up with the lines around it: fields of one mapping, and items of one "
        "list, start at the same column, with spaces only"
    )


def _closed(value: str) -> bool:
    """A flow value or quoted string that ends where the line does (then the slip is elsewhere)."""
    pairs = {"[": "]", "{": "}", '"': '"', "'": "'"}
    return value.rstrip().endswith(pairs[value[0]])
