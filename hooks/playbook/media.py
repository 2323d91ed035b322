"""Text for one medium: the site (``web``) or paper (``print``: the handbook and the PDFs).

Content marks a paragraph of any prose field with a last line of its own, ``{.web-only}`` or
``{.print-only}``: Markdown's attribute list, which makes it ``<p class="web-only">``. Templates
mark their screen-only parts with the same class. Each medium then drops the other's elements
(:func:`only`): the site's pages never hold the words meant for paper, nor the book those meant
for the screen, so no medium hides text that search or copy would still find.
"""

from __future__ import annotations

import re

MARKS = {"web": "{.web-only}", "print": "{.print-only}"}
ALLOWED = " or ".join(MARKS.values())
CLASSES = {"web": "web-only", "print": "print-only"}
ATTRIBUTES = r"""(?:"[^"]*"|'[^']*'|[^'">])*"""
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# a line that is an attribute list, and anything else that looks like a mark
MARK_LINE = re.compile(r"^[ \t]*\{:?[^{}\n]*\}[ \t]*$", re.M)
MARK_LIKE = re.compile(r"\{:?[ \t]*\.(?:web|print)[\w-]*[^{}\n]*\}")


def only(html: str, medium: str) -> str:
    """``html`` without the elements marked for the other medium (any tag, with what it holds)."""
    other = CLASSES["print" if medium == "web" else "web"]
    if other not in html:
        return html
    marked = rf'\sclass="(?:[^"]*\s)?{other}(?:\s[^"]*)?"'
    start = re.compile(rf"<([a-zA-Z][\w-]*)(?=\s){ATTRIBUTES}{marked}{ATTRIBUTES}>")
    kept, position = [], 0
    for opening in start.finditer(html):
        if opening.start() < position:
            continue  # inside an element already dropped
        end = opening.end()
        if opening[1].lower() not in VOID:
            tags = re.compile(rf"<(/?){opening[1]}\b{ATTRIBUTES}>", re.I)
            depth = 1
            for tag in tags.finditer(html, opening.end()):
                depth += -1 if tag[1] else 1
                if depth == 0:
                    end = tag.end()
                    break
            else:
                end = len(html)  # never closed: to the end, as a browser would
        kept.append(html[position : opening.start()])
        position = end
    kept.append(html[position:])
    return "".join(kept)


def problem(text: str) -> str | None:
    """What is wrong with the marks in a prose field's ``text``, if anything."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    for paragraph in paragraphs:
        lines = paragraph.strip("\n").split("\n")
        for number, line in enumerate(lines):
            mark = line.strip()
            if MARK_LINE.match(line) and mark not in MARKS.values():
                return f"unknown mark '{mark}': a paragraph for one medium ends in {ALLOWED}"
            if mark in MARKS.values():
                if number != len(lines) - 1:
                    return f"'{mark}' must be the last line of its paragraph (a blank line after it)"
                if number == 0:
                    return f"'{mark}' marks the paragraph above it, on the line before it: there is none"
            elif found := MARK_LIKE.search(line):
                return f"'{found[0]}' must stand on a line of its own, the last of its paragraph"
    return None


def ends_marked(text: str) -> bool:
    """Whether the last paragraph of ``text`` is marked for one medium."""
    return text.rstrip().endswith(tuple(MARKS.values()))
