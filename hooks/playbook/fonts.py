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
from array import array
from collections.abc import Iterable

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph


def share(pdf: pikepdf.Pdf) -> None:
    """Each face's subsets merged into one program, other font files and fonts kept once each."""
    faces: dict[str, list[pikepdf.Dictionary]] = {}
    others: list[pikepdf.Dictionary] = []
    for font in _objects(pdf, "/Font"):
        descriptor = font.get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary):
            continue
        cid = font.get("/Subtype") == "/CIDFontType2" and font.get("/CIDToGIDMap") == "/Identity"
        if cid and "/FontFile2" in descriptor:
            faces.setdefault(str(descriptor.FontName), []).append(descriptor)
        else:
            others.append(descriptor)
    for descriptors in faces.values():
        files = {hashlib.sha256(d.FontFile2.read_raw_bytes()).digest(): d.FontFile2 for d in descriptors}
        program = merged([file.read_bytes() for file in files.values()]) if len(files) > 1 else None
        if program is None:  # one program already, or subsets of different fonts
            others += descriptors
            continue
        stream = pdf.make_stream(program, Length1=len(program))
        for descriptor in descriptors:
            descriptor.FontFile2 = stream
    _share_files(others)
    _share_fonts(pdf)


def _objects(pdf: pikepdf.Pdf, kind: str) -> Iterable[pikepdf.Dictionary]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == kind:
            yield obj


def _share_files(descriptors: list[pikepdf.Dictionary]) -> None:
    """One copy of each font file that several descriptors embed alike."""
    seen: dict[bytes, pikepdf.Object] = {}
    for descriptor in descriptors:
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                data = hashlib.sha256(descriptor[key].read_raw_bytes()).digest()
                descriptor[key] = seen.setdefault(data, descriptor[key])


def _share_fonts(pdf: pikepdf.Pdf) -> None:
    """One copy of each font that several parts bring alike (the face of their fields, above all):
    every resource dictionary, and the form's, names the first."""
    kept: dict[bytes, pikepdf.Object] = {}
    streams: dict[tuple[int, int], bytes] = {}  # each stream hashed once
    holders = [o.get("/Resources") for o in pdf.objects if isinstance(o, pikepdf.Dictionary | pikepdf.Stream)]
    if "/AcroForm" in pdf.Root:
        holders.append(pdf.Root.AcroForm.get("/DR"))
    done = set()
    for resources in holders:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(fonts, pikepdf.Dictionary) or fonts.objgen in done:
            continue
        if fonts.is_indirect:
            done.add(fonts.objgen)
        for name, font in list(fonts.items()):
            if font.is_indirect:
                fonts[name] = kept.setdefault(fingerprint(font, streams), font)


class Subset:
    """A TrueType subset that kept its glyph ids: each glyph's outline and metrics, by id."""

    def __init__(self, program: bytes):
        self.font = TTFont(io.BytesIO(program), recalcTimestamp=False)  # the same bytes in every build
        glyf, loca = self.font.reader["glyf"], self.font["loca"]
        self.outlines = [glyf[loca[gid] : loca[gid + 1]] for gid in range(len(loca) - 1)]
        metrics = array("h", self.font.reader["hmtx"])  # (advance, left side bearing) pairs, then bearings
        if array("h", [1]).tobytes() != b"\x00\x01":
            metrics.byteswap()  # big-endian in the file
        widths = self.font["hhea"].numberOfHMetrics
        self.metrics = [
            (metrics[2 * gid] & 0xFFFF, metrics[2 * gid + 1])
            if gid < widths
            else (metrics[2 * (widths - 1)] & 0xFFFF, metrics[widths + gid])
            for gid in range(len(self.outlines))
        ]

    def holds(self, gid: int) -> bool:
        """Whether the subset kept this glyph: an outline or a width (a space has no outline)."""
        return bool(self.outlines[gid]) or self.metrics[gid][0] > 0


def merged(programs: list[bytes]) -> bytes | None:
    """One program holding every glyph of ``programs``, subsets of one font that kept its glyph ids;
    None when two of them hold a glyph differently (they are not subsets of one font)."""
    subsets = [Subset(program) for program in programs]
    base = max(subsets, key=lambda s: len(s.outlines))  # holds every glyph id the others use
    order = base.font.getGlyphOrder()
    glyf, hmtx = base.font["glyf"], base.font["hmtx"]
    for subset in subsets:
        if subset is base:
            continue
        for gid, outline in enumerate(subset.outlines):
            if not subset.holds(gid):
                continue
            if base.holds(gid):
                if (base.outlines[gid], base.metrics[gid]) != (outline, subset.metrics[gid]):
                    return None
                continue
            glyf.glyphs[order[gid]] = Glyph(outline)
            hmtx.metrics[order[gid]] = subset.metrics[gid]
            base.outlines[gid], base.metrics[gid] = outline, subset.metrics[gid]
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
