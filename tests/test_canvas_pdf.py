"""The worksheets' fillable PDFs: both paper sizes, every field with its id and type, filled with pypdf
in Latin, Greek and Cyrillic and drawn by poppler and pdf.js; every PDF of the build light and wholly
tagged, with every font embedded."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from playbook import canvas, challenge, field_font, plan
from playbook.brand import Brand
from playbook.content import load

from . import pdf_checks, pdf_views
from .conftest import MINI, ROOT, write_pdfs

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
                expected |= {f"{f.id}[{row}][{c.id}]": kinds.get(c.type, "text") for c in f.columns}
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
@pytest.mark.parametrize("worksheet", BOOK.canvases, ids=lambda c: c.id)
def test_no_section_title_of_a_worksheet_pdf_is_alone_at_the_foot_of_a_page(
    site: Path, worksheet, paper: str
):
    path = site / "canvases" / f"{worksheet.id}-{paper}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    titles = {section.title for section in worksheet.sections}
    for number, page in enumerate(text.stdout.split("\f")[:-1], 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-2] not in titles, f"page {number} ends with the title {lines[-2]!r}"  # [-1]: the foot


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


# every PDF the build makes: the worksheets, the two calendars and the handbook
BUILT = [
    *(f"canvases/{c.id}-{paper}.pdf" for c in BOOK.canvases for paper in SIZES),
    *(f"practise/challenge-{paper}.pdf" for paper in SIZES),
    "handbook.pdf",
]


def test_a_pdf_ua_checker_finds_nothing_to_fix(site: Path):
    """pdfua checks the machine-checkable part of PDF/UA-1 (see the README for what it cannot)."""
    pdfua = pytest.importorskip("pdfua")
    pdfs = sorted(site.rglob("*.pdf"))
    assert sorted(p.relative_to(site).as_posix() for p in pdfs) == sorted(BUILT)
    for path in pdfs:
        report = pdfua.validate(path)
        assert [f"{f.rule_id}: {f.message}" for f in report.findings] == [], path.name


@pytest.mark.parametrize("name", BUILT)
def test_no_text_of_any_pdf_is_outside_the_structure_tree(site: Path, name: str):
    """What pdfua leaves out: every text-showing operator is tagged content or an artifact."""
    with pikepdf.open(site / name) as pdf:
        assert pdf_checks.text_outside_structure(pdf) == []


@pytest.mark.parametrize("name", BUILT)
def test_every_font_of_every_pdf_is_embedded(site: Path, name: str):
    """What pdfua leaves out: every font that can show text, the fields' included, is embedded."""
    with pikepdf.open(site / name) as pdf:
        assert pdf_checks.fonts_not_embedded(pdf) == []


def test_each_worksheet_page_links_its_pdfs(site: Path):
    for worksheet in BOOK.canvases:
        html = (site / "canvases" / f"{worksheet.id}.html").read_text()
        links = re.findall(r'href="([^"]+\.pdf)"', html)
        assert links == [f"{worksheet.id}-{p}.pdf" for p in SIZES]
        assert all((site / "canvases" / link).is_file() for link in links)


def write_worksheets(book, site: Path, cache: Path) -> None:
    write_pdfs(canvas.pdf_jobs(book, plan.build(book), BRAND, site), cache / "pdf")


@pytest.mark.slow  # renders the small tree's worksheet PDFs, then one of them again
def test_only_a_changed_worksheet_is_rendered_again(tmp_path: Path):
    cache, mini = tmp_path / "cache", load(MINI)
    write_worksheets(mini, tmp_path / "site", cache)
    first = {p.name: p.stat().st_mtime_ns for p in (cache / "pdf").iterdir()}
    changed = mini.canvases[0]
    retitled = changed.model_copy(update={"title": "A worksheet, revised"})
    book = mini.__class__(**{**vars(mini), "canvases": (retitled, *mini.canvases[1:])})
    write_worksheets(book, tmp_path / "site", cache)
    second = {p.name: p.stat().st_mtime_ns for p in (cache / "pdf").iterdir()}
    assert len(mini.canvases) > 1 and len(second) == len(first) + 2  # the changed one's A4 and Letter
    assert all(second[name] == mtime for name, mtime in first.items())  # nothing else was rewritten
    reader = PdfReader(tmp_path / f"site/canvases/{changed.id}-a4.pdf")
    assert "A worksheet, revised" in reader.pages[0].extract_text()


