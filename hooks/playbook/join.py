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
import itertools
import os
import threading
import warnings
from pathlib import Path

import pikepdf

from .handbook import SCHEME
from .pdf_finish import helvetica

# a page number: an artifact (not part of the text's structure) in Helvetica, grey, at a given place
NUMBER = b"/Artifact <</Type /Pagination>> BDC BT /PNum 7.5 Tf 0.333 g %.2f %.2f Td (%d) Tj ET EMC"
RIGHT, BOTTOM = 18 * 72 / 25.4, 12 * 72 / 25.4  # the page's right margin; half its bottom margin


def write(parts: list[Path], outline: list[tuple[str, int]], target: Path) -> None:
    """Join ``parts`` (front matter first) into ``target``; ``outline`` gives each book part's title
    and how many of the following parts it holds, in order."""
    book = pikepdf.open(parts[0])
    others = [pikepdf.open(path) for path in parts[1:]]
    wanted = set().union(*map(_targets, [book, *others]))  # the only destinations worth keeping
    root, tree = book.Root, book.Root.StructTreeRoot
    document = _elements(tree.K)[0]
    document.K = pikepdf.Array(_elements(document.K))
    numbers = list(tree.ParentTree.Nums)
    offset = _next_key(numbers)
    names = _names(book, wanted)
    fields, starts, marks = list(root.AcroForm.Fields) if "/AcroForm" in root else [], [], []
    for part in others:
        first = len(book.pages)
        starts.append(first)
        with warnings.catch_warnings():  # destinations, fields and tags are carried below, by hand
            warnings.filterwarnings("ignore", "Copying pages from another Pdf")
            book.pages.extend(part.pages)
        for page in book.pages[first:]:
            _renumber(page.obj, offset)
        theirs = part.Root.StructTreeRoot
        nums = list(theirs.ParentTree.Nums)
        dests = _names(part, wanted)
        items = _read_outline(part.Root.get("/Outlines"))
        form = list(part.Root.AcroForm.Fields) if "/AcroForm" in part.Root else []
        # one copy for everything the part adds, so qpdf walks its objects once
        kinds = [
            _elements(theirs.K)[0],
            nums[1::2],
            list(dests.values()),
            form,
            [d for _, d, _ in _flat(items)],
        ]
        kid, values, dest_values, form, item_dests = book.copy_foreign(
            part.make_indirect(pikepdf.Array(kinds))
        )
        for element in _elements(kid.K):
            element.P = document
            document.K.append(element)
        for key, value in zip(nums[::2], values, strict=True):
            numbers += [int(key) + offset, value]
        offset += _next_key(nums)
        names |= dict(zip(dests, dest_values, strict=True))
        fields.extend(form)
        marks.append(_with_dests(items, iter(item_dests)))
    tree.ParentTree = book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
    tree.ParentTreeNextKey = offset
    _link(book, names)
    _outline(book, outline, starts, marks)
    if fields:
        root.AcroForm = pikepdf.Dictionary(
            Fields=pikepdf.Array(fields), DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helvetica()))
        )
        root.AcroForm.NeedAppearances = True
    _number_pages(book)
    _share_fonts(book)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    # the book is made once and read many times: what the join adds (object streams above all) is
    # deflated as hard as zlib can; the parts' streams are kept as they are (inflating and deflating
    # them again costs a third of a join and saved nothing, measured)
    pikepdf.settings.set_flate_compression_level(9)
    book.save(partial, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    partial.replace(target)


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


def _names(pdf: pikepdf.Pdf, wanted: set[str]) -> dict[str, pikepdf.Object]:
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    # the part's own names, few, rather than a lookup of every name the book wants
    return {name: dest for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items() if name in wanted}


def _next_key(numbers: list) -> int:
    return max((int(key) for key in numbers[::2]), default=-1) + 1


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


def _flat(items: Outline):
    for item in items:
        yield item
        yield from _flat(item[2])


def _with_dests(items: Outline, dests) -> Outline:
    """``items`` (in the order _flat walks them) with the destinations copied into the book."""
    return [(title, next(dests), _with_dests(children, dests)) for title, _, children in items]


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
