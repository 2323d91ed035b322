"""The 30-day challenge: its content checks (with file:line), its page, and its printable PDFs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook import plan
from playbook.content import load
from playbook.model import CHALLENGE_DAYS

from .conftest import ROOT
from .test_content import edit, problems

FILE = "content/challenge.yaml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def line_of(path: Path, text: str) -> int:
    source = path.read_text()
    assert text in source, f"{text!r} not in {path}"
    return source[: source.index(text)].count("\n") + 1


def test_real_challenge_has_thirty_days_in_weekly_themes():
    challenge = load(ROOT / "content").challenge
    assert sorted(d.day for d in challenge.days) == list(range(1, CHALLENGE_DAYS + 1))
    runs = [(theme.id, [d.day for d in days]) for theme, days in challenge.weeks]
    assert [len(days) for _, days in runs] == [7, 7, 7, 7, 2]
    assert runs[-1] == ("close-the-month", [29, 30])
    assert all(d.related or d.cite for d in challenge.days)


def test_a_missing_day_is_named_at_the_days_list(content):
    path = content / "challenge.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(?ms)^  - day: 12\n.*?(?=^  - day: 13\n)", "", text))
    assert problems(content) == [
        f"{FILE}:{line_of(path, 'days:')}: day 12 is missing: the challenge needs days 1 to 30"
    ]


def test_a_repeated_day_is_named_where_it_repeats(content):
    path = content / "challenge.yaml"
    line = edit(path, "  - day: 13\n", "  - day: 12\n")
    assert problems(content) == [
        f"{FILE}:{line_of(path, 'days:')}: day 13 is missing: the challenge needs days 1 to 30",
        f"{FILE}:{line}: day 12 appears twice: each day must appear once",
    ]


def edit_day(path: Path, day: int, old: str, new: str) -> int:
    """Replace the first ``old`` inside that day's entry; return the 1-based line where it stood."""
    text = path.read_text()
    start = text.index(f"  - day: {day}\n")
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :])
    return text[:at].count("\n") + 1


def test_an_unknown_theme_is_named_with_the_known_ones(content):
    line = edit_day(content / "challenge.yaml", 5, "theme: curiosity-shift", "theme: curiosity-shfit")
    [found] = problems(content)
    assert found.startswith(f"{FILE}:{line}: unknown theme 'curiosity-shfit'; themes: curiosity-shift, ")


def test_unknown_links_and_citations_in_a_day(content):
    path = content / "challenge.yaml"
    related = edit(path, "related: [speak-their-language]", "related: [speak-their-langauge]")
    cite = edit(path, "cite: [northwestern-rapport]", "cite: [northwestern]")
    prose = edit(path, "The preparation questions of [[curiosity]]", "The questions of [[curiousity]]")
    assert problems(content) == [
        f"{FILE}:{prose}: unknown link [[...]] to 'curiousity'; did you mean 'curiosity'?",
        f"{FILE}:{cite}: unknown citation key 'northwestern'; did you mean 'northwestern-rapport'?",
        f"{FILE}:{related}: unknown related id 'speak-their-langauge'; did you mean 'speak-their-language'?",
    ]


def test_a_day_without_a_source_or_play_behind_it(content):
    path = content / "challenge.yaml"
    edit_day(path, 1, "    related: [curiosity]\n", "")
    assert problems(content) == [
        f"{FILE}:{line_of(path, '  - day: 1')}: day 1 needs a 'related' play or a 'cite' key behind its why"
    ]


def test_a_day_out_of_range(content):
    line = edit(content / "challenge.yaml", "  - day: 30\n", "  - day: 31\n")
    assert problems(content) == [
        f"{FILE}:{line}: days.29.day: input should be less than or equal to 30 (for example: day: 1)"
    ]


def test_a_theme_without_days(content):
    line = edit(
        content / "challenge.yaml", "\ndays:\n", "\n  - id: spare\n    title: Spare\n    goal: None.\ndays:\n"
    )
    assert problems(content) == [f"{FILE}:{line + 1}: theme 'spare' has no days"]


def test_challenge_page_is_in_the_practise_section(site: Path):
    nav = plan.build(load(ROOT / "content")).nav()
    [practise] = [entry["Practise"] for entry in nav if "Practise" in entry]
    assert "practise/challenge.md" in practise
    assert 'href="challenge.html" class="md-nav__link"' in (site / "practise/culture.html").read_text()
    html = (site / "practise/challenge.html").read_text()
    assert [int(n) for n in re.findall(r'<h3 id="day-(\d+)"', html)] == list(range(1, 31))
    assert len(re.findall(r'<li class="challenge-cell" data-day="\d+"><a href="#day-\d+">', html)) == 30
    assert 'href="challenge-a4.pdf"' in html and 'href="challenge-letter.pdf"' in html
    assert "content/challenge.yaml" in html  # the edit link points at the content file


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_calendar_pdf_has_a_checkbox_per_day(site: Path, paper: str, size: tuple[int, int]):
    reader = PdfReader(site / f"practise/challenge-{paper}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == size
    fields = reader.get_fields()
    boxes = {name for name, f in fields.items() if f.get("/FT") == "/Btn"}
    assert boxes == {f"day-{n}" for n in range(1, 31)}
    assert fields["start"].get("/FT") == "/Tx"
    text = reader.pages[0].extract_text()
    assert "Day 30" in text and "Close the month" in text
