"""The build benchmark runs end to end (a smoke test, not a timing test), on the small test tree."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import MINI, ROOT


@pytest.mark.slow
def test_benchmark_prints_a_ratio_for_every_step():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench/run.py"), "--scales", "1", "--repeat", "1", "--content", MINI],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for step in ("cold", "warm", "edit", "serve"):
        row = rf"^\| 1x \| \d+ \| 1 \| {step} \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$"
        assert re.search(row, result.stdout, re.M), step
    assert re.search(r"^- 1x: after one edit the playbook re-made .*bundle", result.stdout, re.M)
