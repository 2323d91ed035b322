"""Situations, glossary and home page as content, and the links generated between plays and worksheets.

Everything runs on the small test tree (tests/trees/mini), broken by writing YAML of our own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from playbook import content, plan, render
from playbook.errors import ContentError


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        content.load(root)
    return [str(p) for p in caught.value.problems]


def change(path: Path, edit) -> None:
    """Load a YAML file, let ``edit`` change the data, write it back (comments are not kept)."""
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def line_at(path: Path, *keys) -> int:
    """The 1-based line of the YAML node at ``keys`` (mapping keys and list indexes)."""
    node = yaml.compose(path.read_text())
    for key in keys:
        node = node.value[key] if isinstance(key, int) else next(v for k, v in node.value if k.value == key)
    return node.start_mark.line + 1


def pages(root: Path) -> dict[str, str]:
    """Every generated page's Markdown, by uri."""
    book = content.load(root)
    site_plan = plan.build(book)
    renderer = render.Renderer(book, site_plan, "Playbook")
    return {entry.uri: renderer.markdown(entry) for entry in site_plan.generated}


def test_situations_name_worksheets_that_exist(mini_content: Path):
    path = mini_content / "situations.yaml"
    change(path, lambda d: d["situations"][0].update(worksheets=["test-canvsa"]))
    found = problems(mini_content)
    line = line_of(path, "test-canvsa")
    assert found == [
        f"content/situations.yaml:{line}: unknown worksheet id 'test-canvsa'; did you mean 'test-canvas'?"
    ]


def test_a_play_is_not_a_worksheet(mini_content: Path):
    path = mini_content / "situations.yaml"
    change(path, lambda d: d["situations"][0].update(worksheets=["listen"]))
    (found,) = problems(mini_content)
    line = line_at(path, "situations", 0, "worksheets", 0)
    assert found.startswith(f"content/situations.yaml:{line}: unknown worksheet id 'listen'")


@pytest.mark.parametrize("key", ["related", "worksheets", "phrases"])
def test_a_situation_needs_plays_worksheets_and_phrases(mini_content: Path, key: str):
    path = mini_content / "situations.yaml"
    change(path, lambda d: d["situations"][0].pop(key))
    (found,) = problems(mini_content)
    assert re.fullmatch(rf"content/situations.yaml:\d+: missing required field '{key}'.*", found)


def test_glossary_terms_link_pages_that_exist(mini_content: Path):
    path = mini_content / "glossary.yaml"
    change(path, lambda d: d["terms"][0].update(related=["lisen"]))
    assert problems(mini_content) == [
        f"content/glossary.yaml:{line_of(path, 'lisen')}: unknown related id 'lisen'; did you mean 'listen'?"
    ]


def test_every_worksheet_names_a_play_behind_it(mini_content: Path):
    path = mini_content / "canvases/test-canvas.yaml"

    def strip(data):
        data.pop("related")
        for section in data["sections"]:
            for f in section["fields"]:
                f.pop("related", None)

    change(path, strip)
    (found,) = problems(mini_content)
    assert "a worksheet needs the plays behind it" in found
    assert found.startswith("content/canvases/test-canvas.yaml:1:")


def test_a_home_job_needs_somewhere_to_go(mini_content: Path):
    path = mini_content / "home.yaml"
    change(path, lambda d: [d["jobs"][0].pop(k, None) for k in ("worksheets", "related", "pages")])
    (found,) = problems(mini_content)
    assert found.startswith(f"content/home.yaml:{line_at(path, 'jobs', 0)}: a job needs somewhere to go")


def test_home_jobs_go_to_known_pages_only(mini_content: Path):
    path = mini_content / "home.yaml"
    change(path, lambda d: d["jobs"][0].update(pages=["nowhere"]))
    (found,) = problems(mini_content)
    assert found.startswith(f"content/home.yaml:{line_of(path, 'nowhere')}: jobs.0.pages.0: input should be")


