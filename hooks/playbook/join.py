"""Join tagged PDFs made apart into one book, with pikepdf: pages, tags, links, bookmarks, fields, numbers.

Each part was rendered alone, so it knows neither where it starts nor the other parts. After an
edit, the last book is changed in place: the parts that changed are taken out and their new
versions put in, and everything below is made again. Joining them:

- keeps every part tagged: the parts' structure trees become one (their elements under one
  ``Document``, the parent trees renumbered, since each part counted its pages and links from 0);
- turns a link to another part (``SCHEME`` + name, a web link to WeasyPrint) into a link to the
  named destination in the book, and keeps the names that links and bookmarks use;
- puts each part's bookmarks under the title of the book part it belongs to;
- gathers the fields, typed in Helvetica like every PDF of the playbook (see :mod:`playbook.pdf`);
- numbers the pages after the first at the foot, as an artifact that screen readers skip;
- keeps one copy of each font file that several parts embed alike.

pikepdf (qpdf) rather than pypdf: it copies pages with everything they point to, sharing one copy
of each object, so a part's tags, links and destinations still point at its pages once copied, and
it joins thousands of pages in a fraction of the time.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import threading
import warnings
from pathlib import Path

import pikepdf

from .pdf import SCHEME
from .pdf_finish import helvetica

# a page number: an artifact (not part of the text's structure) in Helvetica, grey, at a given place
NUMBER = b"/Artifact <</Type /Pagination>> BDC BT /PNum 7.5 Tf 0.333 g %.2f %.2f Td (%d) Tj ET EMC"
RIGHT, BOTTOM = 18 * 72 / 25.4, 12 * 72 / 25.4  # the page's right margin; half its bottom margin


def write(parts: list[Path], outline: list[tuple[str, int]], target: Path) -> None:
    """Join ``parts`` (front matter first) into ``target``; ``outline`` gives each book part's title
    and how many of the following parts it holds, in order.

    The last book joined in ``target``'s folder is reused when some of its parts are still the
    same: only the parts that changed are opened, taken out and put in (see ``Book``). The book
    keeps a record of its parts in a file beside it (``.json``).
    """
    book = Book.reuse(target.parent, parts) or Book.join(parts[0])
    for index, path in enumerate(parts):
        if index >= len(book.layout) or book.layout[index]["file"] != path.name:
            book.put(index, path, pikepdf.open(path))
    book.finish(outline)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    # what the join adds (object streams above all) is deflated at zlib's default level: its
    # strongest saved 1% of the book and cost a third of the save after an edit (measured); the
    # parts' streams are kept as they are (inflating and deflating them again saved nothing)
    book.pdf.save(partial, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    target.with_suffix(".json").write_text(json.dumps(book.layout))
    partial.replace(target)


class Book:
    """A joined book being changed: its pages, the elements under its one ``Document``, its parent
    tree and its fields, with where each part's pages and elements are (``layout``)."""

    def __init__(self, pdf: pikepdf.Pdf, layout: list[dict]):
        self.pdf, self.layout = pdf, layout
        tree = pdf.Root.StructTreeRoot
        self.document = _elements(tree.K)[0]
        # a book joined before holds elements only there; a part may hold marked content too
        self.kids = list(self.document.K) if layout else _elements(self.document.K)
        nums = list(tree.ParentTree.Nums)
        self.numbers = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
        self.fields = list(pdf.Root.AcroForm.Fields) if "/AcroForm" in pdf.Root else []
        self.new = set() if layout else {page.obj.objgen for page in pdf.pages}  # pages with no number yet

    @classmethod
    def join(cls, path: Path) -> Book:
        """A new book, made of the front matter alone."""
        book = cls(front := pikepdf.open(path), [])
        book.layout.append(_record(path, front, len(book.kids)))
        return book

    @classmethod
    def reuse(cls, folder: Path, parts: list[Path]) -> Book | None:
        """The last book in ``folder``, if it holds as many parts and any of them is unchanged.
        (Its title, language and other metadata are in every part: if they changed, no part is
        unchanged, and the book is joined anew.)"""
        for record in folder.glob("*.json"):
            try:
                layout = json.loads(record.read_text())
                same = sum(old["file"] == new.name for old, new in zip(layout, parts, strict=False))
                whole = all(entry.keys() >= RECORD for entry in layout)
                if len(layout) == len(parts) and same and whole:
                    return cls(pikepdf.open(record.with_suffix(".pdf")), layout)
            except (OSError, ValueError, LookupError, TypeError, pikepdf.PdfError):
                pass  # gone (another build cleaned up) or damaged: the book is joined anew
        return None

    def put(self, index: int, path: Path, part: pikepdf.Pdf) -> None:
        """``part`` as the book's part ``index``, in place of the one there (if any)."""
        page = sum(p["pages"] for p in self.layout[:index])
        element = sum(p["elements"] for p in self.layout[:index])
        if index < len(self.layout):
            self._take_out(page, element, self.layout[index])
        offset = max(self.numbers, default=-1) + 1
        with warnings.catch_warnings():  # destinations, fields and tags are carried below, by hand
            warnings.filterwarnings("ignore", "Copying pages from another Pdf")
            for number, each in enumerate(part.pages):
                self.pdf.pages.insert(page + number, each)
        for each in self.pdf.pages[page : page + len(part.pages)]:
            _renumber(each.obj, offset)
            self.new.add(each.obj.objgen)
        theirs = part.Root.StructTreeRoot
        nums = list(theirs.ParentTree.Nums)
        form = list(part.Root.AcroForm.Fields) if "/AcroForm" in part.Root else []
        # one copy for everything the part adds, so qpdf walks its objects once
        kid, values, form = self.pdf.copy_foreign(
            part.make_indirect(pikepdf.Array([_elements(theirs.K)[0], nums[1::2], form]))
        )
        kids = _elements(kid.K)
        for each in kids:
            each.P = self.document
        self.kids[element:element] = kids
        self.numbers |= {int(key) + offset: value for key, value in zip(nums[::2], values, strict=True)}
        self.fields.extend(form)
        self.layout[index : index + 1] = [_record(path, part, len(kids))]

    def _take_out(self, page: int, element: int, part: dict) -> None:
        """The pages of ``part`` (from ``page`` on), its elements (from ``element`` on), its keys in
        the parent tree and its fields."""
        keys, widgets = set(), set()
        for each in self.pdf.pages[page : page + part["pages"]]:
            keys.add(int(each.obj.get("/StructParents", -1)))
            for annotation in each.obj.get("/Annots", ()):
                widgets.add(annotation.objgen)
                keys.add(int(annotation.get("/StructParent", -1)))
        for _ in range(part["pages"]):
            del self.pdf.pages[page]
        del self.kids[element : element + part["elements"]]
        self.numbers = {key: value for key, value in self.numbers.items() if key not in keys}
        self.fields = [
            field
            for field in self.fields
            if field.objgen not in widgets and not any(k.objgen in widgets for k in field.get("/Kids", ()))
        ]

    def finish(self, outline: list[tuple[str, int]]) -> None:
        """Everything that spans the parts, made again from their records: destinations, links,
        bookmarks, fields, page numbers, shared fonts."""
        book, root = self.pdf, self.pdf.Root
        tree = root.StructTreeRoot
        self.document.K = pikepdf.Array(self.kids)
        numbers = [item for key in sorted(self.numbers) for item in (key, self.numbers[key])]
        tree.ParentTree = book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        tree.ParentTreeNextKey = max(self.numbers, default=-1) + 1
        starts = list(itertools.accumulate((p["pages"] for p in self.layout), initial=0))[:-1]
        wanted = {name for part in self.layout for name in part["targets"]}  # the only ones worth keeping
        pages = [page.obj for page in book.pages]
        names, marks = {}, []
        for part, start in zip(self.layout, starts, strict=True):
            names |= {name: _dest(pages, start, d) for name, d in part["names"].items() if name in wanted}
            marks.append(_outline_placed(part["outline"], pages, start))
        _link(book, names)
        _outline(book, outline, starts[1:], marks[1:])
        if self.fields:
            root.AcroForm = pikepdf.Dictionary(
                Fields=pikepdf.Array(self.fields),
                DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica())),
            )
            root.AcroForm.NeedAppearances = True
        elif "/AcroForm" in root:  # the fields of a book reused went with the parts that held them
            del root["/AcroForm"]
        _number_pages(book, self.new)
        _share_fonts(book)


