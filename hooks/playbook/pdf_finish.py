"""What WeasyPrint's PDFs need after rendering: table headers that say what they head, running
footers as artifacts, and form fields that show what is typed or chosen in them.

WeasyPrint embeds the whole font face that form fields use (about 380 KB of DejaVu Sans) and, when it
is the text's font too, stops subsetting the text. So print stylesheets give controls a face of their
own (``pdf.FORM_FONT``), and :func:`finish` drops that face and types every text field in the
typing face of :mod:`playbook.field_font` instead: DejaVu Sans cut down to the blocks of Latin, Greek
and Cyrillic script. Check boxes and scales get their marks from its marks face. The form's ``/DR``
carries both, embedded (a joined book takes them from there). It also sets
each field's tooltip (``/TU``) from the control's ``title`` where the HTML gives one: WeasyPrint
takes a label's text first, which for a scale's radio buttons is just "3". A radio button's title is
its question; each button's tooltip is the question and its value ("How ready am I?: 3").

Only rendering and joining import this module (and pikepdf with it): a build whose PDFs all come
from the cache does not pay for either.
"""

from __future__ import annotations

import html as markup
import io
import re
from collections.abc import Iterable

import pikepdf

from . import field_font

HELVETICA = {
    "/Type": "/Font",
    "/Subtype": "/Type1",
    "/BaseFont": "/Helvetica",
    "/Encoding": "/WinAnsiEncoding",
}
CONTROL = re.compile(r"<(?:input|textarea|select)\b[^>]*>")
ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
DA_FONT = re.compile(rb"/(\S+) (\S+) Tf")
DA_STATE = re.compile(rb"/\S+ gs\s*")  # WeasyPrint's /DA sets a graphics state that /DR does not hold
RADIO = 1 << 15
MARKED = re.compile(
    rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC"
)  # tagged content, as WeasyPrint marks it
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def finish(data: bytes, html: str) -> bytes:
    """WeasyPrint's PDF with its table headers' scope told, its page margins' text as artifacts, and
    its form fields typed in an embedded face, each choice with an appearance for on and off."""
    pdf = pikepdf.open(io.BytesIO(data))
    tree, reachable = pdf.Root.StructTreeRoot, set()
    _scope_headers(tree.K, reachable)
    _margins_as_artifacts(pdf, tree, reachable)
    if "/AcroForm" in pdf.Root:
        _fields(pdf, html)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()


def _scope_headers(
    element: pikepdf.Object, reached: set[tuple[int, int]], parents: tuple[str, ...] = ()
) -> None:
    """Each header cell says what it heads (WeasyPrint does not write ``scope``): the cells below it
    when it sits in the table's head, else the cells of its row. On the way, every element of the
    tree is ``reached`` (by object number), which is the one walk of the tree a finish makes."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            _scope_headers(kid, reached, parents)
    elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
        reached.add(element.objgen)
        if element.S == "/TH":
            scope = "/Column" if "/THead" in parents[-2:] else "/Row"
            if not isinstance(element.get("/A"), pikepdf.Dictionary):
                element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            element.A.Scope = pikepdf.Name(scope)
        _scope_headers(element.get("/K", pikepdf.Array()), reached, (*parents, str(element.S)))


def _margins_as_artifacts(
    pdf: pikepdf.Pdf, tree: pikepdf.Dictionary, reachable: set[tuple[int, int]]
) -> None:
    """The text of page-margin boxes (a worksheet's footer) marked as a pagination artifact.

    WeasyPrint tags it for elements that it never links into the structure tree (PDF/UA-1 has no
    artifact elements), so it is text that belongs to nothing. Running footers are page furniture,
    which PDF/UA asks to be marked as artifacts: screen readers skip them, as they skip page numbers.
    The marks are rewritten in place, as WeasyPrint writes them: parsing and writing a page's whole
    content again took 20 ms a page. (WeasyPrint writes text as hex strings, where ``<<`` cannot
    occur, so the pattern finds marks alone.)
    """
    nums = list(tree.ParentTree.Nums)
    marks = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
    for page in pdf.pages:
        elements = marks.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(elements, pikepdf.Array):
            continue
        lost = {mcid for mcid, e in enumerate(elements) if e is not None and e.objgen not in reachable}
        if not lost:
            continue
        contents = page.obj.Contents
        drawn = b"\n".join(
            s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents])
        )
        page.obj.Contents = pdf.make_stream(
            MARKED.sub(lambda m, lost=lost: ARTIFACT if int(m[1]) in lost else m[0], drawn)
        )
        for mcid in lost:
            elements[mcid] = None  # an artifact has no element
        while len(elements) and elements[len(elements) - 1] is None:  # WeasyPrint draws the margins
            del elements[len(elements) - 1]  # last, so the page's array now ends before their marks


def _fields(pdf: pikepdf.Pdf, html: str) -> None:
    """Text fields typed in the embedded face, choices with on and off appearances, and each
    tooltip the control's ``title``."""
    form = pdf.Root.AcroForm
    titles = _titles(html)
    # WeasyPrint lists radio buttons among the fields too; only their group is a field
    form.Fields = pikepdf.Array(f for f in form.Fields if "/Parent" not in f)
    form_fonts = set()
    typed = ticked = False
    for field in form.Fields:
        name = str(field.get("/T", ""))
        if "/DA" in field:
            typed = True
            form_fonts.update(m[1] for m in DA_FONT.finditer(bytes(field.DA)))
            appearance = DA_STATE.sub(b"", bytes(field.DA))
            field.DA = pikepdf.String(DA_FONT.sub(rb"/" + field_font.TEXT.encode() + rb" \2 Tf", appearance))
        if name in titles:
            field.TU = pikepdf.String(titles[name])
        for value, kid in zip(field.get("/Opt", ()), field.get("/Kids", ()), strict=False):
            kid.TU = pikepdf.String(f"{field.get('/TU', name)}: {value}")
            if "/T" in kid:
                del kid["/T"]  # a radio button is part of its group, not a field of the same name
        if field.get("/FT") == "/Btn":
            ticked = True
            _states(pdf, field)
    # the field's face shares the pages' font dictionary: drop it there unless some text uses it
    text = b"".join(_drawings(pdf))
    for name in {f"/{n.decode()}" for n in form_fonts if not re.search(rb"/" + re.escape(n) + rb"\s", text)}:
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            if name in fonts:
                del fonts[name]
    fonts = {
        f"/{field_font.TEXT}": field_font.typing_font(pdf) if typed else None,
        f"/{field_font.MARKS}": field_font.marks_font(pdf) if ticked else None,
    }
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({k: v for k, v in fonts.items() if v is not None}))
    form.DA = pikepdf.String(f"/{field_font.TEXT} 0 Tf 0 g")  # for fields a filler adds


