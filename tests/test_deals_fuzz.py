"""Fuzzing the import path in Chromium: whatever JSON a file holds, no uncaught exception, a sentence
for every refused file, saved data unchanged after it, and only readable deals ever stored.

Hypothesis generates the files (random JSON, and envelopes that look right with damaged parts:
`__proto__`, `constructor`, objects whose `toString` is not a function, huge numbers, deep nesting,
wrong types everywhere); each goes to `PlaybookDeals.importText` in the page.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.browser

PER_EXAMPLE = 5  # files drawn per example, imported with one page.evaluate
EXAMPLES = 240  # 1,200 files

HOSTILE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype", "length"]
ENVELOPE_KEYS = ["format", "kind", "id", "version", "exported", "data", "deals", "canvases"]
RECORD_KEYS = ["id", "name", "worksheets", "answers", "earlier", "labels", "v", "t", "label", "value"]

# runs in the page: each file imported in turn, storage compared before and after each refused one
RUN = """([texts, worksheets]) => {
  const snap = () => JSON.stringify(Object.keys(localStorage).sort().map((k) => [k, localStorage[k]]));
  const found = [];
  for (const text of texts) {
    const before = snap();
    let result;
    try {
      result = PlaybookDeals.importText(text, worksheets, () => true);
    } catch (err) {
      found.push(["threw", String(err && err.message), text.slice(0, 300)]);
      continue;
    }
    if (!result || typeof result.ok !== "boolean") found.push(["no result", text.slice(0, 300)]);
    else if (!result.ok) {
      if (typeof result.error !== "string" || !result.error.endsWith("nothing was imported.")) {
        found.push(["no sentence", String(result.error), text.slice(0, 300)]);
      }
      if (snap() !== before) found.push(["changed storage", text.slice(0, 300)]);
    }
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith("negotiation-playbook:deal:"))) {
      let value;
      try { value = JSON.parse(localStorage.getItem(key)); } catch { value = undefined; }
      if (!PlaybookDeals.check(value)) found.push(["stored unreadable", key, text.slice(0, 300)]);
    }
  }
  return found;
}"""


def json_values(keys: st.SearchStrategy[str]) -> st.SearchStrategy:
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**30), max_value=10**30)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20)
        | st.sampled_from(["", "2026-02-30", "2026-03-14", "1e999", "5", "NaN", "<b>x</b>"])
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=8,
    )


def files(worksheets: dict) -> st.SearchStrategy[str]:
    sheet_ids = list(worksheets)
    field_ids = sorted({f["id"] for w in worksheets.values() for f in w["fields"]})
    column_ids = sorted({c["id"] for w in worksheets.values() for f in w["fields"] for c in f["columns"]})
    keys = st.sampled_from(HOSTILE_KEYS + ENVELOPE_KEYS + RECORD_KEYS + field_ids + sheet_ids) | st.text(
        max_size=8
    )
    anything = json_values(keys)
    to_string = st.fixed_dictionaries({"toString": anything, "valueOf": anything})
    odd = anything | to_string
    value = (
        st.text(max_size=30)
        | st.booleans()
        | st.sampled_from(["2026-02-30", "12", "abc", "3", "9", "0001-01-01", "1e999"])
        | st.lists(st.dictionaries(st.sampled_from([*column_ids, "__proto__"]), st.text(max_size=10) | odd))
        | odd
    )
    answers = st.dictionaries(
        st.sampled_from([*field_ids, *HOSTILE_KEYS]) | st.text(max_size=6), value, max_size=5
    )
    entry = st.fixed_dictionaries({"v": value}, optional={"label": st.text(max_size=10) | odd, "t": odd})
    sheet = st.fixed_dictionaries(
        {},
        optional={
            "answers": st.dictionaries(
                st.sampled_from(field_ids) | st.sampled_from(HOSTILE_KEYS), entry | odd
            )
            | odd,
            "earlier": st.dictionaries(
                st.sampled_from(field_ids) | st.text(max_size=6),
                st.fixed_dictionaries({"label": st.text(max_size=8) | odd, "value": value}) | odd,
            )
            | odd,
        },
    )
    deal = st.fixed_dictionaries(
        {
            "id": st.sampled_from(["a", "b", "__proto__", ""]) | st.text(max_size=8) | odd,
            "name": st.text(max_size=20) | odd,
            "worksheets": st.dictionaries(
                st.sampled_from([*sheet_ids, *HOSTILE_KEYS, "no-such"]), sheet | odd
            )
            | odd,
        }
    )
    canvas = st.fixed_dictionaries(
        {"name": st.text(max_size=20) | odd, "answers": answers | odd},
        optional={
            "id": st.text(max_size=5) | odd,
            "labels": st.dictionaries(keys, odd) | odd,
            "earlier": odd,
        },
    )
    envelope = st.fixed_dictionaries(
        {
            "format": st.just("negotiation-playbook") | odd,
            "kind": st.sampled_from(["deals", "canvases", "challenge"]) | odd,
            "id": st.sampled_from(["deals", *sheet_ids, "x"]) | odd,
            "version": st.sampled_from([1, 2, "1"]) | odd,
            "data": st.fixed_dictionaries({}, optional={"deals": st.lists(deal | odd, max_size=3) | odd})
            | st.fixed_dictionaries({}, optional={"canvases": st.lists(canvas | odd, max_size=3) | odd})
            | odd,
        }
    )
    documents = (envelope | anything).map(json.dumps)
    deep = st.integers(min_value=100, max_value=20000).map(lambda n: "[" * n + "]" * n)
    broken = st.text(max_size=40) | documents.map(lambda t: t[: len(t) // 2])
    return documents | deep | broken


@pytest.fixture
def import_page(server: str, tab):
    page = tab.page
    page.goto(f"{server}/canvases/my-deals.html")
    worksheets = page.evaluate("PlaybookDeals.worksheets()")
    return page, worksheets, files(worksheets)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database in the repository
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_no_file_ever_throws_or_changes_anything_it_refuses(import_page, data):
    page, worksheets, strategy = import_page
    texts = data.draw(st.lists(strategy, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    assert page.evaluate(RUN, [texts, worksheets]) == []
