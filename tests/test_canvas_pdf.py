"""The worksheets' fillable PDFs, opened with pypdf: both paper sizes, every field with its id and type."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from playbook import canvas, plan
from playbook.brand import Brand
from playbook.content import load

from .conftest import ROOT, write_pdfs

BOOK = load(ROOT / "content")
BRAND = Brand(organisation="Example Organisation")
SIZES = {"a4": (595, 842), "letter": (612, 792)}  # points
MULTILINE, RADIO = 1 << 12, 1 << 15


def expected_fields(worksheet) -> dict[str, str]:
    """Field name -> the kind of AcroForm field the worksheet's definition calls for."""
    kinds = {"long-text": "multiline", "checkbox": "checkbox", "scale": "radio"}
    expected = {}
    for f in worksheet.fields.values():
        if f.type == "rows":
            for row in range(1, f.rows + 1):
                expected |= {f"{f.id}[{row}][{c.id}]": "text" for c in f.columns}
        else:
            expected[f.id] = kinds.get(f.type, "text")
    return expected


def kind(field) -> str:
    flags = int(field.get("/Ff", 0))
    if field["/FT"] == "/Tx":
        return "multiline" if flags & MULTILINE else "text"
    assert field["/FT"] == "/Btn"
    return "radio" if flags & RADIO else "checkbox"


@pytest.mark.parametrize("paper", SIZES)
@pytest.mark.parametrize("worksheet", BOOK.canvases, ids=lambda c: c.id)
def test_every_worksheet_is_a_fillable_pdf_in_both_sizes(site: Path, worksheet, paper: str):
    reader = PdfReader(site / "canvases" / f"{worksheet.id}-{paper}.pdf")
    for page in reader.pages:
        assert [round(float(x)) for x in page.mediabox[2:]] == list(SIZES[paper])
    fields = reader.get_fields()
    assert {name: kind(f) for name, f in fields.items()} == expected_fields(worksheet)
    for f in worksheet.fields.values():
        if f.type == "scale":
            assert [str(o) for o in fields[f.id]["/Opt"]] == ["1", "2", "3", "4", "5"]
    text = "".join(page.extract_text() for page in reader.pages)
    assert worksheet.title in text
    assert all(f.label.split()[0] in text for f in worksheet.fields.values())


@pytest.mark.parametrize("paper", SIZES)
@pytest.mark.parametrize("worksheet", BOOK.canvases, ids=lambda c: c.id)
def test_every_worksheet_pdf_is_light_tagged_and_tells_each_question(site: Path, worksheet, paper: str):
    path = site / "canvases" / f"{worksheet.id}-{paper}.pdf"
    assert path.stat().st_size <= 150_000
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang and pdf.docinfo.Title == worksheet.title and "/StructTreeRoot" in pdf.Root
        tips = {str(f.T): str(f.TU) for f in pdf.Root.AcroForm.Fields}
        with pdf.open_outline() as outline:
            (top,) = outline.root
            assert top.title == worksheet.title
            assert [item.title for item in top.children] == [s.title for s in worksheet.sections]
    for f in worksheet.fields.values():
        if f.type == "rows":
            for row in range(1, f.rows + 1):
                for c in f.columns:
                    assert tips[f"{f.id}[{row}][{c.id}]"] == f"{f.label}, row {row}, {c.label}"
        else:
            assert tips[f.id] == f.label


@pytest.mark.parametrize("paper", SIZES)
def test_the_calendar_pdfs_are_light_tagged_and_name_each_box(site: Path, paper: str):
    path = site / "practise" / f"challenge-{paper}.pdf"
    assert path.stat().st_size <= 150_000
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang and pdf.docinfo.Title and "/StructTreeRoot" in pdf.Root
        tips = {str(f.T): str(f.TU) for f in pdf.Root.AcroForm.Fields}
    for day in BOOK.challenge.days:
        assert tips[f"day-{day.day}"] == f"Day {day.day} done: {day.title}"
    assert all(tip and tip != name for name, tip in tips.items())


def test_a_pdf_ua_checker_finds_nothing_to_fix(site: Path):
    """pdfua checks the machine-checkable part of PDF/UA-1 (see the README for what it cannot)."""
    pdfua = pytest.importorskip("pdfua")
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) == 2 * len(BOOK.canvases) + 3, "the worksheets, the two calendars and the handbook"
    for path in pdfs:
        report = pdfua.validate(path)
        assert [f"{f.rule_id}: {f.message}" for f in report.findings] == [], path.name


def test_each_worksheet_page_links_its_pdfs(site: Path):
    for worksheet in BOOK.canvases:
        html = (site / "canvases" / f"{worksheet.id}.html").read_text()
        links = re.findall(r'href="([^"]+\.pdf)"', html)
        assert links == [f"{worksheet.id}-{p}.pdf" for p in SIZES]
        assert all((site / "canvases" / link).is_file() for link in links)


def write_worksheets(book, site: Path, cache: Path) -> None:
    write_pdfs(canvas.pdf_jobs(book, plan.build(book), BRAND, site), cache / "pdf")


@pytest.mark.slow  # renders every worksheet PDF twice
def test_only_a_changed_worksheet_is_rendered_again(tmp_path: Path):
    cache = tmp_path / "cache"
    write_worksheets(BOOK, tmp_path / "site", cache)
    first = {p.name: p.stat().st_mtime_ns for p in (cache / "pdf").iterdir()}
    retitled = BOOK.canvases[0].model_copy(update={"title": "Negotiation Canvas, revised"})
    book = BOOK.__class__(**{**vars(BOOK), "canvases": (retitled, *BOOK.canvases[1:])})
    write_worksheets(book, tmp_path / "site", cache)
    second = {p.name: p.stat().st_mtime_ns for p in (cache / "pdf").iterdir()}
    assert len(second) == len(first) + 2  # the A4 and the Letter PDF of the changed worksheet
    assert all(second[name] == mtime for name, mtime in first.items())  # nothing else was rewritten
    reader = PdfReader(tmp_path / "site/canvases/negotiation-canvas-a4.pdf")
    assert "Negotiation Canvas, revised" in reader.pages[0].extract_text()
