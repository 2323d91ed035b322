"""Load ``content/`` into a validated :class:`Playbook`, or raise one ContentError listing every problem.

Warnings (text that Markdown would show otherwise than meant, numbers the content contradicts) do not
stop the load: they travel with the Playbook, for the check and the build to print.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import brief, counts, lint, source
from .errors import ContentError, Problem
from .model import (
    Article,
    Bibliography,
    Brief,
    Canvas,
    Challenge,
    Evidence,
    Glossary,
    Home,
    Kind,
    Mindset,
    Pillar,
    Play,
    Recovery,
    Sections,
    Situations,
    Strategy,
    kind,
)

# Anything between the brackets is a reference, spaces too, so a mistyped one fails instead of showing.
PLAY_REF = re.compile(r"\[\[([^\]]*)\]\]")
CITE_REF = re.compile(r"\[@([^\]]*)\]")


@dataclass(frozen=True)
class Spec:
    """Where one kind of content lives and the model it must satisfy."""

    pattern: str
    model: type[BaseModel]
    attr: str
    many: bool = False


SPECS = (
    Spec("mindsets/*.yaml", Mindset, "mindsets", many=True),
    Spec("pillars/*.yaml", Pillar, "pillars", many=True),
    Spec("strategies/*.yaml", Strategy, "strategies", many=True),
    Spec("recovery.yaml", Recovery, "recovery"),
    Spec("sections.yaml", Sections, "sections"),
    Spec("perspective.yaml", Article, "perspective"),
    Spec("foundations.yaml", Article, "foundations"),
    Spec("culture.yaml", Article, "culture"),
    Spec("next-steps.yaml", Article, "next_steps"),
    Spec("evidence.yaml", Evidence, "evidence"),
    Spec("sources.yaml", Bibliography, "bibliography"),
    Spec("challenge.yaml", Challenge, "challenge"),
    Spec("canvases/*.yaml", Canvas, "canvases", many=True),
    Spec("situations.yaml", Situations, "situations"),
    Spec("glossary.yaml", Glossary, "glossary"),
    Spec("home.yaml", Home, "home"),
    Spec("brief.yaml", Brief, "brief"),
)


@dataclass(frozen=True)
class Playbook:
    """All content, validated and cross-checked; ``origin`` maps each play id to its file for edit links."""

    mindsets: tuple[Mindset, ...]
    pillars: tuple[Pillar, ...]
    strategies: tuple[Strategy, ...]
    recovery: Recovery
    sections: Sections
    perspective: Article
    foundations: Article
    culture: Article
    next_steps: Article
    evidence: Evidence
    bibliography: Bibliography
    challenge: Challenge
    canvases: tuple[Canvas, ...]
    situations: Situations
    glossary: Glossary
    home: Home
    brief: Brief
    origin: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()  # what the page may show other than its author meant (lint.py)

    @property
    def plays(self) -> tuple[Play, ...]:
        return (*self.mindsets, *self.pillars, *self.strategies, self.recovery)

    def play(self, play_id: str) -> Play | Canvas:
        """The play or worksheet with this id: ``[[id]]`` and ``related`` may name either."""
        return next(p for p in (*self.plays, *self.canvases) if p.id == play_id)


def load(root: Path) -> Playbook:
    """Read and validate every content file under ``root``; all problems are reported together."""
    root = root.absolute()  # so that "." is named after its folder
    if not root.is_dir():
        raise ContentError([Problem(f"{root.name}/", 1, "no such folder: the playbook's content lives here")])
    problems: list[Problem] = []
    values: dict[str, object] = {}
    docs: list[source.Document] = []
    models: dict[str, type[BaseModel]] = {}  # file name -> the model its data must satisfy
    origin: dict[str, str] = {}
    unread: list[source.Document] = []  # files that could not be parsed: what they define is unknown
    known: set[Path] = set()
    works: set[str] = set()  # files that describe the works cited
    for spec in SPECS:
        paths = sorted(root.glob(spec.pattern))
        known.update(paths)
        if not paths:
            problems.append(Problem(f"{root.name}/{spec.pattern}", 1, "file missing: the playbook needs it"))
        items = []
        for path in paths:
            rel = path.relative_to(root).as_posix()
            doc = source.read(path, f"{root.name}/{rel}")
            if doc.problems:
                unread.append(doc)
                continue
            docs.append(doc)
            if spec.model is Bibliography:
                works.add(doc.name)
            models[doc.name] = spec.model
            try:
                item = spec.model.model_validate(doc.data)
            except ValidationError as err:
                problems += [_schema_problem(doc, spec.model, e) for e in _root_causes(err.errors())]
                continue
            items.append(item)
            problems += [
                Problem(doc.name, doc.line(loc), message.format(line=doc.line(also[0])) if also else message)
                for loc, message, *also in item.problems()
            ]
            if isinstance(item, Play | Canvas):
                origin[item.id] = f"{root.name}/{rel}"
                if spec.many and path.stem != item.id:
                    problems.append(
                        Problem(
                            doc.name,
                            doc.line(("id",)),
                            f"id '{item.id}' must match the "
                            f"file name: rename the file to {item.id}.yaml or the id to {path.stem}",
                        )
                    )
        if spec.many:
            items.sort(key=lambda i: getattr(i, "number", 0))
            problems += _number_problems(spec, items, len(paths), docs)
            values[spec.attr] = tuple(items)
        elif items:
            values[spec.attr] = items[0]
    problems += _stray_files(root, known)
    problems += _reference_problems(docs, unread, models)
    if problems or unread:
        # a file that cannot be read comes first: the problems after it may follow from it
        raise ContentError([p for doc in unread for p in doc.problems], problems)
    book = Playbook(**values, origin=origin)  # type: ignore[arg-type]
    kinds = counts.sizes(book)
    problems = [p for doc in docs for p in counts.unknown(doc, kinds)]
    problems += brief.problems(book, {doc.name: doc for doc in docs}, f"{root.name}/brief.yaml")
    if problems:
        raise ContentError(problems)
    # the bibliography names works by their own titles ("Six strategies to build trust in ..."): not counts
    said = [p for doc in docs if doc.name not in works for p in counts.stated(doc, kinds)]
    return dataclasses.replace(
        book, warnings=tuple(sorted({*said, *(p for d in docs for p in lint.prose(d))}))
    )


def _stray_files(root: Path, known: set[Path]) -> list[Problem]:
    """Files the playbook would silently ignore: a ``.yml`` typo or a file in the wrong place."""
    problems = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(folder, d) not in known)
        for name in sorted(files):
            path = Path(folder, name)
            if name.startswith(".") or path in known:
                continue
            if path.suffix == ".yml":
                hint = f"content files end in .yaml: rename it to {path.stem}.yaml"
            else:
                hint = f"the playbook does not read it: move it out of {root.name}/"
            rel = f"{root.name}/{path.relative_to(root).as_posix()}"
            problems.append(Problem(rel, 1, f"unexpected file; {hint}"))
    return problems


def _number_problems(spec: Spec, items: list, expected: int, docs: list[source.Document]) -> list[Problem]:
    """Numbered plays must run 1, 2, 3... with no gap or repeat, since pages show them in that order."""
    counts = Counter(i.number for i in items if hasattr(i, "number"))
    by_id = {d.data["id"]: d for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    return [
        Problem(
            by_id[i.id].name,
            by_id[i.id].line(("number",)),
            f"number {i.number} "
            + (
                "is used by another file"
                if counts[i.number] > 1
                else f"leaves a gap: {spec.pattern} must be numbered 1 to {expected}"
            ),
        )
        for i in items
        if hasattr(i, "number") and (counts[i.number] > 1 or i.number > expected)
    ]


# In a file that cannot be parsed, the lines that would define an id or a citation key
DEFINITION = re.compile(r"^[ \t-]*(id|key):[ \t]*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?[ \t]*$", re.M)


def _salvage(doc: source.Document) -> dict[str, set[str]]:
    """The ids and keys an unparsable file most likely defines: its name, and its ``id:``/``key:`` lines.

    References to them are not reported: they are most likely right, and wrong only because the file
    that defines them could not be read.
    """
    found: dict[str, set[str]] = {"id": {Path(doc.name).stem}, "key": set()}
    for what, name in DEFINITION.findall(doc.text):
        found[what].add(name)
    return found


def _reference_problems(
    docs: list[source.Document], unread: list[source.Document], models: dict[str, type[BaseModel]]
) -> list[Problem]:
    """Every related id, citation key and inline [[id]] / [@key] in prose must name something that
    exists (in text, such as a title, they are shown as written)."""
    salvaged = [_salvage(doc) for doc in unread]
    plays: dict[str, object] = {i: None for found in salvaged for i in found["id"]}
    keys: set[str] = {k for found in salvaged for k in found["key"]}
    problems: list[Problem] = []
    for doc in docs:
        data = doc.data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            if plays.get(data["id"]):
                problems.append(
                    Problem(
                        doc.name,
                        doc.line(("id",)),
                        f"duplicate id '{data['id']}': {plays[data['id']].name} uses it too",
                    )
                )
            plays[data["id"]] = doc
        if isinstance(data, dict) and isinstance(data.get("sources"), list):
            keys |= {
                s["key"] for s in data["sources"] if isinstance(s, dict) and isinstance(s.get("key"), str)
            }
    # a worksheet is a file in canvases/ (an unreadable file is spared, as above)
    worksheets = {i for i, d in plays.items() if d is None or Path(d.name).parent.name == "canvases"}
    unknown = functools.partial(_unknown, unread=[doc.name for doc in unread])
    for doc in docs:
        problems += _duplicate_problems(doc, doc.data, ())
        for loc, value in _walk(doc.data, ()):
            parent = loc[-2] if len(loc) > 1 else None
            if not isinstance(value, str):
                continue  # the schema reports a number or a list where an id belongs
            if parent == "related" and value not in plays:
                problems.append(unknown(doc, loc, "related id", value, plays))
            elif parent == "worksheets" and value not in worksheets:
                problems.append(unknown(doc, loc, "worksheet id", value, worksheets))
            elif parent == "cite" and value not in keys:
                problems.append(unknown(doc, loc, "citation key", value, keys))
            elif kind(models[doc.name], loc) is Kind.PROSE:
                for m in PLAY_REF.finditer(value):
                    if m[1] not in plays:
                        problems.append(unknown(doc, loc, "link [[...]] to", m[1], plays, m.start()))
                for m in CITE_REF.finditer(value):
                    if m[1] not in keys:
                        problems.append(unknown(doc, loc, "citation [@...] of", m[1], keys, m.start()))
    return problems


def _unknown(
    doc: source.Document,
    loc: source.Loc,
    what: str,
    name: str,
    known,
    offset: int | None = None,
    unread: list[str] = (),
) -> Problem:
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif unread:
        hint = f"it may be defined in {', '.join(unread)}, which could not be read: fix that first"
    else:
        hint = "known: " + ", ".join(sorted(known))
    line = doc.line(loc) if offset is None else doc.text_line(loc, offset)
    if "\n" in name:
        return Problem(
            doc.name,
            line,
            f"the {what} '{' '.join(name.split())}' is split across lines: keep it on one line",
        )
    return Problem(doc.name, line, f"unknown {what} '{name}'; {hint}")


def _duplicate_problems(doc: source.Document, data: object, loc: source.Loc) -> list[Problem]:
    """Items in one list are addressed by id (or key), so two items may not share one."""
    problems: list[Problem] = []
    if isinstance(data, dict):
        for k, v in data.items():
            problems += _duplicate_problems(doc, v, (*loc, k))
    elif isinstance(data, list):
        seen: set[str] = set()
        for i, item in enumerate(data):
            name = item.get("id", item.get("key")) if isinstance(item, dict) else None
            if isinstance(name, str):
                if name in seen:
                    where = loc[-1] if loc else "this file"
                    problems.append(
                        Problem(doc.name, doc.line((*loc, i)), f"duplicate id '{name}' in {where}")
                    )
                seen.add(name)
            problems += _duplicate_problems(doc, item, (*loc, i))
    return problems


def _walk(data: object, loc: source.Loc) -> Iterator[tuple[source.Loc, object]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, (*loc, i))
    else:
        yield loc, data


def _root_causes(errors: list[dict]) -> list[dict]:
    """Drop an error on a list when an error inside that list explains it (a bad item leaves it short)."""
    locs = [tuple(e["loc"]) for e in errors]
    return [
        e
        for e, loc in zip(errors, locs, strict=True)
        if not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
    ]


def _schema_problem(doc: source.Document, model: type[BaseModel], error: dict) -> Problem:
    loc = tuple(error["loc"])
    where = ".".join(str(p) for p in loc) or "file"
    kind = error["type"]
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'" + _example(model, loc)
    elif kind == "extra_forbidden":
        allowed = ", ".join(_fields(model, loc[:-1]))
        message = f"unknown field '{loc[-1]}'; allowed here: {allowed}"
    elif kind == "model_type":
        message = f"{where}: expected a mapping of fields, got {_kind(error['input'])}"
    elif kind == "value_error":
        message = f"{where}: {error['ctx']['error']}"
    else:
        message = f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}" + _example(model, loc)
    return Problem(doc.name, doc.line(loc), message)


def _kind(value: object) -> str:
    kinds = {type(None): "nothing", str: "text", list: "a list", bool: "true or false", int: "a number"}
    return kinds.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def _inner(annotation):
    """Unwrap ``tuple[X, ...]`` and ``X | None`` down to ``X``."""
    while typing.get_origin(annotation) in (tuple, typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a not in (type(None), Ellipsis))
    return annotation


def _field(model: type[BaseModel], loc: source.Loc):
    """The pydantic FieldInfo at ``loc``, following nested models and tuples; None if there is none."""
    info, current = None, model
    for part in loc:
        if isinstance(part, int):
            continue
        if (
            not (isinstance(current, type) and issubclass(current, BaseModel))
            or part not in current.model_fields
        ):
            return None
        info = current.model_fields[part]
        current = _inner(info.annotation)
    return info


def _fields(model: type[BaseModel], loc: source.Loc) -> list[str]:
    info = _field(model, loc) if loc else None
    target = model if info is None else _inner(info.annotation)
    return list(target.model_fields) if isinstance(target, type) and issubclass(target, BaseModel) else []


def _example(model: type[BaseModel], loc: source.Loc) -> str:
    info = _field(model, loc)
    if info is None or not info.examples or not isinstance(loc[-1], str):
        return ""
    example = info.examples[0]
    shown = f"[{', '.join(map(str, example))}]" if isinstance(example, list) else example
    return f" (for example: {loc[-1]}: {shown})"
