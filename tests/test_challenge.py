"""The 30-day challenge: its content checks (with file:line), its page, and its printable PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook import plan
from playbook.content import load
from playbook.model import CHALLENGE_DAYS

from .conftest import ROOT
from .editing import edit, line_of, problems

FILE = "content/challenge.yaml"


def test_shipped_challenge_has_each_day_once_in_runs_of_themes():
    challenge = load(ROOT / "content").challenge
    assert sorted(d.day for d in challenge.days) == list(range(1, CHALLENGE_DAYS + 1))
    days = [d.day for _, run in challenge.weeks for d in run]
    assert days == list(range(1, CHALLENGE_DAYS + 1))
    assert all(d.related or d.cite for d in challenge.days)


def test_a_missing_day_is_named_at_the_days_list(mini_content):
    path = mini_content / "challenge.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(?ms)^  - day: 12\n.*?(?=^  - day: 13\n)", "", text))
    assert problems(mini_content) == [
        f"{FILE}:{line_of(path, 'days:')}: day 12 is missing: the challenge needs days 1 to 30"
    ]


def test_a_repeated_day_is_named_where_it_repeats(mini_content):
    path = mini_content / "challenge.yaml"
    line = edit(path, "  - day: 13\n", "  - day: 12\n")
    assert problems(mini_content) == [
        f"{FILE}:{line_of(path, 'days:')}: day 13 is missing: the challenge needs days 1 to 30",
        f"{FILE}:{line}: day 12 appears twice: each day must appear once",
    ]


def test_an_unknown_theme_is_named_with_the_known_ones(mini_content):
    path = mini_content / "challenge.yaml"
    line = edit(path, "  - day: 5\n    theme: first-half", "  - day: 5\n    theme: frist-half") + 1
    assert problems(mini_content) == [
        f"{FILE}:{line}: unknown theme 'frist-half'; themes: first-half, second-half"
    ]


def test_unknown_links_and_citations_in_a_day(mini_content):
    path = mini_content / "challenge.yaml"
    related = edit(path, "related: [listen]\n  - day: 2", "related: [lisen]\n  - day: 2")
    cite = edit(path, "cite: [test-study]\n  - day: 3", "cite: [test-stud]\n  - day: 3")
    prose = edit(path, "why: It helps.", "why: It helps, see [[lissen]].")
    assert set(problems(mini_content)) == {
        f"{FILE}:{prose}: unknown link [[...]] to 'lissen'; did you mean 'listen'?",
        f"{FILE}:{related}: unknown related id 'lisen'; did you mean 'listen'?",
        f"{FILE}:{cite}: unknown citation key 'test-stud'; did you mean 'test-study'?",
    }


def test_a_day_without_a_source_or_play_behind_it(mini_content):
    path = mini_content / "challenge.yaml"
    edit(path, "    related: [listen]\n    phrase:", "    phrase:")
    assert problems(mini_content) == [
        f"{FILE}:{line_of(path, '  - day: 1')}: day 1 needs a 'related' play or a 'cite' key behind its why"
    ]


def test_a_day_out_of_range(mini_content):
    line = edit(mini_content / "challenge.yaml", "  - day: 30\n", "  - day: 31\n")
    assert problems(mini_content) == [
        f"{FILE}:{line}: days.29.day: input should be less than or equal to 30 (for example: day: 1)"
    ]


def test_a_theme_without_days(mini_content):
    line = edit(
        mini_content / "challenge.yaml",
        "\ndays:\n",
        "\n  - id: spare\n    title: Spare\n    goal: None.\ndays:\n",
    )
    assert problems(mini_content) == [f"{FILE}:{line + 1}: theme 'spare' has no days"]


def test_challenge_page_is_in_the_practise_section(site: Path):
    nav = plan.build(load(ROOT / "content")).nav()
    [practise] = [entry["Practise"] for entry in nav if "Practise" in entry]
    assert "practise/challenge.md" in practise
    assert 'href="challenge.html" class="md-nav__link"' in (site / "practise/culture.html").read_text()
    html = (site / "practise/challenge.html").read_text()
    days = list(range(1, CHALLENGE_DAYS + 1))
    assert [int(n) for n in re.findall(r'<h3 id="day-(\d+)"', html)] == days
    cells = re.findall(r'<li class="challenge-cell" data-day="\d+"><a href="#day-\d+">', html)
    assert len(cells) == len(days)
    assert 'href="challenge-a4.pdf"' in html and 'href="challenge-letter.pdf"' in html


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_calendar_pdf_has_a_checkbox_per_day(site: Path, paper: str, size: tuple[int, int]):
    reader = PdfReader(site / f"practise/challenge-{paper}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == size
    fields = reader.get_fields()
    boxes = {name for name, f in fields.items() if f.get("/FT") == "/Btn"}
    assert boxes == {f"day-{n}" for n in range(1, CHALLENGE_DAYS + 1)}
    assert fields["start"].get("/FT") == "/Tx"
    text = reader.pages[0].extract_text()
    last_theme, _ = load(ROOT / "content").challenge.weeks[-1]
    assert f"Day {CHALLENGE_DAYS}" in text and last_theme.title in text
