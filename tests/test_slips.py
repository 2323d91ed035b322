"""One slip, one message: a file that cannot be read is reported at the line of the slip, in plain
words with the line as it should be written, and the files that only miss what it defines stay quiet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.content import load

from .editing import edit, problems

LISTEN = "pillars/listen.yaml"
SOURCES = "sources.yaml"
# words of PyYAML's own messages, which mean nothing to an author
JARGON = re.compile(r"scalar|token|mapping values|block end|indicator|could not find|expected '")

# (file, text as it is, the slip, a word of the advice)
SLIPS = [
    (
        LISTEN,
        "  and at the worksheet [[test-canvas]].",
        "and at the worksheet [[test-canvas]].",
        "indented less",
    ),
    (SOURCES, "    year: 2024", "  year: 2024", "lined up"),
    (SOURCES, "    year: 2024", "      year: 2024", "indented more"),
    (LISTEN, "title: Listen first", "title: Listen: first", "quotes"),
    (LISTEN, "title: Listen first", "title: @listen first", "quotes"),
    (LISTEN, "title: Listen first", "title: *Listen* first", "quotes"),
    (LISTEN, "title: Listen first", "title: [Listen] first", "quotes"),
    (LISTEN, "title: Listen first", 'title: "Listen first', "never closed"),
    (LISTEN, "related: [ask-why, name-the-feeling]", "related: [ask-why, name-the-feeling", "not closed"),
    (LISTEN, "time: Throughout the meeting", "\ttime: Throughout the meeting", "tab"),
    (SOURCES, "  - key: test-study", " - key: test-study", "lined up"),
]


@pytest.mark.parametrize(("name", "old", "slip", "advice"), SLIPS, ids=[s[2] for s in SLIPS])
def test_a_slip_is_named_at_its_own_line_in_plain_words(mini_content: Path, name, old, slip, advice):
    line = edit(mini_content / name, old, slip)
    [found] = problems(mini_content)
    assert found.startswith(f"content/{name}:{line}: "), found
    assert advice in found and not JARGON.search(found), found


def fixed(text: str, line: int, message: str) -> str:
    """The file with the line rewritten as the message says: ``write it as "..."`` or ``indent it ...``."""
    written = re.search(r'(?:write it as|lines above it:|field above:) "(.*)" \(', message)
    quoted = re.search(r"put the whole value in quotes: (.*)$", message)
    rows = text.split("\n")
    if written and not written[1].endswith(" ..."):
        rows[line - 1] = written[1]
    elif quoted:
        rows[line - 1] = rows[line - 1][: len(rows[line - 1]) - len(rows[line - 1].lstrip())] + quoted[1]
    else:
        pytest.fail(f"no example to follow in: {message}")
    return "\n".join(rows)


FOLLOWED = [s[:3] for s in SLIPS if s[3] in ("indented more", "lined up", "indented less", "quotes")]


@pytest.mark.parametrize(("name", "old", "slip"), FOLLOWED, ids=[s[2] for s in FOLLOWED])
def test_doing_what_the_message_says_makes_the_file_load(mini_content: Path, name, old, slip):
    path = mini_content / name
    line = edit(path, old, slip)
    [found] = problems(mini_content)
    path.write_text(fixed(path.read_text(), line, found.split(": ", 1)[1]))
    load(mini_content)


def files(content: Path) -> list[Path]:
    return sorted(content.rglob("*.yaml"))


@pytest.mark.parametrize("index", range(16))
def test_an_unreadable_file_is_the_only_one_reported(mini_content: Path, index: int):
    """Breaking any one file of the tree: its own problem, and nothing about the files that use it."""
    path = files(mini_content)[index % len(files(mini_content))]
    rows = path.read_text().split("\n")
    # a field under a one-line field, indented: read as more of that value, which then has a ': '
    field = next(
        i
        for i in range(1, len(rows))
        if (above := re.match(r"( *)[a-z_]+: [^|>]", rows[i - 1]))
        and re.match(above[1] + r"[a-z_]+:", rows[i])
    )
    rows[field] = "   " + rows[field]
    path.write_text("\n".join(rows))
    found = problems(mini_content)
    name = path.relative_to(mini_content.parent).as_posix()
    assert found and all(p.startswith(name + ":") for p in found), found


def test_the_unreadable_file_leads_the_list(mini_content: Path):
    edit(mini_content / SOURCES, "    year: 2024", "  year: 2024")
    edit(mini_content / "pillars/name-the-feeling.yaml", "number: 2", "number: two")
    found = problems(mini_content)
    assert found[0].startswith("content/sources.yaml:") and len(found) == 2


def test_a_key_the_unreadable_file_does_not_define_says_where_it_may_be(mini_content: Path):
    edit(mini_content / SOURCES, "    year: 2024", "  year: 2024")
    line = edit(mini_content / LISTEN, "    cite: [test-study]", "    cite: [zz-unheard-of]")
    found = problems(mini_content)
    assert found[1] == (
        f"content/{LISTEN}:{line}: unknown citation key 'zz-unheard-of'; it may be defined in "
        "content/sources.yaml, which could not be read: fix that first"
    )
