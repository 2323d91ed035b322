"""One font program per face in a PDF joined from parts: the union of the parts' subsets.

WeasyPrint embeds, for each face a document uses, a subset of the system's font holding the glyphs
that document draws, and keeps their glyph ids (HarfBuzz's ``RETAIN_GIDS``: an unused glyph is
left empty, with no width). Its fonts are CID-keyed with ``/CIDToGIDMap /Identity``, so the page
content names glyphs by those ids. Subsets of one face made by different documents therefore agree
on every glyph they both hold, and one program holding all their glyphs serves every document: the
book keeps each part's font dictionaries (widths, ``ToUnicode``), all pointing at that program.

A glyph that two subsets hold differently (another font under the same name) stops the merge of
that face; its programs are then shared only where they are byte for byte the same.
"""

from __future__ import annotations

import hashlib
import io
import sys
from array import array
from collections.abc import Iterable

import pikepdf
from fontTools.ttLib import TTFont, getTableClass
from fontTools.ttLib.tables._g_l_y_f import Glyph

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
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
    """Each face's subsets merged into one program, other font files and fonts kept once each."""
    faces: dict[str, list[pikepdf.Dictionary]] = {}  # the CID fonts of each face, by name
    others: list[pikepdf.Dictionary] = []  # descriptors whose font files are shared only when equal
    pages, forms = _resources(pdf)
    seen = set()
    for resources in pages + forms:
        for font in dict(resources.get("/Font", {})).values():
            for each in font.get("/DescendantFonts", [font]):
                descriptor = each.get("/FontDescriptor")
                if not isinstance(descriptor, pikepdf.Dictionary) or each.objgen in seen:
                    continue
                seen.add(each.objgen)
                cid = each.get("/Subtype") == "/CIDFontType2" and each.get("/CIDToGIDMap") == "/Identity"
                if cid and "/FontFile2" in descriptor and "/W" in each:
                    faces.setdefault(str(descriptor.FontName), []).append(each)
                else:
                    others.append(descriptor)
    for fonts in faces.values():
        programs: dict[bytes, tuple[pikepdf.Stream, set[int]]] = {}  # by hash: the file, glyphs drawn
        for font in fonts:
            file = font.FontDescriptor.FontFile2
            programs.setdefault(hashlib.sha256(file.read_raw_bytes()).digest(), (file, set()))[1].update(
                _drawn(font)
            )
        program = None
        if len(programs) > 1:
            program = merged([(file.read_bytes(), drawn) for file, drawn in programs.values()])
        if program is None:  # one program already, or subsets of different fonts
            others += [font.FontDescriptor for font in fonts]
            continue
        stream = pdf.make_stream(program, Length1=len(program))
        for font in fonts:
            font.FontDescriptor.FontFile2 = stream
    _share_files(others)
    _share_fonts(forms)


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
        for drawing in dict(resources.get("/XObject", {})).values():
            if isinstance(drawing, pikepdf.Stream) and drawing.get("/Subtype") == "/Form":
                yield from each(drawing.get("/Resources"))

    pages = [found for page in pdf.pages for found in each(page.obj.get("/Resources"))]
    forms = list(each(pdf.Root.AcroForm.get("/DR"))) if "/AcroForm" in pdf.Root else []
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            for appearance in dict(annotation.get("/AP", {})).values():
                states = appearance.values() if isinstance(appearance, pikepdf.Dictionary) else [appearance]
                forms += [
                    found
                    for state in states
                    if isinstance(state, pikepdf.Stream)
                    for found in each(state.get("/Resources"))
                ]
    return pages, forms


def _drawn(font: pikepdf.Dictionary) -> Iterable[int]:
    """The glyphs that the pages draw in a CID font: those it gives a width (``/W``), as WeasyPrint
    gives one to every glyph it draws, and only to those."""
    widths = list(font.W)
    while widths:
        if isinstance(widths[1], pikepdf.Array):  # first [w1 w2 ...]
            first, each, widths = int(widths[0]), widths[1], widths[2:]
            yield from range(first, first + len(each))
        else:  # first last w
            yield from range(int(widths[0]), int(widths[1]) + 1)
            widths = widths[3:]


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
    would cost seconds)."""

    def __init__(self, program: bytes):
        # the same bytes in every build; bounds from the subsets' own (see BOUNDS)
        self.font = TTFont(io.BytesIO(program), recalcTimestamp=False, recalcBBoxes=False)
        self.outlines, self.offsets = self.font.reader["glyf"], self.font.reader["loca"]
        self.long = self.font["head"].indexToLocFormat == 1
        self.metrics = array("h", self.font.reader["hmtx"])  # (advance, left side bearing) pairs, bearings
        if sys.byteorder == "little":
            self.metrics.byteswap()  # big-endian in the file
        self.widths = self.font["hhea"].numberOfHMetrics

    def glyph(self, gid: int) -> tuple[bytes, tuple[int, int]]:
        """The glyph's outline (as the file holds it) and its (advance, left side bearing)."""
        size = 4 if self.long else 2
        start, end = (
            int.from_bytes(self.offsets[n * size : (n + 1) * size], "big") * (1 if self.long else 2)
            for n in (gid, gid + 1)
        )
        if gid < self.widths:
            return self.outlines[start:end], (self.metrics[2 * gid] & 0xFFFF, self.metrics[2 * gid + 1])
        return self.outlines[start:end], (
            self.metrics[2 * self.widths - 2] & 0xFFFF,
            self.metrics[self.widths + gid],
        )


def merged(subsets: list[tuple[bytes, set[int]]]) -> bytes | None:
    """One program holding the glyphs drawn from each subset (a program and the glyph ids drawn in
    it) and the glyphs they are made of; the subsets kept the ids of one font. None when two of them
    hold a glyph differently (they are not subsets of one font)."""
    read = [(Subset(program), drawn) for program, drawn in subsets]
    base = max((subset for subset, _ in read), key=lambda s: len(s.offsets))  # every id the others use
    glyf, hmtx = base.font["glyf"], base.font["hmtx"]
    order = base.font.getGlyphOrder()
    taken: dict[int, tuple[bytes, tuple[int, int]]] = {}
    for subset, drawn in read:
        wanted, seen = list(drawn), set()
        while wanted:  # a composite glyph brings its components
            gid = wanted.pop()
            if gid in seen:
                continue
            seen.add(gid)
            glyph = subset.glyph(gid)
            if taken.setdefault(gid, glyph) != glyph:
                return None
            wanted += [base.font.getGlyphID(name) for name in Glyph(glyph[0]).getComponentNames(glyf)]
    for gid, (outline, metrics) in taken.items():
        glyf.glyphs[order[gid]] = Glyph(outline)
        hmtx.metrics[order[gid]] = metrics
    for tag, union, names in BOUNDS:
        for name in names.split():
            setattr(base.font[tag], name, union(getattr(s.font[tag], name) for s, _ in read))
    out = io.BytesIO()
    base.font.save(out)
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
            digest.update(b"[")
            for item in value:
                walk(item, depth + 1)
            digest.update(b"]")
        else:  # a name, string or number (pikepdf gives numbers as Python's)
            digest.update(value.unparse() if isinstance(value, pikepdf.Object) else repr(value).encode())

    walk(obj, 0)
    return digest.digest()
