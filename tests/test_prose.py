"""Prose that Markdown or YAML would silently change is a warning at its line, and numbers come from
the content: ``{{ count.strategies }}`` in prose and templates, and a warning where a stated number
("Two strategies") is not the content's."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml

from playbook import plan
from playbook.__main__ import main
from playbook.content import load
from playbook.render import Renderer

from .editing import edit, problems

GIVE = "strategies/give-first.yaml"
LISTEN = "pillars/listen.yaml"


def warnings(content: Path) -> list[str]:
    return [str(w) for w in load(content).warnings]


def test_the_small_tree_has_no_warning(mini_content: Path):
    assert warnings(mini_content) == []


def test_a_list_item_indented_one_space_too_far_joins_the_item_above(mini_content: Path):
    item = "  - Pick something cheap for you and valuable for them.\n"
    line = edit(mini_content / GIVE, item, item + "   - Then say what it cost you.\n") + 1
    [found] = warnings(mini_content)
    assert found.startswith(f"content/{GIVE}:{line}: this line is read as more of the text above it")
    assert load(mini_content).play("give-first").apply[0].endswith("them. - Then say what it cost you.")


BODY = "  body: Two teams in a test tree traded a favour and both did better.\n"


@pytest.mark.parametrize(
    "body",
    [
        "  body: Text one\n    - two\n",  # plain: joined
        "  body: Text one\n\n    - two\n",  # a blank line is a line break
        '  body: "Text one\n    - two"\n',  # quoted: joined
        "  body: >\n    - one\n    - two\n",  # folded: the second joins the first, the first nothing
        "  body: >\n    Text one\n\n    - two\n",
        "  body: >\n    Text one\n      - two\n",  # indented further: the break is kept
        "  body: >-\n    Text one\n    - two\n    three\n",
        "  body: |\n    Text one\n    - two\n",  # literal: every break kept
    ],
)
def test_an_item_is_said_to_join_the_text_above_exactly_when_yaml_joins_it(mini_content: Path, body: str):
    path = mini_content / GIVE
    line = edit(path, BODY, body) + next(n for n, row in enumerate(body.split("\n")) if "- two" in row)
    value = yaml.safe_load(path.read_text())["story"]["body"]
    joined = not any(row.strip().startswith("- two") for row in value.split("\n"))
    joins = "this line is read as more of the text above it"
    said = [w.split(" ('")[0] for w in warnings(mini_content) if joins in w]  # where, and what, in short
    assert said == ([f"content/{GIVE}:{line}: {joins}"] if joined else [])


def test_a_list_right_under_a_line_of_text_runs_into_it(mini_content: Path):
    line = (
        edit(
            mini_content / LISTEN, "  and at the worksheet", "  and at the worksheet:\n  - one step\n  - two"
        )
        + 1
    )
    [found] = warnings(mini_content)
    assert found.startswith(f"content/{LISTEN}:{line}: Markdown runs this list into the line of text above")


def test_a_list_after_a_blank_line_or_a_heading_is_fine(mini_content: Path):
    edit(
        mini_content / LISTEN,
        "  and at the worksheet",
        "  and at the worksheet.\n\n  ## Steps\n  - one\n  - two\n\n  x",
    )
    assert warnings(mini_content) == []


@pytest.mark.parametrize(("line_text", "says"), [("#1 in the market", "a heading"), ("# Notes", "top-level")])
def test_a_stray_heading_inside_prose(mini_content: Path, line_text: str, says: str):
    line = edit(mini_content / LISTEN, "  and at the worksheet", f"  {line_text}\n  and at the worksheet") + 0
    [found] = warnings(mini_content)
    assert found.startswith(f"content/{LISTEN}:{line}: ") and says in found


@pytest.mark.parametrize("split", ["[\n  [give-first]]", "[[give-first]\n  ]", "[\n  @test-study]"])
def test_a_reference_split_between_its_brackets(mini_content: Path, split: str):
    line = edit(mini_content / LISTEN, "  and at the worksheet", f"  and {split} at the worksheet")
    [found] = warnings(mini_content)
    assert found.startswith(f"content/{LISTEN}:{line}: ") and "split across lines" in found


def test_a_reference_split_inside_its_id_is_an_error_that_says_so(mini_content: Path):
    line = edit(mini_content / LISTEN, "[[give-first]]", "[[give-\n  first]]")
    assert problems(mini_content) == [
        f"content/{LISTEN}:{line}: the link [[...]] to 'give- first' is split across lines: "
        "keep it on one line"
    ]


def test_check_prints_warnings_and_fails_on_them_only_when_strict(mini_content: Path, capsys):
    edit(mini_content / LISTEN, "  and at the worksheet", "  #hashtag\n  and at the worksheet")
    assert main(["check", str(mini_content)]) == 0
    out, err = capsys.readouterr()
    assert "WARNING  content/pillars/listen.yaml:" in err and "valid (with warnings)" in out
    assert main(["check", "--strict", str(mini_content)]) == 1
    assert "1 warning (--strict)" in capsys.readouterr().err


# --- counts -------------------------------------------------------------------------------------


def add_strategy(content: Path, new_id: str) -> None:
    """A copy of the first strategy with a new id and the next number, as the authoring guide says."""
    folder = content / "strategies"
    existing = sorted(folder.glob("*.yaml"))
    data = yaml.safe_load(existing[0].read_text())
    data.update(id=new_id, number=len(existing) + 1)
    (folder / f"{new_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def page(content: Path, uri: str) -> str:
    book = load(content)
    site_plan = plan.build(book)
    return Renderer(book, site_plan, "Playbook").markdown(site_plan[uri])


def test_prose_says_the_counts_of_the_content(mini_content: Path):
    sections = mini_content / "sections.yaml"
    said = "{{ Count.strategies }} moves, {{ count.pillars }} pillars and {{ digits.worksheets }} worksheets."
    edit(sections, "  intro: Moves that build trust, in a test tree.", f"  intro: |\n    {said}")
    assert "Two moves, two pillars and 2 worksheets." in page(mini_content, "strategies/index.md")
    add_strategy(mini_content, "third-move")
    assert "Three moves" in page(mini_content, "strategies/index.md")


def test_templates_say_the_counts_too(mini_content: Path):
    book = load(mini_content)
    renderer = Renderer(book, plan.build(book), "Playbook")
    said = renderer.env.from_string(
        "{{ Count.strategies }}, {{ count.mindsets }}, {{ digits.plays }}"
    ).render()
    assert said == f"Two, one, {len(book.plays)}"


def test_a_title_shows_a_substitution_as_written(mini_content: Path):
    edit(mini_content / "sections.yaml", "  title: Strategies", "  title: '{{ count.strategies }} moves'")
    assert load(mini_content).sections.strategies.title == "{{ count.strategies }} moves"
    # a title is text: its braces are character references, which the page shows as braces
    assert "# {{ count.strategies }} moves" in html.unescape(page(mini_content, "strategies/index.md"))


def test_a_count_of_nothing_known_is_an_error_at_its_line(mini_content: Path):
    line = edit(mini_content / LISTEN, "  and at the worksheet", "  {{ count.strategy }} at the worksheet")
    [found] = problems(mini_content)
    assert found.startswith(f"content/{LISTEN}:{line}: '{{{{ count.strategy }}}}' counts nothing")
    assert "strategies" in found


def test_a_stated_number_the_content_contradicts_is_a_warning(mini_content: Path):
    sections = mini_content / "sections.yaml"
    line = edit(sections, "  title: Strategies", "  title: Two strategies")
    assert warnings(mini_content) == []
    add_strategy(mini_content, "third-move")
    [found] = warnings(mini_content)
    assert found.startswith(
        f"content/sections.yaml:{line}: says 'Two strategies' but the playbook has 3 strategies"
    )


@pytest.mark.parametrize("text", ["combine two strategies", "one strategy", "Six strategies to build trust"])
def test_numbers_that_count_nothing_or_name_a_work_are_left_alone(mini_content: Path, text: str):
    """A number with no article before it counts nothing here; a work's title is its own."""
    edit(
        mini_content / LISTEN,
        "  and at the worksheet",
        f"  and {text[0].lower() + text[1:]} at the worksheet",
    )
    edit(mini_content / "sources.yaml", "    title: A source for tests", f"    title: {text}")
    assert warnings(mini_content) == []
