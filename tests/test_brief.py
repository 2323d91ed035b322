"""The deal brief's outline comes from content marks; the check refuses bad marks at their line.

Built from the small test tree (tests/trees/mini), whose test worksheet marks some fields for the
brief and its meeting date; every error case breaks a copy of it.
"""

from __future__ import annotations

import pytest

from playbook import brief
from playbook.content import load
from playbook.plan import build as plan

from .conftest import MINI, ROOT
from .editing import edit, line_of, problems

SHEET = "content/canvases/test-canvas.yaml"


def test_the_outline_follows_the_marks_in_the_order_of_the_headings():
    book = load(MINI)
    parts = brief.outline(book)
    assert [p.heading.id for p in parts] == ["who", "numbers", "asks"]  # "unused" names no field: left out
    assert [[f.id for _, f in p.items] for p in parts] == [
        ["deal-name", "meeting-date"],
        ["my-target", "my-walk-away"],  # order 1 before order 2, whatever the worksheet's order
        ["trades", "their-needs"],
    ]
    assert [[c.id for c in p.zopas] for p in parts] == [[], ["test-canvas"], []]
    canvas, field = brief.meeting(book)
    assert (canvas.id, field.id) == ("test-canvas", "meeting-date")
    assert "canvases/deal-brief.md" in [e.uri for e in plan(book).entries]


def second_sheet(content, sheet_id: str = "second", meeting: bool = False):
    """A copy of the test worksheet as another one, its brief marks moved to orders of their own."""
    text = (content / "canvases/test-canvas.yaml").read_text()
    number = len(list(content.glob("canvases/*.yaml"))) + 1  # the next free number
    text = text.replace("id: test-canvas", f"id: {sheet_id}").replace("number: 1", f"number: {number}")
    text = text.replace("order: ", "order: 1")
    if not meeting:
        text = text.replace("        meeting: true\n", "")
    path = content / f"canvases/{sheet_id}.yaml"
    path.write_text(text)
    return path


def test_a_worksheet_added_with_marks_joins_the_brief(mini_content):
    second_sheet(mini_content)
    parts = brief.outline(load(mini_content))
    who = next(p for p in parts if p.heading.id == "who")
    assert [(c.id, f.id) for c, f in who.items] == [
        ("test-canvas", "deal-name"),
        ("test-canvas", "meeting-date"),
        ("second", "deal-name"),
        ("second", "meeting-date"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "below", "message"),
    [
        (
            "heading: who, order: 1}",
            "heading: whom, order: 1}",
            0,
            "unknown brief heading 'whom'; the headings of",
        ),
        (
            "heading: who, order: 2}",
            "heading: who, order: 1}",
            0,
            "order 1 under the brief heading 'who' is taken",
        ),
        (
            "columns: [give]",
            "columns: [take]",
            0,
            "'take' is not a column of this field; its columns: give, cost",
        ),
        (
            "heading: who, order: 1}",
            "heading: who, order: 0}",
            0,
            "brief.order: input should be greater than",
        ),
        (
            "type: text\n        brief",
            "type: text\n        meeting: true\n        brief",
            1,
            "only a 'date' field",
        ),
    ],
)
def test_a_bad_mark_is_refused_at_its_line(mini_content, old, new, below, message):
    line = edit(mini_content / "canvases/test-canvas.yaml", old, new) + below
    found = problems(mini_content)
    assert [f for f in found if message in f and f.startswith(f"{SHEET}:{line}:")], found


def test_a_second_meeting_date_names_the_first(mini_content):
    path = second_sheet(mini_content, meeting=True)
    [found] = problems(mini_content)
    first = line_of(mini_content / "canvases/test-canvas.yaml", "meeting: true")
    assert found.startswith(f"content/canvases/second.yaml:{line_of(path, 'meeting: true')}: only one field")
    assert f"{SHEET}:{first} is already" in found


def test_steps_need_somewhere_to_go_and_days_of_their_own(mini_content):
    brief_file = mini_content / "brief.yaml"
    edit(brief_file, "    brief: true\n", "")
    second = edit(brief_file, "days: -1", "days: -2")
    assert problems(mini_content) == [
        f"content/brief.yaml:{second}: a step needs something to open: worksheets, or brief: true",
        f"content/brief.yaml:{second}: two steps are -2 days from the meeting "
        f"(the other at line {second - 3}): "
        "join them into one",
    ]


def test_the_timeline_needs_a_meeting_date(mini_content):
    edit(mini_content / "canvases/test-canvas.yaml", "        meeting: true\n", "")
    assert problems(mini_content) == [
        f"content/brief.yaml:{line_of(mini_content / 'brief.yaml', 'steps:')}: the timeline counts from the "
        "meeting's date: mark one date field of a worksheet with 'meeting: true', or remove the steps"
    ]


def test_a_step_names_worksheets_that_exist(mini_content):
    line = edit(mini_content / "brief.yaml", "worksheets: [test-canvas]", "worksheets: [test-canvass]")
    found = problems(mini_content)
    assert (
        f"content/brief.yaml:{line}: unknown worksheet id 'test-canvass'; did you mean 'test-canvas'?"
        in found
    )


def test_a_worksheet_may_not_be_named_like_a_page_of_the_site(mini_content):
    second_sheet(mini_content, "deal-brief")
    [found] = problems(mini_content)
    assert found.startswith("content/canvases/deal-brief.yaml:1: 'deal-brief' is a page of the site's own")


def test_the_shipped_brief_has_a_part_under_each_heading_and_a_meeting_date():
    """An invariant: every heading of the shipped brief is used, and the timeline has its date."""
    book = load(ROOT / "content")
    assert [p.heading for p in brief.outline(book)] == list(book.brief.headings)
    assert brief.meeting(book) is not None
