"""One font per face in a PDF joined from parts, whichever parts use it.

WeasyPrint embeds, for each face a document uses, a subset of the system's font holding the glyphs
that document draws, and keeps their glyph ids (HarfBuzz's ``RETAIN_GIDS``: an unused glyph is
left empty, with no width). Its fonts are CID-keyed with ``/CIDToGIDMap /Identity``, so the page
content names glyphs by those ids, and each font says what it draws (``/W``) and what each glyph
reads as (``/ToUnicode``). Subsets of one face made by different documents therefore agree on every
glyph they both hold, and one font serves them all: a program holding every glyph they draw (and
those their composite glyphs are made of), with the union of their widths and of their text.

Where two subsets disagree (another font under the same name), the face keeps each part's font,
and font files are shared only where they are the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import struct
import sys
from array import array
from collections.abc import Iterable
from decimal import Decimal

import pikepdf
from fontTools.misc import sstruct
from fontTools.ttLib import TTFont, getTableClass
from fontTools.ttLib.sfnt import SFNTWriter
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.ttLib.tables._m_a_x_p import maxpFormat_1_0_add

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
UINT32 = next(kind for kind in "IL" if array(kind).itemsize == 4)  # an array's code for 32-bit numbers
# fontTools imports a table's module when it first reads one: here, once, in the press's server,
# which preloads this module (see pdf._context), and not in every worker that joins a book
for _tag in ("head", "hhea", "maxp", "loca", "hmtx", "glyf", "post", "cmap", "OS/2", "name", "GDEF", "gasp"):
    getTableClass(_tag)
# what a font says of all its glyphs together, and how the values of subsets make the union's: their
# largest or their smallest (fontTools would work them out from every glyph, which costs more than
# all the rest of a merge)
BOUNDS = [
    ("maxp", max, "maxPoints maxContours maxCompositePoints maxCompositeContours maxZones maxTwilightPoints"),
    ("maxp", max, "maxStorage maxFunctionDefs maxInstructionDefs maxStackElements maxSizeOfInstructions"),
    ("maxp", max, "maxComponentElements maxComponentDepth"),
    ("head", min, "xMin yMin"),
    ("head", max, "xMax yMax"),
    ("hhea", max, "advanceWidthMax xMaxExtent"),
    ("hhea", min, "minLeftSideBearing minRightSideBearing"),
]


def share(pdf: pikepdf.Pdf) -> None:
    """One font per face of the text, whichever parts use it; one copy of every other font file and
    of every font the parts' forms bring alike."""
    pages, forms = _resources(pdf)
    faces: dict[str, dict[tuple[int, int], pikepdf.Dictionary]] = {}  # WeasyPrint's fonts, by face
    others: list[pikepdf.Dictionary] = []  # descriptors, whose font files are shared when equal
    for resources in pages + forms:
        for font in resources.get("/Font", {}).values():
            if _composite(font):
                face = str(font.DescendantFonts[0].FontDescriptor.FontName)
                faces.setdefault(face, {})[font.objgen] = font
            else:
                others += [
                    d.FontDescriptor for d in font.get("/DescendantFonts", [font]) if "/FontDescriptor" in d
                ]
    for fonts in faces.values():
        one = _one_font(pdf, list(fonts.values()))
        if one is None:  # subsets of different fonts under one name: their files shared where equal
            others += [font.DescendantFonts[0].FontDescriptor for font in fonts.values()]
            continue
        for resources in pages + forms:
            named = resources.get("/Font", {})
            for name, font in list(named.items()):
                if font.objgen in fonts:
                    named[name] = one
    _share_files(others)
    _share_fonts(forms)


def _composite(font: pikepdf.Object) -> bool:
    """Whether ``font`` is one of WeasyPrint's: one CID font whose codes are its glyph ids, which says
    what it draws (``/W``) and what each glyph reads as (``/ToUnicode``)."""
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Encoding") != "/Identity-H":
        return False
    descendants = font.get("/DescendantFonts", [])
    cid = descendants[0] if len(descendants) == 1 else None
    descriptor = cid.get("/FontDescriptor") if isinstance(cid, pikepdf.Dictionary) else None
    return (
        isinstance(descriptor, pikepdf.Dictionary)
        and cid.get("/Subtype") == "/CIDFontType2"
        and cid.get("/CIDToGIDMap") == "/Identity"
        and "/W" in cid
        and "/ToUnicode" in font
        and "/FontFile2" in descriptor
        and "/CIDSet" not in descriptor
    )


