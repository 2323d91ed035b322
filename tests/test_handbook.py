"""The handbook PDF: parts rendered apart and joined, read with pypdf, pikepdf and poppler.

The first tests join small books made for them (real WeasyPrint, no MkDocs); then the small content
tree is built for real and its book read as paper; the last ones check invariants of the shipped
playbook's handbook, whatever its content.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from playbook import canvas, challenge, content, handbook, join, media, plan
from playbook.brand import Brand
from playbook.handbook import Chapter
from playbook.model import WHEN_LABELS
from playbook.pdf import FORM_FONT, Press

from . import paper, pdf_checks
from .conftest import MINI, ROOT, build, write_pdfs

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
            '<p>See <a href="beta.html#detail">the detail</a> and '
            '<a href="../sources.html#smith" class="cite">Smith</a>, <a href="#alpha-end">below</a>.</p>'
            '<div class="web-only"><p>Saved in this browser.</p></div>'
            '<p class="print-only">Written on paper.</p>'
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


def bind(pages: list[tuple[Chapter, str]]) -> list[handbook.Part]:
    """The book parts of ``pages``, in their order, as the site plan gives them."""
    parts: list[handbook.Part] = []
    for chapter, _ in pages:
        if not parts or parts[-1].title != chapter.section:
            parts.append(handbook.Part(chapter.section, f"part-{len(parts) + 1}"))
        parts[-1].chapters.append(chapter)
    return parts


def write(book, tmp_path: Path, pages: list[tuple[Chapter, str]]) -> Path:
    """The handbook of ``pages`` as a build makes it: parts in the pages' order, each page handed in."""
    with Press(tmp_path / "pdf") as press:
        binder = handbook.Handbook(
            bind(pages), book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
        )
        for chapter, html in pages:
            binder.add(chapter.uri, html)
        return binder.write()


def flat(text: str) -> str:
    """Text compared as a reader sees it: lines joined (also where they broke at a hyphen), any case."""
    return re.sub(r"-\s+", "-", " ".join(text.split())).casefold()


def page_text(pdf: PdfReader, number: int) -> str:
    return flat(pdf.pages[number - 1].extract_text())


