"""Reproducible bytes: with SOURCE_DATE_EPOCH set, two cold builds of the same tree in different
folders publish byte-identical PDFs, handbook and zip (no build time, no absolute path, a stable order)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from playbook import bundle, handbook

from .conftest import MINI, build, copy_project

pytestmark = pytest.mark.slow  # two cold builds


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    built = []
    for seed, folder in enumerate(("one", "another/deeper")):
        project = tmp_path_factory.mktemp("reproducible") / folder
        project.mkdir(parents=True)
        copy_project(project, MINI)
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SOURCE_DATE_EPOCH", "1700000000")
            env.setenv("PYTHONHASHSEED", str(seed))  # strings hash otherwise in each build's process
            result = build(project)
        assert result.returncode == 0, result.stderr
        built.append(project / "site")
    return built[0], built[1]


def outputs(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.suffix in (".pdf", ".zip")
    }


def test_two_cold_builds_give_the_same_pdfs_and_zip_entries(sites):
    one, other = map(outputs, sites)
    assert one.keys() == other.keys() and len(one) > 3
    differ = [name for name in one if one[name] != other[name]]
    assert set(differ) <= {handbook.NAME, bundle.NAME}, differ
    zips = [zipfile.ZipFile(site / bundle.NAME) for site in sites]
    infos = [
        [(i.filename, i.date_time, i.external_attr, i.compress_type) for i in z.infolist()] for z in zips
    ]
    assert infos[0] == infos[1]
    entries = [name for name, *_ in infos[0] if not name.endswith(handbook.NAME)]
    assert all(zips[0].read(name) == zips[1].read(name) for name in entries)


def test_two_cold_builds_give_the_same_handbook_and_zip(sites):
    one, other = map(outputs, sites)
    assert one[handbook.NAME] == other[handbook.NAME]
    assert one[bundle.NAME] == other[bundle.NAME]
