"""The last build's record: an unchanged project takes its pages and files as they are, and a record
or a cached file that is damaged, foreign or hostile means a rebuild, never code run, a path
followed outside the cache, a traceback or a broken published file."""

from __future__ import annotations

import io
import json
import logging
import pickle
import shutil
import zipfile
from pathlib import Path

import pytest
from mkdocs.commands.build import build as build_in_process
from mkdocs.config import load_config
from pypdf import PdfReader

from playbook import bundle, cache, content, last_build, pdf, site
from playbook.render import Renderer

pytestmark = pytest.mark.slow  # real builds


def build_here(project: Path, config_file: str = "mkdocs.yml") -> None:
    """A real `mkdocs build --strict` in this process (a new process would add a second)."""
    config = load_config(str(project / config_file), site_dir=str(project / "site"), strict=True)
    build_in_process(config)


def published(project: Path) -> dict[str, bytes]:
    """The PDFs beside the pages and the zip's entries (whose bytes must equal the site's)."""
    site = project / "site"
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.pdf")}
    with zipfile.ZipFile(site / bundle.NAME) as zipped:
        inside = {n.removeprefix(f"{bundle.FOLDER}/"): zipped.read(n) for n in zipped.namelist()}
    assert {name: inside[name] for name in files} == files, "the zip holds the site's PDFs"
    return files


def record(project: Path) -> dict:
    return json.loads((project / ".cache/playbook" / last_build.NAME).read_text())


@pytest.fixture
def built(mini_site: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of the first build (project, site and cache: its record holds no absolute path), and
    what it published."""
    project = shutil.copytree(mini_site.parent, tmp_path / "project", symlinks=True)
    return project, published(project)


def test_an_unchanged_project_reads_renders_and_lays_out_nothing(built, monkeypatch):
    project, before = built
    monkeypatch.setattr(content, "load", lambda root: pytest.fail("content read again"))
    monkeypatch.setattr(Renderer, "markdown", lambda *a: pytest.fail("a page rendered again"))
    monkeypatch.setattr(pdf.Press, "submit", lambda *a: pytest.fail("a PDF handed to the press"))
    build_here(project)
    assert published(project) == before


def plant_pickle(project: Path, proof: Path) -> None:
    class Planted:
        def __reduce__(self):
            return (Path.write_text, (proof, "code ran"))

    (project / ".cache/playbook" / last_build.NAME).write_bytes(pickle.dumps(Planted()))


def rewrite(project: Path, change) -> None:
    path = project / ".cache/playbook" / last_build.NAME
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def first_pdf(data: dict) -> dict:
    return next(placed for name, placed in data["files"].items() if name != "handbook.pdf")


def outside_with_the_same_bytes(project: Path, data: dict) -> Path:
    """A copy, outside the cache, of the file a record names (so its SHA-256 still matches)."""
    placed = first_pdf(data)
    copy = project.parent / "outside.pdf"
    copy.write_bytes((project / ".cache/playbook" / placed["path"]).read_bytes())
    return copy


def traversal(project: Path):
    def change(data: dict) -> None:
        copy = outside_with_the_same_bytes(project, data)
        first_pdf(data)["path"] = "../../../" + copy.name

    return change


def absolute(project: Path):
    def change(data: dict) -> None:
        first_pdf(data)["path"] = str(outside_with_the_same_bytes(project, data))

    return change


def symlink_out(project: Path):
    def change(data: dict) -> None:
        copy = outside_with_the_same_bytes(project, data)
        target = project / ".cache/playbook" / first_pdf(data)["path"]
        target.unlink()
        target.symlink_to(copy)

    return change


def truncated_and_recorded(project: Path):
    def change(data: dict) -> None:
        placed = first_pdf(data)
        path = project / ".cache/playbook" / placed["path"]
        path.write_bytes(path.read_bytes()[:2000])
        placed["sha256"] = cache.sha256(path.read_bytes())

    return change


def altered(project: Path):
    def change(data: dict) -> None:
        path = project / ".cache/playbook" / first_pdf(data)["path"]
        path.write_bytes(path.read_bytes().replace(b"/Title", b"/Tidle"))

    return change


def another_shape(project: Path):
    def change(data: dict) -> None:
        data["files"] = [data["files"]]

    return change


def a_page_outside(project: Path):
    def change(data: dict) -> None:
        data["pages"]["../../escaped.md"] = "# Escaped"

    return change


PLANTS = [traversal, absolute, symlink_out, truncated_and_recorded, altered, another_shape, a_page_outside]


@pytest.mark.parametrize("plant", PLANTS)
def test_a_hostile_or_damaged_record_means_a_rebuild(built, plant):
    project, before = built
    rewrite(project, plant(project))
    build_here(project)
    assert published(project) == before, "the files a build of this project makes, none other"
    assert not (project / "escaped.html").exists() and not (project.parent / "escaped.html").exists()
    assert record(project)["files"] == json.loads(json.dumps(record(project)["files"]))
    for placed in record(project)["files"].values():
        assert cache.inside(project / ".cache/playbook", placed["path"]), "the new record is sound"


def test_a_planted_pickle_never_runs(built):
    project, before = built
    proof = project.parent / "proof"
    plant_pickle(project, proof)
    cache_dir = project / ".cache/playbook"
    (cache_dir / "last-build.pickle").write_bytes(pickle.dumps({"old": "format"}))
    (cache_dir / "serve/canvases").mkdir(parents=True)  # what older versions kept
    (cache_dir / "serve/canvases/deleted-a4.pdf").write_bytes(b"%PDF")
    (cache_dir / "elsewhere").symlink_to(project.parent)
    build_here(project)
    assert not proof.exists(), "the planted pickle ran"
    assert published(project) == before
    assert {p.name for p in cache_dir.iterdir()} == site.CACHED, "the rest is removed, links unfollowed"
    assert project.parent.is_dir() and (project / "content").is_dir()


def test_a_pdf_filled_in_inside_the_site_reaches_neither_the_cache_nor_the_next_build(built):
    project, before = built
    name = next(name for name in before if name != "handbook.pdf")
    with (project / "site" / name).open("r+b") as file:  # a viewer saving a filled-in form in place
        file.seek(len(before[name]) // 2)
        file.write(b"filled in by a reader")
    for placed in record(project)["files"].values():
        assert cache.intact(project / ".cache/playbook" / placed["path"], placed["sha256"])
    build_here(project)
    assert published(project) == before, "the blank form is published again, in the site and the zip"


def forge(project: Path, path: Path, data: bytes, store: str = "pdf") -> None:
    """``path`` in a store of the cache (the PDFs', or the books') holds ``data`` now, and the store's
    record says so."""
    store = project / f".cache/playbook/{store}.json"
    record_ = json.loads(store.read_text())
    record_["files"][path.stem] = cache.sha256(data)
    path.write_bytes(data)
    store.write_text(json.dumps(record_))


def test_a_worksheet_recorded_as_it_is_but_that_does_not_open_is_never_published(built):
    project, before = built
    name, placed = next((n, p) for n, p in record(project)["files"].items() if n != "handbook.pdf")
    path = project / ".cache/playbook" / placed["path"]
    forge(project, path, path.read_bytes()[:1500])
    strategy = project / "content/strategies/give-first.yaml"
    strategy.write_text(strategy.read_text().replace("small thing", "cheap thing"))  # not the last build
    build_here(project)
    assert published(project)[name] == before[name], "laid out again, as it was"


def test_a_chapter_recorded_as_it_is_but_that_does_not_open_is_laid_out_again(built, caplog):
    project, before = built
    placed = {p["path"] for p in record(project)["files"].values()}
    chapters = (p for p in (project / ".cache/playbook/pdf").glob("*.pdf") if f"pdf/{p.name}" not in placed)
    chapter = next(chapters)
    forge(project, chapter, chapter.read_bytes()[:1500])
    shutil.rmtree(project / ".cache/playbook/handbook")  # no book to change in place: every part is opened
    with caplog.at_level(logging.INFO, "mkdocs.plugins.playbook"):
        build_here(project)
    assert "the handbook is made again" in caplog.text, "its join failed on the part, then succeeded"
    after = published(project)
    book = after.pop("handbook.pdf")
    assert after == {name: data for name, data in before.items() if name != "handbook.pdf"}
    assert text(book) == text(before["handbook.pdf"]), "joined anew (playbook.join writes a new /ID)"


def test_a_book_planted_under_the_finished_books_key_is_never_published(built):
    project, before = built
    (book,) = (project / ".cache/playbook/handbook").glob("*.pdf")
    worksheet = next(name for name in before if name != "handbook.pdf")
    book.write_bytes(before[worksheet])  # a sound PDF, under the name the next build will look for
    (project / ".cache/playbook" / last_build.NAME).unlink()  # so the build binds the book again
    build_here(project)
    assert published(project)["handbook.pdf"] == before["handbook.pdf"], "joined again, as it was"


def test_a_book_recorded_as_it_is_but_that_does_not_open_is_joined_again(built):
    project, before = built
    (book,) = (project / ".cache/playbook/handbook").glob("*.pdf")
    forge(project, book, book.read_bytes()[:4000], store="handbook")
    (project / ".cache/playbook" / last_build.NAME).unlink()  # so the build looks the book up
    build_here(project)
    assert published(project)["handbook.pdf"] == before["handbook.pdf"], "joined again, as it was"


@pytest.mark.parametrize("link", [".cache", ".cache/playbook"])
def test_a_cache_folder_that_is_a_link_is_replaced_never_followed(built, tmp_path: Path, link: str):
    project, before = built
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep-me.txt").write_text("a file of the reader's")
    shutil.rmtree(project / ".cache")
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(elsewhere, target_is_directory=True)
    build_here(project)
    assert [p.name for p in elsewhere.iterdir()] == ["keep-me.txt"], "nothing written or removed there"
    assert not (project / link).is_symlink() and (project / ".cache/playbook" / last_build.NAME).is_file()
    assert published(project) == before


def test_a_link_planted_where_the_build_writes_in_the_cache_is_replaced(built, tmp_path: Path):
    project, before = built
    victim = tmp_path / "a-file-of-the-readers.txt"
    victim.write_text("unchanged")
    numbers = project / ".cache/playbook/handbook/numbers.json"
    numbers.unlink()
    numbers.symlink_to(victim)
    (project / ".cache/playbook" / last_build.NAME).unlink()  # so the book is bound and numbered again
    for book in (project / ".cache/playbook/handbook").glob("*.pdf"):
        book.unlink()
    build_here(project)
    assert victim.read_text() == "unchanged"
    assert not numbers.is_symlink() and json.loads(numbers.read_text())
    assert published(project) == before


def text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def deep(levels: int) -> str:
    """A nav of sections in sections, as JSON text (too deep for the json module to write)."""
    return '[{"Section": ' * levels + '["index.md"]' + "}]" * levels


@pytest.mark.parametrize(
    "change",
    [
        deep(last_build.NAV_DEPTH + 2),  # sections without end
        deep(5000),  # deeper than Python's recursion: still no traceback
        {"nav": [5]},
        {"nav": [{"Section": 5}]},
        {"nav": "index.md"},
        {"files": {"handbook.html": {"path": "pdf/a.pdf", "sha256": "0" * 64}}},  # only PDFs are placed
        {"files": {"../handbook.pdf": {"path": "pdf/a.pdf", "sha256": "0" * 64}}},
        {"files": {"handbook.pdf": {"path": "pdf/a.pdf", "sha256": "0" * 63}}},
        {"origins": {"a.md": "/etc/passwd"}},
        {"warnings": [["content/a.yaml", "one", "x"]]},
        {"inputs": {"sources": {}, "config": "0" * 64, "code": "0" * 64}},
        {"pages": {"a.md": 5}},
        {"extra": 1},
    ],
)
def test_a_record_of_another_shape_counts_as_none(tmp_path: Path, change: dict | str):
    """Read without a build: the record's every field is checked, and anything else is no record."""
    digest = "0" * 64
    sound = {
        "inputs": {"sources": {"content/a.yaml": digest}, "config": digest, "code": digest, "tools": digest},
        "warnings": [["content/a.yaml", 3, "a warning"]],
        "pages": {"a.md": "# A"},
        "assets": {"assets/x.css": "a {}"},
        "nav": [{"Learn": ["a.md", {"More": "b.md"}]}],
        "origins": {"a.md": "content/a.yaml"},
        "files": {"a/handbook.pdf": {"path": "pdf/a.pdf", "sha256": digest}},
    }
    (tmp_path / last_build.NAME).write_text(json.dumps(sound))
    assert last_build.read(tmp_path).nav == sound["nav"]
    text = json.dumps(sound | ({"nav": "NAV"} if isinstance(change, str) else change))
    (tmp_path / last_build.NAME).write_text(text.replace('"NAV"', change if isinstance(change, str) else ""))
    assert last_build.read(tmp_path) is None
