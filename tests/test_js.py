"""The browser's data code (store, deals, answers, numbers, challenge progress, .ics) tested in Node.

Those modules load unchanged in a page and in Node, so their logic is tested here, in the fast tier,
with ``node --test`` over tests/js/ (fast-check for the property tests, from .cache/npm). The schema
they check by is the script the build generates, written here for the small test tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess

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


def test_the_data_modules_pass_their_node_tests(tmp_path):
    require_tools()
    book = content.load(MINI)
    schema = tmp_path / "worksheets.js"
    schema.write_text(Renderer(book, plan.build(book), "Test site").worksheets())
    env = {**os.environ, "PLAYBOOK_SCHEMA": str(schema), "NODE_PATH": str(NPM)}
    run = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", *map(str, sorted((ROOT / "tests/js").glob("*.test.js")))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "\n# fail 0\n" in run.stdout, run.stdout[-2000:]
