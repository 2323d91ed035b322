"""Build benchmark: the playbook's real build, side by side with a plain Material build of the same pages.

    python bench/run.py                      # 1x and 10x the content 3 times, 100x once (median shown)
    python bench/run.py --scales 1 --repeat 1
    python bench/run.py --scales 100 --steps cold warm edit   # a cold build must come first
    python bench/run.py --content tests/trees/mini/content   # another content tree (the tests' smoke run)

The plain build is what the playbook would cost without its hook: every page the hook generates is
written out as an ordinary Markdown file, the navigation the hook builds is written into mkdocs.yml,
and `hooks:` is removed. Both builds then run as new `mkdocs build` processes, one after the other,
for each step:

- cold: no site and no cache (ours renders every PDF, the handbook, the calendar and the bundle);
- warm: the same build again, nothing changed (ours reuses every cached output);
- edit: after one strategy is edited (ours regenerates only the outputs that depend on it);
- serve: under `mkdocs serve`, seconds from saving an edit to that strategy until the server sends
  the changed page (what an author waits for in the browser). Ours makes its PDFs, the handbook and
  the zip after that, in the background; the next edit waits until they are done.

At 10x and 100x, every strategy and worksheet is copied that many times over (new ids, numbers and
titles), so the site grows the way a large organisation's playbook would. The table shows the median
of the repetitions and the ratio ours / plain.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "content", "hooks")
MULTIPLIED = ("strategies", "canvases")  # the content that grows with an organisation's playbook
STEPS = ("cold", "warm", "edit", "serve")
LARGE = 100  # from this scale on, --repeat-large applies


def copy_project(dest: Path, content: Path = ROOT / "content") -> Path:
    """A copy of everything a build reads (with ``content`` as its content/), so that a run or a test
    can change or break it without touching the real one."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = content if name == "content" else ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(src, dest / name)
    return dest


def unmarked(data: object) -> object:
    """A worksheet's fields without their places in the deal brief and without the meeting's date:
    the brief takes each from one worksheet, so a copy of a worksheet must not claim them again."""
    if isinstance(data, dict):
        return {key: unmarked(value) for key, value in data.items() if key not in ("brief", "meeting")}
    return [unmarked(item) for item in data] if isinstance(data, list) else data