def outline(pdf: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []
    for item in pdf.outline if items is None else items:
        if isinstance(item, list):
            found += outline(pdf, item, depth + 1)
        else:
            found.append((depth, item.title, pdf.get_destination_page_number(item) + 1))
    return found


def contents(path: Path, first: int) -> dict[str, int]:
    """Title -> page number, as the contents list prints them, on the pages before ``first``."""
    listed = {}
    for number in range(2, first):
        for line in paper.text(path, number, layout=True).splitlines():
            found = re.fullmatch(r"\s*(.+?)\s{2,}(\d+)\s*", line)
            if found and not found[1].startswith(BRAND.organisation):  # not the footer
                listed[found[1]] = int(found[2])
    return listed


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


def poppler(path: Path) -> str:
    """The whole document's text as poppler reads it (what search and copy find), flattened."""
    return flat(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    )


def test_joined_parts_read_as_one_book(book, tmp_path: Path):
    path = write(book, tmp_path, chapters())
    assert len(list(tmp_path.joinpath("pdf").iterdir())) == 4, "measured first, then each part laid out once"
    pdf = PdfReader(path)
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
        assert flat(title) in page_text(pdf, page), f"bookmark {title!r} opens page {page}"
    starts = {title: page for depth, title, page in marks if depth < 2}
    assert starts["Beta"] > starts["Alpha"] + 1, "Alpha is longer than a page"
    assert contents(path, starts["Learn"]) == starts, "the contents list where each part and chapter starts"
    sections = {title: page for depth, title, page in marks if depth == 2}
    targets = {target for _, target in links(pdf)}
    assert sections["Detail"] in targets, "a link to another part's section"
    assert sections["The end"] in targets, "a link inside the part"
    assert starts["Sources"] in targets, "a citation"
    assert {target for source, target in links(pdf) if source == 2} == set(starts.values()), "the contents"
    text = poppler(path)
    assert "saved in this browser" not in text, "web-only parts are left out"
    assert "written on paper" in text, "print-only parts are kept"
    assert "a4 (canvases/plan-a4.pdf, beside this handbook)" in text, "a PDF link names the file"


def test_every_cross_reference_gives_the_page_it_leads_to(book, tmp_path: Path):
    path = write(book, tmp_path, chapters())
    marks = {title: page for _, title, page in outline(PdfReader(path))}
    text = poppler(path)
    found = dict(re.findall(r"(the detail|below)\W*\(see p\.\s*(\d+)\)", text))
    assert found == {"the detail": str(marks["Detail"]), "below": str(marks["The end"])}, (
        "in another part (told by the handbook) and in the same part (CSS target-counter)"
    )
    assert re.search(r"smith\W*,", text) and not re.search(r"smith\W*\(see", text), "a citation has no page"


def test_a_worksheet_says_on_which_page_its_blank_form_ends(tmp_path: Path):
    """Paper has no files beside it: a worksheet's chapter says where its form ends, to copy it whole."""
    mini = content.load(MINI)
    sheet = mini.canvases[0]
    pages = [*chapters(), (Chapter(f"canvases/{sheet.id}.html", sheet.title, "Appendix A", sheet), "")]
    path = write(mini, tmp_path, pages)
    pdf = PdfReader(path)
    start = next(page for _, title, page in outline(pdf) if title == sheet.title)
    text = poppler(path)
    assert re.findall(r"to fill this form in by hand, copy it: it ends on page (\d+)\.", text) == [
        str(len(pdf.pages))
    ]
    assert len(pdf.pages) > start, "the form takes more than a page"
    assert "beside this handbook" not in page_text(pdf, start)


def test_pages_are_headed_and_numbered_in_the_margins_in_an_embedded_font(book, tmp_path: Path):
    path = write(book, tmp_path, chapters())
    starts = {title: page for depth, title, page in outline(PdfReader(path)) if depth == 1}
    top, _, bottom, _ = paper.margins(ROOT.joinpath("hooks/playbook/templates/handbook.css").read_text())
    with pikepdf.open(path) as pdf:
        width, height = map(float, pdf.pages[0].mediabox[2:])
        count = len(pdf.pages)
    for number in range(1, count + 1):
        head = " ".join(paper.text(path, number, (0, 0, width, top)).split())
        foot = " ".join(paper.text(path, number, (0, height - bottom, width, bottom)).split())
        if number == 1:
            assert (head, foot) == ("", ""), "the cover has neither"
            continue
        assert foot == f"Example Organisation · book@example.org {number}", f"page {number}'s foot"
        if number in starts.values() or number < starts["Alpha"]:
            assert head == "", f"page {number} opens a chapter (or the contents): its title is enough"
        else:
            chapter = max((p, t) for t, p in starts.items() if p <= number)[1]
            part = "Evidence" if chapter == "Sources" else "Learn"
            assert head == f"{part} {chapter}", f"page {number}'s running header"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    faces = [line.split() for line in fonts.splitlines()[2:]]
    assert faces and all(face[-5] == "yes" for face in faces), f"every font embedded:\n{fonts}"
    with pikepdf.open(path) as pdf:
        assert paper.invisible_text(pdf) == []
        assert pdf_checks.fonts_not_embedded(pdf) == []
        assert pdf_checks.text_outside_structure(pdf) == [], "the margins' text is an artifact"


def test_an_edit_lays_out_its_chapter_and_nothing_else(book, tmp_path: Path):
    cache = tmp_path / "pdf"
    write(book, tmp_path, chapters())
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    target = write(book, tmp_path, chapters(beta="Edited words."))
    second = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(set(second) - set(first)) == 1, "the edited chapter only (no page moved)"
    assert all(second[name] == mtime for name, mtime in first.items())
    assert "edited words" in poppler(target)


def test_an_edit_that_moves_pages_lays_out_the_parts_whose_page_numbers_moved(book, tmp_path: Path):
    cache = tmp_path / "pdf"
    write(book, tmp_path, chapters())
    before = set(cache.iterdir())
    longer = write(book, tmp_path, chapters(alpha=FILLER))
    made = set(cache.iterdir()) - before
    # Alpha twice (its new text, then the new pages of what it links to), the contents, and the two
    # chapters after it, which start later
    assert len(made) == 5
    pdf = PdfReader(longer)
    marks = outline(pdf)
    starts = {title: page for depth, title, page in marks if depth < 2}
    assert contents(longer, starts["Learn"]) == starts
    detail = next(page for _, title, page in marks if title == "Detail")
    assert f"the detail (see p. {detail})" in poppler(longer)


def test_the_last_book_is_reused_and_its_page_numbers_are_only_a_guess(book, tmp_path: Path):
    target = write(book, tmp_path, chapters())
    before = sorted(tmp_path.joinpath("pdf").iterdir()), sorted(tmp_path.joinpath("handbook").iterdir())
    assert write(book, tmp_path, chapters()) == target, "the cached book"
    after = sorted(tmp_path.joinpath("pdf").iterdir()), sorted(tmp_path.joinpath("handbook").iterdir())
    assert after == before, "nothing laid out or joined again"
    numbers = json.loads((tmp_path / "handbook/numbers.json").read_text())
    for planted in ({name: number + 7 for name, number in numbers.items()}, '[{"file": 3}', "{"):
        other = tmp_path / f"planted-{len(str(planted))}"
        shutil.copytree(tmp_path / "pdf", other / "pdf")
        (other / "handbook").mkdir()
        (other / "handbook/numbers.json").write_text(
            planted if isinstance(planted, str) else json.dumps(planted)
        )
        again = write(book, other, chapters())
        assert again.read_bytes() == target.read_bytes(), "a wrong, damaged or planted guess changes nothing"


def test_the_join_gives_the_same_bytes_for_the_same_parts(book, tmp_path: Path, monkeypatch):
    recorder = Recorder(monkeypatch)
    write(book, tmp_path, chapters())
    parts = recorder.joined
    outline_ = [("Learn", 2), ("Evidence", 1)]
    first = join.bind(parts, outline_)
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)  # a clock read anywhere would show
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert join.bind(parts, outline_) == first  # the same bytes and the same page numbers
    # and in other processes, whose strings hash otherwise (pikepdf gives a dictionary's keys as a set)
    script = "import sys, json; from pathlib import Path; from playbook import join; " + (
        "joined, _ = join.bind([Path(p) for p in json.loads(sys.argv[1])], json.loads(sys.argv[2])); "
        "sys.stdout.buffer.write(joined)"
    )
    for seed in range(6):
        arguments = [json.dumps([str(p) for p in parts]), json.dumps(outline_)]
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        again = subprocess.run([sys.executable, "-c", script, *arguments], env=env, capture_output=True)
        assert again.returncode == 0, again.stderr
        assert again.stdout == first[0], f"PYTHONHASHSEED={seed}"


