"""Hostile content: each class of input that could crash or fool the loader, generated over many cases.

Whatever is wrong, ``load`` raises ContentError whose problems name the file and a line of it;
never a traceback, never a silent build.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest
from pydantic import ValidationError

from playbook import brand, source
from playbook.content import load
from playbook.errors import ContentError
from playbook.form_names import FORM_PROPERTIES
from playbook.model import CanvasField

from .editing import edit, line_of_text, problems, set_value

LISTEN = "content/pillars/listen.yaml"


def lines_of(found: list[str], name: str) -> set[int]:
    return {int(p.split(":")[1]) for p in found if p.startswith(name + ":")}


def read(tmp_path: Path, text: str | bytes) -> source.Document:
    """One file through the reader alone: the classes below that are about YAML itself."""
    path = tmp_path / "file.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return source.read(path, "file.yaml")


def lines(doc: source.Document) -> set[int]:
    return {p.line for p in doc.problems}


BASE = "id: x\ntitle: A title\nbody: |\n  Some prose\n  on two lines\nlist: [a, b]\n"


# --- what PyYAML rejects or cannot construct ---------------------------------------------------

FORBIDDEN = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0))]
FORBIDDEN += ["\u2028", "\u2029", "\ufffe", "\uffff"]


def test_a_character_yaml_forbids_is_named_at_its_line(tmp_path):
    for i, char in enumerate(FORBIDDEN):
        line = i % 6 + 1
        rows = BASE.split("\n")
        rows[line - 1] = rows[line - 1][:4] + char + rows[line - 1][4:]
        doc = read(tmp_path, "\n".join(rows))
        assert [str(p) for p in doc.problems] == [
            f"file.yaml:{line}: character U+{ord(char):04X} is not allowed in YAML; remove it"
        ]


def test_a_forbidden_character_stops_the_load_with_its_line(mini_content):
    line = edit(mini_content / "pillars/listen.yaml", "  and at the worksheet", "  and at\x07 the worksheet")
    assert problems(mini_content) == [f"{LISTEN}:{line}: character U+0007 is not allowed in YAML; remove it"]


def test_a_byte_that_is_not_utf8_is_named_at_its_line(tmp_path):
    for bad in [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xc3("]:
        for line in range(1, 7):
            rows = BASE.encode().split(b"\n")
            rows[line - 1] = rows[line - 1][:4] + bad + rows[line - 1][4:]
            [problem] = read(tmp_path, b"\n".join(rows)).problems
            assert (problem.line, problem.message[:19]) == (line, "not valid UTF-8 tex"), (bad, line)


TAGS = [
    "!!binary",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!timestamp",
    "!!python/object:os.system",
    "!!python/name:os.system",
    "!!python/tuple",
    "!!merge",
    "!custom",
    "!<tag:example.com,2000:thing>",
]


def test_a_tag_content_does_not_use_is_refused_at_its_line(tmp_path):
    for tag in TAGS:
        for value in ["aGVsbG8=", "2024-01-01", "[a, b]", "{a: 1}", "''", ""]:
            doc = read(tmp_path, f"id: x\ntitle: {tag} {value}\nlist: [a, b]\n")
            assert lines(doc) == {2}, (tag, value, doc.problems)


def test_a_tag_stops_the_load_with_its_line(mini_content):
    line = set_value(mini_content / "pillars/listen.yaml", ("title",), "!!python/object/apply:os.system [ls]")
    assert problems(mini_content) == [
        f"{LISTEN}:{line}: the tag !!python/object/apply:os.system is not used in content files; remove it"
    ]


def test_a_core_tag_whose_value_cannot_be_built_is_refused(tmp_path):
    for tagged in ["!!int abc", "!!int 1.5", "!!float x", "!!bool maybe", "!!bool yes", "!!null x", "!!int"]:
        assert lines(read(tmp_path, f"a: 1\nnumber: {tagged}\n")) == {2}, tagged
    assert read(tmp_path, "a: !!float 1\nb: !!int 0x1f\nc: !!str 12\n").data == {"a": 1.0, "b": 31, "c": "12"}


def test_values_that_look_like_dates_numbers_or_booleans_stay_text(tmp_path):
    texts = [
        "2024-02-30",
        "2024-13-45T25:61:61Z",
        "2001-12-14t21:59:43.10-05:00",
        "1:30",
        "190:20:30",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "0b1010",
        "1_000",
        "0o9",
        "+.5e",
        "~x",
        "2024-1-1 1:1",
        "<<",
        "=",
    ]
    for text in texts:
        doc = read(tmp_path, f"title: {text}\n")
        assert (doc.data, doc.problems) == ({"title": text}, []), text


def test_a_date_like_title_loads_as_text(mini_content):
    set_value(mini_content / "pillars/listen.yaml", ("title",), "2024-02-30")
    assert load(mini_content).play("listen").title == "2024-02-30"


def test_a_number_with_thousands_of_digits_is_refused(mini_content):
    line = set_value(mini_content / "pillars/listen.yaml", ("number",), "9" * 5000)
    [found] = problems(mini_content)
    assert found.startswith(f"{LISTEN}:{line}: the number 9999")


def test_nesting_deeper_than_any_content_is_refused(tmp_path):
    for depth in (33, 200, 999, 5000):
        assert lines(read(tmp_path, "a: 1\nb: " + "[" * depth + "]" * depth + "\n")) == {2}, depth
        assert lines(read(tmp_path, "a: 1\nb:\n" + "".join(f"{' ' * i}- \n" for i in range(1, depth)))), depth


# --- values of an unexpected shape where ids, keys and references belong --------------------------

# not an id, nor a list of ids: mappings, sets, binary, numbers, booleans, null, empty text, nested lists
NEITHER = [
    "{a: b}",
    "[[listen]]",
    "{listen: null}",
    "!!set {listen}",
    "!!binary aGk=",
    "12",
    "true",
    "null",
    "''",
]
NOT_AN_ID = [*NEITHER, "[a, b]", "1.5", "[]", "{}", "[{id: listen}]"]
NOT_IDS = [*NEITHER, "{}", "[listen, [x]]", "[{id: listen}]", "[1, 2]", "listen"]
ONE = [
    ("pillars/listen.yaml", ("id",)),
    ("pillars/listen.yaml", ("related", 0)),
    ("pillars/listen.yaml", ("research", 0, "cite", 0)),
    ("sources.yaml", ("sources", 0, "key")),
    ("sources.yaml", ("sources",)),
    ("canvases/test-canvas.yaml", ("sections", 0, "fields", 0, "id")),
    ("canvases/test-canvas.yaml", ("zopa", "my_target")),
    ("challenge.yaml", ("days", 0, "theme")),
    ("challenge.yaml", ("themes", 0, "id")),
    ("evidence.yaml", ("figures", 0, "id")),
    ("recovery.yaml", ("steps", 0)),
]
MANY = [
    ("pillars/listen.yaml", ("related",)),
    ("pillars/listen.yaml", ("research", 0, "cite")),
    ("strategies/give-first.yaml", ("story", "cite")),
    ("canvases/test-canvas.yaml", ("sections", 0, "fields", 2, "related")),
    ("challenge.yaml", ("days", 1, "cite")),
]
# every shape in several places, every place with several shapes (all pairs would take a minute)
CASES = [(*place, shape) for i, place in enumerate(ONE) for shape in NOT_AN_ID[i % 4 :: 4]] + [
    (*place, shape) for i, place in enumerate(MANY) for shape in NOT_IDS[i % 4 :: 4]
]


@pytest.mark.parametrize(
    ("name", "loc", "shape"), CASES, ids=[f"{n}:{'.'.join(map(str, lc))}={s}" for n, lc, s in CASES]
)
def test_an_id_key_or_reference_of_another_shape_is_reported_at_its_line(mini_content, name, loc, shape):
    line = set_value(mini_content / name, loc, shape)
    with pytest.raises(ContentError) as caught:
        load(mini_content)
    for problem in caught.value.problems:
        text = (mini_content.parent / problem.file).read_text()
        assert 1 <= problem.line <= text.count("\n") + 1, problem
    assert line in {p.line for p in caught.value.problems if p.file == f"content/{name}"}, caught.value


@pytest.mark.parametrize("shape", ["[lisen]", "!!set {lisen}", "{lisen: null}", "[[lisen]]", "lisen"])
def test_a_reference_hidden_in_another_shape_still_fails(mini_content, shape):
    line = set_value(mini_content / "pillars/listen.yaml", ("related",), shape)
    assert lines_of(problems(mini_content), LISTEN) == {line}


# --- aliases and anchors ---------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "depth"), [(9, 9), (10, 12), (50, 6), (2, 60)])
def test_an_alias_bomb_fails_fast_and_small_at_its_lines(mini_content, width, depth):
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    path = mini_content / "pillars/listen.yaml"
    path.write_text(path.read_text() + "\n".join(bomb) + "\n")
    tracemalloc.start()
    started = time.process_time()  # this process's CPU time: other work on the machine does not count
    found = problems(mini_content)
    elapsed = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 200e6
    first = line_of_text(path.read_text(), "a1:")
    assert lines_of(found, LISTEN) == set(range(first, first + depth - 1))


@pytest.mark.parametrize(
    "value", ["&s [a, *s]", "&s {k: *s}", "&s [[[*s]]]", "&s {a: [b, {c: *s}]}", "&s [*s, *s, *s]"]
)
def test_a_structure_that_contains_itself_is_refused(mini_content, value):
    line = set_value(mini_content / "pillars/listen.yaml", ("related",), value)
    found = problems(mini_content)
    assert found and lines_of(found, LISTEN) == {line}
    assert all("alias" in p for p in found)


def test_an_alias_to_a_harmless_value_is_refused_at_the_alias(mini_content):
    path = mini_content / "pillars/listen.yaml"
    edit(path, "related: [ask-why, name-the-feeling]", "related: &r [ask-why, name-the-feeling]")
    line = edit(path, "prompts:\n", "extra: *r\nprompts:\n")
    assert problems(mini_content) == [
        f"{LISTEN}:{line}: an alias (*name) repeats a value here: content files do not use aliases; "
        "write the value out"
    ]


# --- a key given twice ---------------------------------------------------------------------------

REPEATABLE = [
    ("pillars/listen.yaml", "title: Listen first\n", "title: Listen again\n"),
    ("strategies/give-first.yaml", "  title: A test story\n", "  title: Another\n"),
    ("recovery.yaml", "    name: Own\n", "    name: Again\n"),
    ("canvases/test-canvas.yaml", "  my_target: my-target\n", "  my_target: their-target\n"),
    ("sections.yaml", "pillars:\n", "pillars:\n  title: Twice\n"),
]


@pytest.mark.parametrize(("name", "old", "extra"), REPEATABLE)
def test_a_key_given_twice_in_one_mapping_names_both_lines(mini_content, name, old, extra):
    line = edit(mini_content / name, old, old + extra)
    key = old.strip().split(":")[0]
    found = problems(mini_content)
    expected = (
        f"content/{name}:{line + 1}: key '{key}' appears twice here (lines {line} and {line + 1}): keep one"
    )
    assert expected in found


# --- files that are not what they seem -----------------------------------------------------------


def test_a_folder_named_like_a_content_file(mini_content):
    (mini_content / "pillars/extra.yaml").mkdir()
    assert problems(mini_content) == [
        "content/pillars/extra.yaml:1: cannot be read: it is a folder, not a file: move or rename it"
    ]


def test_a_dangling_link_named_like_a_content_file(mini_content):
    os.symlink("nowhere.yaml", mini_content / "pillars/extra.yaml")
    assert problems(mini_content) == [
        "content/pillars/extra.yaml:1: cannot be read: it is a link to nowhere.yaml, which does not exist"
    ]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("pillars/empathy.yml", "content files end in .yaml: rename it to empathy.yaml"),
        ("evidence.yml", "content files end in .yaml: rename it to evidence.yaml"),
        ("notes.txt", "the playbook does not read it: move it out of content/"),
        ("pillars/README.md", "the playbook does not read it: move it out of content/"),
        ("extras/thing.yaml", "the playbook does not read it: move it out of content/"),
        ("pillars/sub/deep.yaml", "the playbook does not read it: move it out of content/"),
    ],
)
def test_a_file_the_playbook_would_ignore_is_named(mini_content, name, hint):
    (mini_content / name).parent.mkdir(parents=True, exist_ok=True)
    (mini_content / name).write_text("id: x\n")
    assert f"content/{name}:1: unexpected file; {hint}" in problems(mini_content)


def test_hidden_files_such_as_editor_swap_files_are_ignored(mini_content):
    (mini_content / "pillars/.listen.yaml.swp").write_bytes(b"\x00\xff")
    (mini_content / ".DS_Store").write_bytes(b"\x00")
    load(mini_content)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(mini_content):
    path = mini_content / "pillars/listen.yaml"
    path.chmod(0)
    assert problems(mini_content) == [f"{LISTEN}:1: cannot be read: permission denied"]


def test_no_content_folder(tmp_path):
    assert problems(tmp_path / "content") == ["content/:1: no such folder: the playbook's content lives here"]


# --- limits that would fail late ------------------------------------------------------------------


@pytest.mark.parametrize("length", [81, 120, 250, 300])
def test_an_id_too_long_for_a_file_name_fails_validation(mini_content, length):
    long_id = "-".join(["word"] * (length // 5 + 1))[:length].strip("-")
    path = mini_content / "canvases/test-canvas.yaml"
    line = set_value(path, ("id",), long_id)
    if len(long_id) <= 250:  # named after its id, as it should be, while the name still fits
        path.rename(path.with_name(f"{long_id}.yaml"))
    found = problems(mini_content)
    assert any(f":{line}: id: string should have at most 80 characters" in p for p in found), found


# --- lines that drift -----------------------------------------------------------------------------

STYLES = {
    "literal": ("|", lambda lines: ["  " + ln for ln in lines]),
    "literal-strip": ("|-", lambda lines: ["  " + ln for ln in lines]),
    "folded": (">", lambda lines: ["  " + ln for ln in lines]),
    "folded-keep": (">+", lambda lines: ["  " + ln for ln in lines]),
    "plain": ("", lambda lines: ["  " + ln for ln in lines]),
    "double-quoted": (
        "",
        lambda lines: ['  "' + lines[0], *("  " + ln for ln in lines[1:-1]), "  " + lines[-1] + '"'],
    ),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("at", [0, 2, 5])
@pytest.mark.parametrize(
    "ref", ["[[no-such-play]]", "[@no-such-key]", "[[no such play]]", "[[listen]] [[nope]]"]
)
def test_a_problem_inside_a_multi_line_value_names_its_own_line(mini_content, style, at, ref):
    indicator, indent = STYLES[style]
    lines = ["One line of prose", "another line", "", "a third, after a blank", "more text", "the end"]
    lines[at] = f"{lines[at]} {ref} here" if lines[at] else ref
    path = mini_content / "pillars/listen.yaml"
    text = path.read_text()
    start = text.index("body: |\n")
    end = text.index("research:")
    block = "\n".join(ln.rstrip() for ln in indent(lines))
    path.write_text(f"{text[:start]}body: {indicator}\n{block}\n{text[end:]}")
    expected = line_of_text(text, "body: |") + 1 + at
    found = problems(mini_content)
    assert lines_of(found, LISTEN) == {expected}, found


# --- values that would break their output ---------------------------------------------------------


def test_every_field_id_that_shadows_a_form_property_is_refused():
    for name in [*FORM_PROPERTIES, "0", "12"]:
        with pytest.raises(ValidationError, match="is already a property of the worksheet's form"):
            CanvasField(id=name, label="L", prompt="P", type="text")


def test_a_field_id_that_shadows_a_form_property_stops_the_load_at_its_line(mini_content):
    line = set_value(mini_content / "canvases/test-canvas.yaml", ("sections", 0, "fields", 0, "id"), "reset")
    assert problems(mini_content) == [
        f"content/canvases/test-canvas.yaml:{line}: sections.0.fields.0.id: 'reset' is already a property "
        "of the worksheet's form: choose another id"
    ]


def test_a_column_id_every_browser_object_already_has_stops_the_load_at_its_line(mini_content):
    line = set_value(
        mini_content / "canvases/test-canvas.yaml",
        ("sections", 1, "fields", 4, "columns", 0, "id"),
        "constructor",
    )
    assert problems(mini_content) == [
        f"content/canvases/test-canvas.yaml:{line}: sections.1.fields.4.columns.0.id: 'constructor' is a "
        "name every object in the browser already has: choose another id"
    ]


def test_field_ids_like_form_words_but_not_properties_are_fine():
    for name in ("reset-plan", "my-name", "target-price", "one", "onboarding", "action-items", "on-time"):
        CanvasField(id=name, label="L", prompt="P", type="text")


ONE_LINE = [
    ("pillars/listen.yaml", ("title",)),
    ("pillars/listen.yaml", ("summary",)),
    ("recovery.yaml", ("steps", 0, "name")),
    ("challenge.yaml", ("days", 0, "title")),
    ("challenge.yaml", ("themes", 0, "title")),
    ("canvases/test-canvas.yaml", ("sections", 0, "fields", 0, "label")),
    ("canvases/test-canvas.yaml", ("sections", 1, "fields", 4, "columns", 0, "label")),
    ("sources.yaml", ("sources", 0, "author")),
    ("evidence.yaml", ("figures", 0, "value")),
    ("perspective.yaml", ("items", 0, "title")),
]


BREAKS = ['"Two\\nlines"', '"Cr\\rlf"', '"Line\\u2028separator"', '"Next\\x85line"']


@pytest.mark.parametrize(
    ("name", "loc", "newline"), [(*p, BREAKS[i % len(BREAKS)]) for i, p in enumerate(ONE_LINE)]
)
def test_a_line_break_in_a_title_name_or_label_is_refused(mini_content, name, loc, newline):
    line = set_value(mini_content / name, loc, newline)
    [found] = problems(mini_content)
    assert found.startswith(f"content/{name}:{line}: ") and "must fit on one line" in found


def test_a_title_written_as_a_one_line_block_is_fine(mini_content):
    set_value(mini_content / "pillars/listen.yaml", ("title",), "|\n  Just one line")
    assert load(mini_content).play("listen").title == "Just one line"


@pytest.mark.parametrize(
    "ref", ["[[no such play]]", "[@no such key]", "[[ listen ]]", "[[]]", "[@]", "[[Listen]]"]
)
def test_a_reference_with_spaces_or_capitals_fails_instead_of_printing(mini_content, ref):
    line = edit(
        mini_content / "pillars/listen.yaml", "  and at the worksheet", f"  and {ref} at the worksheet"
    )
    [found] = problems(mini_content)
    assert found.startswith(f"{LISTEN}:{line}: unknown ")


@pytest.mark.parametrize("where", ["../outside.png", "{docs}/../outside.png", "/etc/hostname", "link.png"])
def test_a_logo_outside_docs_is_refused(tmp_path, where):
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "outside.png").write_bytes(b"png")
    os.symlink(tmp_path / "outside.png", docs / "link.png")
    logo = where.format(docs=docs)
    with pytest.raises(brand.BrandError, match=r"extra\.brand\.logo: no file .* under docs/"):
        brand.load({"brand": {"organisation": "Acme", "logo": logo}}, docs)


def test_a_logo_inside_docs_is_accepted(tmp_path):
    from PIL import Image

    (tmp_path / "docs/img").mkdir(parents=True)
    Image.new("RGB", (2, 2)).save(tmp_path / "docs/img/logo.png")
    assert brand.load({"brand": {"organisation": "Acme", "logo": "img/logo.png"}}, tmp_path / "docs").logo
