"""The README is for people and everything it says to type works: the five host-it steps are followed
on a copy of the project with its commands as written there, and CI runs its test command."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, copy_project

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def commands() -> list[str]:
    """Every command of the README's shell blocks, without its comment."""
    lines = [line.split("  #")[0].strip() for block in blocks("sh") for line in block.splitlines()]
    return [line for line in lines if line]


def command(starting: str) -> str:
    [found] = [c for c in commands() if c.startswith(starting)]
    return found


def test_the_readme_is_short_and_shows_the_playbook():
    assert len(README.splitlines()) <= 200
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README)
    assert len(images) == 2
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 150_000, image


def test_it_points_nowhere_outside_the_repository():
    addresses = re.findall(r"https?://[^\s)`\"']+", README)
    assert all(re.match(r"http://127\.0\.0\.1|https://intranet\.example/", a) for a in addresses), addresses
    for link in re.findall(r"\]\((?!https?:)([^)#]+)", README):
        assert (ROOT / link).exists(), link


def test_its_two_commands_come_first_and_ci_runs_the_test_command_as_written():
    setup, tests = blocks("sh")[0].strip().splitlines()
    serve, test = setup.split("  #")[0].strip(), tests.split("  #")[0].strip()
    assert serve.endswith(".venv/bin/mkdocs serve") and test.endswith(".venv/bin/python -m pytest")
    assert test in (ROOT / ".ci/run").read_text(), ".ci/run runs the README's test command"
    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == "bash .ci/run" for step in steps), "the workflow runs .ci/run"
    assert workflow["jobs"]["test"]["container"].endswith("bookworm"), "the Debian .ci/run is written for"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def fetch(url: str, seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_host_it_for_your_organisation_on_a_copy(tmp_path: Path):
    # 1. Fork: a copy of the project, with this environment as its .venv
    (tmp_path / "fork").mkdir()
    fork = copy_project(tmp_path / "fork")
    (fork / ".venv").symlink_to(Path(sys.prefix))
    env = {**os.environ, "PYTHONPATH": str(fork / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)

    # 2. Rebrand: the README's mkdocs.yml settings, as written there
    [settings] = [yaml.safe_load(b) for b in blocks("yaml") if "site_name:" in b]
    config = fork / "mkdocs.yml"
    text = config.read_text()
    for key in ("site_name", "site_description", "copyright"):
        text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {settings[key]}", text)
    brand = settings["extra"]["brand"]
    (fork / "docs" / brand["logo"]).parent.mkdir(parents=True, exist_ok=True)
    (fork / "docs" / brand["logo"]).write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    for key, value in brand.items():
        text = re.sub(rf"(?m)^(    {key}:).*$", lambda m, v=value: f"{m[1]} {json_string(v)}", text)
    config.write_text(text)

    # 3. Edit: a seventh (or next) strategy, copied from the first as the authoring guide says
    folder = fork / "content/strategies"
    existing = sorted(folder.glob("*.yaml"))
    strategy = yaml.safe_load(existing[0].read_text())
    strategy.update(id="agree-the-agenda", number=len(existing) + 1, title="Agree the agenda first")
    (folder / "agree-the-agenda.yaml").write_text(yaml.safe_dump(strategy, sort_keys=False))

    # 4. Check: both commands, as written in the README
    for line in (command(".venv/bin/python -m playbook check"), command(".venv/bin/mkdocs build")):
        done = run(line, fork, env)
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
    assert "WARNING" not in done.stderr

    # 5. Publish: serve site/ as the README says (on a free port) and read the pages
    port = free_port()
    serve = command("python3 -m http.server").replace("8000", str(port))
    server = subprocess.Popen(["bash", "-c", f"exec {serve}"], cwd=fork, env=env, stderr=subprocess.DEVNULL)
    try:
        home = fetch(f"http://127.0.0.1:{port}/index.html").decode()
        assert re.search(rf"<h1[^>]*>{settings['site_name']}<", home) and brand["organisation"] in home
        assert "agree-the-agenda" in fetch(f"http://127.0.0.1:{port}/strategies/index.html").decode()
        assert f"{count_word(len(existing) + 1)} strategies" in home, "the home card counts the strategies"
    finally:
        server.terminate()
        server.wait(timeout=10)
    site = fork / "site"
    old = "Negotiation Playbook"
    texts = [p for p in site.rglob("*") if p.suffix in {".html", ".js", ".css", ".json", ".xml", ".txt"}]
    assert not [p for p in texts if old in p.read_text(encoding="utf-8")], "renamed everywhere"
    if shutil.which("pdftotext"):
        cover = subprocess.run(["pdftotext", "-l", "1", str(site / "handbook.pdf"), "-"], capture_output=True)
        assert settings["site_name"] in cover.stdout.decode()
        for pdf in site.rglob("*.pdf"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
            assert old not in " ".join(text.decode().split()), f"{pdf.name} still says {old}"


def json_string(value: str) -> str:
    """A YAML scalar for ``value`` (JSON strings are YAML)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def count_word(number: int) -> str:
    from playbook.counts import words

    return words(number).capitalize()