def multiply(content: Path, scale: int) -> None:
    """Add ``scale - 1`` copies of every strategy and worksheet, each with its own id, number and title."""
    for kind in MULTIPLIED:
        originals = sorted((content / kind).glob("*.yaml"))
        numbers = len(originals)
        for path in originals:
            data = unmarked(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
            for copy in range(1, scale):
                item = {**data, "id": f"{data['id']}-{copy}", "title": f"{data['title']} ({copy})"}
                if "number" in item:
                    item["number"] = data["number"] + copy * numbers
                text = yaml.dump(item, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
                (content / kind / f"{item['id']}.yaml").write_text(text, encoding="utf-8")


def write_plain(ours: Path, plain: Path) -> None:
    """The same site without the hook: generated files written out, the hook's nav in mkdocs.yml."""
    script = f"""
import sys, yaml
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
config = load_config(config_file={str(ours / "mkdocs.yml")!r})
config = config.plugins.on_config(config)
files = config.plugins.on_files(get_files(config), config=config)
docs = Path({str(plain / "docs")!r})
for file in files:
    if file.generated_by:
        (docs / file.src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / file.src_uri).write_bytes(file.content_bytes)
print(yaml.safe_dump({{"nav": config.nav}}, sort_keys=False))
"""
    plain.mkdir(parents=True)
    shutil.copytree(ours / "docs", plain / "docs")
    nav = subprocess.run(
        [sys.executable, "-c", script], cwd=ours, capture_output=True, text=True, check=True
    ).stdout
    config = (ours / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^hooks:\n(?:[ \t]+-.*\n)+", "", config, flags=re.M)
    config = re.sub(r"^watch:\n(?:[ \t]+-.*\n)+", "", config, flags=re.M)
    (plain / "mkdocs.yml").write_text(config + "\n" + nav, encoding="utf-8")


def edit(ours: Path, plain: Path, mark: str) -> str:
    """Add ``mark`` to one strategy's summary in ours, and to the same page's Markdown in the plain
    project; returns that page's uri in the site."""
    path = sorted((ours / "content/strategies").glob("*.yaml"))[0]
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    data["summary"] = f"{data['summary']} {mark}."
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    page = plain / "docs/strategies" / f"{data['id']}.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{mark}.\n", encoding="utf-8")
    return f"strategies/{data['id']}.html"


def _edit_mark(ours: Path, plain: Path, mark: str) -> tuple[str, str]:
    return edit(ours, plain, mark), mark


@contextlib.contextmanager
def serving(project: Path) -> Iterator[tuple[str, list[str]]]:
    """`mkdocs serve` in ``project`` on a free port: its address and its log, which grows as it runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/", log
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def serve(project: Path, edits: list, background: bool) -> float:
    """Median seconds from saving each edit to the server sending the page that shows it."""
    with serving(project) as (base, log):
        _until(lambda: _fetch(base), 1800, "the first page")
        seconds = []
        for make_edit in edits:
            # ours: the background files of the last build are done
            _until(lambda: _quiet(log, background), 1800, "the files beside the pages")
            start = time.perf_counter()
            uri, mark = make_edit()
            _until(lambda url=base + uri, mark=mark: mark in _fetch(url), 1800, "the edited page")
            seconds.append(time.perf_counter() - start)
        return statistics.median(seconds)


def _quiet(log: list[str], background: bool) -> bool:
    """A build has finished and, with ``background``, the files it makes after it were reported done."""
    built = [i for i, line in enumerate(log) if "Documentation built" in line]
    done = [i for i, line in enumerate(log) if "beside the pages are up to date" in line]
    return bool(built) and (not background or bool(done and done[-1] > built[-1]))


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def _until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"mkdocs serve did not make {what} in {seconds:.0f} s")
        time.sleep(0.02)


def build(project: Path) -> float:
    """Seconds for one `mkdocs build --strict`, in a new process as a person (or CI) would run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build of {project} failed:\n{result.stderr}")
    return seconds


def cache_entries(project: Path) -> set[Path]:
    return set((project / ".cache").rglob("*.*")) if (project / ".cache").exists() else set()


def measure(
    scale: int, repeat: int, work: Path, steps: tuple[str, ...] = STEPS, content: Path = ROOT / "content"
) -> dict:  # fmt: skip
    """Median seconds of each step for both builds, and what ours regenerated after the edit."""
    ours = copy_project(work / f"ours-{scale}x", content)
    multiply(ours / "content", scale)
    plain = work / f"plain-{scale}x"
    write_plain(ours, plain)
    times: dict[str, dict[str, list[float]]] = {step: {"ours": [], "plain": []} for step in steps}
    regenerated: list[str] = []
    for run in range(repeat):
        for project in (ours, plain):
            shutil.rmtree(project / "site", ignore_errors=True)
            shutil.rmtree(project / ".cache", ignore_errors=True)
        for step in steps:
            if step == "serve":
                for name, project in (("ours", ours), ("plain", plain)):
                    marks = [f"Served edit {name} {run}-{n}" for n in range(3)]
                    # each edit changes both projects, so each server finds its page changed
                    edits = [functools.partial(_edit_mark, ours, plain, mark) for mark in marks]
                    times[step][name].append(serve(project, edits, background=project is ours))
                continue
            if step == "edit":
                edit(ours, plain, f"Edited for run {run}")
                before = cache_entries(ours)
            for name, project in (("ours", ours), ("plain", plain)):
                times[step][name].append(build(project))
            if step == "edit":
                made = cache_entries(ours) - before
                regenerated = sorted(p.relative_to(ours / ".cache").as_posix() for p in made)
    pages = sum(1 for _ in (ours / "site").rglob("*.html"))
    medians = {step: {k: statistics.median(v) for k, v in by.items()} for step, by in times.items()}
    return {"scale": scale, "pages": pages, "runs": repeat, "times": medians, "regenerated": regenerated}


def table(results: list[dict]) -> str:
    lines = [
        "| content | pages | runs | step | playbook (s) | plain Material (s) | ratio |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        for step in result["times"]:
            ours, plain = result["times"][step]["ours"], result["times"][step]["plain"]
            row = f"| {result['scale']}x | {result['pages']} | {result['runs']} | {step} |"
            lines.append(f"{row} {ours:.2f} | {plain:.2f} | {ours / plain:.2f} |")
    return "\n".join(lines)


def regenerated(results: list[dict]) -> str:
    lines = []
    for result in results:
        kinds: dict[str, int] = {}
        for entry in result["regenerated"]:
            kinds[entry.split("/")[1]] = kinds.get(entry.split("/")[1], 0) + 1
        made = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "nothing"
        lines.append(f"- {result['scale']}x: after one edit the playbook re-made {made} (new in .cache/)")
    return "\n".join(lines)


def machine() -> str:
    python = platform.python_version()
    return f"{platform.platform()}, Python {python}, {os.cpu_count()} cores, {load('start')}"


def load(when: str) -> str:
    """The load average (1, 5, 15 minutes): on a shared machine, what the timings must be read with."""
    averages = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return f"load average at the {when} {averages[0]:.2f} {averages[1]:.2f} {averages[2]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="content multipliers")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each step (median shown)")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="repetitions from 100x on (cold builds take minutes)"
    )
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=STEPS, help="which steps (in order)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the content tree to build")
    args = parser.parse_args()
    print(machine(), flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as work:
        for scale in args.scales:
            repeat = args.repeat if scale < LARGE else args.repeat_large
            results.append(measure(scale, repeat, Path(work), tuple(args.steps), args.content.resolve()))
            print(f"measured {scale}x", file=sys.stderr, flush=True)
    print(table(results))
    print(regenerated(results))
    print(load("end"))


if __name__ == "__main__":
    main()
