"""Names a worksheet field id may not take, because the worksheet's form already uses them.

Each answer control is named after its field id, and a form exposes its controls as properties by
name: a field called ``reset`` replaces ``form.reset()``, one called ``elements`` hides the form's
controls, and the worksheet's script breaks. Field ids are lowercase words and hyphens, so only the
form's all-lowercase properties can clash. They are listed from Chromium (a form element and every
prototype above it); tests/test_form_names.py lists them again in Chromium and compares. A name
of digits alone is refused too: ``form[0]`` is the form's first control, whatever its name.
"""

from __future__ import annotations

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
