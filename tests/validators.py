"""Checkers nobody here wrote, for any test to use: the Nu HTML Checker and axe-core.

``nu_errors`` takes built files or HTML strings (``page.content()`` after the scripts ran), and
``axe_violations`` a Playwright page. Both return readable lines, so ``assert found == []`` says
what is wrong and where. Without the tools they skip the test, except under CI, where they fail it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# .ci/run installs both: npm install --no-save --prefix .cache/npm axe-core@4 vnu-jar
NPM = ROOT / ".cache/npm/node_modules"
VNU = NPM / "vnu-jar/build/dist/vnu.jar"
AXE = NPM / "axe-core/axe.min.js"

# The two messages every Material site gets from its own header and navigation: set aside only for the
# exact message on the exact markup Material writes, so the same mistake in our markup still counts.
MATERIAL_OWN = (
    (
        "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
        re.compile(r'<label class="md-nav__link( [\w-]*)*" for="__nav\w*" id="__nav\w*_label" tabindex="">'),
    ),
    (
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
        "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
        "or “week”.",
        re.compile(
            r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
            r'id="__(drawer|search)" autocomplete="off">'
        ),
    ),
)


def require(tool: Path, install: str) -> None:
    """Skip the test when a checker is missing (fail it under CI, where `.ci/run` installs them)."""
    if tool.is_file() and (tool.suffix != ".jar" or shutil.which("java")):
        return
    message = f"this test needs {tool.relative_to(ROOT)} (and Java for a .jar): {install}"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


def material_own(message: dict) -> bool:
    extract = message.get("extract", "")
    start = message.get("hiliteStart", 0)
    marked = extract[start : start + message.get("hiliteLength", len(extract))]
    return any(message["message"] == text and markup.fullmatch(marked) for text, markup in MATERIAL_OWN)


def nu_errors(*documents: Path | str) -> list[str]:
    """Every Nu HTML Checker error in the given files or HTML strings, but Material's own two messages.

    All documents go to one checker run (starting Java costs a second or two): pass many at once.
    """
    require(VNU, "npm install --no-save --prefix .cache/npm vnu-jar")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, document in enumerate(documents):
            if isinstance(document, str):
                path = Path(tmp) / f"document-{n + 1}.html"
                path.write_text(document, encoding="utf-8")
                document = path
            paths.append(str(Path(document).resolve()))
        run = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *paths],
            capture_output=True,
            text=True,
            check=True,
        )
    found = []
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] == "info" or material_own(message):
            continue  # "info" is a warning or a note, not an error
        where = f"{message.get('url', '').removeprefix('file:')}:{message.get('lastLine', '?')}"
        found.append(f"{where}: {message['message']} {message.get('extract', '')!r}")
    return found


# Which rules to run. Passes and needs-review results are never returned: they are large and nothing
# reads them. DEFAULT: axe's own choice, for a page in any state.
DEFAULT = {"resultTypes": ["violations"]}
# and WCAG 2.2's target size (2.5.8), which axe leaves off: for a page as it opens, since once it is
# scrolled a control under Material's sticky header counts as one too small to hit
WITH_TARGET_SIZE = {**DEFAULT, "rules": {"target-size": {"enabled": True}}}
# the rules whose outcome a colour scheme can change, for a page checked in full in another scheme:
# its elements, layout and names are the same
COLOURS = {**DEFAULT, "runOnly": ["color-contrast", "link-in-text-block"]}


def load_axe(page) -> None:
    """axe-core in a Playwright page, once."""
    require(AXE, "npm install --no-save --prefix .cache/npm axe-core@4")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))


def axe_violations(page, context: str | None = None, rules: dict = DEFAULT) -> list[str]:
    """Every axe-core violation, of any impact, on a Playwright page as it is now (or within ``context``)."""
    load_axe(page)
    result = page.evaluate("([context, rules]) => axe.run(context || document, rules)", [context, rules])
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at {n['target']}: {' '.join(n['failureSummary'].split())}"
        for v in result["violations"]
        for n in v["nodes"]
    ]
