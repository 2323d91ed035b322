"""Property: whatever is done to a content file, loading gives a playbook or content/<file>:<line> problems.

Starting from the small test tree (tests/trees/mini, which has a file of every kind), Hypothesis edits
one file at a time, either as text (lines deleted, repeated, swapped or re-indented; YAML punctuation,
tags, anchors, control characters and bad bytes inserted) or as data (any value replaced by one of
another type or shape, dumped back to YAML). Loading must then succeed or raise ContentError, every
problem naming a file of the tree and a line that exists in it, and take no longer than a few
seconds; no other exception, ever.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.content import load
from playbook.errors import ContentError

from .conftest import MINI

pytestmark = pytest.mark.slow
SECONDS = 5  # per example, on a loaded two-core machine; a small file's load takes a fraction of that
FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))
FUZZ = settings(
    max_examples=120,
    deadline=None,  # timed below, with a bound that holds on a busy machine
    database=None,  # keep no example database in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

YAML_BITS = [
    ": ",
    "- ",
    "-",
    ":",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "!",
    "!!",
    "|",
    ">",
    "'",
    '"',
    "%",
    "@",
    "`",
    "?",
    "<<: ",
    "\t",
    "  ",
    "\\",
    "---",
    "...",
    "~",
    "null",
    "[[",
    "]]",
    "[@",
]
TAGS = [
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "!!int ",
    "!!float ",
    "!!str ",
    "!!map ",
    "!!seq ",
    "!!omap ",
    "!!python/object/apply:os.system ",
    "!local ",
    "!<tag:x.org,1:y> ",
    "!!null ",
    "!!bool ",
]
CHARS = st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Z", "Cc", "Cf"])
SNIPPET = st.one_of(st.sampled_from(YAML_BITS + TAGS), st.text(CHARS, max_size=6))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return Path(shutil.copytree(MINI, tmp_path_factory.mktemp("fuzz") / "content"))


def line_count(raw: bytes) -> int:
    """Lines as an editor numbers them (``\\n``, ``\\r\\n`` or a lone ``\\r`` ends a line)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def check(tree: Path, name: str, raw: bytes) -> None:
    """Write ``raw`` as ``name``, load the tree, put the file back; the property must hold."""
    path = tree / name
    original = path.read_bytes()
    path.write_bytes(raw)
    started = time.perf_counter()
    try:
        load(tree)
    except ContentError as err:
        assert err.problems
        for problem in err.problems:
            file = tree.parent / problem.file
            assert file.is_file(), problem
            assert 1 <= problem.line <= line_count(file.read_bytes()), problem
    finally:
        path.write_bytes(original)
    assert time.perf_counter() - started < SECONDS


@st.composite
def text_edit(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    lines = (MINI / name).read_text().split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "insert", "insert", "newline"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            spaces = draw(st.integers(-4, 4))
            lines[i] = " " * spaces + lines[i] if spaces > 0 else lines[i][-spaces:]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(SNIPPET) + lines[i][at:]
        else:
            lines.insert(i, draw(st.text(CHARS, max_size=20)))
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and raw:
        at = draw(st.integers(0, len(raw) - 1))
        raw = (
            raw[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"\r\n", b""]))
            + raw[at:]
        )
    return name, raw


def paths(data: object, loc: tuple = ()) -> list[tuple]:
    """Every place in the data a value could be replaced: each key's value and each list item."""
    found = [loc]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*loc, i))
    return found


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(CHARS, max_size=30),
    st.sampled_from(["listen", "[[listen]]", "[@no-such-key]", "2024-02-30", "yes", "reset", "a" * 300]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)


@st.composite
def data_edit(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    data = yaml.safe_load((MINI / name).read_text())
    for _ in range(draw(st.integers(1, 3))):
        loc = draw(st.sampled_from(paths(data)))
        value = draw(VALUES)
        if not loc:
            data = value
            continue
        parent = data
        for part in loc[:-1]:
            parent = parent[part]
        parent[loc[-1]] = value
    style = draw(st.sampled_from([None, False, True]))  # YAML's choice, block only, flow only
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=style)
    return name, text.encode("utf-8", "surrogatepass")


@FUZZ
@given(text_edit())
def test_any_text_edit_loads_or_names_a_real_line(tree, edit):
    check(tree, *edit)


@FUZZ
@given(data_edit())
def test_any_value_of_any_shape_loads_or_names_a_real_line(tree, edit):
    check(tree, *edit)
