"""The generic PDF writer: real WeasyPrint output opened with pypdf, and its cache."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from playbook.pdf import PdfJob, cache_key, write_pdfs


def form(size: str, name: str) -> str:
    return (
        f"<!doctype html><style>@page {{ size: {size} }}</style>"
        f"<form><input name='{name}'><textarea name='{name}-notes'></textarea>"
        f"<input type='checkbox' name='{name}-done'></form>"
    )


def test_writes_fillable_pdfs_in_parallel_with_each_documents_page_size(tmp_path: Path):
    jobs = [PdfJob(form("A4", "a"), tmp_path / "out/a.pdf"), PdfJob(form("letter", "b"), tmp_path / "b.pdf")]
    assert write_pdfs(jobs, tmp_path / "cache") == [j.target for j in jobs]
    a, b = PdfReader(jobs[0].target), PdfReader(jobs[1].target)
    assert [round(float(x)) for x in a.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(x)) for x in b.pages[0].mediabox[2:]] == [612, 792]
    fields = a.get_fields()
    assert fields["a"]["/FT"] == "/Tx"
    assert fields["a-notes"]["/Ff"] & 4096  # multiline
    assert fields["a-done"]["/FT"] == "/Btn"
    assert set(b.get_fields()) == {"b", "b-notes", "b-done"}


def test_reuses_the_cached_pdf_while_the_html_is_unchanged(tmp_path: Path):
    html = form("A4", "a")
    cache = tmp_path / "cache"
    cache.mkdir()
    # a cache entry for this exact HTML is copied as it is, so a marker proves nothing was rendered
    (cache / f"{cache_key(html)}.pdf").write_bytes(b"cached")
    write_pdfs([PdfJob(html, tmp_path / "a.pdf")], cache)
    assert (tmp_path / "a.pdf").read_bytes() == b"cached"
    changed = html.replace("notes", "thoughts")
    write_pdfs([PdfJob(changed, tmp_path / "a.pdf")], cache)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert (cache / f"{cache_key(changed)}.pdf").exists()
