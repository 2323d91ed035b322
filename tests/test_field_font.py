"""The faces fillable PDFs draw their fields in: whole Unicode blocks of DejaVu Sans for typing, three
marks for choices; what poppler reads back from them; and what the worksheet page says they show."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import unicodedata

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageFont

from playbook import content, field_font, plan
from playbook.render import Renderer

from .conftest import MINI

# a few letters of each script, capitals and small, with the accents its languages use
SCRIPTS = {
    "Latin": "AaZzÀàÇçĞğŁłŐőŒœȘșẞßƠơỆệŴŵ",
    "Greek": "ΑαΩωΆάΐΰϊΣσς",
    "Cyrillic": "АаЯяЁёЇїҐґЎўЂђЉљҚқӘә",
    "Arabic": "ابتثجحخ",
    "Hebrew": "אבגדהוז",
    "Han": "交渉日本語中文",
    "Devanagari": "अआइईउऊ",
    "Thai": "กขฃคฅฆ",
}


def shown(face: field_font.Face) -> set[str]:
    return set(map(chr, face.unicode.values()))


def test_the_typing_face_holds_whole_blocks_and_nothing_else():
    source = TTFont(ImageFont.truetype(field_font.FILE).path).getBestCmap()
    blocks = {c for first, last in field_font.BLOCKS.values() for c in range(first, last + 1)}
    assert shown(field_font.typing_face()) == {chr(c) for c in blocks & source.keys()}
    assert len(field_font.typing_face().data) < 120_000, "about 64 KB once deflated in the PDF"


def test_the_worksheet_page_names_the_scripts_the_fields_show_and_where_to_go_for_others():
    book = content.load(MINI)
    site_plan = plan.build(book)
    (entry,) = [e for e in site_plan.generated if getattr(e.subject, "id", None) == "test-canvas"]
    page = Renderer(book, site_plan, "Playbook").markdown(entry)
    note = re.search(r"What you type into it shows in (.+?) script; for any other, (.+?)</p>", page)
    assert note, "the page says which scripts the PDFs show"
    named = set(re.split(r", | and ", note[1]))
    assert named == {"Latin", "Greek", "Cyrillic"}
    for script, letters in SCRIPTS.items():
        held = set(letters) & shown(field_font.typing_face())
        assert held == (set(letters) if script in named else set()), script
    button = re.search(r'data-action="print">([^<]+)</button>', page)[1]
    assert f"“{button}”" in note[2], "it points to the button that prints with the browser's fonts"


def test_poppler_reads_every_glyph_of_both_faces_back_as_its_character(tmp_path):
    """Each face drawn whole on a page: pdftotext reads it back through its /ToUnicode CMap (all but
    the invisible format controls, such as right-to-left marks, which reorder what pdftotext reads)."""
    typing, marks = field_font.typing_face(), field_font.marks_face()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(600, 800))
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(T=field_font.typing_font(pdf), M=field_font.marks_font(pdf))
    )
    codes = [c for c in sorted(typing.unicode) if unicodedata.category(chr(typing.unicode[c])) != "Cf"]
    lines = [codes[i : i + 40] for i in range(0, len(codes), 40)]
    drawn = b"".join(
        b"BT /T 8 Tf 10 %d Td <%s> Tj ET\n" % (780 - 10 * n, "".join(f"{c:04x}" for c in line).encode())
        for n, line in enumerate(lines)
    )
    drawn += b"BT /M 8 Tf 10 20 Td <%s> Tj ET\n" % "".join(f"{c:02x}" for c in sorted(marks.unicode)).encode()
    page.Contents = pdf.make_stream(drawn)
    pdf.save(tmp_path / "faces.pdf")
    run = subprocess.run(
        ["pdftotext", tmp_path / "faces.pdf", "-"], capture_output=True, text=True, check=True
    )
    assert run.stderr == ""
    expected = [*("".join(chr(typing.unicode[c]) for c in line) for line in lines)]
    expected.append("".join(chr(marks.unicode[c]) for c in sorted(marks.unicode)))
    read = "".join(run.stdout.split())
    assert read == "".join("".join(expected).split()), "every code reads back as its character"
    assert "".join(chr(marks.unicode[ord(code)]) for code in field_font.DINGBATS) == "✓✔●"


@pytest.mark.slow  # two interpreters that load fontTools and cut both faces
def test_the_faces_are_the_same_bytes_in_every_process():
    probe = (
        "import hashlib; from playbook import field_font as f; "
        "print(hashlib.sha256(f.typing_face().data + f.marks_face().data).hexdigest())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    runs.add(hashlib.sha256(field_font.typing_face().data + field_font.marks_face().data).hexdigest())
    assert len(runs) == 1


def test_a_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(field_font, "FILE", "NoSuchFont-Regular.ttf")
    with pytest.raises(
        FileNotFoundError, match=r"DejaVu Sans \(NoSuchFont-Regular\.ttf\).*fonts-dejavu-core"
    ):
        field_font._cut([0x41])
