"""Read YAML while keeping the line of every node, so schema errors can name their line too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem

# libyaml's C loader is about ten times faster than the pure Python one; use it when present.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed YAML file: its data, its path for messages, and the line of every key and item."""

    name: str
    data: object
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of the deepest node along ``loc`` that exists (a missing key points at its parent)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def text_line(self, loc: Loc, offset: int) -> int:
        """The line of character ``offset`` inside the string at ``loc`` (exact for ``|`` blocks)."""
        text = self.at(loc)
        block = self.lines.get((*loc, "|"))
        if block is None or not isinstance(text, str):
            return self.line(loc)
        return block + text.count("\n", 0, offset)

    def at(self, loc: Loc) -> object:
        value = self.data
        for part in loc:
            value = value[part]  # type: ignore[index]
        return value


def read(path: Path, name: str) -> Document | Problem:
    """Parse one YAML file; a syntax error becomes a Problem with the line where the parser stopped."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        return Problem(name, 1, f"not valid UTF-8 text ({err.reason}); save the file as UTF-8")
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(filter(None, [err.context, err.problem]))
        return Problem(name, line, f"YAML syntax error: {what}")
    finally:
        loader.dispose()
    doc = Document(name, data)
    if node is not None:
        _index(node, (), doc.lines)
    return doc


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, key.value)
            lines[child] = key.start_mark.line + 1
            _index(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines)
    elif isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        # a block scalar's text starts on the line after its indicator
        lines[(*loc, "|")] = node.start_mark.line + 2
