"""The field ids refused because a form already has a property by that name: the list matches Chromium's."""

from __future__ import annotations

import pytest

from playbook.form_names import shadows_form

LIST_PROPERTIES = """() => {
  const names = new Set();
  for (let o = document.querySelector("form"); o; o = Object.getPrototypeOf(o))
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  return [...names].filter((name) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name));
}"""


@pytest.mark.browser
def test_every_form_property_a_field_id_could_spell_is_refused(tab):
    tab.page.set_content("<form><input name='x'></form>")
    names = set(tab.page.evaluate(LIST_PROPERTIES))
    assert {"reset", "submit", "elements", "length"} <= names
    missed = {name for name in names if not shadows_form(name)}
    assert missed == set(), "new form properties in this Chromium: add them to form_names.py"


@pytest.mark.browser
def test_a_field_named_after_a_form_property_really_breaks_the_form(tab):
    tab.page.set_content("<form><input name='reset'><input name='their-goals'></form>")
    assert tab.page.evaluate("typeof document.querySelector('form').reset") == "object"
    assert tab.page.evaluate("typeof document.querySelector('form')['their-goals']") == "object"
