"""The faces fillable PDFs draw their fields in: DejaVu Sans, cut down and embedded.

A viewer draws a field itself when the form sets ``NeedAppearances`` (as form fillers such as pypdf
do): a text field in the font its ``/DA`` names in the form's ``/DR``; poppler draws a ticked check
box or chosen scale button as a ZapfDingbats character in the font ``/DR`` calls ``ZaDb``, and drew
nothing without one. Helvetica and ZapfDingbats, which viewers supply, would be fonts not embedded,
and Helvetica shows Latin-1 alone. So a PDF with fields carries two faces cut from DejaVu Sans:

- for typing, whole Unicode blocks, not the glyphs a document uses, since the reader types what
  they like: Latin, Greek and Cyrillic script with their accents, punctuation and signs, about 1,600
  glyphs in 64 KB (deflated). One composite font (Type0, ``Identity-H``: each code is a glyph id),
  since a simple font holds 256 codes. poppler and pdf.js find each character's code through
  ``/ToUnicode``; pypdf finds its glyph in the embedded font's own cmap (which the cut keeps) and
  warns of text in a script the font lacks, which no PDF then claims to show;
- for marks, three glyphs under the ZapfDingbats codes of a tick and a dot.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib
from dataclasses import dataclass
from string import ascii_uppercase

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

FILE = "DejaVuSans.ttf"  # Debian's fonts-dejavu-core; found where Pillow looks for fonts
TEXT = "DejaVuSans"  # the typing face's name in the form's /DR, which a text field's /DA refers to
MARKS = "ZaDb"  # the marks face's name there: the one viewers look for, whatever a button's /DA says
# ZapfDingbats codes -> the character of DejaVu Sans drawn for each: "3", which poppler draws in a
# ticked box without a caption, and the captions (/MK /CA) of a check box and a scale's button
DINGBATS = {"3": "✓", "4": "✔", "l": "●"}
CHECK, DOT = "4", "l"
# first and last code point of each, as Unicode names them (the worksheet page names their scripts);
# not Greek Extended (polytonic Greek, which answers hardly need) nor arrows or mathematical signs
BLOCKS = {
    "Basic Latin": (0x20, 0x7E),
    "Latin-1 Supplement": (0xA0, 0xFF),
    "Latin Extended-A": (0x100, 0x17F),
    "Latin Extended-B": (0x180, 0x24F),
    "Spacing Modifier Letters": (0x2B0, 0x2FF),
    "Combining Diacritical Marks": (0x300, 0x36F),
    "Greek and Coptic": (0x370, 0x3FF),
    "Cyrillic": (0x400, 0x4FF),
    "Cyrillic Supplement": (0x500, 0x52F),
    "Latin Extended Additional": (0x1E00, 0x1EFF),
    "General Punctuation": (0x2000, 0x206F),
    "Currency Symbols": (0x20A0, 0x20CF),
    "Letterlike Symbols": (0x2100, 0x214F),  # № among them
}


@dataclass(frozen=True)
class Face:
    """A cut-down font file and what a PDF font dictionary says about it (in 1/1000 em)."""

    data: bytes
    program: bytes  # the data deflated once, not in every PDF's save
    cmap: bytes  # the /ToUnicode CMap
    first: int  # the first code
    widths: list[int]  # by code, from the first
    unicode: dict[int, int]  # code -> the character it shows
    box: list[int]
    ascent: int
    descent: int
    cap_height: int


@functools.cache
def typing_face() -> Face:
    """DejaVu Sans cut down to ``BLOCKS``, each code its glyph id: the same bytes on every call and on
    every machine with the same font file and fontTools (no timestamp is renewed)."""
    font = _cut([c for first, last in BLOCKS.values() for c in range(first, last + 1)])
    ids = {name: number for number, name in enumerate(font.getGlyphOrder())}
    unicode: dict[int, int] = {}
    for char, name in sorted(font.getBestCmap().items()):
        unicode.setdefault(ids[name], char)
    return _face(font, font.getGlyphOrder(), unicode, size=2)


@functools.cache
def marks_face() -> Face:
    """The marks of ``DINGBATS`` under their one-byte codes, where a symbolic TrueType font is looked
    up: its cmaps for Windows (at 0xF000 + code) and for the Mac."""
    font = _cut([ord(char) for char in DINGBATS.values()])
    glyphs = {ord(code): font.getBestCmap()[ord(char)] for code, char in DINGBATS.items()}
    font["cmap"] = newTable("cmap")
    font["cmap"].tableVersion = 0
    font["cmap"].tables = []
    for platform, encoding, offset in ((3, 0, 0xF000), (1, 0, 0)):
        table = CmapSubtable.newSubtable(4)
        table.platformID, table.platEncID, table.language = platform, encoding, 0
        table.cmap = {offset + code: name for code, name in glyphs.items()}
        font["cmap"].tables.append(table)
    codes = range(min(glyphs), max(glyphs) + 1)
    unicode = {code: ord(DINGBATS[chr(code)]) for code in glyphs}
    return _face(font, [glyphs.get(code, ".notdef") for code in codes], unicode, size=1, first=codes[0])


def typing_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The typing face as a composite font of ``pdf``, for its form's ``/DR``."""
    face = typing_face()
    glyphs = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=_name(face, TEXT),
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=_descriptor(pdf, face, TEXT),
        CIDToGIDMap=pikepdf.Name.Identity,
        W=[face.first, face.widths],
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=_name(face, TEXT),
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(glyphs)],
            ToUnicode=pdf.make_stream(face.cmap),
        )
    )


