"""One font per face in a joined book (playbook.fonts): subsets made by different documents merged
glyph by glyph, refused when they disagree; real WeasyPrint subsets, read back with fontTools."""

from __future__ import annotations

import io

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from playbook import fonts
from playbook.pdf import render

pytestmark = pytest.mark.slow  # lays out PDFs with WeasyPrint


def subset(text: str) -> tuple[bytes, set[int]]:
    """The program WeasyPrint embeds for the regular face of a document saying ``text``, and the
    glyphs the document draws in it."""
    html = f'<html lang="en"><title>t</title><p style="font-family: DejaVu Sans">{text}</p></html>'
    with pikepdf.open(io.BytesIO(render(html))) as pdf:
        (font,) = (f for f in pdf.pages[0].Resources.Font.values() if fonts._composite(f))
        cid = font.DescendantFonts[0]
        return cid.FontDescriptor.FontFile2.read_bytes(), set(fonts._widths(cid))


def outlines(program: bytes) -> dict[int, bytes]:
    """Each glyph's outline, as its program holds it (without the zeros that pad it to a 4-byte
    boundary: the glyph ends where its data does), by glyph id."""
    font = TTFont(io.BytesIO(program))
    glyf, loca = font.reader["glyf"], font["loca"]
    return {gid: glyf[loca[gid] : loca[gid + 1]] for gid in range(len(loca) - 1)}


def same(merged: bytes, held: bytes) -> bool:
    """Whether a merged glyph is the glyph its subset held, up to padding."""
    return (
        merged[: len(held)] == held and not merged[len(held) :].strip(b"\0") and len(merged) - len(held) < 4
    )


def test_subsets_of_one_face_merge_into_a_program_that_draws_all_their_glyphs():
    first, second = subset("Alpha office"), subset("Zoë, naïve résumé Ünter")  # a ligature; composites
    program = fonts.merged([first, second])
    assert program is not None
    merged = outlines(program)
    components = 0
    for source, drawn in (first, second):
        held, font = outlines(source), TTFont(io.BytesIO(source))
        for gid in drawn:
            assert same(merged[gid], held[gid]), f"glyph {gid} as its subset drew it"
            # what a composite glyph is made of (an accent, its letter) comes along
            for name in font["glyf"][font.getGlyphOrder()[gid]].getComponentNames(font["glyf"]):
                part = font.getGlyphID(name)
                assert held[part] and same(merged[part], held[part])
                components += 1
    assert components, "composite glyphs were drawn"
    assert len(program) < len(first[0]) + len(second[0])


def test_subsets_that_hold_a_glyph_differently_are_not_merged():
    (program, drawn), other = subset("Alpha"), subset("Beta")
    font = TTFont(io.BytesIO(program))
    gid = min(drawn - {0})
    glyph = font["glyf"][font.getGlyphOrder()[gid]]
    glyph.coordinates[0] = (glyph.coordinates[0][0] + 50, glyph.coordinates[0][1])  # another font's 'A'
    tampered = io.BytesIO()
    font.save(tampered)
    assert fonts.merged([(tampered.getvalue(), drawn), other]) is None
    assert fonts.merged([(program, drawn), other]) is not None
