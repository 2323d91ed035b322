"""Checks of PDF/UA-1 that the ``pdfua`` package leaves out, for any PDF the build makes (veraPDF,
which makes them, is in none of the registries here): every font embedded, and no text outside the
structure tree. Each returns what it found wrong, as sentences; an empty list means it passed.

Used by the tests of the worksheets, the calendars and the handbook.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

SHOWS_TEXT = {"Tj", "TJ", "'", '"'}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
Owner = tuple[int, int]  # the object number of the page or form XObject whose content holds an MCID


def fonts_not_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """Every font that the pages, what they draw, the annotations' appearances or the form's ``/DR``
    can show text in and that does not carry its font program (PDF/UA-1 7.21.4.1)."""
    return [
        f"{where}: font {name} ({font.get('/BaseFont', 'no name')}) is not embedded"
        for where, name, font in _fonts(pdf)
        if not _embedded(font)
    ]


def text_outside_structure(pdf: pikepdf.Pdf) -> list[str]:
    """Every text-showing operator that is neither in marked content whose MCID an element of the
    structure tree holds nor in an ``/Artifact`` (PDF/UA-1 7.1: content is tagged or an artifact)."""
    tagged: set[tuple[Owner, int]] = set()
    _marked(pdf.Root.StructTreeRoot.get("/K", pikepdf.Array()), None, tagged)
    found: list[str] = []
    for number, page in enumerate(pdf.pages, 1):
        _check_text(page.obj, f"page {number}", [], tagged, found)
    return found


def _fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str, pikepdf.Dictionary]]:
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, 1):
        yield from _resource_fonts(page.obj.get("/Resources"), f"page {number}", seen)
        for annotation in page.obj.get("/Annots", ()):
            for appearance in _appearances(annotation):
                yield from _resource_fonts(appearance.get("/Resources"), f"page {number}, annotation", seen)
    if "/AcroForm" in pdf.Root:
        yield from _resource_fonts(pdf.Root.AcroForm.get("/DR"), "the form's /DR", seen)


def _resource_fonts(
    resources: pikepdf.Object | None, where: str, seen: set[tuple[int, int]]
) -> Iterator[tuple[str, str, pikepdf.Dictionary]]:
    """The fonts of a resource dictionary and of the form XObjects and patterns it holds."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for name, font in resources.get("/Font", {}).items():
        yield where, name, font
    for kind in ("/XObject", "/Pattern"):
        for name, drawing in resources.get(kind, {}).items():
            if isinstance(drawing, pikepdf.Stream) and drawing.objgen not in seen:
                seen.add(drawing.objgen)
                yield from _resource_fonts(drawing.get("/Resources"), f"{where}, {name}", seen)


def _appearances(annotation: pikepdf.Dictionary) -> Iterator[pikepdf.Stream]:
    for kind in annotation.get("/AP", {}).values():
        yield from kind.values() if isinstance(kind, pikepdf.Dictionary) else [kind]


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn by the PDF itself
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(key in descriptor for key in FONT_FILES)


def _marked(element: pikepdf.Object, page: Owner | None, found: set[tuple[Owner, int]]) -> None:
    """(page or stream, MCID) of each marked-content sequence that an element of the tree holds."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            _marked(kid, page, found)
    elif isinstance(element, int):
        found.add((page, element))  # an MCID on the page of the element that holds it
    elif isinstance(element, pikepdf.Dictionary):
        if "/Pg" in element:
            page = element.Pg.objgen
        if element.get("/Type") == "/MCR":
            found.add((element.Stm.objgen if "/Stm" in element else page, int(element.MCID)))
        elif element.get("/Type") != "/OBJR":
            _marked(element.get("/K", pikepdf.Array()), page, found)


def _check_text(
    drawing: pikepdf.Object,
    where: str,
    marks: list[tuple[str, tuple[Owner, int] | None]],
    tagged: set[tuple[Owner, int]],
    found: list[str],
) -> None:
    """Walk a page's or form XObject's content, and the form XObjects it draws, with the marked
    content open where each is drawn (``marks``: its tag and, if it has an MCID, whose MCID)."""
    xobjects = drawing.get("/Resources", {}).get("/XObject", {})
    for operands, operator in pikepdf.parse_content_stream(drawing):
        op = str(operator)
        if op == "BMC":
            marks.append((str(operands[0]), None))
        elif op == "BDC":
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            marks.append((str(operands[0]), None if mcid is None else (drawing.objgen, int(mcid))))
        elif op == "EMC" and marks:
            marks.pop()
        elif op in SHOWS_TEXT and not any(tag == "/Artifact" or key in tagged for tag, key in marks):
            inside = ", ".join(f"{tag} MCID {key[1]}" if key else tag for tag, key in marks) or "nothing"
            found.append(f"{where}: text ({op}) outside the structure tree, inside {inside}")
        elif op == "Do":
            xobject = xobjects.get(str(operands[0]))
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                _check_text(xobject, f"{where}, {operands[0]}", list(marks), tagged, found)