def marks_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The marks face as a simple TrueType font of ``pdf``, for its form's ``/DR``."""
    face = marks_face()
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=_name(face, MARKS),
            FirstChar=face.first,
            LastChar=face.first + len(face.widths) - 1,
            Widths=face.widths,
            FontDescriptor=_descriptor(pdf, face, MARKS),
            ToUnicode=pdf.make_stream(face.cmap),
        )
    )


def to_unicode(unicode: dict[int, int], size: int) -> bytes:
    """A ``/ToUnicode`` CMap for codes of ``size`` bytes: runs of codes that show consecutive
    characters as ranges, the rest one by one, at most 100 to a section as the CMap format allows."""
    runs: list[list[int]] = []  # [first code, first character, length]
    for code, char in sorted(unicode.items()):
        first, start, length = runs[-1] if runs else (-2, -2, 0)
        if (code, char) == (first + length, start + length) and code % 256 and char % 256:
            runs[-1][2] += 1  # a range keeps its codes' and characters' high bytes, as the format asks
        else:
            runs.append([code, char, 1])
    digits = 2 * size
    ranges = [f"<{a:0{digits}X}> <{a + n - 1:0{digits}X}> <{c:04X}>" for a, c, n in runs if n > 1]
    chars = [f"<{a:0{digits}X}> <{c:04X}>" for a, c, n in runs if n == 1]
    sections = [
        f"{len(part)} begin{kind}\n" + "\n".join(part) + f"\nend{kind}\n"
        for kind, lines in (("bfrange", ranges), ("bfchar", chars))
        for part in (lines[i : i + 100] for i in range(0, len(lines), 100))
    ]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<{0:0{digits}X}> <{256**size - 1:0{digits}X}>\nendcodespacerange\n"
        + "".join(sections)
        + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


def _cut(unicodes: list[int]) -> TTFont:
    from PIL import ImageFont  # only to find the file, as Pillow searches the system's font folders

    try:
        path = ImageFont.truetype(FILE).path
    except OSError:
        raise FileNotFoundError(
            f"The fillable PDFs draw their fields in DejaVu Sans ({FILE}), which is not installed here: "
            "install it (on Debian or Ubuntu: apt-get install fonts-dejavu-core)"
        ) from None
    options = subset.Options()
    options.hinting = False  # viewers draw form text small and unhinted; hints would double the size
    options.layout_features = []  # viewers neither shape nor kern a field's text
    options.drop_tables += ["GDEF", "GPOS", "GSUB", "kern", "FFTM", "MATH"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13]  # with its copyright and licence, which travel with it
    font = TTFont(path, recalcTimestamp=False)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=unicodes)
    cutter.subset(font)
    return font


def _face(font: TTFont, glyphs: list[str], unicode: dict[int, int], size: int, first: int = 0) -> Face:
    """What a PDF needs of ``font``, whose codes of ``size`` bytes, from ``first``, show ``glyphs``."""
    out = io.BytesIO()
    font.save(out)
    scale = 1000 / font["head"].unitsPerEm
    head, outlines = font["head"], font["glyf"]
    box = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
    return Face(
        data=out.getvalue(),
        program=zlib.compress(out.getvalue(), 9),
        cmap=to_unicode(unicode, size),
        first=first,
        widths=[round(font["hmtx"][name][0] * scale) for name in glyphs],
        unicode=unicode,
        box=box,
        ascent=round(font["hhea"].ascent * scale),
        descent=round(font["hhea"].descent * scale),
        cap_height=round(outlines["H"].yMax * scale) if "H" in outlines else box[3],
    )


def _name(face: Face, name: str) -> pikepdf.Name:
    """A subset's name: six capitals of its own (from its bytes, so the same each time), a plus, the face."""
    digest = int.from_bytes(hashlib.sha256(face.data).digest()[:8])
    return pikepdf.Name("/" + "".join(ascii_uppercase[digest // 26**i % 26] for i in range(6)) + f"+{name}")


def _descriptor(pdf: pikepdf.Pdf, face: Face, name: str) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=_name(face, name),
            Flags=4,  # symbolic: glyphs beyond the standard Latin set
            FontBBox=face.box,
            ItalicAngle=0,
            Ascent=face.ascent,
            Descent=face.descent,
            CapHeight=face.cap_height,
            StemV=80,
            FontFile2=pdf.make_stream(face.program, Filter=pikepdf.Name.FlateDecode, Length1=len(face.data)),
        )
    )
