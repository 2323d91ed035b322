"""An organisation follows AUTHORING.md on a copy of the project: it adds a strategy, a source and a
worksheet and rewords and moves days of the challenge. The copy must still build strictly and keep
its own test suite green, since the tests pin behaviour, not today's content."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, build, copy_project, take_cache

pytestmark = pytest.mark.slow


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def guide_example(heading: str) -> dict:
    """The YAML example under a heading of the authoring guide, as an author would copy it."""
    guide = (ROOT / "AUTHORING.md").read_text(encoding="utf-8")
    section = guide.split(f"## {heading}\n", 1)[1]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S)[1])


def add_a_strategy(content: Path) -> dict:
    """Guide, "Add a strategy": copy a strategy, name file and id alike, give it the next number."""
    folder = content / "strategies"
    existing = sorted(folder.glob("*.yaml"))
    strategy = load(existing[0])
    strategy.update(
        id="agree-the-agenda-first",
        number=len(existing) + 1,
        title="Agree the agenda first",
        summary="Settle together what the meeting is for before anyone names a number.",
    )
    dump(folder / "agree-the-agenda-first.yaml", strategy)
    return strategy


def add_a_source(content: Path, strategy: dict) -> str:
    """Guide, "Add a source": a new key in sources.yaml, cited from the new strategy's story."""
    bibliography = load(content / "sources.yaml")
    bibliography["sources"].append(
        {"key": "agenda-study", "author": "A. Researcher", "title": "Agendas and trust", "year": 2024}
    )
    dump(content / "sources.yaml", bibliography)
    strategy["story"]["cite"] = ["agenda-study"]
    dump(content / "strategies" / f"{strategy['id']}.yaml", strategy)
    return "agenda-study"


def add_a_worksheet(content: Path) -> dict:
    """Guide, "Add a worksheet": its example, with a new id and the next number."""
    worksheet = guide_example("Add a worksheet")
    number = len(list((content / "canvases").glob("*.yaml"))) + 1
    worksheet.update(id="meeting-agenda", number=number, title="Meeting agenda")
    dump(content / "canvases/meeting-agenda.yaml", worksheet)
    return worksheet


def change_challenge_days(content: Path) -> None:
    """Guide, "Edit the 30-day challenge": reword a day, and swap the numbers of two days of one theme."""
    challenge = load(content / "challenge.yaml")
    days = sorted(challenge["days"], key=lambda d: d["day"])
    days[0]["title"] = "Reworded by the organisation"
    days[0]["action"] = "Do the reworded thing in today's meetings."
    first, second = next((a, b) for a, b in itertools.pairwise(days) if a["theme"] == b["theme"])
    first["day"], second["day"] = second["day"], first["day"]
    dump(content / "challenge.yaml", challenge)


def test_following_the_authoring_guide_keeps_the_build_and_the_tests_green(site: Path, tmp_path: Path):
    project = copy_project(tmp_path)
    # the build cache of the project as shipped, as the organisation's last build left it: the
    # build lays out again only what the changes below touch
    take_cache(site, project)
    for name in (
        "tests",
        "bench",
        "pyproject.toml",
        "AUTHORING.md",
        "README.md",
        "ARCHITECTURE.md",
        "readme",
        ".ci",
        ".github",
    ):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (project / name).write_bytes(source.read_bytes())
    if (ROOT / ".cache/npm").is_dir():  # the checkers the copy's tests use, as installed here
        (project / ".cache/npm").symlink_to(ROOT / ".cache/npm")
    content = project / "content"
    strategy = add_a_strategy(content)
    key = add_a_source(content, strategy)
    worksheet = add_a_worksheet(content)
    change_challenge_days(content)

    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run(
        [sys.executable, "-m", "playbook", "check", "content"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr

    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = (site / f"strategies/{strategy['id']}.html").read_text()
    assert strategy["title"] in page and f"sources.html#{key}" in page
    assert f'href="strategies/{strategy["id"]}.html"' in (site / "sources.html").read_text()
    assert (site / f"canvases/{worksheet['id']}.html").is_file()
    assert (site / f"canvases/{worksheet['id']}-a4.pdf").is_file()
    assert "Reworded by the organisation" in (site / "practise/challenge.html").read_text()

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-4000:]