def _one_font(pdf: pikepdf.Pdf, fonts: list[pikepdf.Dictionary]) -> pikepdf.Dictionary | None:
    """One font standing for ``fonts``, subsets of one face: its program holds all their glyphs, its
    widths and text are theirs (which must agree), its bounds hold theirs. None if they disagree."""
    cids = [font.DescendantFonts[0] for font in fonts]
    widths = _union(_widths(cid) for cid in cids)
    texts = _union(_texts(font.ToUnicode) for font in fonts)
    if widths is None or texts is None:
        return None
    programs: dict[bytes, tuple[pikepdf.Stream, set[int]]] = {}  # by hash: the file, glyphs drawn
    for cid in cids:
        file = cid.FontDescriptor.FontFile2
        programs.setdefault(hashlib.sha256(file.read_raw_bytes()).digest(), (file, set()))[1].update(
            _widths(cid)
        )
    if len(programs) == 1:
        ((file, _),) = programs.values()
    else:
        program = merged([(file.read_bytes(), drawn) for file, drawn in programs.values()])
        if program is None:
            return None
        file = pdf.make_stream(program, Length1=len(program))
    descriptors = [cid.FontDescriptor for cid in cids]
    corners = list(zip(*([float(v) for v in d.FontBBox] for d in descriptors), strict=True))
    descriptor = pikepdf.Dictionary(dict(descriptors[0].items()))
    descriptor.FontFile2 = file
    descriptor.FontBBox = [min(corners[0]), min(corners[1]), max(corners[2]), max(corners[3])]
    for key, pick in (("/Ascent", max), ("/CapHeight", max), ("/Descent", min)):
        descriptor[key] = pick(float(d.get(key, 0)) for d in descriptors)
    cid = pikepdf.Dictionary(dict(cids[0].items()))
    cid.FontDescriptor, cid.W = pdf.make_indirect(descriptor), _width_array(widths)
    font = pikepdf.Dictionary(dict(fonts[0].items()))
    font.DescendantFonts, font.ToUnicode = [pdf.make_indirect(cid)], pdf.make_stream(_cmap(texts))
    return pdf.make_indirect(font)


def _union(maps: Iterable[dict | None]) -> dict | None:
    """All of ``maps`` in one, or None if one is None or two give one key different values."""
    union: dict = {}
    for each in maps:
        if each is None:
            return None
        for key, value in each.items():
            if union.setdefault(key, value) != value:
                return None
    return union


def _widths(font: pikepdf.Dictionary) -> dict[int, float]:
    """The width of each glyph that a CID font draws (``/W``): WeasyPrint gives a width to every glyph
    it draws, and only to those."""
    widths, found = list(font.W), {}
    while widths:
        if isinstance(widths[1], pikepdf.Array):  # first [w1 w2 ...]
            first, each, widths = int(widths[0]), widths[1], widths[2:]
            found |= {first + n: float(w) for n, w in enumerate(each)}
        else:  # first last w
            found |= dict.fromkeys(range(int(widths[0]), int(widths[1]) + 1), float(widths[2]))
            widths = widths[3:]
    return found


def _width_array(widths: dict[int, float]) -> pikepdf.Array:
    """``/W`` for these widths: each run of consecutive glyphs as its first and its widths."""
    runs: list = []
    for gid in sorted(widths):
        if not runs or runs[-2] + len(runs[-1]) != gid:
            runs += [gid, []]
        runs[-1].append(widths[gid])
    return pikepdf.Array(runs)


BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def _texts(cmap: pikepdf.Stream) -> dict[int, str] | None:
    """What each glyph reads as, from a ``ToUnicode`` CMap of single glyphs (``bfchar``), as WeasyPrint
    writes them; None for one that maps ranges, which this does not read."""
    data = cmap.read_bytes()
    if b"bfrange" in data:
        return None
    return {
        int(gid, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for gid, text in BFCHAR.findall(data)
    }


def _cmap(texts: dict[int, str]) -> bytes:
    """A ``ToUnicode`` CMap saying what each glyph reads as."""
    pairs = [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in sorted(texts.items())]
    blocks = [
        [f"{len(pairs[n : n + 100])} beginbfchar", *pairs[n : n + 100], "endbfchar"]
        for n in range(0, len(pairs), 100)
    ]
    lines = [*CMAP_START, *(line for block in blocks for line in block), *CMAP_END]
    return "\n".join(lines).encode()


CMAP_START = [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <ffff>",
    "endcodespacerange",
]
CMAP_END = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]


