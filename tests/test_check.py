"""``python -m playbook check``: the build's content problems, with file and line, without building."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from playbook.__main__ import main

from .conftest import ROOT
from .editing import edit


def test_shipped_content_is_valid_from_the_command_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    command = [sys.executable, "-m", "playbook", "check"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "content/ is valid\n", "")


def test_it_loads_neither_mkdocs_nor_weasyprint():
    code = "import json, sys, playbook.__main__ as m; m.main(['check']); print(json.dumps(list(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}
    assert "pydantic" in loaded and not {"mkdocs", "weasyprint", "jinja2", "material"} & loaded


def test_a_broken_file_prints_its_file_and_line_and_exits_1(mini_content, capsys):
    line = edit(mini_content / "pillars/listen.yaml", "number: 1", "number: first")
    assert main(["check", str(mini_content)]) == 1
    out, err = capsys.readouterr()
    assert (
        out == "" and f"  content/pillars/listen.yaml:{line}: number: input should be a valid integer" in err
    )


def test_it_checks_content_of_the_current_folder_by_default(mini_content, capsys, monkeypatch):
    (mini_content / "recovery.yaml").unlink()
    monkeypatch.chdir(mini_content.parent)
    assert main(["check"]) == 1
    assert "content/recovery.yaml:1: file missing: the playbook needs it" in capsys.readouterr().err


def test_the_current_folder_is_named_after_itself(mini_content, capsys, monkeypatch):
    (mini_content / "sections.yaml").write_text("[")
    monkeypatch.chdir(mini_content)
    assert main(["check", "."]) == 1
    assert "\n  content/sections.yaml:1: YAML syntax error" in capsys.readouterr().err


def test_a_missing_folder_is_a_problem_not_a_traceback(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "nowhere/:1: no such folder" in capsys.readouterr().err
