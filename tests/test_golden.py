"""Golden files: the Markdown of every kind of generated page, and the navigation, for the small test
tree (tests/trees/mini). A change to a template or the renderer shows here as a diff to review.

When the change is intended, write the new files and review them with git diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from playbook import content, plan
from playbook.render import Renderer
from playbook.site import WORKSHEETS_JS

from .conftest import MINI, ROOT

GOLDEN = Path(__file__).parent / "golden" / "mini"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
ACCEPT = "if the change is intended: UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, then git diff"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    """Every output the golden files hold: each generated page, the worksheets script, and the
    navigation as YAML."""
    book = content.load(MINI)
    site_plan = plan.build(book)
    renderer = Renderer(book, site_plan, "Test playbook")
    pages = {entry.uri: renderer.markdown(entry) for entry in site_plan.generated}
    nav = yaml.safe_dump(site_plan.nav(), sort_keys=False)
    return {**pages, WORKSHEETS_JS: renderer.worksheets(), "nav.yml": nav}


def test_generated_files_match_the_golden_files(generated):
    if UPDATE:
        for old in GOLDEN.rglob("*.*"):
            old.unlink()
        for name, text in generated.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.*")}
    assert sorted(generated) == sorted(expected), ACCEPT
    for name, text in generated.items():
        assert text == expected[name], f"{name} differs from tests/golden/mini/{name}; {ACCEPT}"


def test_the_small_tree_has_every_kind_of_page():
    """Each page template is used by some page of the small tree, so the golden files cover it."""
    folder = ROOT / "hooks/playbook/templates"
    templates = {p.name for p in folder.glob("*.md") if not p.name.startswith("_")}
    used = {entry.template for entry in plan.build(content.load(MINI)).generated}
    assert templates <= used, f"no page of tests/trees/mini uses {sorted(templates - used)}: add one"
