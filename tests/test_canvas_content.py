"""Worksheet files in content/canvases/: what the build accepts, and the errors a broken one gets."""

from __future__ import annotations

import shutil
from typing import get_args

import pytest

from playbook import answers
from playbook.content import load
from playbook.model import Column, FieldType

from .conftest import ROOT
from .editing import edit, line_of, line_of_text, problems

NAME = "content/canvases/test-canvas.yaml"


def test_shipped_worksheets_load_with_known_field_types_and_their_files():
    book = load(ROOT / "content")
    assert book.canvases
    assert {f.type for c in book.canvases for f in c.fields.values()} <= set(FieldType.__args__)
    for canvas in book.canvases:
        assert book.play(canvas.id) is canvas
        assert book.origin[canvas.id] == f"content/canvases/{canvas.id}.yaml"


def test_a_field_id_used_in_two_sections_is_an_error_at_the_second(mini_content):
    line = edit(mini_content / "canvases/test-canvas.yaml", "      - id: trades\n", "      - id: deal-name\n")
    assert problems(mini_content) == [
        f"{NAME}:{line}: field id 'deal-name' is also used in section 'basics': answers are stored by "
        "field id, so ids must be unique in the whole worksheet"
    ]


def test_a_field_id_repeated_within_a_section_is_an_error(mini_content):
    line = edit(mini_content / "canvases/test-canvas.yaml", "      - id: ready\n", "      - id: deal-name\n")
    assert problems(mini_content) == [f"{NAME}:{line}: duplicate id 'deal-name' in fields"]


def test_unknown_links_and_citations_in_a_field_name_their_line(mini_content):
    path = mini_content / "canvases/test-canvas.yaml"
    related = edit(path, "        related: [listen]", "        related: [lissen]")
    cite = edit(path, "        cite: [test-source]", "        cite: [no-such-source]")
    help_line = edit(path, "help: Think about deadlines.", "help: See [[no-such-play]] first.")
    found = problems(mini_content)
    assert f"{NAME}:{related}: unknown related id 'lissen'; did you mean 'listen'?" in found
    assert any(p.startswith(f"{NAME}:{cite}: unknown citation key 'no-such-source'") for p in found)
    assert any(p.startswith(f"{NAME}:{help_line}: unknown link [[...]] to 'no-such-play'") for p in found)
    assert len(found) == 3


def test_an_unknown_type_or_option_is_a_schema_error_on_its_line(mini_content):
    path = mini_content / "canvases/test-canvas.yaml"
    wrong_type = edit(path, "type: date", "type: calendar")
    cols = edit(path, "        rows: 2\n        columns:", "        rows: 2\n        cols:") + 1
    assert problems(mini_content) == [
        f"{NAME}:{wrong_type}: sections.0.fields.1.type: input should be 'text', 'long-text', 'checkbox', "
        "'rows', 'number', 'date' or 'scale' (for example: type: long-text)",
        f"{NAME}:{cols}: unknown field 'cols'; allowed here: id, label, prompt, help, type, columns, rows, "
        "low, high, related, cite, brief, meeting",
    ]


def test_options_must_suit_the_field_type(mini_content):
    path = mini_content / "canvases/test-canvas.yaml"
    text = path.read_text()
    path.write_text(
        text[: text.index("        columns:\n")] + text[text.index("zopa:") :]
    )  # rows, no columns
    rows = line_of_text(text, "        type: rows")
    low = edit(path, "        type: long-text\n", "        type: long-text\n        low: Hardly\n") + 1
    extra = (
        edit(path, "        type: text\n", "        type: text\n        columns: [{id: a, label: A}]\n") + 1
    )
    assert problems(mini_content) == [
        f"{NAME}:{extra}: only a 'rows' field has columns, not 'text'",
        f"{NAME}:{low + 1}: only a 'scale' field has 'low', not 'long-text'",
        f"{NAME}:{rows + 2}: a 'rows' field needs columns: [{{id: item, label: Item}}]",
    ]


