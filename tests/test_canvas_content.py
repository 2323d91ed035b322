"""Worksheet files in content/canvases/: what the build accepts, and the errors a broken one gets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook.content import load

from .conftest import ROOT
from .test_content import edit, problems

CANVAS = "canvases/negotiation-canvas.yaml"
NAME = f"content/{CANVAS}"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def test_the_five_worksheets_load_in_order_with_every_field_type():
    book = load(ROOT / "content")
    assert [c.id for c in book.canvases] == [
        "negotiation-canvas",
        "trust-plan",
        "concession-planner",
        "after-the-deal",
        "relationship-recovery",
    ]
    types = {f.type for c in book.canvases for f in c.fields.values()}
    assert types == {"text", "long-text", "checkbox", "rows", "number", "date", "scale"}
    assert book.origin["trust-plan"] == "content/canvases/trust-plan.yaml"
    assert book.play("negotiation-canvas").title == "Negotiation Canvas"


def test_a_field_id_used_in_two_sections_is_an_error_at_the_second(content):
    # "my-goals" already exists in the section "my-side"; reuse it in the last section
    line = edit(content / CANVAS, "      - id: ready\n", "      - id: my-goals\n")
    assert problems(content) == [
        f"{NAME}:{line}: field id 'my-goals' is also used in section 'my-side': answers are stored by "
        "field id, so ids must be unique in the whole worksheet"
    ]


def test_a_field_id_repeated_within_a_section_is_an_error(content):
    line = edit(content / CANVAS, "      - id: question-2\n", "      - id: question-1\n")
    assert problems(content) == [f"{NAME}:{line}: duplicate id 'question-1' in fields"]


def test_unknown_links_and_citations_in_a_field_name_their_line(content):
    path = content / CANVAS
    related = edit(path, "related: [curiosity, make-dependence-a-factor]", "related: [curiosty]")
    cite = edit(path, "cite: [obhdp-emotions]", "cite: [no-such-source]")
    help_line = edit(
        path, "help: Sharing a real constraint", "help: See [[no-such-play]]. Sharing a real constraint"
    )
    found = problems(content)
    assert f"{NAME}:{related}: unknown related id 'curiosty'; did you mean 'curiosity'?" in found
    assert any(p.startswith(f"{NAME}:{cite}: unknown citation key 'no-such-source'") for p in found)
    assert any(p.startswith(f"{NAME}:{help_line}: unknown link [[...]] to 'no-such-play'") for p in found)
    assert len(found) == 3


def test_an_unknown_type_or_option_is_a_schema_error_on_its_line(content):
    path = content / CANVAS
    wrong_type = edit(path, "type: date", "type: calendar")
    cols = edit(path, "        rows: 4\n        columns:", "        rows: 4\n        cols:") + 1
    assert problems(content) == [
        f"{NAME}:{wrong_type}: sections.0.fields.1.type: input should be 'text', 'long-text', 'checkbox', "
        "'rows', 'number', 'date' or 'scale' (for example: type: long-text)",
        f"{NAME}:{cols}: unknown field 'cols'; allowed here: id, label, prompt, help, type, columns, rows, "
        "low, high, related, cite",
    ]


def test_options_must_suit_the_field_type(content):
    path = content / "canvases/concession-planner.yaml"
    text = path.read_text()
    # drop the columns of the only rows field
    path.write_text(
        text[: text.index("        columns:\n")] + text[text.index("        related: [label-your-c") :]
    )
    line = text[: text.index("        type: rows")].count("\n") + 1
    low = edit(path, "        type: long-text\n", "        type: long-text\n        low: Hardly\n")
    extra = edit(
        path, "        type: number\n", "        type: number\n        columns: [{id: a, label: A}]\n"
    )
    name = "content/canvases/concession-planner.yaml"
    assert problems(content) == [
        f"{name}:{line}: a 'rows' field needs columns: [{{id: item, label: Item}}]",
        f"{name}:{low + 1}: only a 'scale' field has 'low', not 'long-text'",
        f"{name}:{extra + 1}: only a 'rows' field has columns, not 'number'",
    ]


def test_the_zone_of_possible_agreement_must_name_number_fields(content):
    line = edit(content / CANVAS, "  their_target: their-target", "  their_target: their-goals")
    assert problems(content) == [f"{NAME}:{line}: 'their-goals' is not a number field of this worksheet"]


def test_missing_version_gives_an_example(content):
    edit(content / CANVAS, "version: 1\n", "")
    assert problems(content) == [f"{NAME}:1: missing required field 'version' (for example: version: 1)"]


def test_file_name_and_numbering_are_checked_like_every_play(content):
    shutil.move(content / "canvases/trust-plan.yaml", content / "canvases/trust.yaml")
    line = edit(content / "canvases/after-the-deal.yaml", "number: 4", "number: 7")
    found = problems(content)
    assert any(
        p.startswith("content/canvases/trust.yaml:1: id 'trust-plan' must match the file name") for p in found
    )
    gap = "number 7 leaves a gap: canvases/*.yaml must be numbered 1 to 5"
    assert f"content/canvases/after-the-deal.yaml:{line}: {gap}" in found


def test_a_worksheet_may_not_take_the_id_of_a_play(content):
    edit(content / "canvases/trust-plan.yaml", "id: trust-plan", "id: curiosity")
    shutil.move(content / "canvases/trust-plan.yaml", content / "canvases/curiosity.yaml")
    found = problems(content)
    assert any("duplicate id 'curiosity'" in p for p in found)
