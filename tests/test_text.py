"""A title is text: whatever characters a text field holds, every output shows them as written and none
of them runs. Prose stays Markdown. The model says which field is which (``playbook.model.kind``).

The generated test takes the small test tree, puts a hostile string in every text field the model
declares (tests/hostile.py), builds the site for real and reads every output back: the pages in
Chromium, the search, the handbook and the worksheet and calendar PDFs (pdftotext, pypdf) and the
.ics the challenge page makes.
"""

from __future__ import annotations

import html
import html.parser
import re
import subprocess
from pathlib import Path

import icalendar
import markdown
import pytest
import yaml
from pypdf import PdfReader

from playbook import content
from playbook.content import SPECS
from playbook.model import Kind, Play, kind, leaves
from playbook.render import text

from . import hostile
from .conftest import MINI, ROOT, built, copy_project

TRICKY = [
    hostile.hostile(n) for n in range(len(hostile.OPENINGS))
] + [
    "1) a list?", "+ a list?", "* a list?", "***", "---", "~~~", "```", "a\n===", "a\n---", "    code?",
    "[^1] a footnote?", "{: .x } attributes?", "x { #id }", "&copy; &#65; &amp;", "\\*not\\* emphasis",
    "C# and F#", "50% <= 60%", ":+1: :smile:", "<https://example.org>", "![alt](x.png)", "a | b | c",
]  # fmt: skip


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml turns on, as MkDocs runs them."""

    class Loader(yaml.UnsafeLoader):  # mkdocs.yml names Python objects (the emoji index) and !ENV
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)
    names, settings = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        settings[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings)


class Reader(html.parser.HTMLParser):
    """The text of an HTML fragment, and its elements' attribute values, as a browser reads them."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.attributes, self.skip = [], [], [], False
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        if ("class", "headerlink") in attrs:  # the heading's permalink, "¶"
            self.skip = True
            return
        self.tags.append(tag)
        self.attributes += [value for name, value in attrs if name == "title"]

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


@pytest.mark.parametrize("value", TRICKY)
def test_text_reads_as_written_wherever_markdown_puts_it(value: str):
    """In a paragraph, a heading with attributes, a list, a quote, a link, emphasis, HTML that
    Markdown reads (md_in_html) and an attribute: the same characters, and no element of its own."""
    written = " ".join(value.split())
    shown = text(value)
    md = site_markdown()
    places = {
        "paragraph": (f"{shown}", "p"),
        "heading": (f"## {shown} {{ #anchor }}", "h2"),
        "list": (f"- {shown}", "ul li"),
        "quote": (f"> {shown}", "blockquote p"),
        "link": (f"[{shown}](/page.md)", "p a"),
        "emphasis": (f"*{shown}*", "p em"),
        "md_in_html": (f'<div markdown>\n{shown}\n</div>\n\n<p markdown="span">{shown}</p>', "div p p"),
    }
    for where, (source, tags) in places.items():
        page = Reader(md.reset().convert(source))
        assert " ".join("".join(page.text).split()) == " ".join([written] * source.count(shown)), where
        assert page.tags == tags.split(), f"{where}: {value!r} made markup"
    page = Reader(md.reset().convert(f'<p title="{shown}">{shown}</p>'))
    assert page.attributes == [written] and "".join(page.text) == written, "attribute"


def test_the_model_says_which_fields_are_text_and_which_prose():
    assert kind(Play, ("title",)) is Kind.TEXT
    assert kind(Play, ("summary",)) is Kind.TEXT
    assert kind(Play, ("body",)) is Kind.PROSE
    assert kind(Play, ("research", 0, "claim")) is Kind.PROSE
    assert kind(Play, ("id",)) is None and kind(Play, ("tags", 0)) is None
    strategy = content.load(MINI).strategies[0]
    found = {loc: kind(type(strategy), loc) for loc, _ in leaves(strategy.model_dump())}
    assert found[("story", "title")] is Kind.TEXT and found[("apply", 0)] is Kind.PROSE
    assert found[("story", "cite", 0)] is None


def test_the_test_tree_has_a_value_for_every_text_field_of_the_model(tmp_path: Path):
    """So that the generated test below reaches every kind of text: a new text field in the model
    needs a value in tests/trees/mini."""
    declared = set().union(*(hostile.text_fields(spec.model) for spec in SPECS))
    written = {(w.model, w.field) for w in hostile.write(MINI, tmp_path / "content").values()}
    assert declared - written == set()


def test_references_in_text_are_text_and_need_not_resolve(mini_content: Path):
    """``[[id]]`` and ``[@key]`` link and cite in prose; in a title they are just characters."""
    path = mini_content / "strategies/give-first.yaml"
    path.write_text(path.read_text().replace("title: Give something first", "title: '[[nothing]] [@none]'"))
    book = content.load(mini_content)
    assert book.strategies[0].title == "[[nothing]] [@none]"


# --- the generated test: a hostile tree built for real -------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, dict[int, hostile.Written]]:
    root = tmp_path_factory.mktemp("hostile")
    written = hostile.write(MINI, root / "content")
    (root / "project").mkdir()
    project = copy_project(root / "project", root / "content")
    return built(project), written  # every text changed: no cache to start from


