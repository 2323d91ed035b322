"""Read a PDF as paper: what its pages say (in the body and in the margins), what a reader cannot see
but search finds, and where headings land; and what the HTML it was made from says.

For the tests that check a PDF says exactly what its HTML does (no hidden text), with poppler's
``pdftotext`` as the reader (what search and copy find) and the document's own CSS deciding what
shows: elements it hides (``display: none``) say nothing, running elements and ``string-set`` say
it in the margins.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pikepdf

MM = 72 / 25.4
PAGE_REF = re.compile(r"\(see\s+p\.\s*\d+\)")  # handbook.css writes it after a link: see handbook.numbered
SHOWS_TEXT = {"Tj", "TJ", "'", '"'}
HEADINGS = {f"/H{n}" for n in range(1, 7)}
SILENT = {"head", "script", "style", "title", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def words(text: str) -> Counter:
    """The words of ``text`` as a reader compares them: letters only (numbers are page furniture
    too often: page numbers, list markers), any case, ligatures and spaces of any kind alike, and a
    compound word one word (poppler joins "future-" at a line's end to "focused" without its hyphen)."""
    text = re.sub(r"(?<=\w)[-\u2010\u2011](\s*\n\s*)?(?=\w)", "", unicodedata.normalize("NFKC", text))
    return Counter(re.findall(r"[^\W\d_]+", text.casefold()))


class Visible(HTMLParser):
    """The text an HTML document shows in its body and what it may show in its margins, by its CSS:
    elements hidden by ``display: none`` (or ``hidden``) say nothing; ``position: running()``
    elements say it in the margin."""

    def __init__(self, hidden: set[str], running: set[str]):
        super().__init__(convert_charrefs=True)
        self.hidden, self.running = hidden, running
        self.stack: list[tuple[str, str | None]] = []  # open elements: (tag, where their text goes)
        self.body: list[str] = []
        self.margin: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        where = self.stack[-1][1] if self.stack else "body"
        if (
            tag in ("head", "script", "style", "title", "template")
            or "hidden" in attributes
            or classes & self.hidden
        ):
            where = None
        elif classes & self.running and where:
            where = "margin"
        for name in ("data-part", "data-chapter"):  # string-set from attributes: the running header
            if attributes.get(name):
                self.margin.append(attributes[name])
        if tag not in VOID:
            self.stack.append((tag, where))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        where = self.stack[-1][1] if self.stack else "body"
        if where == "body":
            self.body.append(data)
        elif where == "margin":
            self.margin.append(data)


def shown(html: str) -> tuple[str, str]:
    """(text of the body, text the margins may show) of an HTML document, by its own CSS."""
    css = "\n".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    hidden, running, literals = set(), set(), []
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        classes = set(re.findall(r"^\s*\.([\w-]+)\s*$", selectors.replace(",", "\n"), re.M))
        if re.search(r"display:\s*none", declarations):
            hidden |= classes
        if "running(" in declarations:
            running |= classes
        if "content:" in declarations:
            literals += re.findall(r'"([^"]*)"', declarations)
    parser = Visible(hidden, running)
    parser.feed(html)
    # what margins may say besides: the strings set from elements (a title, the brand) and CSS's own words
    return " ".join(parser.body), " ".join([*parser.margin, *literals, " ".join(parser.body)])


def margins(html: str) -> tuple[float, float, float, float]:
    """The page margins (top, right, bottom, left, in points) of the document's first ``@page`` rule."""
    rule = re.search(r"@page\s*\{[^@]*?margin:\s*([\d.]+mm(?:\s+[\d.]+mm){0,3})", html)
    sizes = [float(v.removesuffix("mm")) * MM for v in rule[1].split()]
    top = sizes[0]  # CSS's one to four values
    right = sizes[1] if len(sizes) > 1 else top
    bottom = sizes[2] if len(sizes) > 2 else top
    left = sizes[3] if len(sizes) > 3 else right
    return top, right, bottom, left


def text(
    pdf: Path, page: int, box: tuple[float, float, float, float] | None = None, layout: bool = False
) -> str:
    """What poppler reads on one page (from 1), or in a box of it (left, top, width, height, points);
    with ``layout``, each line of print a line of text."""
    args = ["pdftotext", "-f", str(page), "-l", str(page), *(["-layout"] if layout else [])]
    if box is not None:
        args += [arg for key, value in zip("xyWH", box, strict=True) for arg in (f"-{key}", str(int(value)))]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def read(pdf: Path, pages: range, html: str) -> tuple[str, str]:
    """(body text, margin text) that poppler reads on ``pages`` of ``pdf``, split by the margins of
    the document made from ``html``."""
    top, right, bottom, left = margins(html)
    with pikepdf.open(pdf) as opened:
        sizes = [tuple(map(float, opened.pages[n - 1].mediabox[2:])) for n in pages]
    body, margin = [], []
    for number, (width, height) in zip(pages, sizes, strict=True):
        whole = text(pdf, number)
        inside = text(pdf, number, (left, top, width - left - right, height - top - bottom))
        body.append(inside)
        margin.append(" ".join((words(whole) - words(inside)).elements()))
    return "\n".join(body), " ".join(margin)


def says_what_its_html_says(pdf: Path, pages: range, html: str) -> list[str]:
    """What differs between the text a reader finds on ``pages`` and what ``html`` shows: words
    only in the PDF (hidden, or from elsewhere), words only in the HTML (lost), and words in the
    margins that nothing in the document puts there. Empty when they agree."""
    body, margin = read(pdf, pages, html)
    expected, allowed = shown(html)
    found = words(PAGE_REF.sub(" ", body))
    problems = []
    if extra := found - words(expected):
        problems.append(f"in the PDF, not in the HTML: {sorted(extra.elements())}")
    if lost := words(expected) - found:
        problems.append(f"in the HTML, not in the PDF: {sorted(lost.elements())}")
    if stray := set(words(margin)) - set(words(allowed)):
        problems.append(f"in the margins, from nowhere: {sorted(stray)}")
    return problems


def invisible_text(pdf: pikepdf.Pdf) -> list[str]:
    """Text drawn where no reader sees it but search finds it: in an invisible rendering mode, fully
    transparent, smaller than 4 pt, or off the page."""
    found = []
    for number, page in enumerate(pdf.pages, 1):
        states = pikepdf.Dictionary(page.obj.get("/Resources", {})).get("/ExtGState", {})
        mode, alpha, size, stack = 0, 1.0, 10.0, []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "q":
                stack.append((mode, alpha))
            elif op == "Q" and stack:
                mode, alpha = stack.pop()
            elif op == "Tr":
                mode = int(operands[0])
            elif op == "gs":
                alpha = float(states[str(operands[0])].get("/ca", alpha))
            elif op == "Tf":
                size = float(operands[1])
            elif op in SHOWS_TEXT and (mode in (3, 7) or alpha == 0 or abs(size) < 4):
                found.append(f"page {number}: text drawn with mode {mode}, opacity {alpha}, size {size}")
    return found


def headings_at_foot(pdf: pikepdf.Pdf) -> list[int]:
    """The pages whose last text (page furniture aside) belongs to a heading, by the structure tree."""
    tree = pdf.Root.StructTreeRoot
    nums = list(tree.ParentTree.Nums)
    parents = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
    found = []
    for number, page in enumerate(pdf.pages, 1):
        elements = parents.get(int(page.obj.get("/StructParents", -1)))
        marks: list[int | None] = []  # the MCID of each open marked-content sequence (None: artifact)
        last = None
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                properties = operands[1]
                tagged = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
                marks.append(int(properties.MCID) if tagged and operands[0] != "/Artifact" else None)
            elif op == "BMC":
                marks.append(None)
            elif op == "EMC" and marks:
                marks.pop()
            elif op in SHOWS_TEXT and marks and marks[-1] is not None:
                last = marks[-1]
        if last is None or elements is None or last >= len(elements):
            continue
        element, kinds = elements[last], set()
        while isinstance(element, pikepdf.Dictionary) and "/S" in element:
            kinds.add(str(element.S))
            element = element.get("/P")
        if kinds & HEADINGS:
            found.append(number)
    return found
