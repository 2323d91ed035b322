"""The evidence table: one row per figure of evidence.yaml, whatever its text, on the site and on paper."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from playbook import handbook

from .conftest import MINI, built, copy_project

# Text that broke the Markdown table: a note over several lines (one blank), pipes, a value with a pipe
pytestmark = pytest.mark.slow  # real builds

HOSTILE = {
    "id": "hostile-figure",
    "value": "2 | 3",
    "claim": "a claim with a | pipe\nthat goes on over a second line",
    "context": "A note that spans\nseveral lines | with pipes |\n\nand a second paragraph.",
    "cite": ["test-study"],
}


@pytest.fixture(scope="module")
def figures_site(tmp_path_factory, mini_site: Path) -> tuple[list[dict], Path]:
    project = copy_project(tmp_path_factory.mktemp("evidence"), MINI)
    path = project / "content/evidence.yaml"
    data = yaml.safe_load(path.read_text())
    data["figures"].insert(1, HOSTILE)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return data["figures"], built(project, cache_of=mini_site)


class Rows(HTMLParser):
    """The rows of the page's evidence table: each row's cells as text."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.depth = 0  # inside the tbody

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "tbody"
        if self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        self.depth -= tag == "tbody"

    def handle_data(self, data):
        if self.depth and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def squash(text: str) -> str:
    return "".join(text.split())


def test_the_site_shows_one_row_per_figure(figures_site):
    figures, site = figures_site
    parser = Rows()
    parser.feed((site / "evidence.html").read_text(encoding="utf-8"))
    assert len(parser.rows) == len(figures)
    for row, figure in zip(parser.rows, figures, strict=True):
        assert len(row) == 3
        assert squash(row[0]) == squash(figure["value"])
    hostile = parser.rows[1]
    assert "second line" in hostile[1] and "second paragraph" in hostile[1]


def test_the_handbook_shows_one_row_per_figure(figures_site):
    """In the PDF, the figure column under each table header holds the figure values and nothing else."""
    figures, site = figures_site
    column: list[str] = []
    runs: list[tuple[float, float, str]] = []  # (x, y from the top, text) of each piece of text on a page
    for page in PdfReader(site / handbook.NAME).pages:
        runs.clear()
        page.extract_text(visitor_text=lambda text, cm, tm, *_: runs.append((tm[4], tm[5], text)))
        for left, top, text in runs:
            line = " ".join(
                t.strip() for x, y, t in runs if abs(y - top) < 1
            )  # the header, in one run or many
            if text.strip().startswith("Figure") and "What it measures" in line and "Source" in line:
                column += [t for x, y, t in runs if abs(x - left) < 1 and y > top and t.strip()]
    assert squash("".join(column)) == squash("".join(f["value"] for f in figures)), column