# what a page shows and says: its title, its text, and what a screen reader or a tooltip gives for
# an element besides its text (aria-label, title)
SEEN = """() => [document.title, document.body.innerText, ...Array.from(
  document.querySelectorAll("[aria-label], [title]"),
  (n) => `${n.getAttribute("aria-label") ?? ""} ${n.getAttribute("title") ?? ""}`)].join("\\n")"""
HARM = """() => ({pwned: window.pwned, elements: document.querySelectorAll('.pwned').length,
  focused: document.activeElement && document.activeElement.getAttribute('onfocus')})"""
CLEAN = {"pwned": None, "elements": 0, "focused": None}


@pytest.mark.browser
def test_nothing_runs_and_every_page_shows_each_text_as_written(hostile_site, tab):
    """On every page, as shown and in the parts a page keeps hidden until used (the deal brief's
    headings); every string a page holds arrives whole on some page."""
    site, written = hostile_site
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    held: set[int] = set()
    shown: set[int] = set()
    for path in sorted(site.rglob("*.html")):
        held |= hostile.held(html.unescape(path.read_text(encoding="utf-8")))
        page.goto(path.as_uri())
        uri = path.relative_to(site).as_posix()
        assert page.evaluate(HARM) == CLEAN, uri
        seen = page.evaluate(SEEN)
        kept = page.evaluate("() => document.body.textContent")
        assert hostile.mangled(seen) == [] and hostile.mangled(kept) == [], uri
        shown |= hostile.found(seen) | hostile.found(kept)
    assert dialogs == []
    assert held - shown == set(), "every text field a page holds arrives whole"
    # not in a page: a brief heading no field uses, and the timeline's steps (its script shows them)
    elsewhere = {n for n, w in written.items() if w.model in ("BriefHeading", "PrepStep")}
    assert set(written) - shown <= elsewhere


@pytest.mark.browser
def test_search_results_show_text_as_written(hostile_site, tab):
    site, _ = hostile_site
    page = tab.page
    page.goto((site / "index.html").as_uri())
    page.click(".md-search__input")
    page.keyboard.type("autofocus", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    assert page.evaluate(HARM) == CLEAN
    assert hostile.mangled(page.inner_text(".md-search-result")) == []


@pytest.mark.browser
def test_the_challenge_calendar_file_holds_each_title_as_written(hostile_site, tab, tmp_path: Path):
    site, written = hostile_site
    page = tab.page
    page.goto((site / "practise/challenge.html").as_uri())
    page.fill("input[name=start]", "2026-03-02")
    with page.expect_download() as download:
        page.click("[data-action=calendar]")
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    words = "\n".join(f"{e['SUMMARY']}\n{e['DESCRIPTION']}" for e in events)
    # icalendar leaves an X- property as it is in the file: unescape it as RFC 5545 says for text
    name = re.sub(
        r"\\([\\;,nN])", lambda m: m[1].replace("N", "n").replace("n", "\n"), str(calendar["X-WR-CALNAME"])
    )
    assert hostile.mangled(words) == [] and hostile.mangled(name) == []
    days = {n for n, w in written.items() if w.model == "ChallengeDay"}  # titles and phrases
    assert days <= hostile.found(words)
    assert {n for n, w in written.items() if w.model == "Challenge"} <= hostile.found(name)
    assert page.evaluate(HARM) == CLEAN


def pdf_words(path: Path) -> tuple[str, str]:
    """A PDF's text in the order it is drawn, and what a reader sees besides: title, tooltips, bookmarks."""
    drawn = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    pdf = PdfReader(path)

    def bookmarks(items) -> list[str]:
        return [b for item in items for b in (bookmarks(item) if isinstance(item, list) else [item.title])]

    tips = [str(f.get("/TU", "")) for f in (pdf.get_fields() or {}).values()]
    return drawn.stdout, "\n".join([str(pdf.metadata.get("/Title", "")), *tips, *bookmarks(pdf.outline)])


def test_the_handbook_and_the_pdfs_show_each_text_as_written(hostile_site):
    """Every string a PDF holds is there whole, in its text or in what its viewer shows (title,
    tooltips, bookmarks); text is compared without line breaks, which may fall after a slash."""
    site, written = hostile_site
    reached: dict[str, set[int]] = {}
    for path in [
        site / "handbook.pdf",
        *sorted(site.glob("canvases/*.pdf")),
        *sorted(site.glob("practise/*.pdf")),
    ]:
        drawn, seen = pdf_words(path)
        held = hostile.held(drawn + seen)
        whole = hostile.found(drawn, wrapped=True) | hostile.found(seen)
        name = path.relative_to(site).as_posix()
        assert held, name
        assert held - whole == set(), f"{name}: not whole anywhere in it (a table row split by a page?)"
        assert hostile.mangled(seen) == [], name
        reached[name] = whole
    titles = {
        n for n, w in written.items() if w.field == "title" and w.model in ("Mindset", "Pillar", "Strategy")
    }
    assert titles <= reached["handbook.pdf"], "every play's title, as its chapter's"
    for name, whole in reached.items():
        if name.startswith("canvases/"):  # canvases/<id>-a4.pdf holds content/canvases/<id>.yaml
            source = f"canvases/{name.removeprefix('canvases/').rpartition('-')[0]}.yaml"
            labels = {
                n
                for n, w in written.items()
                if w.file == source and w.model in ("CanvasField", "Column", "CanvasSection")
            }
            assert labels and labels <= whole, f"{name}: every label, column and section title"
