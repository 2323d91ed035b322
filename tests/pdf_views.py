"""A PDF page as readers see it: drawn by poppler (as in Evince, Okular and the shell's previews) and
by pdf.js (as in Firefox), with its fields as each viewer fills them, and the ink a change adds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from .conftest import ROOT

NODE_MODULES = ROOT / ".cache/npm/node_modules"
PDFJS = ROOT / "tests/tools/pdfjs_render.mjs"
DPI = 144  # twice the PDF's points, so that a 5-point radio button is ten pixels wide


def needs(tool: object, what: str) -> None:
    if not tool:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {what} (see .ci/run)")
        pytest.skip(f"needs {what}")


def poppler(pdf: Path, png: Path) -> str:
    """Draw the first page with poppler; what poppler says on stderr (a missing glyph, a bad font)."""
    needs(shutil.which("pdftoppm"), "poppler-utils (pdftoppm)")
    run = subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-singlefile", pdf, png.with_suffix("")],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stderr


def pdfjs(pdf: Path, png: Path) -> dict[str, str]:
    """Draw the first page as Firefox's pdf.js does, in node onto @napi-rs/canvas (both from npm, in
    .cache/npm); the value pdf.js reads in each field."""
    needs(
        shutil.which("node") and (NODE_MODULES / "pdfjs-dist").is_dir(),
        "node and npm pdfjs-dist in .cache/npm",
    )
    run = subprocess.run(
        ["node", PDFJS, NODE_MODULES, pdf, "1", png, str(DPI / 72)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def ink(before: Path, after: Path, box: tuple[float, ...], page_height: float) -> int:
    """Pixels inside ``box`` (a PDF rectangle, in points) that are clearly darker in ``after`` than in
    ``before``: what filling a field drew in it."""
    x0, x1 = sorted(box[::2])
    y0, y1 = sorted(box[1::2])
    crop = tuple(round(v * DPI / 72) for v in (x0, page_height - y1, x1, page_height - y0))
    darker = ImageChops.subtract(*(Image.open(p).convert("L").crop(crop) for p in (before, after)))
    return sum(darker.histogram()[80:])
