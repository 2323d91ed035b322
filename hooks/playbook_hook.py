"""MkDocs hook: adapts build events to the ``playbook`` package and does nothing else."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from playbook import last_build

# Before the rest of the package is imported (a third of a second): if the project changed since
# its last build, WeasyPrint starts loading on another core now. The guess of where the project is
# only decides how early that starts; Site.load makes the same check with MkDocs' own paths.
_project = Path(__file__).resolve().parent.parent
last_build.prepare(_project, _project / "docs", _project / ".cache/playbook")

from playbook import link_lines, serve_errors  # noqa: E402 (after the early start, as are the three below)
from playbook.brand import BrandError  # noqa: E402
from playbook.errors import ContentError, warn  # noqa: E402
from playbook.site import Background, Site  # noqa: E402

site: Site | None = None  # this build's content, plan and pages: made anew by on_config for every build
serving = False
background: Background | None = None  # under `mkdocs serve` only: slow files are made after the reload


def on_startup(command, dirty):
    global serving
    serving = command == "serve"


def on_config(config):
    global site, background
    root = Path(config.config_file_path).parent
    if serving and background is None:
        background = Background(_cache_dir(root, "serve"))
    site = None  # a failed load must not leave the last build's site (and its press) to on_build_error
    try:
        palette = config.theme.get("palette")  # its accent colours, made readable with the brand's
        site = Site.load(
            root, Path(config.docs_dir), config.extra, _cache_dir(root), config.site_name, palette
        )
    except (ContentError, BrandError) as err:
        raise PluginError(str(err)) from None
    warn(site.book.warnings)  # a --strict build fails on them
    if site.brand.logo:
        config.theme["logo"] = site.brand.logo
    link_lines.install(root, Path(config.docs_dir), site.origins)
    config.nav = site.plan.nav()
    return config


def on_files(files, config):
    docs = Path(config.docs_dir)
    for uri, markdown in site.pages.items():
        file = File.generated(config, uri, content=markdown)
        # edited in content/, beside docs/: MkDocs joins this to repo_url, edit_uri or edit_uri_template
        file.edit_uri = Path(os.path.relpath(site.root / site.origins[uri], docs)).as_posix()
        files.append(file)
    for uri, text in site.assets.items():
        files.append(File.generated(config, uri, content=text))
    built = {file.src_uri: file.dest_uri for file in files.documentation_pages()}
    site.start(built, Path(config.site_dir), _cache_dir(_root(config)), config, eager=not serving)
    return files


def on_env(env, config, files):
    # Compiling Material's templates is a third of a small build: keep them compiled between builds.
    env.bytecode_cache = FileSystemBytecodeCache(str(_cache_dir(_root(config), "jinja")))
    return env


def on_page_content(html, page, config, files):
    return site.page(page.file.src_uri, html)  # a chapter of the handbook; the page without paper's text


def on_page_context(context, page, config, nav):
    if page.edit_url and page.file.generated_by:
        # ".../docs/../content/x.yaml" -> ".../content/x.yaml" (MkDocs resolves it only against repo_url)
        parts = urlsplit(page.edit_url)
        page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
    return context


@event_priority(-100)  # after every plugin (the offline plugin writes the search index here), for the bundle
def on_post_build(config):
    if background is None:
        site.write()
    else:
        background.restore(Path(config.site_dir))  # the last files made, until the new ones are ready
        background.submit(Path(config.site_dir), site.write)


def on_serve(server, config, builder):
    return serve_errors.show_in_browser(server)  # a failed rebuild shows its problems in the browser


def on_build_error(error):
    serve_errors.remember(error)
    if site is not None and site.press:  # stop laying out PDFs for a build that will not finish
        site.press.close()


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def _cache_dir(root: Path, *parts: str) -> Path:
    # beside mkdocs.yml, so `mkdocs serve` (which builds into a temp dir) reuses it too
    path = root.joinpath(".cache", "playbook", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
