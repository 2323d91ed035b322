"""The PDF/UA checks that pdfua leaves out (tests/pdf_checks.py), on small PDFs made to pass or fail."""

from __future__ import annotations

import pikepdf

from . import pdf_checks

HELVETICA = pikepdf.Dictionary(
    Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
)


def tagged(drawn: bytes, mcids: list[int], xobject: bytes | None = None) -> pikepdf.Pdf:
    """A one-page PDF drawing ``drawn`` (and ``xobject`` as /X), whose structure tree holds the
    marked content with ``mcids`` on that page."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F=HELVETICA))
    if xobject is not None:
        form = pdf.make_stream(
            xobject, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 9, 9]
        )
        page.Resources.XObject = pikepdf.Dictionary(X=form)
    page.Contents = pdf.make_stream(drawn)
    element = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, Pg=page.obj)
    )
    element.K = pikepdf.Array(mcids)
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([element]))
    )
    return pdf


def test_text_tagged_or_marked_as_an_artifact_passes():
    drawn = b"/P <</MCID 0>> BDC BT /F 9 Tf (held) Tj ET EMC /Artifact BMC BT (page 2) Tj ET EMC"
    assert pdf_checks.text_outside_structure(tagged(drawn, [0])) == []


def test_text_outside_marked_content_or_in_content_no_element_holds_is_found():
    drawn = b"BT /F 9 Tf (loose) Tj ET /Span <</MCID 1>> BDC BT [(lost)] TJ ET EMC"
    assert pdf_checks.text_outside_structure(tagged(drawn, [0])) == [
        "page 1: text (Tj) outside the structure tree, inside nothing",
        "page 1: text (TJ) outside the structure tree, inside /Span MCID 1",
    ]


def test_a_form_xobject_is_checked_where_it_is_drawn():
    inner = b"BT /F 9 Tf (inside) Tj ET"
    assert pdf_checks.text_outside_structure(tagged(b"/P <</MCID 0>> BDC /X Do EMC", [0], inner)) == []
    assert pdf_checks.text_outside_structure(tagged(b"/X Do", [0], inner)) == [
        "page 1, /X: text (Tj) outside the structure tree, inside nothing"
    ]


def test_fonts_without_their_program_are_found_wherever_text_can_use_them():
    pdf = tagged(b"", [])
    assert pdf_checks.fonts_not_embedded(pdf) == ["page 1: font /F (/Helvetica) is not embedded"]
    pdf.pages[0].Resources.Font = pikepdf.Dictionary()
    pdf.Root.AcroForm = pikepdf.Dictionary(DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=HELVETICA)))
    assert pdf_checks.fonts_not_embedded(pdf) == ["the form's /DR: font /Helv (/Helvetica) is not embedded"]


def test_an_embedded_font_passes():
    pdf = tagged(b"", [])
    program = pdf.make_stream(b"\0\1\0\0")  # what the check looks for is that a font program is there
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontFile2=program)
    pdf.pages[0].Resources.Font = pikepdf.Dictionary(
        T=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, FontDescriptor=descriptor
        ),
        C=pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            DescendantFonts=[
                pikepdf.Dictionary(Subtype=pikepdf.Name.CIDFontType2, FontDescriptor=descriptor)
            ],
        ),
        Three=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3),
    )
    assert pdf_checks.fonts_not_embedded(pdf) == []
