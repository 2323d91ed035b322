"""Edit links: generated pages open their content/ file, hand-written pages their docs/ file, with any
of MkDocs' ways of naming a repository; with none, no page shows an edit button."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook import content, plan

pytestmark = pytest.mark.slow  # real builds

EDIT = re.compile(r'<a href="([^"]*)" title="Edit this page"[^>]*rel="edit"')
CONFIGS = {
    "repo_url with MkDocs' default edit_uri": (
        "repo_url: https://github.com/acme/playbook\n",
        "https://github.com/acme/playbook/edit/master/{path}",
    ),
    "absolute edit_uri": (
        "edit_uri: https://git.example.org/acme/playbook/-/edit/main/docs/\n",
        "https://git.example.org/acme/playbook/-/edit/main/{path}",
    ),
    "edit_uri_template": (
        "edit_uri_template: 'https://git.example.org/acme/playbook/src/main/docs/{path}?mode=edit'\n",
        "https://git.example.org/acme/playbook/src/main/{path}?mode=edit",
    ),
    "repo_url with a relative edit_uri_template": (
        "repo_url: https://git.example.org/acme/playbook\nedit_uri_template: 'edit/trunk/docs/{path}'\n",
        "https://git.example.org/acme/playbook/edit/trunk/{path}",
    ),
}


def edit_links(site: Path) -> dict[str, str]:
    """Built page (as its Markdown uri) -> the href of its edit button."""
    found = {}
    for page in site.rglob("*.html"):
        if match := EDIT.search(page.read_text()):
            found[page.relative_to(site).with_suffix(".md").as_posix()] = match[1]
    return found


@pytest.fixture(scope="module")
def configured(tmp_path_factory, mini_site):
    """One copy of the project with the small test tree, built once per configuration, each build
    starting from the cache of the last (the first from the small tree's)."""
    from .conftest import MINI, built, copy_project

    project = copy_project(tmp_path_factory.mktemp("edit"), MINI)
    original = (project / "mkdocs.yml").read_text()
    sites = {}
    for name, (lines, _) in {"none": ("", ""), **CONFIGS}.items():
        (project / "mkdocs.yml").write_text(lines + original)
        first = None if sites else mini_site
        sites[name] = built(project, cache_of=first).rename(project / f"site-{len(sites)}")
    return project, sites


def test_no_repository_no_edit_button(configured):
    _, sites = configured
    assert edit_links(sites["none"]) == {}


@pytest.mark.parametrize("name", CONFIGS)
def test_every_page_edits_its_own_file(configured, name):
    project, sites = configured
    expected = CONFIGS[name][1]
    site_plan = plan.build(content.load(project / "content"))
    links = edit_links(sites[name])
    for entry in site_plan.entries:
        source = entry.origin or f"docs/{entry.uri}"
        assert links[entry.uri] == expected.format(path=source), entry.uri
