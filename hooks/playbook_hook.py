"""MkDocs hook: adapts build events to the ``playbook`` package and does nothing else."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from playbook import link_lines, serve_errors
from playbook.brand import BrandError
from playbook.cache import Damaged
from playbook.compiled import Compiled
from playbook.errors import ContentError, warn
from playbook.outputs import OutputsError
from playbook.pdf import Press
from playbook.site import Background, Site, versioned

serving = False  # under `mkdocs serve`, which rebuilds in this process
site: Site | None = None  # this build's settings, pages and files: made anew by on_config for every build
press: Press | None = None  # under `mkdocs serve`, the press of every build (its workers stay loaded)
background: Background | None = None  # under `mkdocs serve`: the slow files are made after the reload
build = 0  # under `mkdocs serve`, this build's number (see Background)
material_templates = Compiled()  # Material's, compiled once for all builds of `mkdocs serve` (in memory)


def on_startup(command, dirty):
    global serving, background
    serving = command == "serve"
    background = Background() if serving else None


def on_config(config):
    global site, press, build
    root = Path(config.config_file_path).parent
    if background is not None:
        build = background.begin()
    try:
        site = Site.load(root, Path(config.docs_dir), config, _cache_dir(root), press, session=serving)
    except (ContentError, BrandError, OutputsError) as err:
        raise PluginError(str(err)) from None
    warn(site.warnings)  # a --strict build fails on them
    if serving:
        press = site.press or press  # kept for the session's next builds
    if site.brand.logo:
        config.theme["logo"] = site.brand.logo
    link_lines.install(root, Path(config.docs_dir), site.origins)
    config.nav = site.nav
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
    if clashes := site.clashes({file.dest_uri: file.src_uri for file in files}):
        raise PluginError("\n".join(clashes))
    built = {file.src_uri: file.dest_uri for file in files.documentation_pages()}
    site.start(built, Path(config.site_dir), eager=not serving)
    return files


def on_env(env, config, files):
    # Material's templates compiled once for all builds of `mkdocs serve` (in memory only)
    env.bytecode_cache = material_templates
    env.filters["versioned"] = versioned(lambda uri: _bytes(files, uri))
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
    if background is not None and site.press is not None:
        background.restore(site)  # the last files made, until the new ones are ready
        background.submit(site, build)
        return
    try:
        site.write()
    except Damaged as err:
        raise PluginError(f"The build cache changed while it was read ({err}): build again") from None
    finally:
        if not serving:
            _close(site.press)


def on_serve(server, config, builder):
    return serve_errors.show_in_browser(server)  # a failed rebuild shows its problems in the browser


def on_build_error(error):
    serve_errors.remember(error)
    if not serving and site is not None:  # stop laying out PDFs for a build that will not finish
        _close(site.press)


def on_shutdown():
    if background is not None:
        background.close()
    _close(press)


def _close(used: Press | None) -> None:
    if used is not None:
        used.close()


def _bytes(files, uri: str) -> bytes:
    if (file := files.get_file_from_path(uri)) is None:
        raise PluginError(f"A page loads {uri}, which the site does not have (see its front matter: scripts)")
    return file.content_bytes


def _cache_dir(root: Path) -> Path:
    # beside the configuration file, so `mkdocs serve` (which builds into a temp dir) reuses it too
    return root / ".cache" / "playbook"
