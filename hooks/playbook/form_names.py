"""Names a worksheet field id may not take, because the worksheet's form already uses them.

Each answer control is named after its field id, and a form exposes its controls as properties by
name: a field called ``reset`` replaces ``form.reset()``, one called ``elements`` hides the form's
controls, and the worksheet's script breaks. Field ids are lowercase words and hyphens, so only the
form's all-lowercase properties can clash: these are listed from Chromium (a form element and every
prototype above it; tests/test_form_names.py lists them again in Chromium and compares), and any
``on...`` name is refused as well, since browsers keep adding event handler properties.
"""

from __future__ import annotations

import re

FORM_PROPERTIES = frozenset(
    """
    action after animate append attributes autocapitalize autocomplete autocorrect autofocus before blur
    children click closest constructor contains dataset dir draggable elements encoding enctype focus
    hidden id inert lang length matches method name nonce normalize part popover prefix prepend pseudo
    rel remove reset role scroll slot spellcheck style submit target title translate when
    """.split()  # noqa: SIM905 (a list of 50 words reads better as words)
)
EVENT_HANDLER = re.compile(r"on[a-z]+")


def shadows_form(name: str) -> bool:
    """True if a control called ``name`` would hide a property of its form."""
    return name in FORM_PROPERTIES or EVENT_HANDLER.fullmatch(name) is not None
