"""The playbook's content model: what each YAML file in ``content/`` must hold.

Pydantic validates the files and doubles as the model the renderers read; every model is frozen
and rejects unknown keys, so a typo in a field name is an error rather than silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"), Field(examples=["curiosity"])]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
When = Literal["before", "during", "after", "recovery"]

WHEN_LABELS: dict[str, str] = {
    "before": "Before the talks",
    "during": "At the table",
    "after": "After the deal",
    "recovery": "When trust is strained",
}


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Research(Strict):
    """A claim that rests on research, with the bibliography keys it rests on."""

    claim: Text = Field(examples=["Naming the other side's feelings raised trust [@oblhdp-emotions]."])
    cite: tuple[Id, ...] = Field(min_length=1, examples=[["zak-trust"]])


class Play(Strict):
    """Anything with its own page in the playbook, with the metadata the plays index filters on."""

    id: Id
    title: Text = Field(examples=["Genuine curiosity over clever tactics"])
    summary: Text = Field(examples=["Ask what success looks like for them before planning your own moves."])
    when: tuple[When, ...] = Field(min_length=1, examples=[["before", "during"]])
    time: Text = Field(examples=["20 minutes before the meeting"])
    tags: tuple[Id, ...] = Field(default=(), examples=[["preparation", "questions"]])
    related: tuple[Id, ...] = Field(default=(), examples=[["speak-their-language"]])
    body: Text | None = None
    research: tuple[Research, ...] = ()


class Numbered(Play):
    number: int = Field(ge=1, examples=[1])


class Stance(Strict):
    """One side of a mindset: the words someone holding it would say, and what that leads to."""

    says: Text = Field(examples=["If I win, you lose."])
    meaning: Text


class Mindset(Numbered):
    traditional: Stance
    relationship: Stance


class Pillar(Numbered):
    prompts: tuple[Text, ...] = Field(min_length=1)
    phrases: tuple[Text, ...] = Field(min_length=1)


class Story(Strict):
    title: Text
    body: Text
    cite: tuple[Id, ...] = Field(min_length=1)


class Strategy(Numbered):
    story: Story
    apply: tuple[Text, ...] = Field(min_length=1)
    prevents: Text = Field(examples=["Assuming a generous offer explains itself."])


class Step(Strict):
    id: Id
    name: Text = Field(examples=["Responsibility"])
    action: Text
    detail: Text
    prompts: tuple[Text, ...] = Field(min_length=1)


class Recovery(Play):
    steps: tuple[Step, ...] = Field(min_length=1)


class Item(Strict):
    """A titled paragraph inside an article page (an advantage, a culture strategy, a next step)."""

    id: Id
    title: Text
    body: Text
    cite: tuple[Id, ...] = ()


class Article(Strict):
    """A page of connected paragraphs: the advantages of perspective, the culture strategies, and so on."""

    title: Text
    intro: Text
    items: tuple[Item, ...] = Field(min_length=1)
    outro: Text | None = None


class Figure(Strict):
    id: Id
    value: Text = Field(examples=["74%"])
    claim: Text = Field(examples=["less stress reported by people in high-trust organisations"])
    context: Text | None = None
    cite: tuple[Id, ...] = Field(min_length=1)


class Evidence(Strict):
    title: Text
    intro: Text
    figures: tuple[Figure, ...] = Field(min_length=1)
    caveat: Text | None = None


class Intro(Strict):
    title: Text
    intro: Text


class Sections(Strict):
    """Titles and introductions of the pages that list a kind of play."""

    mindsets: Intro
    pillars: Intro
    strategies: Intro
    plays: Intro


class Source(Strict):
    key: Id = Field(examples=["zak-trust"])
    label: Text | None = Field(default=None, examples=["Walton & McKersie, 1991"])
    author: Text = Field(examples=["Paul J. Zak"])
    title: Text
    publisher: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: HttpUrl | None = None
    note: Text | None = None


class Bibliography(Strict):
    title: Text
    intro: Text
    sources: tuple[Source, ...] = Field(min_length=1)