def test_a_part_that_tags_nothing_is_joined_after_the_others(book, tmp_path: Path, monkeypatch):
    """A part whose parent tree is empty (no marked content, no tagged link) adds no key: the book's
    next key stays where the parts before it left it."""
    recorder = Recorder(monkeypatch)
    write(book, tmp_path, chapters())
    *parts, last = recorder.joined
    with pikepdf.open(last) as pdf:
        pdf.Root.StructTreeRoot.ParentTree.Nums = pikepdf.Array()
        pdf.save(untagged := tmp_path / "untagged.pdf")
    outline_ = [("Learn", 2), ("Evidence", 1)]
    joined, _ = join.bind([*parts, untagged], outline_)
    with pikepdf.open(io.BytesIO(joined)) as pdf:
        keys = list(pdf.Root.StructTreeRoot.ParentTree.Nums)[::2]
        assert pdf.Root.StructTreeRoot.ParentTreeNextKey == max(keys) + 1


def test_the_book_has_one_font_per_face_whichever_parts_use_it(book, tmp_path: Path):
    path = write(book, tmp_path, chapters())
    with pikepdf.open(path) as pdf:
        used: dict[str, set] = {}
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                used.setdefault(str(font.BaseFont), set()).add(font.objgen)
        assert len(used) >= 2 and all(len(fonts) == 1 for fonts in used.values()), used
        (font, *_) = (pdf.get_object(*objgen) for objgen in next(iter(used.values())))
        assert font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert_tagged(path)


