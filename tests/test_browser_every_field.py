"""An answer to every field of every worksheet survives a reload, an export and import into a fresh
profile, and printing: on the shipped content (an invariant, whatever its worksheets hold) and on a
generated content tree whose ids are chosen to come close to each other (a section and a field, a
field and another's choice or cell), in a real headless Chromium.

Each control is reached by its own id, as the page's script reaches it; every id and name in the
built form is one form_names.handles predicted, so the content check guards the ids the page uses.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from playbook import content
from playbook.errors import ContentError
from playbook.form_names import PAGE_IDS, handles

from .conftest import MINI, ROOT, Page, built, copy_project, download, serving_folder

pytestmark = pytest.mark.browser

CELL = {"text": "cell ✓", "number": "12k", "date": "2026-04-01", "long-text": "cell\nlines"}
ANSWER = {
    "text": "short ✓ <b>x</b>",
    "number": "480k",
    "date": "2026-03-15",
    "long-text": "line one\nline two",
}


# ---- a generated content tree ----

WORDS = ["a", "b", "ab", "a-1", "a-2", "b-a", "ab-1-a", "x", "x-3", "rows", "rows-1-a", "note", "p-a", "f-x"]
TYPES = ["text", "long-text", "number", "date", "checkbox", "scale", "rows"]


def worksheet(rng: random.Random, n: int) -> dict:
    words = rng.sample(WORDS, len(WORDS))
    sections = []
    for s in range(rng.randint(1, 3)):
        fields = []
        for _ in range(rng.randint(1, 4)):
            if not words:
                break
            kind = rng.choice(TYPES)
            field = {
                "id": words.pop(),
                "label": f"Question «{len(words)}» & <i>it</i>",
                "prompt": "Say it.",
                "type": kind,
            }
            if kind == "rows":
                ids = rng.sample(["a", "b", "c-1", "d"], rng.randint(1, 3))
                field["columns"] = [
                    {"id": i, "label": f"Col {i}", "type": rng.choice(["text", "number", "date"])}
                    for i in ids
                ]
                field["rows"] = rng.randint(1, 3)
            fields.append(field)
        if fields:
            sections.append(
                {
                    "id": words.pop() if words and rng.random() < 0.5 else f"part-{s}",
                    "title": f"Part {s}",
                    "fields": fields,
                }
            )
    return {
        "id": f"gen-{n}",
        "number": n,
        "title": f"Generated worksheet {n}",
        "summary": "Made by a test.",
        "purpose": "A worksheet of generated questions, linked to [[listen]].",
        "version": 1,
        "related": ["listen"],
        "sections": sections,
    }


def generated_project(folder: Path, seed: int) -> Path:
    """The project with the small test tree and three generated worksheets after its own: the first
    seed from ``seed`` on whose worksheets the content check agrees (near misses of ids are often
    clashes, which it refuses)."""
    tree = Path(shutil.copytree(MINI, folder / "content"))
    after = len(list(tree.glob("canvases/*.yaml")))
    for attempt in range(seed, seed + 500):
        rng = random.Random(attempt)
        for n in range(after + 1, after + 4):
            text = yaml.safe_dump(worksheet(rng, n), allow_unicode=True, sort_keys=False)
            (tree / f"canvases/gen-{n}.yaml").write_text(text)
        try:
            content.load(tree)
        except ContentError:
            continue
        (folder / "project").mkdir()
        return copy_project(folder / "project", tree)
    raise AssertionError("no generated tree passed the content check")


@pytest.fixture(scope="module", params=["shipped", "generated"])
def worksheets_site(request, tmp_path_factory):
    """(site url, the worksheets' models) for the shipped content and for a generated tree."""
    if request.param == "shipped":
        url = request.getfixturevalue("server")
        yield url, content.load(ROOT / "content").canvases
        return
    project = generated_project(tmp_path_factory.mktemp("generated"), seed=16)
    with serving_folder(built(project, cache_of=request.getfixturevalue("mini_site"))) as url:
        yield url, content.load(project / "content").canvases


# ---- filling and finding every answer ----


def value(canvas, field) -> object:
    """The answer typed into ``field``: distinct for every field of every worksheet."""
    if field.type == "checkbox":
        return True
    if field.type == "scale":
        return "4"
    if field.type == "rows":
        return [
            {
                c.id: f"{CELL[c.type]}" if c.type != "text" else f"{canvas.id} {field.id} {c.id}"
                for c in field.columns
            }
        ]
    if field.type in ("text", "long-text"):
        return f"{canvas.id} {field.id}: {ANSWER[field.type]}"
    return ANSWER[field.type]


def fill(page, canvas) -> None:
    for field in canvas.fields.values():
        answer = value(canvas, field)
        if field.type == "checkbox":
            page.check(f"#f-{field.id}")
        elif field.type == "scale":
            page.check(f"#f-{field.id}-4")
        elif field.type == "rows":
            for column, text in answer[0].items():
                page.fill(f"#f-{field.id}-1-{column}", text)
        else:
            page.fill(f"#f-{field.id}", answer)


def assert_shown(page, canvas) -> None:
    for field in canvas.fields.values():
        answer = value(canvas, field)
        if field.type == "checkbox":
            expect(page.locator(f"#f-{field.id}")).to_be_checked()
        elif field.type == "scale":
            expect(page.locator(f"#f-{field.id}-4")).to_be_checked()
        elif field.type == "rows":
            for column, text in answer[0].items():
                expect(page.locator(f"#f-{field.id}-1-{column}")).to_have_value(text)
        else:
            expect(page.locator(f"#f-{field.id}")).to_have_value(answer)


def printed_as(page, kind: str, answer) -> str:
    """An answer as paper shows it: a date in the browser's words for it, a tick as Yes, a scale's
    choice as "4 on a scale from 1 ... to 5 ..." (the exact words are tests/test_browser_paper.py's)."""
    if kind == "date":
        return page.evaluate("PlaybookPaper.date", answer)
    if kind == "checkbox":
        return "Yes"
    if kind == "scale":
        return f"{answer} on a scale from 1"
    return answer


def assert_ids_are_handles(page, canvas) -> None:
    """Every id and name the built form uses is one the content check knows about."""
    known = {name for name, *_ in handles(canvas)} | PAGE_IDS
    used = page.eval_on_selector_all(
        "#canvas-form [id], #canvas-form [name]", "els => els.flatMap((e) => [e.id, e.name]).filter(Boolean)"
    )
    names = {
        u for u in used if "[" not in u
    }  # a cell's name is field[row][column], its id f-field-row-column
    assert names - known == set(), canvas.id


def test_an_answer_to_every_field_survives_reload_export_import_and_print(
    worksheets_site, tab, browser, tmp_path
):
    url, canvases = worksheets_site
    page = tab.page
    for canvas in canvases:
        page.goto(f"{url}/canvases/{canvas.id}.html")
        fill(page, canvas)
        assert_ids_are_handles(page, canvas)
        page.reload()
        assert_shown(page, canvas)
    page.goto(f"{url}/canvases/my-deals.html")
    text = page.locator(".my-deals__deal").inner_text()
    for canvas in canvases:
        assert f"{canvas.title}: {len(canvas.fields)} of {len(canvas.fields)} question" in text
    saved = download(page, "[data-action=export-all]", tmp_path)

    fresh = Page(browser)  # another device
    try:
        there = fresh.page
        there.goto(f"{url}/canvases/my-deals.html")
        there.set_input_files("#deals-import", str(saved))
        expect(there.locator(".canvas-status")).to_have_text("Imported 1 deal and saved on this device.")
        for canvas in canvases:
            there.goto(f"{url}/canvases/{canvas.id}.html")
            assert_shown(there, canvas)
            there.emulate_media(media="print")
            for field in canvas.fields.values():
                if field.type in ("text", "long-text", "number", "date"):
                    mirror = there.locator(f"#f-{field.id} + .canvas-print-value").inner_text()
                    assert mirror == printed_as(there, field.type, value(canvas, field)), field.id
            there.emulate_media(media="screen")
        there.goto(f"{url}/canvases/my-deals.html")
        there.evaluate("window.print = () => {}")
        there.click("[data-action=print]")
        there.emulate_media(media="print")
        printed = there.locator(".deal-print").inner_text()
        for canvas in canvases:
            for field in canvas.fields.values():
                answer = value(canvas, field)
                if field.type == "rows":
                    for column in field.columns:
                        text = printed_as(there, column.type, answer[0][column.id])
                        assert text.split("\n")[0] in printed, (canvas.id, field.id)
                else:
                    text = printed_as(there, field.type, answer)
                    assert f"{field.label}\n{text.split(chr(10))[0]}" in printed, (canvas.id, field.id)
    finally:
        fresh.context.close()
    assert fresh.errors == [] and fresh.foreign == []
