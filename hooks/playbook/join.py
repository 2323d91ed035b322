"""Join tagged PDFs made apart into one book, with pikepdf: pages, tags, links, bookmarks, fields, fonts.

Each part was rendered alone, so it knows neither the other parts nor their places. Joining them:

- keeps every part tagged: the parts' structure trees become one (their elements under one
  ``Document``, the parent trees renumbered, since each part counted its pages and links from 0);
- turns a link to another part (``SCHEME`` + name, a web link to WeasyPrint) into a link to the
  named destination in the book, and keeps the names that links use;
- puts each part's bookmarks under the title of the book part it belongs to;
- gathers the fields, typed in the fonts the parts' forms name (``/DR``), one of each;
- gives each face of the text one font program, holding every glyph any part uses (see
  :mod:`playbook.fonts`), so the book carries one subset per face however many parts it has;
- and says on which page of the book each named place of the parts is, so that the handbook can
  check the page numbers the parts print.

The book is joined anew from its parts every time: simpler than changing the last book in place,
and fast enough (bench/RESULTS.md). The parts draw their own page numbers and running headers.

pikepdf (qpdf) rather than pypdf: it copies pages with everything they point to, sharing one copy
of each object, so a part's tags, links and destinations still point at its pages once copied, and
it joins thousands of pages in a fraction of the time.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings
from pathlib import Path

import pikepdf

from . import fonts
from .pdf import SCHEME

DA_FONT = re.compile(rb"/([^\s/()<>\[\]{}%]+)(\s+[-+\d.]+\s+Tf)")  # a default appearance's font and size


def bind(parts: list[Path], outline: list[tuple[str, int]]) -> tuple[bytes, dict[str, int]]:
    """The book joined from ``parts`` (the front matter first), as bytes for the handbook's store to
    keep or drop; ``outline`` gives each book part's title and how many of the following parts it
    holds, in order. Also returns the page number in the book of every named place in the parts
    (WeasyPrint names one for each id)."""
    book = Book(pikepdf.open(parts[0]))
    for path in parts[1:]:
        book.add(pikepdf.open(path))
    numbers = book.finish(outline)
    # the same parts give the same bytes: the /ID is made from the content, and nothing here reads a clock
    out = io.BytesIO()
    book.pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue(), numbers


def measure(html: str) -> tuple[int, dict[str, int]]:
    """How many pages a document takes, and on which of them (from 0) each of its named places is:
    laid out, not written (in about half the time of making its PDF), for the book's first numbers
    when there is no last book to take them from."""
    import weasyprint  # here, not at the top: only a worker that lays out imports it

    pages, places = weasyprint.HTML(string=html).render().pages, {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            places.setdefault(name, number)  # an element over several pages is where it starts
    return len(pages), places


class Book:
    """A book being joined, from its front matter on: the elements under its one ``Document``, its
    parent tree, its named destinations and each part's first page, bookmarks and form."""

    def __init__(self, front: pikepdf.Pdf):
        self.pdf = front
        tree = front.Root.StructTreeRoot
        self.document = _elements(tree.K)[0]
        self.kids = _elements(self.document.K)
        nums = list(tree.ParentTree.Nums)
        self.parents = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
        self.next_key = max(self.parents, default=-1) + 1  # kept, not asked of a thousand keys per part
        self.names = _names(front)
        self.starts: list[int] = []  # the index of each added part's first page
        self.marks: list[Outline] = []  # each added part's bookmarks
        self.forms: list[pikepdf.Dictionary] = [front.Root.AcroForm] if "/AcroForm" in front.Root else []

    def add(self, part: pikepdf.Pdf) -> None:
        """``part``, after the parts before it."""
        start, offset = len(self.pdf.pages), self.next_key
        with warnings.catch_warnings():  # destinations, fields and tags are carried below, by hand
            warnings.filterwarnings("ignore", "Copying pages from another Pdf")
            self.pdf.pages.extend(part.pages)
        for page in self.pdf.pages[start:]:
            _renumber(page.obj, offset)
        tree = part.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        names = _names(part)
        outlines = part.Root.get("/Outlines", pikepdf.Dictionary())
        form = part.Root.get("/AcroForm", pikepdf.Dictionary())
        # one copy of everything the part adds, after its pages: qpdf walks its objects once, and what
        # points at a page of the part points at its copy in the book
        carried = pikepdf.Array([_elements(tree.K)[0], nums[1::2], list(names.values()), outlines, form])
        kid, values, dests, outlines, form = self.pdf.copy_foreign(part.make_indirect(carried))
        kids = _elements(kid.K)
        for each in kids:
            each.P = self.document
        self.kids.extend(kids)
        keys = [int(key) + offset for key in nums[::2]]
        self.parents |= dict(zip(keys, values, strict=True))
        self.next_key = max([self.next_key, *(key + 1 for key in keys)])  # a part may tag nothing
        self.names |= dict(zip(names, dests, strict=True))
        self.starts.append(start)
        self.marks.append(_read_outline(outlines))
        if "/Fields" in form:
            self.forms.append(form)

    def finish(self, outline: list[tuple[str, int]]) -> dict[str, int]:
        """Everything that spans the parts: the structure tree, links, bookmarks, form and fonts.
        Returns the page number of every named place."""
        book, root = self.pdf, self.pdf.Root
        tree = root.StructTreeRoot
        self.document.K = pikepdf.Array(self.kids)
        numbers = [item for key in sorted(self.parents) for item in (key, self.parents[key])]
        tree.ParentTree = book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        tree.ParentTreeNextKey = self.next_key
        pages = {page.obj.objgen: number for number, page in enumerate(book.pages, 1)}
        placed = {name: pages[dest[0].objgen] for name, dest in self.names.items()}
        _link(book, self.names, placed)
        _outline(book, outline, self.starts, self.marks)
        if self.forms:
            root.AcroForm = _form(self.forms)
        fonts.share(book)
        return placed


