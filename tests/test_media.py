"""Text for one medium: content marks a paragraph web-only or print-only, the loader checks the mark,
and each medium leaves out the other's text (playbook.media)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from playbook import canvas, content, media, plan
from playbook.render import Renderer

from .editing import problems, set_value

SCREEN = "Tick it off on screen."
PAPER = "Tick the box with a pen."


@pytest.mark.parametrize(
    ("html", "web", "paper"),
    [
        (
            '<p>Both.</p><p class="print-only">Ink.</p>',
            "<p>Both.</p>",
            '<p>Both.</p><p class="print-only">Ink.</p>',
        ),
        (
            '<div class="tools web-only" hidden><div><p>Save</p></div><input type="file"></div><p>x</p>',
            '<div class="tools web-only" hidden><div><p>Save</p></div><input type="file"></div><p>x</p>',
            "<p>x</p>",
        ),
        (
            '<li class="web-only">a<ul><li>b</li></ul></li><li>c</li>',
            '<li class="web-only">a<ul><li>b</li></ul></li><li>c</li>',
            "<li>c</li>",
        ),
        ('<p title="a > b" class="web-only">x</p>y', '<p title="a > b" class="web-only">x</p>y', "y"),
        (
            '<p class="web-onlyish">kept</p><img class="web-only" alt="">',
            '<p class="web-onlyish">kept</p><img class="web-only" alt="">',
            '<p class="web-onlyish">kept</p>',
        ),
        ('<p>a</p><p class="web-only">never closed', '<p>a</p><p class="web-only">never closed', "<p>a</p>"),
    ],
)
def test_each_medium_drops_the_elements_marked_for_the_other(html: str, web: str, paper: str):
    assert media.only(html, "web") == web
    assert media.only(html, "print") == paper


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (f"Both.\n\n{SCREEN}\n{{.web-only}}\n\n{PAPER}\n{{.print-only}}", None),
        (f"{SCREEN}\n  {{.web-only}}", None),
        ("{.web-only}", "there is none"),
        (f"{SCREEN}\n{{.web-only}}\nMore words.", "must be the last line of its paragraph"),
        (f"{SCREEN}\n{{.webonly}}", "unknown mark '{.webonly}'"),
        (f"{SCREEN}\n{{: .web-only }}", "unknown mark"),
        (f"{SCREEN}\n{{.admonition}}", "unknown mark"),
        (f"{SCREEN} {{.web-only}}", "must stand on a line of its own"),
        ("Hostile {{ }} and {% raw %} stay text.", None),
    ],
)
def test_a_mark_stands_alone_at_the_end_of_its_paragraph(text: str, wrong: str | None):
    found = media.problem(text)
    assert (found is None) if wrong is None else (wrong in found), found


def test_the_check_names_the_file_and_line_of_a_wrong_mark(mini_content: Path):
    line = set_value(mini_content / "sections.yaml", ("canvases", "intro"), f'"{SCREEN}\\n{{.screen-only}}"')
    assert problems(mini_content) == [
        f"content/sections.yaml:{line}: canvases.intro: unknown mark '{{.screen-only}}': a paragraph for "
        "one medium ends in {.web-only} or {.print-only}"
    ]


def test_a_mark_works_in_any_prose_field_and_before_what_a_template_adds(mini_content: Path):
    set_value(mini_content / "challenge.yaml", ("intro",), f'"Both.\\n\\n{SCREEN}\\n{{.web-only}}"')
    book = content.load(mini_content)
    renderer = Renderer(book, plan.build(book), "Playbook")
    # what a template may write right after a prose field: its citations
    html = markdown.Markdown(extensions=["attr_list"]).convert(
        renderer.prose(book.challenge.intro) + " [Cited](x)"
    )
    assert f'<p class="web-only">{SCREEN}</p>' in html, "the mark gives the paragraph its class"
    assert '<p><a href="x">Cited</a></p>' in html, "what follows is a paragraph of its own, for both media"


def test_worksheet_pdfs_print_the_paper_text_and_not_the_screen_text(mini_content: Path):
    book = content.load(mini_content)
    prose = canvas.on_paper(book)["prose"]
    html = prose(f"Both.\n\n{SCREEN}\n{{.web-only}}\n\n{PAPER}\n{{.print-only}}")
    assert "Both." in html and PAPER in html and SCREEN not in html and "{." not in html