# What a reader types, in each script the field face holds, and what they choose
TYPED = {
    "deal-name": "Łódź, Ærø & Nguyễn: Ünal\u2019s café",
    "their-needs": "Καλημέρα! Χρειάζονται εγγύηση πληρωμής.",
    "trades[1][give]": "Доставка за наш счёт, №5 — Ґанок",
}
CHOSEN = {"ready": "Yes", "trust-level": "4"}


@pytest.fixture(scope="module")
def mini_pdfs(tmp_path_factory) -> Path:
    """The small test tree's worksheet and calendar PDFs, rendered for real."""
    book = load(MINI)
    folder = tmp_path_factory.mktemp("mini")
    site, site_plan = folder / "site", plan.build(book)
    jobs = [*canvas.pdf_jobs(book, site_plan, BRAND, site), *challenge.pdf_jobs(book, site_plan, BRAND, site)]
    write_pdfs(jobs, folder / "cache")
    return site


def filled(blank: Path, folder: Path, drawn_by: str, values: dict[str, str]) -> Path:
    """The worksheet filled in with pypdf.

    Drawn by the viewer, it sets ``NeedAppearances`` (pypdf's default): the viewer draws each text
    field from its /DA and the form's /DR, and poppler each choice from its caption in the marks face.
    pypdf writes a radio group's value as a string where the PDF standard asks for a name (pypdf
    issue 3630), which poppler does not take for a choice, so the group's value is put right here,
    as a filler that follows the standard writes it. Drawn by pypdf, the viewer shows the appearance
    streams pypdf wrote in the embedded face and the states set in each button.
    """
    writer = PdfWriter(clone_from=blank)
    writer.update_page_form_field_values(
        writer.pages[0],
        {name: f"/{v}" if name in CHOSEN else v for name, v in values.items()},
        auto_regenerate=drawn_by == "viewer",
    )
    path = folder / f"filled-{drawn_by}.pdf"
    writer.write(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if "/Kids" in field and str(field.T) in values:
                field.V = pikepdf.Name(f"/{values[str(field.T)]}")
        pdf.save(path)
    return path


def boxes(pdf_path: Path) -> tuple[dict[str, tuple[float, ...]], float]:
    """Each widget's rectangle, by field name (a radio button's as name=value), and the page's height."""
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        found = {}
        for widget in page.Annots:
            if "/T" in widget:
                found[str(widget.T)] = tuple(map(float, widget.Rect))
            else:
                (state,) = [k for k in widget.AP.N if k != "/Off"]
                found[f"{widget.Parent.T}={state[1:]}"] = tuple(map(float, widget.Rect))
        return found, float(page.mediabox[3])


def assert_drawn(before: Path, after: Path, pdf_path: Path) -> None:
    """Ink where text was typed and at the chosen button and box; none at the buttons not chosen."""
    rects, height = boxes(pdf_path)
    for name in TYPED:
        assert pdf_views.ink(before, after, rects[name], height) > 150, f"{name}: the typed text is drawn"
    assert pdf_views.ink(before, after, rects["ready"], height) > 10, "the tick is drawn"
    for n in range(1, 6):
        drawn = pdf_views.ink(before, after, rects[f"trust-level={n}"], height)
        assert (drawn > 10) == (n == 4), f"scale button {n}: {drawn} pixels of ink"
    assert pdf_views.ink(before, after, rects["my-target"], height) == 0, "an empty field stays empty"


@pytest.mark.slow
@pytest.mark.parametrize("drawn_by", ["viewer", "pypdf"])
def test_poppler_draws_latin_greek_and_cyrillic_and_the_choices(mini_pdfs, tmp_path: Path, drawn_by: str):
    blank = mini_pdfs / "canvases/test-canvas-a4.pdf"
    path = filled(blank, tmp_path, drawn_by, TYPED | CHOSEN)
    assert pdf_views.poppler(blank, tmp_path / "blank.png") == ""
    assert pdf_views.poppler(path, tmp_path / "filled.png") == "", "poppler reports no missing glyph or font"
    assert_drawn(tmp_path / "blank.png", tmp_path / "filled.png", path)


@pytest.mark.slow
@pytest.mark.parametrize("drawn_by", ["viewer", "pypdf"])
def test_pdfjs_reads_back_and_draws_latin_greek_and_cyrillic_and_the_choices(
    mini_pdfs, tmp_path: Path, drawn_by: str
):
    blank = mini_pdfs / "canvases/test-canvas-a4.pdf"
    path = filled(blank, tmp_path, drawn_by, TYPED | CHOSEN)
    empty = pdf_views.pdfjs(blank, tmp_path / "blank.png")
    assert set(empty.values()) == {"", "Off"}
    read = pdf_views.pdfjs(path, tmp_path / "filled.png")
    assert {name: read[name] for name in [*TYPED, *CHOSEN]} == TYPED | CHOSEN
    assert_drawn(tmp_path / "blank.png", tmp_path / "filled.png", path)


@pytest.mark.slow
def test_pypdf_writes_each_typed_character_with_its_own_glyph(mini_pdfs, tmp_path: Path):
    """pypdf's appearance streams name a glyph of the face for every character (none missing, none
    replaced by "?"); flattened into the page, the text reads back as typed through /ToUnicode."""
    blank = mini_pdfs / "canvases/test-canvas-a4.pdf"
    writer = PdfWriter(clone_from=blank)
    writer.update_page_form_field_values(writer.pages[0], TYPED, auto_regenerate=False, flatten=True)
    path = tmp_path / "flat.pdf"
    writer.write(path)
    shown = field_font.typing_face().unicode
    with pikepdf.open(path) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if str(field.get("/T")) in TYPED:
                codes = b"".join(re.findall(rb"<([0-9a-f]+)> Tj", field.AP.N.read_bytes()))
                glyphs = [int(codes[i : i + 4], 16) for i in range(0, len(codes), 4)]
                drawn = "".join(chr(shown[g]) for g in glyphs)
                assert drawn.replace(" ", "") == TYPED[str(field.T)].replace(" ", "").replace("\n", "")
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    assert all(words in " ".join(text.split()) for words in TYPED.values())


def claimed(cmap: bytes) -> set[str]:
    """The characters a /ToUnicode CMap says its codes show."""
    chars = {int(c, 16) for c in re.findall(rb"<[0-9A-F]+> <([0-9A-F]{4})>\n", cmap)}
    for first, last, char in re.findall(rb"<([0-9A-F]+)> <([0-9A-F]+)> <([0-9A-F]{4})>", cmap):
        chars.update(range(int(char, 16), int(char, 16) + int(last, 16) - int(first, 16) + 1))
    return set(map(chr, chars))


@pytest.mark.slow
def test_text_in_a_script_the_face_lacks_is_not_claimed(mini_pdfs, caplog):
    """CJK, Arabic or Hebrew typed into a field: the face has no glyph for it and does not claim one,
    and pypdf says so, instead of the PDF pretending to show it (the worksheet page sends readers of
    other scripts to printing from the browser)."""
    blank = mini_pdfs / "canvases/test-canvas-a4.pdf"
    with pikepdf.open(blank) as pdf:
        shown = claimed(pdf.Root.AcroForm.DR.Font[f"/{field_font.TEXT}"].ToUnicode.read_bytes())
    assert set("".join(TYPED.values())) <= shown
    assert not shown & set("交渉日本語مرحباשלום"), "no glyph of another script"
    writer = PdfWriter(clone_from=blank)
    writer.update_page_form_field_values(writer.pages[0], TYPED, auto_regenerate=False)
    assert "not supported by font encoding" not in caplog.text
    writer.update_page_form_field_values(writer.pages[0], {"deal-name": "交渉 مرحبا"}, auto_regenerate=False)
    assert "not supported by font encoding" in caplog.text


@pytest.mark.slow
def test_the_test_worksheet_and_calendar_pdfs_are_light_and_wholly_tagged(mini_pdfs):
    pdfs = sorted(mini_pdfs.rglob("*.pdf"))
    assert len(pdfs) == 2 * (len(load(MINI).canvases) + 1), "the worksheets and the calendar, A4 and Letter"
    for path in pdfs:
        assert path.stat().st_size <= 150_000, path.name
        with pikepdf.open(path) as pdf:
            assert pdf_checks.fonts_not_embedded(pdf) == [], path.name
            assert pdf_checks.text_outside_structure(pdf) == [], path.name
