"""Names a worksheet field id may not take, because the worksheet's form already uses them.

Each answer control is named after its field id, and a form exposes its controls as properties by
name: a field called ``reset`` replaces ``form.reset()``, one called ``elements`` hides the form's
controls, and the worksheet's script breaks. Field ids are lowercase words and hyphens, so only the
form's all-lowercase properties can clash. They are listed from Chromium (a form element and every
prototype above it); tests/test_form_names.py lists them again in Chromium and compares. A name
of digits alone is refused too: ``form[0]`` is the form's first control, whatever its name.
"""

from __future__ import annotations

from collections.abc import Iterator

FORM_PROPERTIES = frozenset(
    """
    action after animate append attributes autocapitalize autocomplete autocorrect autofocus before blur
    children click closest constructor contains dataset dir draggable elements encoding enctype focus
    hidden id inert lang length matches method name nonce normalize onabort onanimationcancel
    onanimationend onanimationiteration onanimationstart onauxclick onbeforecopy onbeforecut
    onbeforeinput onbeforematch onbeforepaste onbeforetoggle onbeforexrselect onblur oncancel oncanplay
    oncanplaythrough onchange onclick onclose oncommand oncontentvisibilityautostatechange oncontextlost
    oncontextmenu oncontextrestored oncopy oncuechange oncut ondblclick ondrag ondragend ondragenter
    ondragleave ondragover ondragstart ondrop ondurationchange onemptied onended onerror onfocus
    onformdata onfullscreenchange onfullscreenerror ongotpointercapture oninput oninvalid onkeydown
    onkeypress onkeyup onload onloadeddata onloadedmetadata onloadstart onlostpointercapture onmousedown
    onmouseenter onmouseleave onmousemove onmouseout onmouseover onmouseup onmousewheel onpaste onpause
    onplay onplaying onpointercancel onpointerdown onpointerenter onpointerleave onpointermove
    onpointerout onpointerover onpointerup onprogress onratechange onreset onresize onscroll onscrollend
    onscrollsnapchange onscrollsnapchanging onsearch onsecuritypolicyviolation onseeked onseeking
    onselect onselectionchange onselectstart onslotchange onstalled onsubmit onsuspend ontimeupdate
    ontoggle ontransitioncancel ontransitionend ontransitionrun ontransitionstart onvolumechange
    onwaiting onwebkitanimationend onwebkitanimationiteration onwebkitanimationstart
    onwebkitfullscreenchange onwebkitfullscreenerror onwebkittransitionend onwheel part popover prefix
    prepend pseudo rel remove reset role scroll slot spellcheck style submit target title translate when
    """.split()  # noqa: SIM905 (160 words read better as words than as a list of strings)
)


def shadows_form(name: str) -> bool:
    """True if a control called ``name`` would hide or be hidden by a property of its form."""
    return name in FORM_PROPERTIES or name.isdigit()


# Ids the worksheet page (templates/canvas-form.html) gives its own parts, beside the questions.
PAGE_IDS = frozenset(
    {
        *("canvas-form", "canvas-pick", "canvas-name", "canvas-name-note", "canvas-import"),
        *("zopa-caption", "canvas-earlier-title", "canvas-privacy-title"),
    }
)


def handles(canvas) -> Iterator[tuple[str, tuple, str, str]]:
    """Every name and id a worksheet's form gives its parts (templates/_canvas_fields.html, canvas.js):
    (name, where in the content file it comes from, what it names, whose it is).

    Section ids become fieldset ids; a field's id names its controls (a form's own property, too) and,
    prefixed, its control (``f-``), prompt (``p-``), note (``m-``, canvas.js), help (``h-``), why
    (``w-``) and table label (``l-``); each radio button of a scale is ``f-<id>-<n>``, each cell of a table
    ``f-<id>-<row>-<column>`` for every row a reader may add.
    """
    from .answers import ROWS, SCALE  # answers reads the model, which reads this module

    for i, section in enumerate(canvas.sections):
        yield section.id, ("sections", i, "id"), f"the id of section '{section.id}'", f"section {section.id}"
        for j, f in enumerate(section.fields):
            loc, owner = ("sections", i, "fields", j, "id"), f"field {f.id}"
            yield f.id, loc, f"the name of field '{f.id}'", owner
            kinds = {"f": "control", "p": "prompt", "m": "note"} | ({"h": "help"} if f.help else {})
            kinds |= {"w": "'why it matters'"} if f.related or f.cite else {}
            kinds |= {"l": "label"} if f.type == "rows" else {}
            for prefix, part in kinds.items():
                yield f"{prefix}-{f.id}", loc, f"the id of the {part} of field '{f.id}'", owner
            if f.type == "scale":
                for n in SCALE:
                    yield f"f-{f.id}-{n}", loc, f"the id of choice {n} of field '{f.id}'", owner
            for k, column in enumerate(f.columns):
                where = (*loc[:-1], "columns", k, "id")
                for row in range(1, ROWS + 1):
                    what = f"the id of row {row}'s '{column.id}' cell of field '{f.id}'"
                    yield f"f-{f.id}-{row}-{column.id}", where, what, owner


def clashes(canvas) -> list[tuple]:
    """Parts of one worksheet page with the same name or id, or a name that a form property or the
    page already has: (where, message, the other's place), once for each pair of places, since
    either makes a script or a label find the wrong element (or none, and lose the answer).

    A field id used twice is left to the duplicate-id checks, which say so in fewer words.
    """
    found = []
    seen: dict[str, tuple[tuple, str, str]] = {}
    told: set[tuple[tuple, tuple]] = set()
    for name, loc, what, owner in handles(canvas):
        if shadows_form(name):
            found.append((loc, f"'{name}' is already a property of the worksheet's form: choose another id"))
        elif name in PAGE_IDS:
            found.append((loc, f"'{name}' is already an id of the worksheet page: choose another id"))
        elif name in seen and seen[name][2] != owner and (loc, seen[name][0]) not in told:
            other_loc, other, _ = seen[name]
            told.add((loc, other_loc))
            found.append(
                (
                    loc,
                    f"'{name}' would be both {what} and {other} (line {{line}}): each part of a worksheet "
                    "is found by its own name, so change one of these ids",
                    other_loc,
                )
            )
        seen.setdefault(name, (loc, what, owner))
    return found