def _resources(pdf: pikepdf.Pdf) -> tuple[list[pikepdf.Dictionary], list[pikepdf.Dictionary]]:
    """Every resource dictionary that can name a font, each once: the pages' and the form XObjects'
    they draw; and the form's (``/DR``) and its fields' appearances'."""
    done: set[tuple[int, int]] = set()

    def each(resources: pikepdf.Object | None) -> Iterable[pikepdf.Dictionary]:
        if not isinstance(resources, pikepdf.Dictionary) or (
            resources.is_indirect and resources.objgen in done
        ):
            return
        done.add(resources.objgen)
        yield resources
        for drawing in resources.get("/XObject", {}).values():
            if isinstance(drawing, pikepdf.Stream) and drawing.get("/Subtype") == "/Form":
                yield from each(drawing.get("/Resources"))

    pages = [found for page in pdf.pages for found in each(page.obj.get("/Resources"))]
    forms = list(each(pdf.Root.AcroForm.get("/DR"))) if "/AcroForm" in pdf.Root else []
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            for appearance in annotation.get("/AP", {}).values():
                states = appearance.values() if isinstance(appearance, pikepdf.Dictionary) else [appearance]
                forms += [
                    found
                    for state in states
                    if isinstance(state, pikepdf.Stream)
                    for found in each(state.get("/Resources"))
                ]
    return pages, forms


def _share_files(descriptors: list[pikepdf.Dictionary]) -> None:
    """One copy of each font file that several descriptors embed alike."""
    seen: dict[bytes, pikepdf.Object] = {}
    for descriptor in descriptors:
        for key in FONT_FILES:
            if key in descriptor:
                data = hashlib.sha256(descriptor[key].read_raw_bytes()).digest()
                descriptor[key] = seen.setdefault(data, descriptor[key])


def _share_fonts(holders: list[pikepdf.Dictionary]) -> None:
    """One copy of each font that several parts' forms bring alike (the face of their fields): every
    resource dictionary in ``holders`` names the first. (The pages' fonts differ from part to part.)"""
    kept: dict[bytes, pikepdf.Object] = {}
    streams: dict[tuple[int, int], bytes] = {}  # each stream hashed once
    done = set()
    for resources in holders:
        fonts = resources.get("/Font")
        if not isinstance(fonts, pikepdf.Dictionary) or fonts.objgen in done:
            continue
        if fonts.is_indirect:
            done.add(fonts.objgen)
        for name, font in list(fonts.items()):
            if font.is_indirect:
                fonts[name] = kept.setdefault(fingerprint(font, streams), font)


class Subset:
    """A TrueType subset that kept its glyph ids: the outline and metrics of a glyph, by id, read from
    the tables' bytes (fontTools' objects for the thousands of empty glyphs, in hundreds of subsets,
    would cost more than the rest of a join)."""

    def __init__(self, program: bytes):
        # the same bytes in every build; bounds from the subsets' own (see BOUNDS)
        self.font = TTFont(io.BytesIO(program), recalcTimestamp=False, recalcBBoxes=False)
        self.outlines = self.font.reader["glyf"]
        long = self.font["head"].indexToLocFormat == 1
        self.offsets = _numbers(UINT32 if long else "H", self.font.reader["loca"])  # halved, if short
        self.scale = 1 if long else 2
        self.count = len(self.offsets) - 1
        self.metrics = _numbers("h", self.font.reader["hmtx"])  # (advance, left side bearing) pairs, bearings
        self.widths = self.font["hhea"].numberOfHMetrics

    def glyph(self, gid: int) -> tuple[bytes, tuple[int, int]]:
        """The glyph's outline (as the file holds it) and its (advance, left side bearing)."""
        start, end = self.offsets[gid] * self.scale, self.offsets[gid + 1] * self.scale
        advance = self.metrics[2 * min(gid, self.widths - 1)] & 0xFFFF
        bearing = self.metrics[2 * gid + 1] if gid < self.widths else self.metrics[self.widths + gid]
        return self.outlines[start:end], (advance, bearing)

    def components(self, outline: bytes) -> list[int]:
        """The glyph ids a composite glyph is made of (none for a simple one)."""
        return Glyph(outline).getComponentNames(_Ids())


