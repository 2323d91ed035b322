"""The generic PDF writer: WeasyPrint's output opened with pypdf and pikepdf, drawn by poppler and pdf.js."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from playbook import field_font
from playbook.pdf import FORM_FONT, PdfJob

from . import pdf_checks
from .conftest import write_pdfs

pytestmark = pytest.mark.slow  # real WeasyPrint and poppler


def form(size: str, name: str) -> str:
    return (
        f"<!doctype html><html lang='en'><title>Form {name}</title>"
        f"<style>@page {{ size: {size} }} html {{ font-family: 'DejaVu Sans' }}"
        f" input, textarea {{ font: 12pt {FORM_FONT} }}</style>"
        f"<form><label for='{name}'>Who is on the other side?</label> <input id='{name}' name='{name}'>"
        f"<textarea name='{name}-notes' title='Notes about {name}'></textarea>"
        f"<input type='checkbox' id='{name}-done' name='{name}-done'> <label for='{name}-done'>Done</label>"
        f"<p>How ready am I? {' '.join(SCALE.format(name=name, n=n) for n in range(1, 6))}</p></form>"
    )


SCALE = "<label><input type='radio' name='{name}-ready' value='{n}' title='How ready am I?'> {n}</label>"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    jobs = [PdfJob(form("A4", "a"), folder / "out/a.pdf"), PdfJob(form("letter", "b"), folder / "b.pdf")]
    assert write_pdfs(jobs, folder / "cache") == [j.target for j in jobs]
    return {"a": jobs[0].target, "b": jobs[1].target}


def test_writes_fillable_pdfs_in_parallel_with_each_documents_page_size(pdfs):
    a, b = PdfReader(pdfs["a"]), PdfReader(pdfs["b"])
    assert [round(float(x)) for x in a.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(x)) for x in b.pages[0].mediabox[2:]] == [612, 792]
    fields = a.get_fields()
    assert fields["a"]["/FT"] == "/Tx"
    assert fields["a-notes"]["/Ff"] & 4096  # multiline
    assert fields["a-done"]["/FT"] == "/Btn"
    assert set(b.get_fields()) == {"b", "b-notes", "b-done", "b-ready"}, "radio buttons are not fields"


def test_every_pdf_is_tagged_with_its_language_and_title(pdfs):
    with pikepdf.open(pdfs["a"]) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.Lang == "en"
        assert pdf.docinfo.Title == "Form a"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert "/K" in pdf.Root.StructTreeRoot
        widgets = [a for a in pdf.pages[0].Annots if a.Subtype == "/Widget"]
        assert widgets and all("/StructParent" in w for w in widgets), "every field is in the structure"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"


def test_table_headers_say_what_they_head(tmp_path: Path):
    html = (
        "<!doctype html><html lang='en'><title>Table</title><table><thead><tr><th>Day</th><th>Done</th></tr>"
        "</thead><tbody><tr><th>Monday</th><td>yes</td></tr></tbody></table>"
    )
    (path,) = write_pdfs([PdfJob(html, tmp_path / "table.pdf")], tmp_path / "cache")
    with pikepdf.open(path) as pdf:
        found = []

        def walk(element, parents=()):
            if isinstance(element, pikepdf.Array):
                for kid in element:
                    walk(kid, parents)
            elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
                if element.S == "/TH":
                    found.append((parents[-2], str(element.A.Scope)))
                walk(element.get("/K", pikepdf.Array()), (*parents, str(element.S)))

        walk(pdf.Root.StructTreeRoot.K)
    assert found == [("/THead", "/Column"), ("/THead", "/Column"), ("/TBody", "/Row")]


def test_each_field_tells_its_question(pdfs):
    with pikepdf.open(pdfs["a"]) as pdf:
        tips = {str(f.T): str(f.TU) for f in pdf.Root.AcroForm.Fields}
        assert tips == {
            "a": "Who is on the other side?",  # its label
            "a-notes": "Notes about a",  # its title
            "a-done": "Done",
            "a-ready": "How ready am I?",
        }
        (scale,) = [f for f in pdf.Root.AcroForm.Fields if "/Kids" in f]
        assert [str(k.TU) for k in scale.Kids] == [f"How ready am I?: {n}" for n in range(1, 6)]
        assert not any("/T" in k for k in scale.Kids)


def test_text_fields_are_typed_in_an_embedded_face_and_text_faces_are_subsets(pdfs):
    assert pdfs["a"].stat().st_size < 100_000
    with pikepdf.open(pdfs["a"]) as pdf:
        assert pdf_checks.fonts_not_embedded(pdf) == []
        face = pdf.Root.AcroForm.DR.Font[f"/{field_font.TEXT}"]
        assert face.Subtype == "/Type0" and face.Encoding == "/Identity-H"
        assert "/FontFile2" in face.DescendantFonts[0].FontDescriptor
        fields = [f for f in pdf.Root.AcroForm.Fields if f.FT == "/Tx"]
        assert fields and all(bytes(f.DA).endswith(f"/{field_font.TEXT} 12 Tf".encode()) for f in fields)
        assert all(b" gs" not in bytes(f.DA) for f in fields), "no graphics state that /DR lacks"
        faces = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        ]
        assert not any("Serif" in str(f.FontName) for f in faces), "the form's own face is dropped"
        text = [f for f in faces if not str(f.FontName).endswith(f"+{field_font.TEXT}")]
        assert text and all(len(f.FontFile2.read_raw_bytes()) < 20_000 for f in text), (
            "text faces are subsets"
        )


def test_a_form_without_text_fields_carries_no_typing_face(tmp_path: Path):
    html = (
        "<!doctype html><html lang='en'><title>Ticks</title><form><input type='checkbox' name='done'></form>"
    )
    (path,) = write_pdfs([PdfJob(html, tmp_path / "ticks.pdf")], tmp_path / "cache")
    with pikepdf.open(path) as pdf:
        assert list(pdf.Root.AcroForm.DR.Font.keys()) == [f"/{field_font.MARKS}"], "its tick's face alone"
        assert pdf_checks.fonts_not_embedded(pdf) == []


def test_each_choice_has_an_appearance_for_on_and_off_named_as_fillers_expect(pdfs):
    with pikepdf.open(pdfs["a"]) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        done, ready = fields["a-done"], fields["a-ready"]
        assert set(done.AP.N.keys()) == {"/Yes", "/Off"}, "a check box is on at /Yes"
        assert [set(k.AP.N.keys()) for k in ready.Kids] == [{f"/{n}", "/Off"} for n in range(1, 6)]
        for button in [done, *ready.Kids]:
            assert button.AS == "/Off"
            off = button.AP.N.Off
            (on,) = (button.AP.N[k] for k in button.AP.N if k != "/Off")
            assert on.read_bytes().strip() and off.read_bytes() == b"q Q", "the page draws the empty box"
            assert list(off.BBox) == list(on.BBox)
            # for a viewer that draws the choice itself: a ZapfDingbats caption in the embedded marks face
            assert bytes(button.DA).startswith(f"/{field_font.MARKS} ".encode())
        assert [str(b.MK.CA) for b in [done, *ready.Kids]] == [field_font.CHECK] + [field_font.DOT] * 5
        assert done.V == ready.V == "/Off"
        marks = pdf.Root.AcroForm.DR.Font[f"/{field_font.MARKS}"]
        assert marks.Subtype == "/TrueType" and "/FontFile2" in marks.FontDescriptor


def test_page_margin_text_is_a_pagination_artifact(tmp_path: Path):
    """WeasyPrint tags a page-margin box for elements outside the structure tree: that text becomes
    an artifact, still drawn, and no text is left outside the tree."""
    html = (
        "<!doctype html><html lang='en'><title>Footer</title>"
        "<style>@page { size: A5; @bottom-right { content: 'Acme, page ' counter(page) } }</style>"
        "<p>Body text.</p><p style='break-before: page'>More.</p>"
    )
    (path,) = write_pdfs([PdfJob(html, tmp_path / "footer.pdf")], tmp_path / "cache")
    with pikepdf.open(path) as pdf:
        assert pdf_checks.text_outside_structure(pdf) == []
        for page in pdf.pages:
            marks = [ops for ops, op in pikepdf.parse_content_stream(page) if str(op) == "BDC"]
            artifacts = [ops for ops in marks if ops[0] == "/Artifact"]
            assert len(artifacts) == 1 and artifacts[0][1].Type == "/Pagination"
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        held = [e for marks in nums[1::2] for e in marks]
        assert None not in held and all(e.P.S != "/NonStruct" for e in held), "no element of the margins"
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    assert "Acme, page 1" in text and "Acme, page 2" in text, "the footer is still drawn"


def test_the_same_document_gives_the_same_bytes(tmp_path: Path):
    first, second = (
        write_pdfs([PdfJob(form("A4", "a"), tmp_path / f"{n}.pdf")], tmp_path / f"cache{n}")[0]
        for n in (1, 2)
    )
    assert first.read_bytes() == second.read_bytes()
