"""The deal brief: which answers it shows, under which headings, in what order; all decided by content.

A worksheet field joins the brief with a mark, ``brief: {heading: their-side, order: 20}``; the
headings, in their order, and the preparation timeline are in ``content/brief.yaml``. So an
organisation that adds a worksheet adds to the brief by marking its fields, and nothing here names a
field. The checks below are the ones that need more than one file: a mark's heading must exist, two
marks may not take one place, one date field at most is the meeting's, and the timeline needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Problem
from .model import BriefHeading, Canvas, CanvasField

if TYPE_CHECKING:
    from .content import Playbook
    from .source import Document

# Pages of the site's own beside the worksheets in canvases/ (plan.py): no worksheet may take their names.
BRIEF_PAGE = "deal-brief"
OWN_PAGES = ("index", "my-deals", BRIEF_PAGE)


@dataclass(frozen=True)
class Part:
    """One heading of the brief with the fields under it, in order, and the zone pictures it shows."""

    heading: BriefHeading
    items: tuple[tuple[Canvas, CanvasField], ...]
    zopas: tuple[Canvas, ...]  # worksheets whose zone of agreement is drawn under this heading


def marked(book: Playbook) -> list[tuple[Canvas, CanvasField]]:
    """Every field with a brief mark, in worksheet order."""
    return [(c, f) for c in book.canvases for f in c.fields.values() if f.brief]


def outline(book: Playbook) -> list[Part]:
    """The brief's parts in the order of brief.yaml; a heading no field names is left out."""
    parts = []
    for heading in book.brief.headings:
        items = sorted(
            ((c, f) for c, f in marked(book) if f.brief.heading == heading.id), key=lambda i: i[1].brief.order
        )
        # a worksheet's zone picture goes under the heading of the first of its four numbers on the brief
        zopas = tuple(c for c in book.canvases if c.zopa and _zopa_heading(c) == heading.id)
        if items:
            parts.append(Part(heading, tuple(items), zopas))
    return parts


def _zopa_heading(canvas: Canvas) -> str | None:
    ids = set(dict(canvas.zopa).values())
    first = min(
        (f for f in canvas.fields.values() if f.id in ids and f.brief),
        key=lambda f: (f.brief.order, f.id),
        default=None,
    )
    return first.brief.heading if first else None


def meeting(book: Playbook) -> tuple[Canvas, CanvasField] | None:
    """The field that holds the meeting's date, if a worksheet marks one."""
    return next(((c, f) for c in book.canvases for f in c.fields.values() if f.meeting), None)


def problems(book: Playbook, docs: dict[str, Document], brief_file: str) -> list[Problem]:
    """What content/brief.yaml and the worksheets' marks get wrong together, each at its own line."""
    found: list[Problem] = []
    headings = [h.id for h in book.brief.headings]
    places: dict[tuple[str, int], tuple[str, int]] = {}
    meetings: list[tuple[str, int]] = []
    for canvas in book.canvases:
        doc = docs[book.origin[canvas.id]]
        if canvas.id in OWN_PAGES:
            taken = f"choose another worksheet id (not {', '.join(OWN_PAGES)})"
            found.append(
                Problem(doc.name, doc.line(("id",)), f"'{canvas.id}' is a page of the site's own: {taken}")
            )
        for i, section in enumerate(canvas.sections):
            for j, field in enumerate(section.fields):
                loc = ("sections", i, "fields", j)
                if field.meeting:
                    meetings.append((doc.name, doc.line((*loc, "meeting"))))
                if not field.brief:
                    continue
                line = doc.line((*loc, "brief", "heading"))
                if field.brief.heading not in headings:
                    found.append(
                        Problem(doc.name, line, f"unknown brief heading '{field.brief.heading}'; "
                                f"the headings of {brief_file}: {', '.join(headings)}")
                    )  # fmt: skip
                    continue
                place = (field.brief.heading, field.brief.order)
                where = (doc.name, doc.line((*loc, "brief", "order")))
                if place in places:
                    other = ":".join(map(str, places[place]))
                    found.append(
                        Problem(*where, f"order {place[1]} under the brief heading '{place[0]}' is taken "
                                f"(by {other}): give each field of a heading its own order")
                    )  # fmt: skip
                places.setdefault(place, where)
    for name, line in meetings[1:]:
        first = ":".join(map(str, meetings[0]))
        found.append(Problem(name, line, f"only one field can be the meeting's date, and {first} is already"))
    if book.brief.steps and not meetings:
        doc = docs[brief_file]
        found.append(
            Problem(doc.name, doc.line(("steps",)), "the timeline counts from the meeting's date: mark one "
                    "date field of a worksheet with 'meeting: true', or remove the steps")
        )  # fmt: skip
    return found
