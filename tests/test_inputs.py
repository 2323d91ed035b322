"""Outputs are a function of their inputs: every reused result is keyed by the bytes of the files a
build reads, the configuration MkDocs resolved, the package's code and the tools' versions, so no
input can change without the outputs following it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from mkdocs.config import load_config

from playbook import fingerprint, outputs

from .conftest import ROOT
from .test_last_build import build_here


def config_digest(project: Path, config_file: str = "mkdocs.yml") -> str:
    """The configuration's digest as a build takes it, SOURCE_DATE_EPOCH read by the output settings."""
    config = load_config(str(project / config_file))
    return fingerprint.configuration(config, outputs.load(config["extra"]).epoch)


def test_the_configuration_digest_is_the_same_in_every_process(mini_project: Path):
    """Values that are Python objects (the emoji functions, plugins, hooks) are named, not located."""
    probe = (
        "import sys; from mkdocs.config import load_config; from playbook import fingerprint; "
        "print(fingerprint.configuration(load_config(sys.argv[1]), 0))"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    runs = {
        subprocess.run(
            [sys.executable, "-c", probe, str(mini_project / "mkdocs.yml")],
            capture_output=True, text=True, check=True, env=env,
        ).stdout
        for _ in range(2)
    }  # fmt: skip
    assert runs == {config_digest(mini_project) + "\n"}


def test_the_configuration_digest_follows_what_mkdocs_resolved(mini_project: Path, monkeypatch):
    base = config_digest(mini_project)
    config = mini_project / "mkdocs.yml"
    text = config.read_text()
    # INHERIT: the same settings through a parent file give the same digest; another value, another
    (mini_project / "parent.yml").write_text(text)
    (mini_project / "child.yml").write_text("INHERIT: parent.yml\n")
    assert config_digest(mini_project, "child.yml") == base
    (mini_project / "child.yml").write_text("INHERIT: parent.yml\nsite_description: Another\n")
    assert config_digest(mini_project, "child.yml") != base
    # !ENV: the value, not the tag, counts
    monkeypatch.setenv("ORG", brand_of(mini_project)[0])
    config.write_text(rebrand(text, "!ENV [ORG, Example]"))
    assert config_digest(mini_project) == base
    monkeypatch.setenv("ORG", "Another Organisation")
    assert config_digest(mini_project) != base
    config.write_text(text)
    # the hook's code, a plugin's option, and the date a reproducible build gives
    hook = mini_project / "hooks/playbook_hook.py"
    hook.write_text(hook.read_text() + "\n# changed\n")
    assert config_digest(mini_project) != base
    hook.write_text(hook.read_text().removesuffix("\n# changed\n"))
    assert config_digest(mini_project) == base
    config.write_text(text.replace("  - offline", "  - offline:\n      enabled: false"))
    assert config_digest(mini_project) != base
    config.write_text(text)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert config_digest(mini_project) != base


def test_an_edit_that_keeps_size_and_time_changes_the_digest(mini_project: Path):
    config = load_config(str(mini_project / "mkdocs.yml"))
    before = fingerprint.sources(mini_project, mini_project / "docs", config)
    path = mini_project / "content/strategies/give-first.yaml"
    times = path.stat()
    path.write_text(path.read_text().replace("small thing", "cheap thing"))
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert path.stat().st_size == times.st_size and path.stat().st_mtime_ns == times.st_mtime_ns
    assert fingerprint.sources(mini_project, mini_project / "docs", config) != before


def test_objects_are_named_not_located():
    class Thing:
        pass

    assert fingerprint.plain(Thing()) == {"type": f"{__name__}.{Thing.__qualname__}"}
    assert fingerprint.plain(fingerprint.plain) == "playbook.fingerprint.plain"
    assert fingerprint.plain({"b": {1, 2}, "a": (Path("x"),)}) == {"b": ["1", "2"], "a": ["PosixPath('x')"]}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"workers": 0}, "extra.outputs.workers: a whole number from 1 to 256 (got 0)"),
        ({"enabled": "maybe"}, "extra.outputs.enabled: true or false (got 'maybe')"),
        ({"pdfs": False}, "extra.outputs.pdfs: no such setting (there are: enabled, workers)"),
        ({"epoch": 5}, "extra.outputs.epoch: no such setting (there are: enabled, workers)"),
        ({"workers": True}, "extra.outputs.workers: a whole number from 1 to 256 (got True)"),
        (False, "extra.outputs: must be settings, one `name: value` per line under it (got False)"),
    ],
)
def test_output_settings_are_checked_with_a_clear_message(given: dict, message: str):
    with pytest.raises(outputs.OutputsError, match=r"^mkdocs\.yml: ") as raised:
        outputs.load({"outputs": given})
    assert message in str(raised.value)


