"""Read a content file as plain data, keeping the line of every node so any problem can name its line.

Content needs mappings, lists and scalars, nothing else, so this reader builds exactly those from
PyYAML's node tree itself instead of using PyYAML's constructors: keys are text, scalars resolve as
YAML 1.2's core schema says (``yes``, ``1:30`` and ``2024-02-30`` stay text), and the YAML features
content never needs (aliases, tags such as ``!!binary`` or ``!!set``, a key given twice, nesting
deeper than any content file) are refused at their line instead of being built. Nothing it reads can
raise: every problem becomes a :class:`Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from . import syntax
from .errors import Problem

Loc = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
MAX_DEPTH = 32  # content files nest about eight levels; this bounds the reader's recursion
# YAML's printable characters, minus the line breaks it counts but editors do not (NEL, LS, PS)
FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# libyaml's C parser is about ten times faster than the pure Python one; use it when present.
class Composer(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
    """PyYAML's parser and composer (no constructor), resolving plain scalars by YAML 1.2's core schema."""


for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+.0123456789",
    ),
):
    Composer.add_implicit_resolver(TAG + _tag, re.compile(f"^(?:{_pattern})$"), list(_first))


class Span(NamedTuple):
    """Where a scalar is written: its first and last character in the file, its first line, its style."""

    start: int
    end: int
    line: int
    style: str | None  # "|" or ">" for blocks, a quote mark for quoted text, None for plain


@dataclass
class Document:
    """A parsed file: its data, its path for messages, its text and the line and span of every node."""

    name: str
    data: object = None
    text: str = ""
    lines: dict[Loc, int] = field(default_factory=dict)
    spans: dict[Loc, Span] = field(default_factory=dict)  # where each scalar is in ``text``
    problems: list[Problem] = field(default_factory=list)  # what made the file unreadable, if anything

    def line(self, loc: Loc) -> int:
        """The line of the deepest node along ``loc`` that exists (a missing key points at its parent)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def text_line(self, loc: Loc, offset: int) -> int:
        """The line of character ``offset`` of the string at ``loc``, in any style (``|``, ``>``, quoted).

        Folding turns line breaks into spaces, so the word at ``offset`` is looked up in the source
        instead: the same occurrence of the same run of non-space characters.
        """
        value, span = self.at(loc), self.spans.get(loc)
        words = value[offset:].split(maxsplit=1) if isinstance(value, str) else []
        if span is None or not words:
            return self.line(loc)
        word, source = words[0], self.text[span.start : span.end]
        at = -1
        for _ in range(value.count(word, 0, offset) + 1):
            at = source.find(word, at + len(word) if at >= 0 else 0)
            if at < 0:
                return self.line(loc)
        return span.line + source.count("\n", 0, at)

    def strings(self) -> Iterator[tuple[Loc, str]]:
        """Every text value of the file, with its place."""
        for loc in self.spans:
            value = self.at(loc)
            if isinstance(value, str):
                yield loc, value

    def at(self, loc: Loc) -> object:
        value = self.data
        for part in loc:
            value = value[part]  # type: ignore[index]
        return value


def read(path: Path, name: str) -> Document:
    """Parse one file; whatever is wrong with it is in ``problems``, with the line to fix."""
    doc = Document(name)
    try:
        raw = path.read_bytes()
    except OSError as err:
        if path.is_dir():
            why = "it is a folder, not a file: move or rename it"
        elif path.is_symlink() and not path.exists():
            why = f"it is a link to {path.readlink()}, which does not exist"
        else:
            why = (err.strerror or str(err)).lower()
        doc.problems.append(Problem(name, 1, f"cannot be read: {why}"))
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        doc.problems.append(
            Problem(name, line, f"not valid UTF-8 text ({err.reason}); save the file as UTF-8")
        )
        return doc
    doc.text = text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line_text in enumerate(text.split("\n"), 1):
        if bad := FORBIDDEN.search(line_text):
            doc.problems.append(
                Problem(name, number, f"character U+{ord(bad[0]):04X} is not allowed in YAML; remove it")
            )
    if doc.problems:
        return doc
    composer = Composer(text)
    try:
        node = composer.get_single_node()
        if node is not None:
            builder = _Builder(doc, composer.resolve)
            doc.data = builder.build(node, ())
            if builder.aliased:
                doc.problems += [Problem(name, line, ALIAS) for line in _alias_lines(text)]
    except yaml.YAMLError as err:
        line, message = syntax.explain(err, text)
        doc.problems.append(Problem(name, line, f"YAML syntax error: {message}"))
    finally:
        composer.dispose()
    return doc


class _Builder:
    """Turns nodes into dicts, lists and scalars, recording lines and refusing what content cannot use."""

    def __init__(self, doc: Document, resolve):
        self.doc, self.resolve = doc, resolve
        self.seen: set[int] = set()  # a node met twice is an alias: repeated, or inside itself
        self.aliased = False

    def refuse(self, node: yaml.Node, message: str) -> None:
        self.doc.problems.append(Problem(self.doc.name, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node, loc: Loc) -> object:
        self.doc.lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in self.seen:
            self.aliased = True  # not built again: a few aliases could expand to millions of nodes
            return None
        self.seen.add(id(node))
        if len(loc) > MAX_DEPTH:
            return self.refuse(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark, node.end_mark
            self.doc.spans[loc] = Span(start.index, end.index, start.line + 1, node.style)
            return self.scalar(node)
        if node.tag not in (TAG + "seq", TAG + "map"):
            return self.refuse(node, f"the tag {_short(node.tag)} is not used in content files; remove it")
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        mapping: dict[str, object] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.refuse(key_node, "a key must be plain text, such as a field name")
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            if key in first:
                self.refuse(
                    key_node, f"key '{key}' appears twice here (lines {first[key]} and {line}): keep one"
                )
            first.setdefault(key, line)
            self.doc.lines[(*loc, key)] = line
            mapping[key] = self.build(value_node, (*loc, key))
        return mapping

    def scalar(self, node: yaml.ScalarNode) -> object:
        """A string, or for the core tags an int, float, bool or None; a bad tagged value is refused."""
        kind, value = node.tag.removeprefix(TAG), node.value
        if kind == "str":
            return value
        if kind not in ("null", "bool", "int", "float"):
            return self.refuse(node, f"the tag {_short(node.tag)} is not used in content files; remove it")
        plain = self.resolve(yaml.ScalarNode, value, (True, False)).removeprefix(TAG)
        if plain != kind and (kind, plain) != ("float", "int"):
            return self.refuse(node, f"'{value[:40]}' is not a valid {kind}")
        if kind == "null":
            return None
        if kind == "bool":
            return value.lower() == "true"
        if kind == "float":
            return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
        try:
            return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
        except ValueError:  # more digits than Python converts (4,300)
            return self.refuse(node, f"the number {value[:20]}... has too many digits")


def _alias_lines(text: str) -> list[int]:
    """The lines of the file's aliases, which its node tree no longer tells apart from their anchors."""
    parser = Composer(text)
    try:
        lines = []
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent):
                lines.append(event.start_mark.line + 1)
        return lines
    finally:
        parser.dispose()


ALIAS = "an alias (*name) repeats a value here: content files do not use aliases; write the value out"


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag
