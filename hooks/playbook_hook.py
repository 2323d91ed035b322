"""MkDocs hook: adapts build events to the ``playbook`` package and does nothing else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from playbook import brand, bundle, content, handbook, link_lines, outputs, render
from playbook.brand import BrandError
from playbook.errors import ContentError

# Hook modules live across `mkdocs serve` rebuilds, so on_config replaces this state every build.
state: dict = {}


def on_config(config):
    try:
        book = content.load(Path(config.config_file_path).parent / "content")
        look = brand.load(config.extra, Path(config.docs_dir))
    except (ContentError, BrandError) as err:
        raise PluginError(str(err)) from None
    state.clear()
    state["book"] = book
    state["brand"] = look
    state["html"] = {}
    if look.logo:
        config.theme["logo"] = look.logo
    state["pages"] = render.Renderer(book).pages()
    state["origin"] = {p.uri: p.origin for p in state["pages"] if p.origin}
    link_lines.install(Path(config.config_file_path).parent, Path(config.docs_dir), state["origin"])
    config.nav = render.nav(book)
    return config


def on_files(files, config):
    for page in state["pages"]:
        files.append(File.generated(config, page.uri, content=page.markdown))
    files.append(File.generated(config, "assets/stylesheets/brand.css", content=state["brand"].css()))
    return files


def on_env(env, config, files):
    # Compiling Material's templates is a third of a small build: keep them compiled between builds.
    env.bytecode_cache = FileSystemBytecodeCache(str(_cache_dir(config, "jinja")))
    return env


def on_nav(nav, config, files):
    state["nav"] = nav
    return nav


def on_page_content(html, page, config, files):
    state["html"][page.file.src_uri] = html  # the handbook's chapters, in the words of the site
    return html


def on_page_context(context, page, config, nav):
    origin = state["origin"].get(page.file.src_uri)
    if origin and config.edit_uri:
        # generated pages are edited in content/, which sits beside docs/
        page.edit_url = urljoin(config.edit_uri, f"../{origin}")
    return context


@event_priority(-100)  # after every plugin (the offline plugin writes the search index here), for the bundle
def on_post_build(config):
    chapters = [
        handbook.Chapter(p.file.dest_uri, p.title, p.ancestors[-1].title if p.ancestors else p.title, html)
        for p in state["nav"].pages
        if (html := state["html"].get(p.file.src_uri))
    ]
    docs, site = Path(config.docs_dir), Path(config.site_dir)
    look, cache = state["brand"], _cache_dir(config)
    handbook.write(
        chapters, state["book"], look, config.site_name, config.site_description, docs, site, cache
    )
    outputs.write(state["book"], look, site, cache)
    bundle.write(site, _cache_dir(config, "bundle"))  # last: it zips every file written above


def _cache_dir(config, *parts: str) -> Path:
    # beside mkdocs.yml, so `mkdocs serve` (which builds into a temp dir) reuses it too
    path = Path(config.config_file_path).parent.joinpath(".cache", "playbook", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
