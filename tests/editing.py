"""Breaking a copy of a test content tree (tests/trees/) and reading the errors the loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from playbook.content import load
from playbook.errors import ContentError

HERE = "__value_under_test__"


def problems(content: Path) -> list[str]:
    """Every problem ``load`` reports for the tree, as printed; fails if the tree loads."""
    with pytest.raises(ContentError) as caught:
        load(content)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a test tree's file; return the 1-based line where it stood."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
    return line_of_text(text, old)


def line_of(path: Path, text: str) -> int:
    return line_of_text(path.read_text(), text)


def line_of_text(source: str, text: str) -> int:
    assert text in source, f"{text!r} not found"
    return source[: source.index(text)].count("\n") + 1


def set_value(path: Path, loc: tuple[str | int, ...], yaml_text: str) -> int:
    """Rewrite the file with the value at ``loc`` written as ``yaml_text`` (flow style); return its line.

    Works on the structure, not on phrases: any valid file of the right kind can be edited this way.
    """
    data = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    parent[loc[-1]] = HERE
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(text.replace(HERE, yaml_text, 1))
    return line_of_text(text, HERE)