def _numbers(kind: str, data: bytes) -> array:
    """The big-endian numbers of a table, as an array."""
    numbers = array(kind, data)
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


class _Ids:
    """What fontTools asks of a glyph table to name a composite's components: here, their ids."""

    extended = False  # glyph ids of 16 bits

    def getGlyphName(self, gid: int) -> int:  # fontTools' name
        return gid


def merged(subsets: list[tuple[bytes, set[int]]]) -> bytes | None:
    """One program holding the glyphs drawn from each subset (a program and the glyph ids drawn in
    it) and the glyphs they are made of; the subsets kept the ids of one font. None when two of them
    hold a glyph differently (they are not subsets of one font).

    The glyph tables are written from the glyphs' bytes, the others taken from the subset with most
    glyph ids, with the bounds of all (fontTools' own writing costs more than the rest of a join)."""
    read = [(Subset(program), drawn) for program, drawn in subsets]
    base = max((subset for subset, _ in read), key=lambda s: s.count)  # every id the others use
    taken: dict[int, tuple[bytes, tuple[int, int]]] = {}
    for subset, drawn in read:
        wanted, seen = list(drawn), set()
        while wanted:  # a composite glyph brings its components
            gid = wanted.pop()
            if gid in seen or gid >= base.count:
                continue
            seen.add(gid)
            glyph = subset.glyph(gid)
            if taken.setdefault(gid, glyph) != glyph:
                return None
            wanted += subset.components(glyph[0])
    glyphs = [taken.get(gid) or base.glyph(gid) for gid in range(base.count)]
    outlines = [outline + bytes(-len(outline) % 4) for outline, _ in glyphs]  # each on a 4-byte boundary
    for tag, union, names in BOUNDS:
        for name in names.split():
            setattr(base.font[tag], name, union(getattr(s.font[tag], name) for s, _ in read))
    offsets = list(itertools.accumulate(map(len, outlines), initial=0))
    short = offsets[-1] < 0x20000  # offsets of 16 bits (halved), as most subsets need
    base.font["head"].indexToLocFormat = 0 if short else 1
    base.font["hhea"].numberOfHMetrics = base.count
    maxp = base.font["maxp"]
    tables = {
        "glyf": b"".join(outlines),
        "loca": struct.pack(
            f">{len(offsets)}{'H' if short else 'I'}", *(o // 2 if short else o for o in offsets)
        ),
        "hmtx": struct.pack(">" + "Hh" * base.count, *(value for _, metrics in glyphs for value in metrics)),
        "head": base.font["head"].compile(base.font),
        "hhea": base.font["hhea"].compile(base.font),
        "maxp": struct.pack(">IH", 0x00010000, base.count) + sstruct.pack(maxpFormat_1_0_add, maxp),
    }
    out = io.BytesIO()
    writer = SFNTWriter(out, len(base.font.reader.tables))
    for tag in base.font.reader.tables:
        writer[tag] = tables.get(tag, base.font.reader[tag])
    writer.close()
    return out.getvalue()


def fingerprint(obj: pikepdf.Object, streams: dict | None = None) -> bytes:
    """What a PDF object holds, followed through references: equal for two copies of one font.
    ``streams`` keeps the hash of each stream, for the next call."""
    digest = hashlib.sha256()
    streams = {} if streams is None else streams

    def walk(value: pikepdf.Object, depth: int) -> None:
        if depth > 32:
            raise ValueError("a font nested too deep to compare")
        if isinstance(value, pikepdf.Stream):
            if value.objgen not in streams or value.objgen == (0, 0):
                streams[value.objgen] = hashlib.sha256(value.read_raw_bytes()).digest()
            digest.update(b"stream" + streams[value.objgen])
        if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            for key in sorted(value.keys()):
                if key != "/Length":
                    digest.update(key.encode())
                    walk(value[key], depth + 1)
        elif isinstance(value, pikepdf.Array):
            items = list(value)
            if all(isinstance(item, int | float | Decimal) for item in items):  # widths: in one go
                digest.update(b"numbers[" + value.unparse() + b"]")
            else:
                digest.update(b"[")
                for item in items:
                    walk(item, depth + 1)
                digest.update(b"]")
        else:  # a name, string or number (pikepdf gives numbers as Python's)
            digest.update(value.unparse() if isinstance(value, pikepdf.Object) else repr(value).encode())

    walk(obj, 0)
    return digest.digest()
