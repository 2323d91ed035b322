"""The authoring guide, followed step by step on a copy of the project: the site still builds strictly.

An organisation adapting the playbook adds a strategy, a source, a worksheet and rewords a day of the
challenge as AUTHORING.md says; the strict build must pass and the invariants the other tests check
on the shipped content must hold for the adapted one too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from playbook import plan
from playbook.content import load

from .conftest import build


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def follow_the_guide(content: Path) -> None:
    # Add a source: a new key in sources.yaml
    rewrite(
        content / "sources.yaml",
        lambda d: d["sources"].append(
            {"key": "our-handbook", "author": "Our People Team", "title": "How we negotiate", "year": 2026}
        ),
    )
    # Add a strategy: copy explain-your-demands.yaml, new id = file name, the next number
    strategies = sorted((content / "strategies").glob("*.yaml"))
    new = content / "strategies/ask-for-the-calendar.yaml"
    shutil.copy(content / "strategies/explain-your-demands.yaml", new)

    def strategy(d):
        d.update(id=new.stem, number=len(strategies) + 1, title="Ask for their calendar")
        d["summary"] = "Learn the other side's deadlines before you set your own."
        d["story"]["cite"] = ["our-handbook"]
        d["body"] = "Deadlines shape every offer [@our-handbook]; see [[curiosity]]."

    rewrite(new, strategy)
    # Add a worksheet: copy after-the-deal.yaml, new id, the next number, a field citing the new source
    canvases = sorted((content / "canvases").glob("*.yaml"))
    sheet = content / "canvases/deadline-map.yaml"
    shutil.copy(content / "canvases/after-the-deal.yaml", sheet)

    def worksheet(d):
        d.update(id=sheet.stem, number=len(canvases) + 1, title="Deadline map", version=1)
        d["sections"][0]["fields"].append(
            {
                "id": "their-deadline",
                "label": "Their deadline",
                "prompt": "When must they decide?",
                "type": "date",
                "related": [new.stem],
                "cite": ["our-handbook"],
            }
        )

    rewrite(sheet, worksheet)
    # Edit the 30-day challenge: reword a day, point it at the new strategy
    rewrite(
        content / "challenge.yaml",
        lambda d: d["days"][0].update(title="Find one deadline", related=[new.stem], cite=["our-handbook"]),
    )


def test_following_the_authoring_guide_keeps_the_build_green(project: Path):
    follow_the_guide(project / "content")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr

    book = load(project / "content")
    site = project / "site"
    site_plan = plan.build(book)
    for uri in site_plan.uris.values():  # every play and worksheet has its page
        assert (site / uri).with_suffix(".html").is_file(), uri
    strategy = (site / site_plan.uris["ask-for-the-calendar"]).with_suffix(".html").read_text()
    assert "Ask for their calendar" in strategy and "sources.html#our-handbook" in strategy
    downloads = site_plan[site_plan.uris["deadline-map"]].downloads
    assert downloads and all((site / pdf.uri).is_file() for pdf in downloads), "the worksheet's PDFs"
    plays = (site / "plays.html").read_text()
    assert len(re.findall(r'<div class="play-card"', plays)) == len(book.plays)
    sources = (site / "sources.html").read_text()
    assert 'id="our-handbook"' in sources
    assert "Find one deadline" in (site / "practise/challenge.html").read_text()
