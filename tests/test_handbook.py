"""The handbook PDF: parts rendered apart and joined, opened with pypdf and pikepdf.

The first tests join small books made for them (real WeasyPrint, no MkDocs); the last ones check
invariants of the shipped playbook's handbook, whatever its content.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from concurrent.futures import Future
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from playbook import content, handbook, join
from playbook.brand import Brand
from playbook.handbook import Chapter
from playbook.pdf import FORM_FONT, Press

from .conftest import ROOT, build

pytestmark = pytest.mark.slow  # every test lays out PDFs with WeasyPrint

BRAND = Brand(organisation="Example Organisation", contact="book@example.org")
FILLER = "".join(
    f"<p>Paragraph {n} of a long chapter, which takes more than one page.</p>" for n in range(90)
)


def chapters(alpha: str = "", beta: str = "") -> list[tuple[Chapter, str]]:
    """Three pages of a site in two parts, linked to each other, with a web-only part and a PDF link;
    each with its HTML."""
    return [
        (
            Chapter("learn/alpha.html", "Alpha", "Learn"),
            f"<h1>Alpha</h1>{FILLER}{alpha}"
            '<p>See <a href="beta.html#detail">the detail</a> and <a href="../sources.html#smith">Smith</a>,'
            ' <a href="#alpha-end">below</a>.</p><div class="web-only"><p>Saved in this browser.</p></div>'
            '<p>Blank form: <a href="../canvases/plan-a4.pdf">A4</a>.</p><h2 id="alpha-end">The end</h2>',
        ),
        (
            Chapter("learn/beta.html", "Beta", "Learn"),
            f"<h1>Beta</h1><p>{beta}</p><h2 id='detail'>Detail</h2><p>x</p>",
        ),
        (Chapter("sources.html", "Sources", "Evidence"), "<h1>Sources</h1><p id='smith'>Smith, 2020.</p>"),
    ]


@pytest.fixture(scope="module")
def book():
    return content.load(ROOT / "content")


def write(book, tmp_path: Path, pages: list[tuple[Chapter, str]]) -> Path:
    """The handbook of ``pages`` as a build makes it: parts in the pages' order, each page handed in."""
    parts: list[handbook.Part] = []
    for chapter, _ in pages:
        if not parts or parts[-1].title != chapter.section:
            parts.append(handbook.Part(chapter.section, f"part-{len(parts) + 1}"))
        parts[-1].chapters.append(chapter)
    with Press(tmp_path / "pdf") as press:
        book = handbook.Handbook(
            parts, book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
        )
        for chapter, html in pages:
            book.add(chapter.uri, html)
        return book.write()


def words(text: str) -> str:
    """Text compared as a reader sees it: lines joined (also where they broke at a hyphen), any case."""
    return re.sub(r"-\s+", "-", " ".join(text.split())).casefold()


def page_text(pdf: PdfReader, number: int) -> str:
    return words(pdf.pages[number - 1].extract_text())