def test_the_contents_never_end_on_a_page_of_a_line_or_two(book, tmp_path: Path):
    """However many chapters, the contents' last page holds its last lines together."""
    typesetter = handbook.Typesetter(book, BRAND, "Small book", "", None)
    fronts = {}
    with Press(tmp_path / "pdf") as press:
        for count in range(36, 48):
            parts = [
                handbook.Part(
                    f"Part {p}",
                    f"part-{p}",
                    [Chapter(f"c{p}-{n}.html", f"Chapter {p}.{n}", f"Part {p}") for n in range(count // 4)],
                )
                for p in range(4)
            ]
            parts[-1].chapters.extend(Chapter(f"x{n}.html", f"Extra {n}", "Part 3") for n in range(count % 4))
            fronts[count] = press.submit(handbook.numbered(typesetter.front(parts), None, {}))
        spilled = 0
        for count, made in fronts.items():
            path = made.result()
            pages = len(PdfReader(path).pages)
            last = [line for line in paper.text(path, pages).splitlines() if line.strip()][
                :-1
            ]  # not the foot
            assert len(last) >= handbook.CONTENTS_END, f"{count} chapters: the last page holds {last}"
            spilled += pages > 2
    assert spilled, "some of these contents take more than a page"


def test_no_heading_is_left_at_the_foot_of_a_page(book, tmp_path: Path):
    """Chapters whose headings fall at every height of the page: none ends a page."""
    typesetter = handbook.Typesetter(book, BRAND, "Small book", "", None)
    chapter = Chapter("learn/alpha.html", "Alpha", "Learn")
    part = handbook.Part("Learn", "part-1", [chapter])
    made = []
    with Press(tmp_path / "pdf") as press:
        for lines in range(30, 52, 2):
            filler = "".join(f"<p>Line {n} of the chapter.</p>" for n in range(lines))
            end = "<h2>A section</h2><p>Its first words.</p><h3>A subsection</h3><p>x</p>"
            html = f"<h1>Alpha</h1>{filler}{end}"
            made.append(press.submit(handbook.numbered(typesetter.chapter(part, chapter, html), None, {})))
        for future in made:
            with pikepdf.open(future.result()) as pdf:
                assert paper.headings_at_foot(pdf) == []


def test_a_form_in_a_chapter_stays_fillable_in_its_own_font(book, tmp_path: Path):
    # the field in the face that print stylesheets give controls, which the PDF then drops
    form = (
        f'<form><label>Goal <input name="{{0}}" title="{{0}}" style="font: 10pt {FORM_FONT}"></label></form>'
    )
    path = write(book, tmp_path, chapters(alpha=form.format("goal"), beta=form.format("aim")))
    with pikepdf.open(path) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert sorted(fields) == ["learn-alpha--goal", "learn-beta--aim"]
        named = pdf.Root.AcroForm.DR.Font
        assert len(set(font.objgen for font in named.values())) == len(named), "each font once"
        for name, field in fields.items():
            (font,) = re.findall(r"/(\S+) [\d.]+ Tf", str(field.DA))
            assert f"/{font}" in named, f"{name} is typed in a font of the book's form"
        assert pdf_checks.fonts_not_embedded(pdf) == [], "the fields' font too"
    assert_tagged(path, fields=True)


def elements(element) -> list[str]:
    """The kinds of every structure element under ``element``, itself included."""
    if isinstance(element, pikepdf.Array):
        return [kind for e in element for kind in elements(e)]
    if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
        return []
    return [str(element.S), *elements(element.get("/K", pikepdf.Array()))]


def assert_tagged(path: Path, fields: bool = False) -> None:
    """One tagged document: every page and link has its place in the parent tree."""
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang == "en" and pdf.Root.MarkInfo.Marked
        assert pdf.docinfo.Title == "Small book"
        tree = pdf.Root.StructTreeRoot
        parents = dict(zip(tree.ParentTree.Nums[::2], tree.ParentTree.Nums[1::2], strict=True))
        assert int(tree.ParentTreeNextKey) > max(parents)
        for number, page in enumerate(pdf.pages, 1):
            marked = [e for e in parents[int(page.obj.StructParents)] if e is not None]
            assert len(marked) and all(e.Pg.objgen == page.obj.objgen for e in marked), f"page {number}"
            for annotation in page.obj.get("/Annots", ()):
                element = parents[int(annotation.StructParent)]
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert any(k.get("/Obj") == annotation for k in kids if isinstance(k, pikepdf.Dictionary))
        (document,) = tree.K
        kinds = Counter(elements(document))
        assert kinds["/H1"] >= 5 and kinds["/H2"] == 2, "one document holding every part and chapter"
        assert kinds["/Link"] >= 8, "the contents' links and the chapters'"
        assert ("/AcroForm" in pdf.Root) == fields


def test_a_book_holds_the_pages_that_were_rendered(book, tmp_path: Path):
    """`mkdocs build --dirty` renders only changed pages: the book is made of those, and still links."""
    pages = chapters()
    with Press(tmp_path / "pdf") as press:
        binder = handbook.Handbook(
            bind(pages), book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
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


def test_the_last_chapter_starts_the_book_which_a_worker_joins(book, tmp_path: Path, monkeypatch):
    """While MkDocs renders the pages' templates, the book is bound; the join never holds the build."""
    build, finish = os.getpid(), join.Book.finish

    def in_a_worker(*args) -> dict:  # the workers are forked from this process, patch included
        assert os.getpid() != build, "joined in the build's own process"
        return finish(*args)

    monkeypatch.setattr(join.Book, "finish", in_a_worker)
    pages = chapters()
    with Press(tmp_path / "pdf") as press:
        binder = handbook.Handbook(
            bind(pages), book, BRAND, "Small book", "A book to test.", tmp_path, press, tmp_path / "handbook"
        )
        for chapter, html in pages:
            assert binder.bound is None, "bound before its last chapter was in"
            binder.add(chapter.uri, html)
        assert binder.bound is not None
        made = binder.write()
    assert made == binder.bound.result()
    marks = [(depth, title) for depth, title, _ in outline(PdfReader(made))]
    assert [title for depth, title in marks if depth < 2] == ["Learn", "Alpha", "Beta", "Evidence", "Sources"]


# The small content tree, built for real: every part of its book, and every PDF beside it, says what
# the HTML it was made from says, and nothing else.


class Recorder:
    """The documents a build hands to the press, and the parts of the last book it joins."""

    def __init__(self, monkeypatch):
        self.documents: list[tuple[str, object]] = []
        self.joined: list[Path] = []
        submit, call = Press.submit, Press.call

        def recorded_submit(press, html):
            made = submit(press, html)
            self.documents.append((html, made))
            return made

        def recorded_call(press, work, *args):
            if work is join.bind:
                self.joined = list(args[0])
            return call(press, work, *args)

        monkeypatch.setattr(Press, "submit", recorded_submit)
        monkeypatch.setattr(Press, "call", recorded_call)

    def html(self, path: Path) -> str:
        return next(html for html, made in self.documents if made.result() == path)


def build_here(project: Path) -> None:
    """`mkdocs build --strict` in this process, where the test can watch the press."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site")))


def test_every_part_of_the_book_says_what_its_html_says(mini_project: Path, monkeypatch):
    intro = mini_project / "content/sections.yaml"
    data = yaml.safe_load(intro.read_text())
    data["canvases"]["intro"] += (
        "\n\nKept in this browser.\n{.web-only}\n\nWritten on the page.\n{.print-only}"
    )
    intro.write_text(yaml.safe_dump(data, sort_keys=False))
    recorder = Recorder(monkeypatch)
    build_here(mini_project)
    book = mini_project / "site" / handbook.NAME
    total = Counter()
    for path in recorder.joined:
        html = recorder.html(path)
        with pikepdf.open(path) as pdf:
            pages = range(1, len(pdf.pages) + 1)
            assert paper.invisible_text(pdf) == [], path
        assert paper.says_what_its_html_says(path, pages, html) == [], re.search(
            r'data-chapter="[^"]*"|<h1[^>]*>[^<]*', html
        )[0]
        total += paper.words("\n".join(paper.text(path, n) for n in pages))
    assert paper.words(poppler(book)) == total, "the join adds no text and loses none"
    text = poppler(book)
    assert "written on the page" in text and "kept in this browser" not in text
    page = (mini_project / "site/canvases/index.html").read_text()
    assert "Kept in this browser" in page and "Written on the page" not in page, (
        "the site, the other way round"
    )


def test_the_pdfs_beside_the_pages_say_what_their_html_says(mini_content: Path, tmp_path: Path):
    mini = content.load(mini_content)
    site_plan = plan.build(mini)
    jobs = [
        *canvas.pdf_jobs(mini, site_plan, BRAND, tmp_path),
        *challenge.pdf_jobs(mini, site_plan, BRAND, tmp_path),
    ]
    for job, path in zip(jobs, write_pdfs(jobs, tmp_path / "cache"), strict=True):
        with pikepdf.open(path) as pdf:
            pages = range(1, len(pdf.pages) + 1)
            assert paper.invisible_text(pdf) == [], path.name
        assert paper.says_what_its_html_says(path, pages, job.html) == [], path.name


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


def marked(data: object, medium: str) -> list[str]:
    """The paragraphs of any prose in ``data`` (a content file) that are marked for ``medium``."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in marked(value, medium)]
    if isinstance(data, list):
        return [text for value in data for text in marked(value, medium)]
    if isinstance(data, str):
        return [
            p.rpartition("\n")[0]
            for p in re.split(r"\n\s*\n", data)
            if p.strip().endswith(media.MARKS[medium])
        ]
    return []


def test_handbook_is_linked_from_the_home_page(site: Path):
    assert f'href="{handbook.NAME}"' in (site / "index.html").read_text()


def test_handbook_is_light_tagged_and_holds_every_play(site: Path, pdf: PdfReader, book):
    path = site / handbook.NAME
    assert path.stat().st_size <= 600_000
    with pikepdf.open(path) as tagged:
        assert tagged.Root.Lang and "/StructTreeRoot" in tagged.Root
        assert paper.invisible_text(tagged) == []
    marks = outline(pdf)
    chapters = {title for depth, title, _ in marks if depth == 1}
    for play in [*book.plays, *book.canvases]:
        assert any(title.endswith(play.title) for title in chapters), play.id
    first = min(page for depth, _, page in marks if depth == 0)
    listed = contents(path, first)
    assert listed, "a contents list"
    for title, page in listed.items():
        assert flat(title) in page_text(pdf, page), f"contents: {title} on page {page}"
    if first > 3:  # the contents take more than a page: its last holds more than a line or two
        assert len([line for line in paper.text(path, first - 1).splitlines() if line.strip()]) > 4
    assert links(pdf), "links inside the book"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), f"every font embedded:\n{fonts}"


def test_every_page_reference_in_the_handbook_leads_to_its_target(site: Path, pdf: PdfReader):
    """Each "(see p. N)" follows a link whose destination is on page N."""
    named = {name: pdf.get_destination_page_number(d) + 1 for name, d in pdf.named_destinations.items()}
    checked = 0
    for number, page in enumerate(pdf.pages, 1):
        said = [int(n) for n in re.findall(r"\(see\s+p\.\s*(\d+)\)", page.extract_text())]
        led = [
            named[str(a.get_object()["/Dest"])] for a in page.get("/Annots", []) if "/Dest" in a.get_object()
        ]
        for target in said:
            assert target in led, f"page {number} refers to page {target}, where none of its links leads"
            checked += 1
    assert checked > 50


def test_no_heading_or_worksheet_section_title_ends_a_page(site: Path, book):
    path = site / handbook.NAME
    with pikepdf.open(path) as tagged:
        assert paper.headings_at_foot(tagged) == []
        count = len(tagged.pages)
    titles = {flat(s.title) for c in book.canvases for s in c.sections} | {
        flat(t.title) for t, _ in book.challenge.weeks
    }
    for number in range(2, count + 1):
        lines = [flat(line) for line in paper.text(path, number, layout=True).splitlines() if line.strip()]
        assert lines[-2] not in titles, f"page {number} ends with the title {lines[-2]!r}"


def test_play_metadata_reads_as_label_and_value_pairs(site: Path, pdf: PdfReader, book):
    path = site / handbook.NAME
    starts = {title: page for depth, title, page in outline(pdf) if depth == 1}
    for play in book.plays:
        page = next(p for t, p in starts.items() if t.endswith(play.title))
        lines = [" ".join(line.split()) for line in paper.text(path, page, layout=True).splitlines()]
        when = ", ".join(WHEN_LABELS[w] for w in play.when)
        assert f"When {when}" in lines, f"{play.id}: When and its value, on a line of their own"
        assert any(line.startswith(f"Time {play.time[:20]}") for line in lines), (
            f"{play.id}: Time and its value"
        )


def test_handbook_leaves_out_web_only_parts_and_says_where_its_forms_end(site: Path, pdf: PdfReader, book):
    text = flat(" ".join(page.extract_text() for page in pdf.pages))
    for page in ("practise/challenge.html", *(f"canvases/{c.id}.html" for c in book.canvases)):
        parser = WebOnly()
        parser.feed((site / page).read_text())
        assert parser.text, f"{page} marks its screen-only parts"
        for line in parser.text:
            if len(line) > 20:
                assert flat(line) not in text, f"web-only text in the handbook: {line}"
    assert not re.search(r"<[a-z]|&[a-z]+;", text), "markup shows as markup"
    ends = re.findall(r"to fill this (form|calendar) in by hand, copy it: it ends on page (\d+)\.", text)
    assert sorted(what for what, _ in ends) == ["calendar", *["form"] * len(book.canvases)]
    assert "beside this handbook" not in text, "paper has nothing beside it"


def test_text_marked_for_one_medium_reaches_that_medium_alone(site: Path, pdf: PdfReader):
    """Every paragraph the content marks web-only or print-only, wherever it is."""
    book_text = poppler(site / handbook.NAME)
    pages = " ".join(flat(p.read_text()) for p in site.rglob("*.html"))
    files = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "content").rglob("*.yaml"))]
    web, printed = (
        [t for f in files for t in marked(f, "web")],
        [t for f in files for t in marked(f, "print")],
    )
    assert web and printed, "the shipped content uses both marks"
    for paragraph in web:
        assert flat(paragraph)[:60] not in book_text, f"web-only text in the handbook: {paragraph[:60]}"
    for paragraph in printed:
        assert flat(paragraph)[:60] not in pages, f"print-only text on the site: {paragraph[:60]}"
    assert any(flat(p)[:60] in book_text for p in printed), "print-only text in the handbook"


def test_handbook_appendices_are_fillable_with_questions_as_tooltips(site: Path, book):
    with pikepdf.open(site / handbook.NAME) as tagged:
        form = tagged.Root.AcroForm
        fields = {str(f.T): str(f.get("/TU", "")) for f in form.Fields}
        named = form.get("/DR", {}).get("/Font", {})
        for field in form.Fields:
            for font in re.findall(r"/(\S+) [\d.]+ Tf", str(field.get("/DA", ""))):
                assert f"/{font}" in named, f"{field.T} is typed in a font the form holds"
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
    assert len(set(cache.iterdir()) - cold) <= 2, "the edited chapter (and the index showing its summary)"
    edited = PdfReader(project / "site" / handbook.NAME)
    assert "edited." in flat(" ".join(page.extract_text() for page in edited.pages))