def _elements(k: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """The structure elements of a ``/K`` entry, which holds one element or an array of them."""
    return [k] if isinstance(k, pikepdf.Dictionary) else [e for e in k if isinstance(e, pikepdf.Dictionary)]


def _names(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Array]:
    """The named destinations of ``pdf`` (``[page, /XYZ, left, top, zoom]``), by name."""
    root = pdf.Root
    if "/Names" not in root or "/Dests" not in root.Names:
        return {}
    return {name: dest for name, dest in pikepdf.NameTree(root.Names.Dests).items() if len(dest)}


def _renumber(page: pikepdf.Dictionary, offset: int) -> None:
    """A copied page's keys into the parent tree, moved past the keys of the parts before it."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


# an outline as (title, destination, children): pikepdf's outline objects cost more than the join
Outline = list[tuple[str, pikepdf.Object, list]]


def _read_outline(outlines: pikepdf.Object) -> Outline:
    items, item = [], outlines.get("/First")
    while item is not None:
        items.append((str(item.Title), item.get("/Dest"), _read_outline(item)))
        item = item.get("/Next")
    return items


def _write_outline(book: pikepdf.Pdf, items: Outline, parent: pikepdf.Dictionary) -> None:
    made = []
    for title, dest, children in items:
        item = book.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title), Parent=parent, Dest=dest))
        _write_outline(book, children, item)
        made.append(item)
    for before, after in itertools.pairwise(made):
        before.Next, after.Prev = after, before
    if made:
        parent.First, parent.Last = made[0], made[-1]
        parent.Count = len(made) if parent.get("/Type") == "/Outlines" else -len(made)  # parts shown, folded


def _outline(
    book: pikepdf.Pdf, outline: list[tuple[str, int]], starts: list[int], marks: list[Outline]
) -> None:
    """Each book part's bookmark leads to its first chapter and holds its chapters' bookmarks."""
    chapters = iter(zip(starts, marks, strict=True))
    items = []
    for title, count in outline:
        held = [next(chapters) for _ in range(count)]
        start = pikepdf.Array([book.pages[held[0][0]].obj, pikepdf.Name.Fit])
        items.append((title, start, [item for _, chapter in held for item in chapter]))
    book.Root.Outlines = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    _write_outline(book, items, book.Root.Outlines)


def _link(book: pikepdf.Pdf, names: dict[str, pikepdf.Array], placed: dict[str, int]) -> None:
    """Links to another part point at its destination; only the names something points at are kept."""
    used = set()
    for page in book.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith(SCHEME):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(str(action.URI).removeprefix(SCHEME))
            if "/Dest" in annotation:
                name = str(annotation.Dest)
                if name not in names:  # a place the printed chapter lacks: its start
                    name = name.partition("--")[0]
                    annotation.Dest = pikepdf.String(name)
                used.add(name)
                annotation.Contents = pikepdf.String(f"Go to page {placed[name]}")
    tree = pikepdf.NameTree.new(book)
    for name in sorted(used):
        tree[name] = names[name]
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = tree.obj


def _form(forms: list[pikepdf.Dictionary]) -> pikepdf.Dictionary:
    """One form holding every part's fields, typed in the fonts the parts' forms name (``/DR``).

    Each part calls its fonts by names of its own: a font that another part has already brought (the
    same dictionary, byte for byte) is taken under that part's name; another font under a name
    already taken gets a new name. Default appearances (``/DA``) follow their font's name.
    """
    joined = pikepdf.Dictionary(Fields=pikepdf.Array(), DR=pikepdf.Dictionary(Font=pikepdf.Dictionary()))
    named, taken, appearance = joined.DR.Font, {}, False
    for form in forms:
        renamed = {}
        for name, font in form.get("/DR", {}).get("/Font", {}).items():
            content = fonts.fingerprint(font)
            if content not in taken:
                taken[content] = name if name not in named else f"{name}.{len(named)}"
                named[taken[content]] = font
            renamed[name] = taken[content]
        for field in form.Fields:
            _rename_fonts(field, renamed)
            joined.Fields.append(field)
        if not appearance and "/DA" in form:  # for fields that a filler adds (``"/DA" in joined``
            joined.DA = form.DA  # would cost as much as copying its fields)
            _rename_fonts(joined, renamed)
            appearance = True
        if form.get("/NeedAppearances", False):
            joined.NeedAppearances = True
    return joined


def _rename_fonts(field: pikepdf.Dictionary, renamed: dict[str, str]) -> None:
    """A field's default appearance (and its kids'), with its font called by its name in the book."""

    def rename(match: re.Match) -> bytes:
        name = "/" + match[1].decode()
        return renamed.get(name, name).encode() + match[2]

    if "/DA" in field:
        field.DA = pikepdf.String(DA_FONT.sub(rename, bytes(field.DA)))
    for kid in field.get("/Kids", ()):
        _rename_fonts(kid, renamed)
