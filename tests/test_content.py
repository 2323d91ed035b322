"""Loading and validation of content/: every kind of mistake is reported with its file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from playbook.content import load
from playbook.errors import ContentError

from .conftest import ROOT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(content)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; return the 1-based line where it stood."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def test_real_content_loads_completely():
    book = load(ROOT / "content")
    assert [p.number for p in book.pillars] == [1, 2, 3, 4]
    assert [p.number for p in book.strategies] == [1, 2, 3, 4, 5, 6]
    assert [m.number for m in book.mindsets] == [1, 2]
    assert [s.id for s in book.recovery.steps] == ["responsibility", "repair", "rebuild"]
    assert len(book.perspective.items) == 3
    assert book.origin["curiosity"] == "content/pillars/curiosity.yaml"


def test_yaml_syntax_error_names_the_line(content):
    path = content / "pillars/curiosity.yaml"
    line = edit(path, "\ntitle:", "\ntitle: [unclosed\n  bad: {")
    [found] = problems(content)
    assert found.startswith("content/pillars/curiosity.yaml:")
    assert "YAML syntax error" in found
    assert int(found.split(":")[1]) >= line


def test_missing_field_names_the_mapping_and_gives_an_example(content):
    path = content / "strategies/label-your-concessions.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^prevents:.*(\n[ ].*)*\n?", "", text))
    [found] = problems(content)
    assert found.startswith(
        "content/strategies/label-your-concessions.yaml:1: missing required field 'prevents'"
    )
    assert "for example" in found


def test_wrong_type_names_its_own_line(content):
    line = edit(content / "pillars/curiosity.yaml", "number: 1", "number: first")
    assert problems(content) == [
        f"content/pillars/curiosity.yaml:{line}: number: input should be a valid integer, unable to parse "
        "string as an integer (for example: number: 1)"
    ]


def test_wrong_value_in_a_list_names_the_item_line(content):
    path = content / "pillars/curiosity.yaml"
    text = path.read_text()
    when = re.search(r"(?m)^when:.*$", text)
    line = text[: when.start()].count("\n") + 1
    path.write_text(text.replace(when[0], "when: [someday]", 1))
    [found] = problems(content)
    assert found.startswith(f"content/pillars/curiosity.yaml:{line}: when.0: input should be 'before'")


def test_unknown_field_lists_the_allowed_ones(content):
    line = edit(content / "strategies/explain-your-demands.yaml", "\ntitle:", "\ntitel: typo\ntitle:")
    [found] = problems(content)
    assert found.startswith(f"content/strategies/explain-your-demands.yaml:{line + 1}: unknown field 'titel'")
    assert "allowed here: id, title" in found


def test_duplicate_id_across_files(content):
    src = content / "strategies/explain-your-demands.yaml"
    text = src.read_text().replace("id: explain-your-demands", "id: curiosity", 1)
    src.write_text(text)
    found = problems(content)
    assert any("duplicate id 'curiosity'" in p for p in found)
    assert any("must match the file name" in p for p in found)


def test_unknown_related_id(content):
    path = content / "pillars/curiosity.yaml"
    text = path.read_text()
    related = re.search(r"(?m)^related:\n  - (.*)$|^related: \[([^,\]]*)", text)
    name = related[1] or related[2]
    line = text[: related.start()].count("\n") + 1
    path.write_text(
        text[: related.start()] + related[0].replace(name, "no-such-play", 1) + text[related.end() :]
    )
    [found] = problems(content)
    assert found.startswith(f"content/pillars/curiosity.yaml:{line}") or found.startswith(
        f"content/pillars/curiosity.yaml:{line + 1}"
    )
    assert "unknown related id 'no-such-play'" in found


def test_unknown_citation_key_in_a_list_and_in_prose(content):
    path = content / "pillars/emotional-acknowledgment.yaml"
    line = edit(path, "cite: [obhdp-emotions]", "cite: [no-such-source]")
    prose = content / "recovery.yaml"
    text = prose.read_text()
    prose.write_text(text.replace("detail: |\n", "detail: |\n      First [@missing-key] here.\n", 1))
    found = problems(content)
    assert (
        f"content/pillars/emotional-acknowledgment.yaml:{line}: unknown citation key 'no-such-source'"
        in " ".join(found)
    )
    [inline] = [p for p in found if "missing-key" in p]
    assert inline.startswith("content/recovery.yaml:")
    line = int(inline.split(":")[1])
    assert "[@missing-key]" in prose.read_text().splitlines()[line - 1]


def test_numbers_must_run_without_gaps(content):
    edit(content / "strategies/explain-your-demands.yaml", "number: 6", "number: 9")
    [found] = problems(content)
    assert "number 9 leaves a gap" in found


def test_missing_file_and_every_problem_at_once(content):
    (content / "evidence.yaml").unlink()
    edit(content / "pillars/curiosity.yaml", "number: 1", "number: first")
    found = problems(content)
    assert any(p.startswith("content/evidence.yaml:1: file missing") for p in found)
    assert any("number: input should be a valid integer" in p for p in found)


def test_a_near_miss_suggests_the_right_name(content):
    line = edit(content / "pillars/emotional-acknowledgment.yaml", "[obhdp-emotions]", "[obhdp-emotion]")
    assert problems(content) == [
        f"content/pillars/emotional-acknowledgment.yaml:{line}: unknown citation key 'obhdp-emotion'; "
        "did you mean 'obhdp-emotions'?"
    ]
