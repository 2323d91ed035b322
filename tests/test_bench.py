"""The build benchmark runs end to end (a smoke test, not a timing test), and large sections stay fast."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

from playbook import content, render

from .conftest import ROOT


def test_benchmark_prints_a_ratio_for_every_step():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench/run.py"), "--scales", "1", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for step in ("cold", "warm", "edit"):
        row = rf"^\| 1x \| \d+ \| 1 \| {step} \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$"
        assert re.search(row, result.stdout, re.M), step
    assert re.search(r"^- 1x: after one edit the playbook re-made .*bundle", result.stdout, re.M)


def test_a_long_section_is_split_into_groups_that_material_can_prune():
    book = content.load(ROOT / "content")
    many = tuple(
        s.model_copy(update={"id": f"{s.id}-{n}", "number": n})
        for n, s in enumerate(book.strategies * 20, start=1)
    )
    nav = render.nav(dataclasses.replace(book, strategies=many))
    learn = next(item["Learn"] for item in nav if "Learn" in item)
    strategies = next(item["Strategies"] for item in learn if isinstance(item, dict) and "Strategies" in item)
    index, *groups = strategies
    assert index == "strategies/index.md"
    assert [next(iter(g)) for g in groups] == ["1 to 50", "51 to 100", "101 to 120"]
    assert [uri for g in groups for uri in next(iter(g.values()))] == [render.play_uri(s) for s in many]