def _states(pdf: pikepdf.Pdf, field: pikepdf.Dictionary) -> None:
    """A check box or a scale's buttons, each with an appearance for its on state and for ``/Off``
    (drawing nothing, since the page draws the empty box; not empty, which pdf.js warns about),
    shown off until a filler sets ``/AS``.

    The on states get the names a filler would set: ``/Yes`` for a check box, as the PDF standard
    recommends (WeasyPrint says ``/on``), and a radio button's value as the group's ``/Opt`` gives it
    (WeasyPrint names it after the button's place, ``/0`` for the first, so that "3" chose the fourth).
    A viewer that draws the choice itself (poppler, when the form sets ``NeedAppearances``) draws the
    button's caption, a tick or a dot, in the marks face, in the colour WeasyPrint gave the box (it
    looks for that face under ``/ZaDb`` whatever the button's ``/DA`` says).
    """
    buttons = field.get("/Kids", [field])
    values = list(field.get("/Opt", ())) if int(field.get("/Ff", 0)) & RADIO else []
    for index, button in enumerate(buttons):
        (drawn,) = button.AP.N.values()
        on = f"/{values[index]}" if values else "/Yes"
        off = pdf.make_stream(b"q Q", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=drawn.BBox)
        button.AP.N = pikepdf.Dictionary({on: drawn, "/Off": off})
        button.AS = pikepdf.Name.Off
        characteristics = button.get("/MK", pikepdf.Dictionary())
        characteristics.CA = pikepdf.String(field_font.DOT if values else field_font.CHECK)
        button.MK = characteristics
        border = characteristics.get("/BC", [0])
        ink = " ".join(f"{float(v):g}" for v in border) + {1: " g", 3: " rg", 4: " k"}[len(border)]
        left, bottom, right, top = map(float, button.Rect)
        size = min(abs(right - left), abs(top - bottom))  # fills the box; poppler would choose a tiny one
        button.DA = pikepdf.String(f"/{field_font.MARKS} {size:.1f} Tf {ink}")
    field.V = pikepdf.Name.Off


def helvetica() -> pikepdf.Dictionary:
    """The font dictionary of Helvetica, which PDF viewers supply: nothing to embed."""
    return pikepdf.Dictionary({key: pikepdf.Name(value) for key, value in HELVETICA.items()})


def _drawings(pdf: pikepdf.Pdf) -> Iterable[bytes]:
    """Every content stream that can draw text: the pages' and their form XObjects'."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        yield from (s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents]))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            yield obj.read_bytes()


def _titles(html: str) -> dict[str, str]:
    """Control name -> its ``title``, for the controls that have one (for radio buttons: the question)."""
    titles = {}
    for tag in CONTROL.findall(html):
        attributes = {key: markup.unescape(a or b) for key, a, b in ATTRIBUTE.findall(tag)}
        if "title" in attributes and "name" in attributes:
            titles[attributes["name"]] = attributes["title"]
    return titles
