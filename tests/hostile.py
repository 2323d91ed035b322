"""A content tree whose every text field (as the model declares it) holds a hostile string.

Each string is numbered, ``§n§`` ... ``§/n§``, so a checker can find every place it reached and see
whether it arrived whole. It holds what HTML, Markdown, Jinja, the playbook's own references and
scripts would read as markup, and starts with what opens a Markdown block.
"""

from __future__ import annotations

import re
import shutil
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel

from playbook.content import SPECS
from playbook.model import Kind, kind

# what opens a block of Markdown at the start of a line, one per string in turn
OPENINGS = ["# ", "- ", "1. ", "> ", "!!! note ", "=== ", "    "]
BODY = (
    'a < b & c <b class="pwned">b</b></script><script>pwned=1</script></title></textarea><!--'
    ' "q" onfocus="pwned=1" autofocus x=" \'q\' {{ count.strategies }} {% raw %} [[listen]] [@test-source]'
    " *x* _y_ `c` [l](/index.md) :smile: a|b \\* # -->"
)
NUMBERED = re.compile(r"§(\d+)§(.*?)§/\1§")


def hostile(n: int) -> str:
    return f"{OPENINGS[n % len(OPENINGS)]}§{n}§ {BODY} §/{n}§"


def write(source: Path, dest: Path) -> dict[int, Written]:
    """Copy the content tree ``source`` to ``dest`` with every text field replaced by a hostile string;
    returns what was written where, by number."""
    shutil.copytree(source, dest)
    written: dict[int, Written] = {}
    for spec in SPECS:
        for path in sorted(dest.glob(spec.pattern)):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for model, field, container, key in text_values(spec.model, data):
                n = len(written) + 1
                container[key] = hostile(n)
                written[n] = Written(path.relative_to(dest).as_posix(), model, field)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return written


@dataclass(frozen=True)
class Written:
    file: str  # in the content tree
    model: str  # the model and field it was written to: "Strategy", "title"
    field: str


def text_values(model: type[BaseModel], data: object) -> Iterator[tuple[str, str, dict | list, str | int]]:
    """Every value in ``data`` that the model declares as text: its model's and field's names, and
    where it sits (its container and key), following nested models."""
    if not isinstance(data, dict):
        return
    for name, value in data.items():
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            loc, place = ((name,), (data, name)) if index is None else ((name, index), (value, index))
            if isinstance(item, str) and kind(model, loc) is Kind.TEXT:
                yield model.__name__, name, *place
            elif isinstance(item, dict) and (inner := nested(model, name)):
                yield from text_values(inner, item)


def text_fields(model: type[BaseModel]) -> set[tuple[str, str]]:
    """Every field the model declares as text, as (model, field), in ``model`` and the models in it."""
    fields = set()
    for name in model.model_fields:
        if Kind.TEXT in (kind(model, (name,)), kind(model, (name, 0))):
            fields.add((model.__name__, name))
        if inner := nested(model, name):
            fields |= text_fields(inner)
    return fields


def nested(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of a field's value, or of its items (``X``, ``X | None``, ``tuple[X, ...]``)."""
    annotation = model.model_fields[name].annotation
    while typing.get_origin(annotation) in (tuple, typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a not in (type(None), Ellipsis))
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def mangled(text: str, wrapped: bool = False) -> list[str]:
    """Numbered strings in ``text`` that did not arrive as written, or only in part; whitespace aside,
    and with ``wrapped`` (text taken from a PDF, with line breaks after a slash or a hyphen) all of it."""
    squeeze = (lambda t: "".join(t.split())) if wrapped else (lambda t: " ".join(t.split()))
    text, expected = squeeze(text), squeeze(f" {BODY} ")
    whole = [m for m in NUMBERED.finditer(text)]
    starts = re.findall(r"§(\d+)§", text)
    broken = [f"§{m[1]}§{m[2]}" for m in whole if squeeze(m[2]) != expected]
    return broken + [f"§{n}§ without its end" for n in set(starts) - {m[1] for m in whole}]


def found(text: str, wrapped: bool = False) -> set[int]:
    """The numbers of the strings in ``text`` that arrived whole."""
    squeeze = (lambda t: "".join(t.split())) if wrapped else (lambda t: " ".join(t.split()))
    return {int(m[1]) for m in NUMBERED.finditer(squeeze(text)) if not mangled(m[0], wrapped)}


def held(text: str) -> set[int]:
    """The numbers of the strings ``text`` holds at least the start of."""
    return {int(n) for n in re.findall(r"§(\d+)§", text)}
