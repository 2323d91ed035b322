"""Loading and validation of content/: every kind of mistake is reported with its file and line.

The error tests break a copy of the small tree in tests/trees/mini; the shipped content is only
checked for what must hold whatever the authors write.
"""

from __future__ import annotations

import re
import shutil

from playbook.content import SPECS, load

from .conftest import ROOT
from .editing import edit, problems

LISTEN = "content/pillars/listen.yaml"


def test_shipped_content_loads_and_every_play_has_its_file():
    book = load(ROOT / "content")
    for spec in SPECS:
        assert list((ROOT / "content").glob(spec.pattern)), spec.pattern
    for kind in (book.mindsets, book.pillars, book.strategies, book.canvases):
        assert [item.number for item in kind] == list(range(1, len(kind) + 1))
    for item in (*book.plays, *book.canvases):
        assert (ROOT / book.origin[item.id]).is_file(), item.id


def test_yaml_syntax_error_names_the_line(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "\ntitle:", "\ntitle: [unclosed\n  bad: {") + 1
    [found] = problems(mini_content)
    assert found.startswith(f"{LISTEN}:")
    assert "YAML syntax error" in found
    assert int(found.split(":")[1]) >= line


def test_missing_field_names_the_mapping_and_gives_an_example(mini_content):
    edit(
        mini_content / "strategies/give-first.yaml",
        "prevents: Waiting for the other side to move first.\n",
        "",
    )
    assert problems(mini_content) == [
        "content/strategies/give-first.yaml:1: missing required field 'prevents' "
        "(for example: prevents: Assuming a generous offer explains itself.)"
    ]


def test_wrong_type_names_its_own_line(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "number: 1", "number: first")
    assert problems(mini_content) == [
        f"{LISTEN}:{line}: number: input should be a valid integer, unable to parse "
        "string as an integer (for example: number: 1)"
    ]


def test_wrong_value_in_a_list_names_the_item_line(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "when: [during]", "when:\n  - during\n  - someday")
    [found] = problems(mini_content)
    assert found.startswith(f"{LISTEN}:{line + 2}: when.1: input should be 'before'")


def test_unknown_field_lists_the_allowed_ones(mini_content):
    line = edit(mini_content / "strategies/give-first.yaml", "\ntitle:", "\ntitel: typo\ntitle:")
    [found] = problems(mini_content)
    assert found.startswith(f"content/strategies/give-first.yaml:{line + 1}: unknown field 'titel'")
    assert "allowed here: id, title" in found


def test_duplicate_id_across_files(mini_content):
    edit(mini_content / "strategies/give-first.yaml", "id: give-first", "id: listen")
    found = problems(mini_content)
    assert any("duplicate id 'listen'" in p for p in found)
    assert any("must match the file name" in p for p in found)


def test_unknown_related_id(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "related: [ask-why,", "related: [no-such-play,")
    assert problems(mini_content) == [
        f"{LISTEN}:{line}: unknown related id 'no-such-play'; known: ask-why, follow-up, give-first, "
        "listen, name-the-feeling, say-what-it-cost, test-canvas, three-rs"
    ]


def test_unknown_citation_key_in_a_list_and_in_prose(mini_content):
    listen = mini_content / "pillars/listen.yaml"
    line = edit(listen, "    cite: [test-study]", "    cite: [no-such-source]")
    prose = edit(listen, "  and at the worksheet", "  and [@missing-key] at the worksheet")
    found = problems(mini_content)
    assert f"{LISTEN}:{line}: unknown citation key 'no-such-source'; did you mean 'test-source'?" in found
    assert any(p.startswith(f"{LISTEN}:{prose}: unknown citation [@...] of 'missing-key'") for p in found)


def test_numbers_must_run_without_gaps(mini_content):
    edit(mini_content / "strategies/say-what-it-cost.yaml", "number: 2", "number: 9")
    [found] = problems(mini_content)
    assert "number 9 leaves a gap: strategies/*.yaml must be numbered 1 to 2" in found


def test_a_number_used_twice(mini_content):
    line = edit(mini_content / "strategies/say-what-it-cost.yaml", "number: 2", "number: 1")
    found = problems(mini_content)
    assert f"content/strategies/say-what-it-cost.yaml:{line}: number 1 is used by another file" in found


def test_missing_file_and_every_problem_at_once(mini_content):
    (mini_content / "evidence.yaml").unlink()
    shutil.rmtree(mini_content / "mindsets")
    edit(mini_content / "pillars/listen.yaml", "number: 1", "number: first")
    found = problems(mini_content)
    assert "content/evidence.yaml:1: file missing: the playbook needs it" in found
    assert "content/mindsets/*.yaml:1: file missing: the playbook needs it" in found
    assert any("number: input should be a valid integer" in p for p in found)


def test_a_near_miss_suggests_the_right_name(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "    cite: [test-study]", "    cite: [test-stdy]")
    assert problems(mini_content) == [
        f"{LISTEN}:{line}: unknown citation key 'test-stdy'; did you mean 'test-study'?"
    ]


def test_a_file_whose_id_is_not_its_name(mini_content):
    shutil.move(mini_content / "pillars/listen.yaml", mini_content / "pillars/listening.yaml")
    found = problems(mini_content)
    assert (
        "content/pillars/listening.yaml:1: id 'listen' must match the file name: rename the file to "
        "listen.yaml or the id to listening"
    ) in found


def test_a_mapping_where_fields_belong(mini_content):
    line = edit(mini_content / "recovery.yaml", "  - id: own\n", "  - just text\n  - id: own\n")
    assert problems(mini_content) == [
        f"content/recovery.yaml:{line}: steps.0: expected a mapping of fields, got text"
    ]


def test_a_broken_file_spares_the_files_that_link_to_it(mini_content):
    (mini_content / "pillars/listen.yaml").write_text("id: listen\ntitle: [unclosed\n")
    found = problems(mini_content)
    assert all(p.startswith(LISTEN) for p in found), "no 'unknown related id listen' elsewhere"


def test_problems_are_sorted_by_file_and_line(mini_content):
    edit(mini_content / "pillars/name-the-feeling.yaml", "number: 2", "number: two")
    edit(mini_content / "pillars/listen.yaml", "number: 1", "number: one")
    edit(mini_content / "pillars/listen.yaml", "title: Listen first", "title: [Listen]")
    found = problems(mini_content)
    keys = [(p.split(":")[0], int(p.split(":")[1])) for p in found]
    assert keys == sorted(keys) and len(found) == 3
    assert re.match(r"content/pillars/listen\.yaml:\d+: number", found[0])


def test_an_empty_file_or_one_that_is_a_list(mini_content):
    (mini_content / "sections.yaml").write_text("# nothing here yet\n")
    (mini_content / "culture.yaml").write_text("- a\n- b\n")
    assert problems(mini_content) == [
        "content/culture.yaml:1: file: expected a mapping of fields, got a list",
        "content/sections.yaml:1: file: expected a mapping of fields, got nothing",
    ]