def test_output_settings_come_from_the_environment_as_text():
    """`!ENV` gives a string when the variable is set: "false" switches the outputs off."""
    assert outputs.load({"outputs": {"enabled": "false", "workers": "3"}}) == outputs.Outputs(
        enabled=False, workers=3
    )
    assert outputs.load({"outputs": None}) == outputs.load({}) == outputs.Outputs()  # `outputs:` alone
    assert outputs.load({}).processes == outputs.usable_cpus()


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1.5e9", " 17"])
def test_a_malformed_source_date_epoch_is_a_clear_error(monkeypatch, epoch: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(outputs.OutputsError, match=r"SOURCE_DATE_EPOCH.*seconds since 1970"):
        outputs.load({})
    for fine, seconds in (("1700000000", 1700000000), ("", 0)):  # empty: unset
        monkeypatch.setenv("SOURCE_DATE_EPOCH", fine)
        assert outputs.load({}).epoch == seconds


# Builds: the published files follow every kind of input.


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def brand_shows(project: Path, organisation: str, colour: str) -> bool:
    site = project / "site"
    return (
        colour in (site / "assets/stylesheets/brand.css").read_text()
        and organisation in pdf_text(site / "canvases/test-canvas-a4.pdf")
        and organisation in pdf_text(site / "handbook.pdf")
        and escape(organisation) in (site / "index.html").read_text()  # as the templates write it
    )


@pytest.fixture
def built(mini_site: Path, tmp_path: Path) -> Path:
    return shutil.copytree(mini_site.parent, tmp_path / "project", symlinks=True)


def brand_of(project: Path) -> tuple[str, str]:
    """The organisation and the colour the project's mkdocs.yml brands it with (an organisation that
    hosts the playbook has put its own there)."""
    brand = load_config(str(project / "mkdocs.yml"))["extra"]["brand"]
    return brand["organisation"], brand["primary_color"]


def rebrand(text: str, organisation: str, colour: str | None = None) -> str:
    """mkdocs.yml's text with the brand's organisation (and colour) set to these, whatever they were."""
    text = re.sub(r"(?m)^(\s+organisation:).*$", lambda m: f"{m[1]} {organisation}", text)
    if colour is None:
        return text
    return re.sub(r"(?m)^(\s+primary_color:).*$", lambda m: f'{m[1]} "{colour}"', text)


@pytest.mark.slow
def test_another_configuration_file_rebrands_every_output(built: Path):
    own = brand_of(built)
    (built / "other.yml").write_text(rebrand((built / "mkdocs.yml").read_text(), "Other Org", "#8e24aa"))
    build_here(built, "other.yml")
    assert brand_shows(built, "Other Org", "#8e24aa")
    assert not brand_shows(built, *own)
    build_here(built)
    assert brand_shows(built, *own), "and back"


@pytest.mark.slow
def test_a_brand_from_the_environment_reaches_every_output(built: Path, monkeypatch):
    config = built / "mkdocs.yml"
    colour = brand_of(built)[1]
    config.write_text(rebrand(config.read_text(), "!ENV [ORGANISATION, Nobody]"))
    monkeypatch.setenv("ORGANISATION", "Env Org One")
    build_here(built)
    assert brand_shows(built, "Env Org One", colour)
    monkeypatch.setenv("ORGANISATION", "Env Org Two")
    build_here(built)
    assert brand_shows(built, "Env Org Two", colour) and not brand_shows(built, "Env Org One", colour)


@pytest.mark.slow
def test_an_edit_that_keeps_size_and_time_is_published(built: Path):
    path = built / "content/strategies/give-first.yaml"
    times = path.stat()
    path.write_text(path.read_text().replace("small thing", "cheap thing"))
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    build_here(built)
    assert "cheap thing" in (built / "site/strategies/give-first.html").read_text()
    assert "cheap thing" in pdf_text(built / "site/handbook.pdf")


@pytest.mark.slow
def test_a_branch_switch_is_published(built: Path):
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=built, check=True)

    (built / ".gitignore").write_text("site/\n.cache/\n")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "main")
    git("checkout", "-q", "-b", "other")
    path = built / "content/strategies/give-first.yaml"
    data = yaml.safe_load(path.read_text())
    data["summary"] = "Written on the other branch."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    git("commit", "-q", "-am", "other")
    build_here(built)
    assert "Written on the other branch." in pdf_text(built / "site/handbook.pdf")
    git("checkout", "-q", "main")
    build_here(built)
    book = pdf_text(built / "site/handbook.pdf")
    assert "Written on the other branch." not in book and "Offer a small thing" in book


def test_below_the_hook_the_package_imports_nothing_from_mkdocs():
    modules = sorted(p.stem for p in (ROOT / "hooks/playbook").glob("*.py") if p.stem != "__main__")
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('playbook.' + name)\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')])"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
