"""What a deal may hold: the answer each field type takes, and the limits every stored value keeps.

The browser keeps readers' answers (docs/assets/javascripts/answers.js and deals.js). It reads these
rules from the generated worksheets script, so there is one copy of them: the inputs take their
``maxlength`` from them, the page refuses to save what its reader would reject, and the reader and
import check by them. Every field and column type of the model must have rules here (``script``
raises otherwise), so a new type cannot reach the browser unchecked.

Two limits per text: ``max`` is what a field takes as it is typed; ``TEXT`` is what any stored text
may hold, so an answer saved before a limit was lowered, or under a type that has since changed, is
still read (and shown as an earlier answer where it no longer fits).
"""

from __future__ import annotations

import hashlib
import json
from typing import get_args

from .model import ID_PATTERN, Column, FieldType

TEXT = 100_000  # characters any stored text may hold (answers, labels)
NAME = 200  # characters of a deal's name
ROWS = 200  # rows of a table answer
SCALE = ("1", "2", "3", "4", "5")  # the choices of a scale question, as its radio buttons' values

TYPES: dict[str, dict] = {
    "text": {"kind": "text", "max": 2000, "line": True},
    "long-text": {"kind": "text", "max": TEXT},
    # kept as typed ("480k"), so that nothing is lost; understood by NUMBER for the chart
    "number": {"kind": "number", "max": 100, "line": True},
    # what <input type="date"> gives: Chromium also takes years of five or six digits, refused here
    "date": {"kind": "date", "min": "0001-01-01", "max": "9999-12-31"},
    "checkbox": {"kind": "tick"},
    "scale": {"kind": "choice", "choices": list(SCALE)},
    "rows": {"kind": "rows", "max": ROWS},
}

# Numbers as people write them: digits with one kind of group separator ("480,000", "480 000"), a
# decimal point, a scale word or letter ("480k", "1.2m"), and a currency sign or code ("€480,000").
NUMBER = {
    "groups": [",", " ", "\u00a0", "\u202f", "'", "\u2019", "_"],
    "decimal": ".",
    "scales": {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9},
}


def rules() -> dict:
    """The rules as the browser reads them; raises KeyError for a model type without rules."""
    used = {*get_args(FieldType), *get_args(Column.model_fields["type"].annotation)}
    return {
        "id": ID_PATTERN,
        "slot": ID_PATTERN.removesuffix("$") + r"(~[0-9]{1,4})?$",  # an earlier answer's place
        "deal": {"id": r"^[A-Za-z0-9_-]{1,64}$", "name": NAME},
        "text": TEXT,
        "types": {kind: TYPES[kind] for kind in sorted(used)},
        "number": NUMBER,
    }


def schema(worksheets: dict, **more: object) -> dict:
    """What the pages that keep deals read: the rules, the worksheets and ``more`` (the brief's
    address, the preparation timeline), with a ``stamp`` of all of it. Those pages carry the stamp
    they were built with: a browser can hold a cached copy of a page or of its scripts across an
    update of the site, and a page must not save answers by the questions of another version."""
    data = {"rules": rules(), "worksheets": worksheets, **more}
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
    return {**data, "stamp": digest.hexdigest()[:16]}


def script(schema: dict) -> str:
    """The generated script: ``PlaybookSchema`` in a page, ``module.exports`` in Node."""
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    return (
        "// Generated from content/ and hooks/playbook/answers.py by the build: do not edit.\n"
        f"globalThis.PlaybookSchema = {text};\n"
        'if (typeof module === "object" && module.exports) module.exports = globalThis.PlaybookSchema;\n'
    )
