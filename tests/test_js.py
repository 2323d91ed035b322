"""The browser's data code (store, deals, answers, numbers, challenge progress, .ics) tested in Node.

Those modules load unchanged in a page and in Node, so their logic is tested here, in the fast tier,
with ``node --test`` over tests/js/ (fast-check for the property tests, from .cache/npm). The schema
they check by is the script the build generates, written here for the small test tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from playbook import content, plan
from playbook.render import Renderer

from .conftest import MINI, ROOT

NODE = shutil.which("node")
NPM = ROOT / ".cache/npm/node_modules"


def require_tools() -> None:
    missing = [what for what, ok in (("node", NODE), ("fast-check", (NPM / "fast-check").is_dir())) if not ok]
    if missing:
        message = f"the Node tests need {' and '.join(missing)} (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def start(folder: Path) -> subprocess.Popen | None:
    """``node --test`` over tests/js/, started and left to run (None without the tools it needs)."""
    if not NODE or not (NPM / "fast-check").is_dir():
        return None
    book = content.load(MINI)
    schema = folder / "worksheets.js"
    schema.write_text(Renderer(book, plan.build(book), "Test site").worksheets())
    env = {**os.environ, "PLAYBOOK_SCHEMA": str(schema), "NODE_PATH": str(NPM)}
    tests = sorted((ROOT / "tests/js").glob("*.test.js"))
    command = [NODE, "--test", "--test-reporter=tap", *map(str, tests)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_data_modules_pass_their_node_tests(request, tmp_path):
    """The run conftest.py started as soon as this test was collected (Node works on the other core
    while Python tests run), or a run of its own."""
    require_tools()
    run = getattr(request.config, "node_tests", None) or start(tmp_path)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stdout[-6000:] + stderr[-2000:]
    assert "\n# fail 0\n" in stdout, stdout[-2000:]