def test_plays_link_the_worksheets_that_name_them_and_back(mini_content: Path):
    site = pages(mini_content)
    canvas = yaml.safe_load((mini_content / "canvases/test-canvas.yaml").read_text())
    named = set(canvas["related"]) | {
        r for s in canvas["sections"] for f in s["fields"] for r in f.get("related", ())
    }
    plays = {uri: md for uri, md in site.items() if "/" in uri and not uri.endswith("index.md")}
    for uri, md in plays.items():
        if uri.startswith("canvases/"):
            continue
        play_id = Path(uri).stem
        links_canvas = "](/canvases/test-canvas.md)" in md.partition("## Put it to work")[2]
        assert links_canvas == (play_id in named), uri
    behind = site["canvases/test-canvas.md"].partition("Plays behind it")[2].partition("</div>")[0]
    for play_id in named:
        assert f"/{play_id}.md)" in behind


def test_situations_page_links_plays_worksheets_and_phrases(mini_content: Path):
    data = yaml.safe_load((mini_content / "situations.yaml").read_text())
    md = pages(mini_content)["situations.md"]
    for s in data["situations"]:
        section = md.partition(f"{{ #{s['id']} }}")[2].partition("\n## ")[0]
        assert s["title"] in md.partition(f"{{ #{s['id']} }}")[0].rsplit("\n", 1)[-1]
        assert all(f"/canvases/{w}.md)" in section for w in s["worksheets"])
        assert all(re.search(rf"/{r}\.md\)", section) for r in s["related"])
        assert all(f"> {p}" in section for p in s["phrases"])
    # and each play named by a situation says when it helps
    listen = pages(mini_content)["pillars/listen.md"]
    assert f"](/situations.md#{data['situations'][0]['id']})" in listen.partition("## When it helps")[2]


def test_glossary_is_alphabetical_and_linked_from_the_pages_it_names(mini_content: Path):
    path = mini_content / "glossary.yaml"
    change(
        path,
        lambda d: d["terms"].append(
            {"id": "anchor", "term": "anchor", "definition": "The first number.", "related": ["test-canvas"]}
        ),
    )
    site = pages(mini_content)
    headings = re.findall(r"^## (.+?) \{ #([a-z-]+) \}$", site["glossary.md"], re.M)
    assert [h for h, _ in headings] == sorted((h for h, _ in headings), key=str.casefold)
    assert site["canvases/test-canvas.md"].count("](/glossary.md#") == 2  # fallback and anchor
    assert "](/glossary.md#fallback)" in site["pillars/listen.md"]
    assert "/glossary.md#" not in site["pillars/name-the-feeling.md"]


def test_home_buttons_follow_each_job(mini_content: Path):
    home = pages(mini_content)["index.md"]
    data = yaml.safe_load((mini_content / "home.yaml").read_text())
    cards = home.split("\n-   ")[1:]
    assert len(cards) == len(data["jobs"])
    for card, job in zip(cards, data["jobs"], strict=True):
        buttons = re.findall(r"\[([^\]]+)\]\(/([^)]+)\)\{ \.md-button( \.md-button--primary)? \}", card)
        assert [b[2] for b in buttons] == [" .md-button--primary"] + [""] * (len(buttons) - 1)
        assert len(buttons) == len(job.get("worksheets", ())) + len(job.get("related", ())) + len(
            job.get("pages", ())
        )
        if job.get("button"):
            assert buttons[0][0] == job["button"]


@pytest.mark.parametrize("count", range(1, 61))
def test_card_grids_never_leave_one_card_alone_on_the_last_row(count: int):
    classes = render.grid_fit(count).split()
    (wide,) = [int(c.removeprefix("fit--c")) for c in classes if c.startswith("fit--c")]
    assert wide in (1, 2, 3) and wide <= count, "never more than three cards across"
    # the last row holds one card only if the grid has one column; with "pairs" the last four go two by two
    last = count % wide or wide
    assert wide == 1 or last != 1 or ("fit--pairs" in classes and count >= 7)
    assert ("fit--even" in classes) == (count % 2 == 0)  # two columns on medium screens only when even
