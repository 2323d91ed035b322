"""Join tagged PDFs made apart into one book, with pikepdf: pages, tags, links, bookmarks, fields, numbers.

Each part was rendered alone, so it knows neither where it starts nor the other parts. Joining them:

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

import hashlib
import os
import threading
import warnings
from pathlib import Path

import pikepdf

from .pdf import helvetica

SCHEME = "x-handbook:"
# a page number: an artifact (not part of the text's structure) in Helvetica, grey, at a given place
NUMBER = b"/Artifact <</Type /Pagination>> BDC BT /PNum 7.5 Tf 0.333 g %.2f %.2f Td (%d) Tj ET EMC"
RIGHT, BOTTOM = 18 * 72 / 25.4, 12 * 72 / 25.4  # the page's right margin; half its bottom margin


def write(parts: list[Path], outline: list[tuple[str, int]], target: Path) -> None:
    """Join ``parts`` (front matter first) into ``target``; ``outline`` gives each book part's title
    and how many of the following parts it holds, in order."""
    book = pikepdf.open(parts[0])
    root = book.Root
    tree = root.StructTreeRoot
    document = _elements(tree.K)[0]
    document.K = pikepdf.Array(_elements(document.K))
    numbers = list(tree.ParentTree.Nums)
    names = _names(book)
    form = root.get("/AcroForm") or pikepdf.Dictionary(Fields=pikepdf.Array())
    starts, marks = [], []
    for path in parts[1:]:
        part = pikepdf.open(path)
        first, offset = len(book.pages), _next_key(numbers)
        starts.append(first)
        with warnings.catch_warnings():  # destinations, fields and tags are carried below, by hand
            warnings.filterwarnings("ignore", "Copying pages from another Pdf")
            book.pages.extend(part.pages)
        for page in book.pages[first:]:
            _renumber(page, offset)
        for kid in _elements(book.copy_foreign(_elements(part.Root.StructTreeRoot.K)[0]).K):
            kid.P = document
            document.K.append(kid)
        foreign = list(part.Root.StructTreeRoot.ParentTree.Nums)
        for key, value in zip(foreign[::2], _copied(book, part, foreign[1::2]), strict=True):
            numbers += [int(key) + offset, value]
        theirs = _names(part)
        names |= dict(zip(theirs, _copied(book, part, theirs.values()), strict=True))
        if "/AcroForm" in part.Root:
            form.Fields.extend(_copied(book, part, part.Root.AcroForm.Fields))
        with part.open_outline() as items:
            marks.append([_copy(book, part, item) for item in items.root])
    tree.ParentTree = book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
    tree.ParentTreeNextKey = _next_key(numbers)
    _link(book, names)
    _outline(book, outline, starts, marks)
    if form.Fields:
        form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica()))
        form.NeedAppearances = True
        root.AcroForm = form
    _number_pages(book)
    _share_fonts(book)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(partial, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    partial.replace(target)


def _elements(k: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """The structure elements of a ``/K`` entry, which holds one element or an array of them."""
    return [k] if isinstance(k, pikepdf.Dictionary) else [e for e in k if isinstance(e, pikepdf.Dictionary)]


def _names(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    return {str(name): dest for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def _next_key(numbers: list) -> int:
    return max((int(key) for key in numbers[::2]), default=-1) + 1


def _renumber(page: pikepdf.Page, offset: int) -> None:
    """A copied page's keys into the parent tree, moved past the keys of the parts before it."""
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _copied(book: pikepdf.Pdf, part: pikepdf.Pdf, objects) -> list[pikepdf.Object]:
    """Objects of ``part`` copied into ``book``, sharing the copies of the pages they point at."""
    return list(book.copy_foreign(part.make_indirect(pikepdf.Array(objects))))


def _copy(book: pikepdf.Pdf, part: pikepdf.Pdf, item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
    copy = pikepdf.OutlineItem(item.title, _copied(book, part, [item.destination])[0])
    copy.children.extend(_copy(book, part, child) for child in item.children)
    return copy


def _link(book: pikepdf.Pdf, names: dict[str, pikepdf.Object]) -> None:
    """Links to another part point at its destination; only the names something points at are kept."""
    used = set()
    pages = {page.obj.objgen: number for number, page in enumerate(book.pages, 1)}
    for page in book.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith(SCHEME):
                name = str(action.URI).removeprefix(SCHEME)
                if name not in names:
                    name = name.partition("--")[0]  # a place the printed chapter lacks: its start
                del annotation["/A"]
                annotation.Dest = pikepdf.String(name)
                annotation.Contents = pikepdf.String(f"Go to page {pages[names[name][0].objgen]}")
            if "/Dest" in annotation:
                used.add(str(annotation.Dest))
    tree = pikepdf.NameTree.new(book)
    for name in sorted(used):
        tree[name] = names[name]
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = tree.obj


def _outline(book, outline, starts, marks) -> None:
    with book.open_outline() as items:
        items.root.clear()
        chapters = iter(zip(starts, marks, strict=True))
        for title, count in outline:
            held = [next(chapters) for _ in range(count)]
            part = pikepdf.OutlineItem(title, held[0][0])
            for _, chapter in held:
                part.children.extend(chapter)
            items.root.append(part)


def _share_fonts(book: pikepdf.Pdf) -> None:
    """One copy of each font file that several parts embed (handbook.GLYPHS makes them equal)."""
    seen: dict[bytes, pikepdf.Object] = {}
    for obj in book.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    data = hashlib.sha256(obj[key].read_raw_bytes()).digest()
                    obj[key] = seen.setdefault(data, obj[key])


def _number_pages(book: pikepdf.Pdf) -> None:
    for number, page in enumerate(book.pages[1:], 2):
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font.PNum = helvetica()
        width = float(page.mediabox[2])
        x = width - RIGHT - 7.5 * 0.556 * len(str(number))  # Helvetica's digits are 0.556 em wide
        page.contents_add(pikepdf.Stream(book, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(book, b"Q " + NUMBER % (x, BOTTOM, number)), prepend=False)