def outline(pdf: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []
    for item in pdf.outline if items is None else items:
        if isinstance(item, list):
            found += outline(pdf, item, depth + 1)
        else:
            found.append((depth, item.title, pdf.get_destination_page_number(item) + 1))
    return found


def contents(pdf: PdfReader) -> dict[str, int]:
    """Title -> page number, as the contents list prints them (it starts on page 2); a line that ends
    in its own page's number is the running footer, since no chapter starts inside the contents."""
    return {
        title.strip(): int(page)
        for number in (2, 3)
        for title, page in re.findall(r"^(.+?) (\d+)$", pdf.pages[number - 1].extract_text(), re.M)
        if int(page) != number
    }


def links(pdf: PdfReader) -> list[tuple[int, int]]:
    """(page, page it jumps to) of every link inside the document; fails on a link to nowhere."""
    named = {name: pdf.get_destination_page_number(d) + 1 for name, d in pdf.named_destinations.items()}
    found = []
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/A" not in annotation:
                name = str(annotation["/Dest"])
                assert name in named, f"page {number}: a link to a missing destination, {name}"
                found.append((number, named[name]))
    return found


def test_joined_parts_read_as_one_book(book, tmp_path: Path):
    pdf = PdfReader(write(book, tmp_path, chapters()))
    marks = outline(pdf)
    assert [(d, t) for d, t, _ in marks] == [
        (0, "Learn"),
        (1, "Alpha"),
        (2, "The end"),
        (1, "Beta"),
        (2, "Detail"),
        (0, "Evidence"),
        (1, "Sources"),
    ]
    assert [p for _, _, p in marks] == sorted(p for _, _, p in marks), "in reading order"
    for _, title, page in marks:
        assert words(title) in page_text(pdf, page), f"bookmark {title!r} opens page {page}"
    starts = {title: page for depth, title, page in marks if depth < 2}
    assert starts["Beta"] > starts["Alpha"] + 1, "Alpha is longer than a page"
    assert contents(pdf) == starts, "the contents list where each part and chapter starts"
    for number in range(2, len(pdf.pages) + 1):
        assert pdf.pages[number - 1].extract_text().split()[-1] == str(number), f"page {number}'s footer"
    sections = {title: page for depth, title, page in marks if depth == 2}
    targets = {target for _, target in links(pdf)}
    assert sections["Detail"] in targets, "a link to another part's section"
    assert sections["The end"] in targets, "a link inside the part"
    assert starts["Sources"] in targets, "a citation"
    assert {target for source, target in links(pdf) if source == 2} == set(starts.values()), "the contents"
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    assert "saved in this browser" not in text, "web-only parts are left out"
    assert "a4 (canvases/plan-a4.pdf, beside this handbook)" in text, "a PDF link names the file"


def elements(element) -> list[str]:
    """The kinds of every structure element under ``element``, itself included."""
    if isinstance(element, pikepdf.Array):
        return [kind for e in element for kind in elements(e)]
    if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
        return []
    return [str(element.S), *elements(element.get("/K", pikepdf.Array()))]


def test_the_joined_book_stays_tagged(book, tmp_path: Path):
    assert_tagged(write(book, tmp_path, chapters()))


def assert_tagged(path: Path) -> None:
    """One tagged document: every page and link has its place in the parent tree, one text face."""
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang == "en" and pdf.Root.MarkInfo.Marked
        assert pdf.docinfo.Title == "Small book"
        tree = pdf.Root.StructTreeRoot
        parents = dict(zip(tree.ParentTree.Nums[::2], tree.ParentTree.Nums[1::2], strict=True))
        assert int(tree.ParentTreeNextKey) > max(parents)
        for number, page in enumerate(pdf.pages, 1):
            marked = parents[int(page.obj.StructParents)]
            assert len(marked) and all(e.Pg.objgen == page.obj.objgen for e in marked), f"page {number}"
            for annotation in page.obj.get("/Annots", ()):
                element = parents[int(annotation.StructParent)]
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert any(k.get("/Obj") == annotation for k in kids if isinstance(k, pikepdf.Dictionary))
        (document,) = tree.K
        kinds = Counter(elements(document))
        assert kinds["/H1"] >= 5 and kinds["/H2"] == 2, "one document holding every part and chapter"
        assert kinds["/Link"] >= 8, "the contents' links and the chapters'"
        faces = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        ]
        files = {f.FontFile2.objgen for f in faces if str(f.FontName).endswith("+DejaVu-Sans")}
        assert len(faces) > 4 and len(files) == 1, "the parts share one subset of the text face"


def test_an_edit_lays_out_its_chapter_and_nothing_else(book, tmp_path: Path):
    cache = tmp_path / "pdf"
    write(book, tmp_path, chapters())
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    target = write(book, tmp_path, chapters(beta="Edited words."))
    second = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(set(second) - set(first)) == 1, "the edited chapter only (the contents did not move)"
    assert all(second[name] == mtime for name, mtime in first.items())
    assert "edited words" in words(" ".join(p.extract_text() for p in PdfReader(target).pages))
    longer = write(book, tmp_path, chapters(alpha=FILLER, beta="Edited words."))
    third = set(cache.iterdir()) - {cache / name for name in second}
    assert len(third) == 2, "the longer chapter and the contents, whose numbers moved"
    pdf = PdfReader(longer)
    starts = {title: page for depth, title, page in outline(pdf) if depth < 2}
    assert contents(pdf) == starts


def test_a_rebuild_with_no_change_reuses_the_book(book, tmp_path: Path):
    target = write(book, tmp_path, chapters())
    before = sorted(tmp_path.joinpath("pdf").iterdir()), sorted(tmp_path.joinpath("handbook").iterdir())
    again = write(book, tmp_path, chapters())
    assert (
        sorted(tmp_path.joinpath("pdf").iterdir()),
        sorted(tmp_path.joinpath("handbook").iterdir()),
    ) == before
    (cached,) = (path for path in before[1] if path.suffix == ".pdf")
    assert again == cached, "the cached book"
    assert target == again