def test_the_zone_of_possible_agreement_must_name_number_fields(mini_content):
    line = edit(
        mini_content / "canvases/test-canvas.yaml", "  their_target: their-target", "  their_target: ready"
    )
    assert problems(mini_content) == [f"{NAME}:{line}: 'ready' is not a number field of this worksheet"]


def test_missing_version_gives_an_example(mini_content):
    edit(mini_content / "canvases/test-canvas.yaml", "version: 1\n", "")
    assert problems(mini_content) == [f"{NAME}:1: missing required field 'version' (for example: version: 1)"]


def test_file_name_and_numbering_are_checked_like_every_play(mini_content):
    canvases = mini_content / "canvases"
    shutil.move(canvases / "test-canvas.yaml", canvases / "test.yaml")
    count = len(list(canvases.glob("*.yaml")))
    line = edit(canvases / "test.yaml", "number: 1", f"number: {count + 1}")
    found = problems(mini_content)
    assert any(
        p.startswith("content/canvases/test.yaml:1: id 'test-canvas' must match the file name") for p in found
    )
    gap = f"number {count + 1} leaves a gap: canvases/*.yaml must be numbered 1 to {count}"
    assert f"content/canvases/test.yaml:{line}: {gap}" in found


def test_a_worksheet_may_not_take_the_id_of_a_play(mini_content):
    canvases = mini_content / "canvases"
    edit(canvases / "test-canvas.yaml", "id: test-canvas", "id: listen")
    shutil.move(canvases / "test-canvas.yaml", canvases / "listen.yaml")
    found = problems(mini_content)
    assert any("duplicate id 'listen'" in p for p in found)


# Names in a worksheet's form are one namespace: sections, fields, the controls' own ids, the form's
# properties and the page's ids. A clash is refused where it is made, naming the line it clashes with.


def test_a_section_may_not_share_an_id_with_a_question(mini_content):
    path = mini_content / "canvases/test-canvas.yaml"
    section = line_of(path, "  - id: numbers")
    field = edit(path, "      - id: my-walk-away\n", "      - id: numbers\n")
    edit(path, "  my_walk_away: my-walk-away", "  my_walk_away: numbers")
    assert problems(mini_content) == [
        f"{NAME}:{field}: 'numbers' would be both the name of field 'numbers' and the id of section "
        f"'numbers' (line {section}): each part of a worksheet is found by its own name, so change one of "
        "these ids"
    ]


def test_a_question_may_not_take_the_id_of_another_questions_choice_or_cell(mini_content):
    path = mini_content / "canvases/test-canvas.yaml"
    scale = line_of(path, "      - id: trust-level")
    field = edit(path, "      - id: deal-name\n", "      - id: trust-level-3\n")
    cell = edit(path, "      - id: meeting-date\n", "      - id: trades-12-give\n")
    give = line_of(path, "          - id: give")
    found = problems(mini_content)
    assert found == [
        f"{NAME}:{scale}: 'f-trust-level-3' would be both the id of choice 3 of field 'trust-level' and "
        f"the id of the control of field 'trust-level-3' (line {field}): each part of a worksheet is found "
        "by its own name, so change one of these ids",
        f"{NAME}:{give}: 'f-trades-12-give' would be both the id of row 12's 'give' cell of field 'trades' "
        f"and the id of the control of field 'trades-12-give' (line {cell}): each part of a worksheet is "
        "found by its own name, so change one of these ids",
    ]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("reset", "'reset' is already a property of the worksheet's form: choose another id"),
        ("canvas-pick", "'canvas-pick' is already an id of the worksheet page: choose another id"),
    ],
)
def test_a_section_may_not_take_a_name_the_form_or_page_has(mini_content, section, message):
    line = edit(mini_content / "canvases/test-canvas.yaml", "  - id: basics", f"  - id: {section}")
    assert problems(mini_content) == [f"{NAME}:{line}: {message}"]


def test_every_type_of_the_model_has_answer_rules_for_the_browser():
    rules = answers.rules()
    assert set(rules["types"]) == {*get_args(FieldType), *get_args(Column.model_fields["type"].annotation)}
    assert rules["deal"]["name"] == answers.NAME and rules["text"] >= max(
        t.get("max", 0) for t in rules["types"].values() if t["kind"] == "text"
    )
