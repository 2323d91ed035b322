"""The press: PDFs laid out in worker processes, cached by a key of everything that makes them, and
taken from the cache only when they are the bytes recorded and open as PDFs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import msgspec
import pytest

from playbook import fingerprint, outputs, pdf, site
from playbook.outputs import usable_cpus
from playbook.pdf import Press, cache_key

from .test_pdf import form  # a small fillable document


def test_the_key_holds_the_package_code_and_the_tools_versions(monkeypatch):
    html = form("A4", "a")
    before = cache_key(html)
    assert cache_key(form("A4", "b")) != before
    fingerprint.renderer.cache_clear()
    monkeypatch.setattr(fingerprint, "code", lambda: "another version of the package")
    assert cache_key(html) != before
    monkeypatch.undo()
    fingerprint.renderer.cache_clear()
    fingerprint.tools.cache_clear()
    monkeypatch.setattr(fingerprint, "_installed", lambda: dict.fromkeys(fingerprint.LIBRARIES, "999"))
    assert cache_key(html) != before, "another version of WeasyPrint, pikepdf..."
    monkeypatch.undo()
    fingerprint.renderer.cache_clear()
    fingerprint.tools.cache_clear()
    assert cache_key(html) == before


def test_the_workers_are_the_cpus_this_process_may_use(tmp_path: Path):
    assert usable_cpus() == len(os.sched_getaffinity(0))
    with Press(tmp_path / "pdf", layout=False) as press:
        assert press.workers == usable_cpus()
    with Press(tmp_path / "pdf", workers=1, layout=False) as press:
        assert press.workers == 1


def test_workers_are_forked_only_while_the_process_has_one_thread():
    probe = (
        "import threading\n"
        "from playbook.pdf import _context\n"
        "print(_context().get_start_method())\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait).start()\n"
        "print(_context().get_start_method())\n"
        "stop.set()\n"
    )  # in a process of its own: this one may run threads (a browser test's, a server's)
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    alone, beside_threads = run.stdout.split()
    assert alone == "fork" and beside_threads in ("forkserver", "spawn")


def test_workers_leave_with_a_build_that_is_killed(tmp_path: Path):
    """A build stopped by SIGKILL (or `mkdocs serve` by a signal) never closes its press: its
    workers must not outlive it, holding its output streams open."""
    probe = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from playbook.pdf import Press\n"
        "press = Press(Path(sys.argv[1]), workers=2, layout=False)\n"
        "print(press.call(os.getpid).result(), flush=True)\n"
        "print(*(p.pid for p in press.pool._processes.values()), flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", probe, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    build.stdout.readline()
    workers = [int(pid) for pid in build.stdout.readline().split()]
    assert len(workers) == 2
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its build"
    build.stdout.close()


def _alive(pid: int) -> bool:
    """The process runs (a zombie, left for its new parent to reap, has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_the_press_lays_out_a_document_once_and_reuses_it_after(tmp_path: Path):
    with Press(tmp_path / "pdf") as press:
        first = press.submit(form("A4", "a"))
        assert press.submit(form("A4", "a")) is first, "handed in twice while in the press"
        other = press.submit(form("A4", "b"))
        made = first.result()
        assert made != other.result() and made.read_bytes().startswith(b"%PDF")
    laid_out = made.stat().st_ino  # every PDF written replaces the file (a new inode)
    with Press(tmp_path / "pdf") as again:
        assert again.submit(form("A4", "a")).result() == made
    assert made.stat().st_ino == laid_out, "taken from the cache as it was"


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["altered", "never recorded"])
def test_a_pdf_that_is_not_the_one_recorded_is_laid_out_again(tmp_path: Path, damage: str):
    html = form("A4", "a")
    with Press(tmp_path / "pdf") as press:
        made = press.submit(html).result()
        good = made.read_bytes()
    if damage == "altered":
        made.write_bytes(good.replace(b"Who is on the other side?", b"Who is on the other foot?"))
    else:
        (tmp_path / "pdf.json").unlink()
    with Press(tmp_path / "pdf") as again:
        assert again.submit(html).result() == made
    assert made.read_bytes() == good, "laid out again, byte for byte as before"


@pytest.mark.slow
def test_a_pdf_recorded_as_it_is_but_that_does_not_open_is_found_and_laid_out_again(tmp_path: Path):
    html = form("A4", "a")
    with Press(tmp_path / "pdf") as press:
        made = press.submit(html).result()
        good = made.read_bytes()
    made.write_bytes(good[: len(good) // 2])
    index = tmp_path / "pdf.json"
    index.write_text(index.read_text().replace(pdf.cache.sha256(good), pdf.cache.sha256(made.read_bytes())))
    with Press(tmp_path / "pdf") as again:
        assert again.submit(html).result() == made, "its bytes are the ones recorded"
        assert again.check([made]).result() == [made]
        assert again.submit(html).result() == made
    assert made.read_bytes() == good


@pytest.mark.slow
def test_a_closed_press_drops_the_documents_no_one_waited_for(tmp_path: Path):
    press = Press(tmp_path / "pdf")
    made = [press.submit(form("A4", f"f{n}")) for n in range(8)]
    press.close()  # as when a build fails half way
    assert any(future.cancelled() for future in made)
    assert not list((tmp_path / "pdf").glob(".*.partial")), "no half-written PDF is left"
    done = [future.result() for future in made if not future.cancelled()]
    assert all(path.read_bytes().startswith(b"%PDF") for path in done)


@pytest.mark.slow
def test_beside_threads_the_workers_come_from_a_fork_server(tmp_path: Path):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with Press(tmp_path / "pdf", workers=1) as press:
            assert press.submit(form("A4", "a")).result().read_bytes().startswith(b"%PDF")
    finally:
        stop.set()
        other.join()


def test_an_edit_to_a_few_files_is_laid_out_by_one_worker():
    """One worker loads WeasyPrint once and leaves the other CPUs to MkDocs; more files changed, or
    the configuration, code or tools, and every worker the settings allow is started."""
    digest = "0" * 64
    before = fingerprint.Inputs(
        sources={f"content/{n}.yaml": digest for n in range(9)}, config=digest, code=digest, tools=digest
    )
    one = msgspec.structs.replace(before, sources={**before.sources, "content/0.yaml": "1" * 64})
    many = msgspec.structs.replace(before, sources=dict.fromkeys(before.sources, "1" * 64))
    styled = msgspec.structs.replace(one, config="1" * 64)
    assert (one.edited(before), many.edited(before), styled.edited(before)) == (1, 9, None)
    settings = outputs.Outputs(workers=2)

    def workers(now: fingerprint.Inputs, last=before, reuse=False, session=False) -> tuple[int, bool]:
        return site._workers(settings, now, last, reuse, session)

    assert workers(one) == (1, True)
    assert workers(many) == workers(styled) == workers(one, last=None) == (2, True)
    assert workers(one, session=True) == (2, True), "mkdocs serve keeps its press for every build"
    assert workers(before, reuse=True) == (1, False), "taking the last build's files: a check only"