RECORD = {"file", "pages", "elements", "targets", "names", "outline"}  # what the book keeps of a part


def _record(path: Path, part: pikepdf.Pdf, elements: int) -> dict:
    """What the book keeps of a part, so that it never opens the part again: how many pages and
    elements it has, the names its links lead to, its destinations and its bookmarks (as JSON, with
    each page counted from the part's first)."""
    pages = {page.obj.objgen: number for number, page in enumerate(part.pages)}

    def plain(dest: pikepdf.Object | None) -> list | None:  # [page, "/XYZ", left, top, zoom]
        if not isinstance(dest, pikepdf.Array) or not len(dest):
            return None
        rest = [
            str(v) if isinstance(v, pikepdf.Name) else None if v is None else float(v) for v in list(dest)[1:]
        ]
        return [pages[dest[0].objgen], *rest]

    def bookmarks(items: Outline) -> list:
        return [[title, plain(dest), bookmarks(children)] for title, dest, children in items]

    has_names = "/Names" in part.Root and "/Dests" in part.Root.Names
    names = pikepdf.NameTree(part.Root.Names.Dests).items() if has_names else []
    return {
        "file": path.name,
        "pages": len(part.pages),
        "elements": elements,
        "targets": sorted(_targets(part)),
        "names": {name: plain(dest) for name, dest in names},
        "outline": bookmarks(_read_outline(part.Root.get("/Outlines"))),
    }


