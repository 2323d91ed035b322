"""The playbook's content model: what each YAML file in ``content/`` must hold.

Pydantic validates the files and doubles as the model the renderers read; every model is frozen
and rejects unknown keys, so a typo in a field name is an error rather than silently ignored.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator, Sequence
from enum import Enum
from itertools import groupby
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from . import media
from .form_names import clashes, shadows_form


class Kind(Enum):
    """How a string of content is shown. Text (titles, labels, names, summaries, phrases) appears as
    written in every output, whatever characters it holds; prose is Markdown by trusted authors, with
    ``[[id]]`` links and ``[@key]`` citations. Templates, the content check and the tests ask the
    model which is which (see :func:`kind`)."""

    TEXT = "text"
    PROSE = "prose"


# Ids become file names and anchors: lowercase words and hyphens, short enough for any file system.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(examples=["curiosity"]),
]


def _marked_right(text: str) -> str:
    """A paragraph meant for one medium ends in a mark of its own (see playbook.media)."""
    wrong = media.problem(text)
    if wrong:
        raise ValueError(wrong)
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), Kind.TEXT]  # as written
Prose = Annotated[  # Markdown, whose paragraphs may be marked for one medium
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_marked_right), Kind.PROSE
]


def _one_line(text: str) -> str:
    if len(text.splitlines()) > 1:
        raise ValueError("must fit on one line: titles, names and labels become headings and labels")
    return text


def _not_an_object_property(name: str) -> str:
    # the browser keeps each row of a table answer as an object keyed by column id, and every
    # JavaScript object already has a "constructor" (the one such name an id can spell)
    if name == "constructor":
        raise ValueError("'constructor' is a name every object in the browser already has: choose another id")
    return name


def _not_a_form_property(name: str) -> str:
    if shadows_form(name):
        raise ValueError(f"'{name}' is already a property of the worksheet's form: choose another id")
    return name


Line = Annotated[Text, AfterValidator(_one_line)]  # text on one line: a title, a label, a name
FieldId = Annotated[Id, AfterValidator(_not_a_form_property)]
ColumnId = Annotated[Id, AfterValidator(_not_an_object_property)]
When = Literal["before", "during", "after", "recovery"]
# (path of a node in its file, what is wrong there[, the path of another node, whose line fills "{line}"])
Findings = list[tuple[tuple[str | int, ...], str] | tuple[tuple[str | int, ...], str, tuple[str | int, ...]]]

Loc = Sequence[str | int]  # where a value sits in a file's data: keys and list positions


def kind(model: type[BaseModel], loc: Loc) -> Kind | None:
    """Whether the string at ``loc`` in data for ``model`` is text or prose; None for anything else
    (an id, a URL, a place the model does not have). Works on raw data too, before it validates."""
    return _kind(model, tuple(loc))


@functools.cache  # asked for every string of every file: the same places recur in every file of a kind
def _kind(model: type[BaseModel], loc: tuple[str | int, ...]) -> Kind | None:
    annotation: object = model
    for part in loc:
        annotation = _inside(annotation, part)
    return next((m for m in getattr(_present(annotation), "__metadata__", ()) if isinstance(m, Kind)), None)


def leaves(data: object, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], object]]:
    """Every value inside nested mappings and lists, with where it is."""
    if isinstance(data, dict | list | tuple):
        for key, value in data.items() if isinstance(data, dict) else enumerate(data):
            yield from leaves(value, (*loc, key))
    else:
        yield loc, data


def _present(annotation: object) -> object:
    """``X`` for ``X | None``: what a value is when it is there."""
    while typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def _inside(annotation: object, part: str | int) -> object:
    """The annotation of what sits at ``part`` (a field name or a list position) inside ``annotation``."""
    annotation = _present(annotation)
    bare = typing.get_args(annotation)[0] if typing.get_origin(annotation) is Annotated else annotation
    if isinstance(part, int) and typing.get_origin(bare) is tuple:
        args = typing.get_args(bare)
        return args[0] if args[-1] is Ellipsis else args[part] if part < len(args) else None
    if isinstance(part, str) and isinstance(bare, type) and issubclass(bare, BaseModel):
        info = bare.model_fields.get(part)
        return info and (Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)
    return None


WHEN_LABELS: dict[str, str] = {
    "before": "Before the talks",
    "during": "At the table",
    "after": "After the deal",
    "recovery": "When trust is strained",
}


class Strict(BaseModel):
    # validators are built when first used: a build that takes the last one's model never uses them
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def problems(self) -> Findings:
        """Checks across fields that a schema cannot express, as (path in the file, message) pairs."""
        return []


class Research(Strict):
    """A claim that rests on research, with the bibliography keys it rests on."""

    claim: Prose = Field(examples=["Naming the other side's feelings raised trust [@oblhdp-emotions]."])
    cite: tuple[Id, ...] = Field(min_length=1, examples=[["zak-trust"]])


class Play(Strict):
    """Anything with its own page in the playbook, with the metadata the plays index filters on."""

    id: Id
    title: Line = Field(examples=["Genuine curiosity over clever tactics"])
    summary: Line = Field(examples=["Ask what success looks like for them before planning your own moves."])
    when: tuple[When, ...] = Field(min_length=1, examples=[["before", "during"]])
    time: Line = Field(examples=["20 minutes before the meeting"])
    tags: tuple[Id, ...] = Field(default=(), examples=[["preparation", "questions"]])
    related: tuple[Id, ...] = Field(default=(), examples=[["speak-their-language"]])
    body: Prose | None = None
    research: tuple[Research, ...] = ()


class Numbered(Play):
    number: int = Field(ge=1, examples=[1])


class Stance(Strict):
    """One side of a mindset: the words someone holding it would say, and what that leads to."""

    says: Text = Field(examples=["If I win, you lose."])
    meaning: Prose


class Mindset(Numbered):
    traditional: Stance
    relationship: Stance


class Pillar(Numbered):
    prompts: tuple[Prose, ...] = Field(min_length=1)
    phrases: tuple[Text, ...] = Field(min_length=1)


class Story(Strict):
    title: Line
    body: Prose
    cite: tuple[Id, ...] = Field(min_length=1)


class Strategy(Numbered):
    story: Story
    apply: tuple[Prose, ...] = Field(min_length=1)
    prevents: Prose = Field(examples=["Assuming a generous offer explains itself."])


class Step(Strict):
    id: Id
    name: Line = Field(examples=["Responsibility"])
    action: Line
    detail: Prose
    prompts: tuple[Prose, ...] = Field(min_length=1)


class Recovery(Play):
    steps: tuple[Step, ...] = Field(min_length=1)


class Item(Strict):
    """A titled paragraph inside an article page (an advantage, a culture strategy, a next step)."""

    id: Id
    title: Line
    body: Prose
    cite: tuple[Id, ...] = ()


class Article(Strict):
    """A page of connected paragraphs: the advantages of perspective, the culture strategies, and so on."""

    title: Line
    intro: Prose
    items: tuple[Item, ...] = Field(min_length=1)
    outro: Prose | None = None


class Figure(Strict):
    id: Id
    value: Line = Field(examples=["74%"])
    claim: Prose = Field(examples=["less stress reported by people in high-trust organisations"])
    context: Prose | None = None
    cite: tuple[Id, ...] = Field(min_length=1)


class Evidence(Strict):
    title: Line
    intro: Prose
    figures: tuple[Figure, ...] = Field(min_length=1)
    caveat: Prose | None = None


class Intro(Strict):
    title: Line
    intro: Prose


class Sections(Strict):
    """Titles and introductions of the pages that list a kind of play."""

    mindsets: Intro
    pillars: Intro
    strategies: Intro
    plays: Intro
    canvases: Intro


class Source(Strict):
    """A work the playbook cites. People write it; an institution or a journal publishes it."""

    key: Id = Field(examples=["zak-trust"])
    label: Line | None = Field(default=None, examples=["Walton & McKersie, 1991"])
    author: Line | None = Field(default=None, examples=["Richard E. Walton and Robert B. McKersie"])
    title: Line | None = Field(default=None, examples=["A Behavioral Theory of Labor Negotiations"])
    about: Line | None = Field(default=None, examples=["Studies on trust-building in negotiations"])
    publisher: Line | None = Field(default=None, examples=["Harvard Business Review"])
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: HttpUrl | None = None
    note: Prose | None = None

    @property
    def authors(self) -> list[str]:
        """The names in ``author``: "A and B", or "A, B, and C"."""
        return [a for a in re.split(r",\s*(?:and\s+)?|\s+and\s+", self.author or "") if a.strip()]

    @property
    def by(self) -> str:
        """Whom the work is listed under: its author, or its publisher when no person is named."""
        return self.author or self.publisher or ""

    @property
    def sort_key(self) -> tuple[str, str]:
        """Bibliographies are ordered by surname (a person's last word) or by the institution's name."""
        return ((self.authors[0].split()[-1] if self.authors else self.by).casefold(), self.by.casefold())

    def problems(self) -> Findings:
        found: Findings = []
        if not (self.author or self.publisher):
            found.append(
                ((), f"source '{self.key}' needs an 'author' or a 'publisher' (an institution or journal)")
            )
        if bool(self.title) == bool(self.about):
            found.append(
                (
                    (),
                    f"source '{self.key}' needs a 'title' (the work's own, shown in italics) or, for a work "
                    "known only by description, 'about' (shown in brackets), not both",
                )
            )
        return found


class Bibliography(Strict):
    title: Line
    intro: Prose
    sources: tuple[Source, ...] = Field(min_length=1)

    def problems(self) -> Findings:
        return [
            (("sources", i, *where), message)
            for i, s in enumerate(self.sources)
            for where, message in s.problems()
        ]

    @property
    def by_author(self) -> list[tuple[str, list[Source]]]:
        """One group per author (or publisher), in bibliography order, each work in it by year."""
        ordered = sorted(self.sources, key=lambda s: (s.sort_key, s.year or 0, s.title or s.about or ""))
        return [(by, list(works)) for by, works in groupby(ordered, key=lambda s: s.by)]


CHALLENGE_DAYS = 30


class ChallengeTheme(Strict):
    """What a stretch of the challenge practises; days point at it by ``id``."""

    id: Id = Field(examples=["curiosity-shift"])
    title: Line = Field(examples=["The curiosity shift"])
    goal: Prose = Field(examples=["Ask before you tell: find out what success looks like for them."])
    related: tuple[Id, ...] = ()
    cite: tuple[Id, ...] = ()


class ChallengeDay(Strict):
    """One day's practice: a single action for that day's meetings, and why it is worth doing."""

    day: int = Field(ge=1, le=CHALLENGE_DAYS, examples=[1])
    theme: Id = Field(examples=["curiosity-shift"])
    title: Line = Field(examples=["Three questions before you go in"])
    action: Prose
    why: Prose
    phrase: Text | None = None
    reflect: Prose = Field(examples=["Which of my questions was hardest to write, and why?"])
    related: tuple[Id, ...] = ()
    cite: tuple[Id, ...] = ()


class Challenge(Strict):
    """The 30-day challenge: themes, and exactly one entry for each day from 1 to 30."""

    title: Line
    intro: Prose
    themes: tuple[ChallengeTheme, ...] = Field(min_length=1)
    days: tuple[ChallengeDay, ...] = Field(min_length=1)
    outro: Prose | None = None

    def problems(self) -> Findings:
        themes = [t.id for t in self.themes]
        seen: set[int] = set()
        found: Findings = []
        for i, day in enumerate(self.days):
            if day.day in seen:
                found.append((("days", i, "day"), f"day {day.day} appears twice: each day must appear once"))
            seen.add(day.day)
            if day.theme not in themes:
                found.append(
                    (("days", i, "theme"), f"unknown theme '{day.theme}'; themes: {', '.join(themes)}")
                )
            if not (day.related or day.cite):
                found.append(
                    (("days", i), f"day {day.day} needs a 'related' play or a 'cite' key behind its why")
                )
        missing = [str(n) for n in range(1, CHALLENGE_DAYS + 1) if n not in seen]
        if missing:
            what = f"day {missing[0]} is" if len(missing) == 1 else f"days {', '.join(missing)} are"
            found.append((("days",), f"{what} missing: the challenge needs days 1 to {CHALLENGE_DAYS}"))
        used = {d.theme for d in self.days}
        found += [(("themes", i), f"theme '{t}' has no days") for i, t in enumerate(themes) if t not in used]
        return found

    @property
    def weeks(self) -> list[tuple[ChallengeTheme, tuple[ChallengeDay, ...]]]:
        """Runs of consecutive days that share a theme, in day order: the rows of the calendar."""
        themes = {t.id: t for t in self.themes}
        days = sorted(self.days, key=lambda d: d.day)
        return [(themes[key], tuple(run)) for key, run in groupby(days, key=lambda d: d.theme)]


FieldType = Literal["text", "long-text", "checkbox", "rows", "number", "date", "scale"]


class Column(Strict):
    """One column of a ``rows`` field: each row holds one answer per column, a short one (``text``),
    a sentence or more (``long-text``, a box that grows), a number or a date."""

    id: ColumnId = Field(examples=["cost-to-me"])
    label: Line = Field(examples=["Cost to me"])
    type: Literal["text", "long-text", "number", "date"] = "text"


class BriefMark(Strict):
    """Where a field's answer goes on the deal brief: under a heading of content/brief.yaml, in order."""

    heading: Id = Field(examples=["their-side"])
    order: int = Field(ge=1, le=999, examples=[10])  # places under one heading, across every worksheet
    columns: tuple[Id, ...] = Field(default=(), examples=[["concession", "reciprocity"]])  # rows: which


class CanvasField(Strict):
    """One question of a worksheet; answers are stored by ``id``, so never reuse an id for a new meaning."""

    id: FieldId = Field(examples=["their-pressures"])
    label: Line = Field(examples=["Their pressures"])
    prompt: Prose = Field(examples=["What is pushing on them right now: deadlines, targets, their own boss?"])
    help: Prose | None = None
    type: FieldType = Field(examples=["long-text"])
    columns: tuple[Column, ...] = Field(default=(), max_length=8)  # each needs room on a screen
    rows: int = Field(default=3, ge=1, le=12, examples=[4])  # blank rows printed on paper
    low: Line | None = Field(default=None, examples=["Not at all"])  # the words under 1 and 5 of a scale
    high: Line | None = Field(default=None, examples=["Completely"])
    related: tuple[Id, ...] = ()
    cite: tuple[Id, ...] = ()
    brief: BriefMark | None = None  # on the deal brief, and where
    meeting: bool = False  # the date of the meeting: the preparation timeline counts back from it

    def problems(self) -> Findings:
        rows, scale = self.type == "rows", self.type == "scale"
        checks = [
            (
                rows and not self.columns,
                "type",
                "a 'rows' field needs columns: [{id: item, label: Item}]",
            ),
            (self.columns and not rows, "columns", f"only a 'rows' field has columns, not '{self.type}'"),
            (self.low and not scale, "low", f"only a 'scale' field has 'low', not '{self.type}'"),
            (self.high and not scale, "high", f"only a 'scale' field has 'high', not '{self.type}'"),
            (
                self.meeting and self.type != "date",
                "meeting",
                "only a 'date' field can be the meeting's date",
            ),
        ]
        found: Findings = [((key,), message) for wrong, key, message in checks if wrong]
        columns = [c.id for c in self.columns]
        for i, column in enumerate(self.brief.columns if self.brief and columns else ()):
            if column not in columns:
                found.append(
                    (
                        ("brief", "columns", i),
                        f"'{column}' is not a column of this field; its columns: {', '.join(columns)}",
                    )
                )
        return found


class CanvasSection(Strict):
    id: Id = Field(examples=["their-world"])
    title: Line = Field(examples=["Their world"])
    intro: Prose | None = None
    fields: tuple[CanvasField, ...] = Field(min_length=1)


class Zopa(Strict):
    """The four number fields drawn as the zone of possible agreement (each names a field id)."""

    my_walk_away: Id
    my_target: Id
    their_walk_away: Id
    their_target: Id


class Canvas(Strict):
    """A worksheet: filled in the browser, printed, or downloaded as a fillable PDF.

    Raise ``version`` when a field is removed or changes meaning; readers' earlier answers are kept.
    """

    id: Id = Field(examples=["negotiation-canvas"])
    number: int = Field(ge=1, examples=[1])
    title: Line = Field(examples=["Negotiation Canvas"])
    summary: Line = Field(examples=["Map their world and yours before you sit down."])
    purpose: Prose
    version: int = Field(ge=1, examples=[1])
    related: tuple[Id, ...] = ()
    sections: tuple[CanvasSection, ...] = Field(min_length=1)
    zopa: Zopa | None = None

    @property
    def fields(self) -> dict[str, CanvasField]:
        return {f.id: f for s in self.sections for f in s.fields}

    @property
    def plays(self) -> tuple[str, ...]:
        """The ids this worksheet puts to work: its own ``related`` first, then its fields', once each."""
        ids = (*self.related, *(r for f in self.fields.values() for r in f.related))
        return tuple(dict.fromkeys(ids))

    def problems(self) -> Findings:
        found: Findings = []
        where: dict[str, str] = {}
        for i, section in enumerate(self.sections):
            for j, item in enumerate(section.fields):
                loc = ("sections", i, "fields", j)
                found += [((*loc, *sub), message) for sub, message in item.problems()]
                if where.get(item.id, section.id) != section.id:
                    found.append(
                        (
                            (*loc, "id"),
                            f"field id '{item.id}' is also used in section '{where[item.id]}': "
                            "answers are stored by field id, so ids must be unique in the whole worksheet",
                        )
                    )
                where.setdefault(item.id, section.id)
        found += clashes(self)
        if not self.plays:
            found.append(
                (
                    ("related",),
                    "a worksheet needs the plays behind it, in its 'related' or its fields' "
                    "(for example: related: [curiosity])",
                )
            )
        if self.zopa:
            for key, field_id in self.zopa:
                if getattr(self.fields.get(field_id), "type", None) != "number":
                    found.append((("zopa", key), f"'{field_id}' is not a number field of this worksheet"))
        return found


class Situation(Strict):
    """A moment readers come with ("my supplier contract is up for renewal") and what to use for it."""

    id: Id = Field(examples=["supplier-renewal"])
    title: Line = Field(examples=["A supplier or contract renewal"])
    summary: Text = Field(examples=["The contract is up, and both sides want better terms."])
    advice: Prose
    related: tuple[Id, ...] = Field(min_length=1, examples=[["curiosity", "label-your-concessions"]])
    worksheets: tuple[Id, ...] = Field(min_length=1, examples=[["negotiation-canvas"]])
    phrases: tuple[Text, ...] = Field(min_length=1)
    cite: tuple[Id, ...] = ()


class Situations(Strict):
    """The situations page: common moments, each pointing at the plays, words and worksheets for it."""

    title: Line
    intro: Prose
    situations: tuple[Situation, ...] = Field(min_length=1)


class Term(Strict):
    """A word of the negotiation trade, defined in plain language; ``related`` pages link back to it."""

    id: Id = Field(examples=["batna"])
    term: Line = Field(examples=["BATNA"])
    aka: tuple[Text, ...] = Field(default=(), examples=[["best alternative to a negotiated agreement"]])
    definition: Prose
    related: tuple[Id, ...] = ()


class Glossary(Strict):
    title: Line
    intro: Prose
    terms: tuple[Term, ...] = Field(min_length=1)

    @property
    def sorted(self) -> tuple[Term, ...]:
        """Terms in the order a reader looks them up: alphabetical, ignoring case."""
        return tuple(sorted(self.terms, key=lambda t: t.term.casefold()))


HomePage = Literal["situations", "challenge", "glossary", "plays"]


class Job(Strict):
    """One of the jobs readers come with, on the home page, one click from the tools that do it."""

    title: Line = Field(examples=["Prepare for a negotiation"])
    icon: Annotated[str, StringConstraints(pattern=r"^material/[a-z0-9]+(-[a-z0-9]+)*$")] | None = Field(
        default=None, examples=["material/clipboard-text-outline"]
    )
    text: Prose
    button: Line | None = Field(default=None, examples=["Open the Negotiation Canvas"])  # the main button's
    worksheets: tuple[Id, ...] = Field(default=(), examples=[["negotiation-canvas"]])
    related: tuple[Id, ...] = Field(default=(), examples=[["three-rs"]])
    pages: tuple[HomePage, ...] = Field(default=(), examples=[["situations"]])

    def problems(self) -> Findings:
        if self.worksheets or self.related or self.pages:
            return []
        return [((), "a job needs somewhere to go: worksheets, related or pages (e.g. pages: [challenge])")]

    @property
    def targets(self) -> tuple[str, ...]:
        """Where its buttons go, in order: worksheets, then plays, then pages; the first is the main one."""
        return (*self.worksheets, *self.related, *self.pages)


class Home(Strict):
    """The home page: the jobs people come with first, then whatever Markdown the organisation adds.

    Its heading is the playbook's name, ``site_name`` in mkdocs.yml, so renaming it is one edit.
    """

    intro: Prose
    jobs: tuple[Job, ...] = Field(min_length=1)
    more: Prose | None = None

    def problems(self) -> Findings:
        return [
            (("jobs", i, *loc), message) for i, job in enumerate(self.jobs) for loc, message in job.problems()
        ]


class BriefHeading(Strict):
    """A part of the deal brief; worksheet fields name it in their ``brief`` mark."""

    id: Id = Field(examples=["their-side"])
    title: Line = Field(examples=["Their side"])


class PrepStep(Strict):
    """One step of the preparation timeline: so many days from the meeting, what to open then."""

    days: int = Field(ge=-90, le=90, examples=[-7])  # negative: before the meeting
    title: Line = Field(examples=["Fill in the Negotiation Canvas"])
    worksheets: tuple[Id, ...] = Field(default=(), examples=[["negotiation-canvas"]])
    brief: bool = False  # the step reads the deal brief

    def problems(self) -> Findings:
        if self.worksheets or self.brief:
            return []
        return [((), "a step needs something to open: worksheets, or brief: true")]


class Brief(Strict):
    """The deal brief (one page to take into the room) and the preparation timeline before it.

    Worksheet fields choose where they go (their ``brief`` mark); this file names the headings, in
    the order the brief shows them, and the timeline's steps, counted from the field marked
    ``meeting``.
    """

    title: Line = Field(examples=["Deal brief"])
    intro: Prose
    headings: tuple[BriefHeading, ...] = Field(min_length=1)
    steps: tuple[PrepStep, ...] = ()

    def problems(self) -> Findings:
        found: Findings = []
        days: dict[int, int] = {}
        for i, step in enumerate(self.steps):
            found += [(("steps", i, *loc), message) for loc, message in step.problems()]
            if step.days in days:
                found.append(
                    (
                        ("steps", i, "days"),
                        f"two steps are {step.days} days from the meeting (the other at line {{line}}): "
                        "join them into one",
                        ("steps", days[step.days], "days"),
                    )
                )
            days.setdefault(step.days, i)
        return found