# The shipped playbook: invariants only.


@pytest.fixture(scope="module")
def pdf(site: Path) -> PdfReader:
    return PdfReader(site / handbook.NAME)


class WebOnly(HTMLParser):
    """The text inside elements marked web-only."""

    def __init__(self):
        super().__init__()
        self.depth, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or "web-only" in (dict(attrs).get("class") or "").split():
            self.depth += tag not in ("input", "br", "img")

    def handle_endtag(self, tag):
        self.depth -= bool(self.depth)

    def handle_data(self, data):
        if self.depth and data.strip():
            self.text.append(data.strip())


def test_handbook_is_linked_from_the_home_page(site: Path):
    assert f'href="{handbook.NAME}"' in (site / "index.html").read_text()


def test_handbook_is_light_tagged_and_holds_every_play(site: Path, pdf: PdfReader, book):
    assert (site / handbook.NAME).stat().st_size <= 600_000
    with pikepdf.open(site / handbook.NAME) as tagged:
        assert tagged.Root.Lang and "/StructTreeRoot" in tagged.Root
    chapters = {title for depth, title, _ in outline(pdf) if depth == 1}
    for play in [*book.plays, *book.canvases]:
        assert any(title.endswith(play.title) for title in chapters), play.id
    assert [title for title, _ in contents(pdf).items()][-2:] != [], "a contents list"
    for title, page in contents(pdf).items():
        assert words(title) in page_text(pdf, page), f"contents: {title} on page {page}"
    assert links(pdf), "links inside the book"


def test_handbook_leaves_out_web_only_parts_and_names_the_pdfs(site: Path, pdf: PdfReader, book):
    text = words(" ".join(page.extract_text() for page in pdf.pages))
    for page in ("practise/challenge.html", *(f"canvases/{c.id}.html" for c in book.canvases)):
        parser = WebOnly()
        parser.feed((site / page).read_text())
        assert parser.text, f"{page} marks its screen-only parts"
        for line in parser.text:
            if len(line) > 20:
                assert words(line) not in text, f"web-only text in the handbook: {line}"
    assert not re.search(r"<[a-z]|&[a-z]+;", text), "markup shows as markup"
    for worksheet in book.canvases:
        assert f"canvases/{worksheet.id}-a4.pdf" in text
    assert "practise/challenge-a4.pdf" in text


def test_handbook_appendices_are_fillable_with_questions_as_tooltips(site: Path, book):
    with pikepdf.open(site / handbook.NAME) as tagged:
        fields = {str(f.T): str(f.get("/TU", "")) for f in tagged.Root.AcroForm.Fields}
    days = [name for name in fields if re.fullmatch(r".+--day-\d+", name)]
    assert len(days) == len(book.challenge.days), "the printable calendar, a box per day"
    for worksheet in book.canvases:
        for f in worksheet.fields.values():
            if f.type not in ("rows", "scale"):
                assert any(tip == f.label for name, tip in fields.items() if name.endswith(f"--{f.id}"))


def test_citations_jump_to_the_sources(pdf: PdfReader, book):
    named = pdf.named_destinations
    destinations = {name: pdf.get_destination_page_number(d) + 1 for name, d in named.items()}
    sources_page = destinations["sources"]
    cited = [name for name in destinations if name.startswith("sources--")]
    assert cited, "citations keep their destination"
    assert all(destinations[name] >= sources_page for name in cited)
    assert {name.removeprefix("sources--") for name in cited} <= {s.key for s in book.bibliography.sources}


def test_handbook_is_rebuilt_in_part_after_an_edit(site: Path, tmp_path: Path):
    project = shutil.copytree(site.parent, tmp_path / "project", ignore=shutil.ignore_patterns("site"))
    cache = project / ".cache/playbook/pdf"
    cold = set(cache.iterdir())
    assert build(project).returncode == 0
    assert set(cache.iterdir()) == cold, "a warm rebuild renders no PDF"
    path = next((project / "content/strategies").glob("*.yaml"))
    data = yaml.safe_load(path.read_text())
    data["summary"] += " Edited."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert build(project).returncode == 0
    assert len(set(cache.iterdir()) - cold) <= 2, "the edited chapter (and the contents, if pages moved)"
    edited = PdfReader(project / "site" / handbook.NAME)
    assert "edited." in words(" ".join(page.extract_text() for page in edited.pages))