def _dest(pages: list[pikepdf.Object], start: int, plain: list | None) -> pikepdf.Object | None:
    """A destination of a part's record as the same place in the book, where the part starts at ``start``."""
    if plain is None:
        return None
    page, *rest = plain
    return pikepdf.Array([pages[start + page], *(pikepdf.Name(v) if isinstance(v, str) else v for v in rest)])


def _outline_placed(items: list, pages: list[pikepdf.Object], start: int) -> Outline:
    return [
        (title, _dest(pages, start, dest), _outline_placed(kids, pages, start)) for title, dest, kids in items
    ]


def page_counts(parts: list[Path], folder: Path) -> list[int]:
    """How many pages each part has: from the record of the last book in ``folder`` (a part's file
    is named by its content, so its length never changes), else by opening it."""
    known = {}
    for record in folder.glob("*.json"):
        with contextlib.suppress(OSError, ValueError, LookupError, TypeError):  # else: opened
            known |= {entry["file"]: entry["pages"] for entry in json.loads(record.read_text())}
    return [known.get(path.name) or len(pikepdf.open(path).pages) for path in parts]


def _elements(k: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """The structure elements of a ``/K`` entry, which holds one element or an array of them."""
    return [k] if isinstance(k, pikepdf.Dictionary) else [e for e in k if isinstance(e, pikepdf.Dictionary)]


def _targets(pdf: pikepdf.Pdf) -> set[str]:
    """The destination names that the links of ``pdf`` lead to (in it or, by ``SCHEME``, in another part)."""
    found = set()
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            if "/Dest" in annotation:
                found.add(str(annotation.Dest))
            elif "/A" in annotation and str(annotation.A.get("/URI", "")).startswith(SCHEME):
                name = str(annotation.A.URI).removeprefix(SCHEME)
                found |= {name, name.partition("--")[0]}
    return found


def _renumber(page: pikepdf.Dictionary, offset: int) -> None:
    """A copied page's keys into the parent tree, moved past the keys of the parts before it."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


# an outline as (title, destination, children), read and written as plain dictionaries: pikepdf's
# outline objects cost more than all the rest of a join
Outline = list[tuple[str, pikepdf.Object, list]]


def _read_outline(outlines: pikepdf.Object | None) -> Outline:
    items, item = [], outlines.get("/First") if outlines is not None else None
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


def _link(book: pikepdf.Pdf, names: dict[str, pikepdf.Object]) -> None:
    """Links to another part point at its destination; only the names something points at are kept."""
    used = set()
    pages = {page.obj.objgen: number for number, page in enumerate(book.pages, 1)}
    for page in book.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith(SCHEME):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(str(action.URI).removeprefix(SCHEME))
            if "/Dest" in annotation:
                name = str(annotation.Dest)
                if name not in names:  # a place the printed chapter lacks (or no longer has): its start
                    name = name.partition("--")[0]
                    annotation.Dest = pikepdf.String(name)
                used.add(name)
                annotation.Contents = pikepdf.String(f"Go to page {pages[names[name][0].objgen]}")
    tree = pikepdf.NameTree.new(book)
    for name in sorted(used):
        tree[name] = names[name]
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = tree.obj


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


def _share_fonts(book: pikepdf.Pdf) -> None:
    """One copy of each font file that several parts embed (handbook.GLYPHS makes them equal)."""
    seen: dict[bytes, pikepdf.Object] = {}
    done = set()
    for page in book.pages:
        fonts = page.obj.Resources.get("/Font", {})
        if fonts.is_indirect and fonts.objgen in done:
            continue
        done.add(fonts.objgen)
        for font in fonts.values():
            for descriptor in (d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [font])):
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if descriptor is not None and key in descriptor:
                        data = hashlib.sha256(descriptor[key].read_raw_bytes()).digest()
                        descriptor[key] = seen.setdefault(data, descriptor[key])


def _number_pages(book: pikepdf.Pdf, new: set) -> None:
    """Each page's number at its foot; pages not ``new`` have one already, which may have moved."""
    for number, page in enumerate(book.pages[1:], 2):
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font.PNum = helvetica()
        width = float(page.mediabox[2])
        x = width - RIGHT - 7.5 * 0.556 * len(str(number))  # Helvetica's digits are 0.556 em wide
        drawn = b"Q " + NUMBER % (x, BOTTOM, number)
        if page.obj.objgen in new:
            page.contents_add(pikepdf.Stream(book, b"q"), prepend=True)
            page.contents_add(pikepdf.Stream(book, drawn), prepend=False)
        else:
            page.obj.Contents[-1].write(drawn)
