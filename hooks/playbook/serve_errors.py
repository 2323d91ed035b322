"""Under ``mkdocs serve``: a rebuild that fails shows its problems in the browser, and the browser
goes back to the page by itself once they are fixed.

MkDocs 1.6's live-reload server only tells browsers to reload after a build that succeeded; after a
failed one it holds every request until a build succeeds, so the browser waits and the problems are
only in the terminal. Here the server's builder is wrapped: when a rebuild fails, the site folder
(MkDocs' own temporary one) is emptied but for ``404.html``, a page listing the problems, and the
build counts as done. Browsers reload, every address is missing, and the server answers each with
that page. The page asks for its own address every second and reloads when the answer changes: when
the fixed build has put the real page back, or a new failure has new problems. ``mkdocs build`` and
the first build of ``serve`` are left as they are.
"""

from __future__ import annotations

import html
import logging
import shutil
import time
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.playbook")
_last_error: list[BaseException] = []  # the error of the failed build, from on_build_error

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The playbook could not be built</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.4rem; color: #b00020; }}
pre {{ white-space: pre-wrap; background: #f6f6f6; padding: 1rem; border-left: 4px solid #b00020; }}
</style>
</head>
<body>
<h1>The playbook could not be built</h1>
<p>Fix these in your editor and save: this page reloads by itself when the build works again.</p>
<pre id="problems">{problems}</pre>
<script>
// Reload when this address answers with anything else: the page is back, or the problems changed.
const stamp = "{stamp}";
setInterval(async () => {{
  try {{
    const answer = await fetch(location.href, {{ cache: "no-store" }});
    if (answer.status !== 404 || !(await answer.text()).includes(stamp)) location.reload();
  }} catch (error) {{}}  // the server is restarting: try again
}}, 1000);
</script>
</body>
</html>
"""


def remember(error: BaseException) -> None:
    """on_build_error: keep the error itself, since MkDocs hands the builder only "Aborted"."""
    _last_error[:] = [error]


def show_in_browser(server):
    """on_serve: make a failed rebuild show its problems in the browser instead of stalling it."""
    build = server.builder

    def builder(*args, **kwargs):
        _last_error.clear()
        try:
            build(*args, **kwargs)
        except Exception as error:
            shown = _last_error[0] if _last_error else error
            write(Path(server.root), str(shown) or type(shown).__name__)
            log.error("The build failed: the browser shows the problems until they are fixed")

    server.builder = builder
    return server


def write(site_dir: Path, problems: str) -> None:
    """Empty ``site_dir`` and leave only the error page, which the server shows at every address."""
    for path in site_dir.iterdir():
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    stamp = f"build-failed-{time.time_ns()}"
    page = PAGE.format(problems=html.escape(problems), stamp=stamp)
    (site_dir / "404.html").write_text(page, encoding="utf-8")