def test_a_book_holds_the_pages_that_were_rendered(book, tmp_path: Path):
    """`mkdocs build --dirty` renders only changed pages: the book is made of those, and still links."""
    pages = chapters()
    with Press(tmp_path / "pdf") as press:
        parts = [
            handbook.Part("Learn", "part-1", [c for c, _ in pages[:2]]),
            handbook.Part("Evidence", "part-2"),
        ]
        parts[1].chapters.append(pages[2][0])
        binder = handbook.Handbook(
            parts, book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
        )
        for chapter, html in pages[1:]:
            binder.add(chapter.uri, html)
        pdf = PdfReader(binder.write())
    assert [(d, t) for d, t, _ in outline(pdf)] == [
        (0, "Learn"),
        (1, "Beta"),
        (2, "Detail"),
        (0, "Evidence"),
        (1, "Sources"),
    ]
    assert all(target <= len(pdf.pages) for _, target in links(pdf)), "no link leads to a missing chapter"


def summary(path: Path) -> dict:
    """What a reader of the book finds: pages, text, bookmarks, contents, links and fields."""
    pdf = PdfReader(path)
    return {
        "text": [words(page.extract_text()) for page in pdf.pages],
        "outline": outline(pdf),
        "contents": contents(pdf),
        "links": links(pdf),
        "fields": sorted(pdf.get_fields() or {}),
    }


def in_this_process(press, work, *args) -> Future:
    done = Future()
    done.set_result(work(*args))
    return done


def test_a_book_changed_in_place_reads_as_one_joined_anew(book, tmp_path: Path, monkeypatch):
    reused = []
    reuse = join.Book.reuse
    monkeypatch.setattr(join.Book, "reuse", lambda *a: reused.append(reuse(*a)) or reused[-1])
    monkeypatch.setattr(Press, "call", in_this_process)  # where the test sees the join reuse the book
    # the field in the face that print stylesheets give controls, which the PDF then drops
    form = (
        f'<form><label>Goal <input name="{{0}}" title="{{0}}" style="font: 10pt {FORM_FONT}"></label></form>'
    )
    write(book, tmp_path / "edited", chapters(beta=form.format("goal")))
    edited = write(book, tmp_path / "edited", chapters(alpha=FILLER, beta=form.format("aim")))
    assert reused[-1] is not None, "the second book was made from the first"
    anew = write(book, tmp_path / "anew", chapters(alpha=FILLER, beta=form.format("aim")))
    assert summary(edited) == summary(anew)
    assert summary(edited)["fields"] == ["learn-beta--aim"], "the old chapter's field went with it"
    assert_tagged(edited)


def test_the_last_chapter_starts_the_book_which_a_worker_joins(book, tmp_path: Path, monkeypatch):
    """While MkDocs renders the pages' templates, the book is bound; the join never holds the build."""
    monkeypatch.setattr(join.Book, "finish", lambda *a: pytest.fail("joined in the build's own process"))
    pages = chapters()
    parts = [
        handbook.Part("Learn", "part-1", [c for c, _ in pages[:2]]),
        handbook.Part("Evidence", "part-2", [pages[2][0]]),
    ]
    with Press(tmp_path / "pdf") as press:
        binder = handbook.Handbook(
            parts, book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
        )
        for chapter, html in pages:
            assert binder.bound is None, "bound before its last chapter was in"
            binder.add(chapter.uri, html)
        assert binder.bound is not None
        made = binder.write()
    assert made == binder.bound.result()
    marks = [(depth, title) for depth, title, _ in outline(PdfReader(made))]
    assert [title for depth, title in marks if depth < 2] == ["Learn", "Alpha", "Beta", "Evidence", "Sources"]


def test_a_damaged_record_of_the_last_book_means_joining_anew(book, tmp_path: Path):
    write(book, tmp_path, chapters())
    (record,) = (tmp_path / "handbook").glob("*.json")
    record.write_text('[{"file": 3}', encoding="utf-8")
    edited = write(book, tmp_path, chapters(beta="Edited words."))
    assert summary(edited) == summary(write(book, tmp_path / "anew", chapters(beta="Edited words.")))
