"""Settings an organisation writes in mkdocs.yml (``extra.brand``, ``extra.outputs``), checked.

They are read on every build, one that reuses everything included, so they are msgspec structs
(msgspec loads in a few milliseconds, where pydantic, which checks the content, takes a tenth of
such a build). Every wrong setting is named at once, each with what it should be: the description
in its field's ``Meta``.
"""

from __future__ import annotations

import typing
from typing import TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


def read(value: object, kind: type[S], where: str, error: type[Exception], **fixed: object) -> S:
    """``value`` (None: nothing written) as a ``kind``, text converted as ``!ENV`` gives it; the
    fields in ``fixed`` come from elsewhere and cannot be written. Raises ``error``, one line per
    wrong setting, each starting with ``where`` and the setting's name."""
    given = {} if value is None else value
    if isinstance(given, dict) and not fixed.keys() & given.keys():
        try:
            return msgspec.convert({**given, **fixed}, kind, strict=False)
        except msgspec.ValidationError:
            pass
    raise error("\n".join(problems(given, kind, where, fixed.keys())))


def problems(given: object, kind: type[msgspec.Struct], where: str, fixed=()) -> list[str]:
    """What is wrong with ``given`` as a ``kind``, setting by setting."""
    fields = {f.name: f for f in msgspec.structs.fields(kind) if f.name not in fixed}
    if not isinstance(given, dict):
        return [f"{where}: must be settings, one `name: value` per line under it (got {given!r})"]
    known = ", ".join(fields)
    lines = [f"{where}.{name}: no such setting (there are: {known})" for name in given if name not in fields]
    for name, field in fields.items():
        if name not in given:
            if field.required:
                lines.append(f"{where}.{name}: missing: {meaning(field.type)}")
            continue
        try:
            msgspec.convert(given[name], field.type, strict=False)
        except msgspec.ValidationError:
            lines.append(f"{where}.{name}: {meaning(field.type)} (got {given[name]!r})")
    return lines


def meaning(kind: object) -> str:
    """The description in a field's type (``Annotated[..., Meta(description=...)]``, maybe in a union)."""
    for arg in typing.get_args(kind):
        if isinstance(arg, msgspec.Meta) and arg.description:
            return arg.description
        if found := meaning(arg):
            return found
    return ""
