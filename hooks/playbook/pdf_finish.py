"""What WeasyPrint's PDFs need after rendering: table headers that say what they head, and light fields.

WeasyPrint embeds the whole font face that form fields use (about 380 KB of DejaVu Sans) and, when it
is the text's font too, stops subsetting the text. So print stylesheets give controls a face of their
own (``pdf.FORM_FONT``), and :func:`finish` then points every field at Helvetica, a standard font
that every viewer supplies for typed text, and drops that face. It also sets each field's tooltip
(``/TU``) from the control's ``title`` where the HTML gives one: WeasyPrint takes a label's text
first, which for a scale's radio buttons is just "3". A radio button's title is its question; each
button's tooltip is the question and its value ("How ready am I?: 3").

Only rendering and joining import this module (and pikepdf with it): a build whose PDFs all come
from the cache does not pay for either.
"""

from __future__ import annotations

import html as markup
import io
import re
from collections.abc import Iterable

import pikepdf

HELVETICA = {
    "/Type": "/Font",
    "/Subtype": "/Type1",
    "/BaseFont": "/Helvetica",
    "/Encoding": "/WinAnsiEncoding",
}
CONTROL = re.compile(r"<(?:input|textarea|select)\b[^>]*>")
ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
DA_FONT = re.compile(rb"/(\S+) (\S+) Tf")


def finish(data: bytes, html: str) -> bytes:
    """WeasyPrint's PDF with its table headers' scope told and its form fields made light."""
    pdf = pikepdf.open(io.BytesIO(data))
    _scope_headers(pdf.Root.StructTreeRoot.K)
    if "/AcroForm" in pdf.Root:
        _lighten(pdf, html)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _scope_headers(element: pikepdf.Object, parents: tuple[str, ...] = ()) -> None:
    """Each header cell says what it heads (WeasyPrint does not write ``scope``): the cells below it
    when it sits in the table's head, else the cells of its row."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            _scope_headers(kid, parents)
    elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
        if element.S == "/TH":
            scope = "/Column" if "/THead" in parents[-2:] else "/Row"
            if not isinstance(element.get("/A"), pikepdf.Dictionary):
                element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            element.A.Scope = pikepdf.Name(scope)
        _scope_headers(element.get("/K", pikepdf.Array()), (*parents, str(element.S)))


def _lighten(pdf: pikepdf.Pdf, html: str) -> None:
    """Fields typed in Helvetica instead of an embedded face, and each tooltip the control's ``title``."""
    form = pdf.Root.AcroForm
    titles = _titles(html)
    form_fonts = set()
    for field in form.Fields:
        name = str(field.get("/T", ""))
        if "/DA" in field:
            form_fonts.update(m[1] for m in DA_FONT.finditer(bytes(field.DA)))
            field.DA = pikepdf.String(DA_FONT.sub(rb"/Helv \2 Tf", bytes(field.DA)))
        if name in titles:
            field.TU = pikepdf.String(titles[name])
        for value, kid in zip(field.get("/Opt", ()), field.get("/Kids", ()), strict=False):
            kid.TU = pikepdf.String(f"{field.get('/TU', name)}: {value}")
            if "/T" in kid:
                del kid["/T"]  # a radio button is part of its group, not a field of the same name
    # the field's face shares the pages' font dictionary: drop it there unless some text uses it
    text = b"".join(_drawings(pdf))
    for name in {f"/{n.decode()}" for n in form_fonts if not re.search(rb"/" + re.escape(n) + rb"\s", text)}:
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            if name in fonts:
                del fonts[name]
    # WeasyPrint lists radio buttons among the fields too; only their group is a field
    form.Fields = pikepdf.Array(f for f in form.Fields if "/Parent" not in f)
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica()))


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
