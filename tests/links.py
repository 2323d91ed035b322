"""Read the links and anchors out of built HTML, for the tests that check every one of them resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes that make a browser fetch or navigate to another file.
URL_ATTRS = {"href", "src", "poster", "data"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                self.urls.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def parse(html: str) -> tuple[list[str], set[str]]:
    """Every URL the page refers to, and every anchor (id) a link may point at."""
    collector = _Collector()
    collector.feed(html)
    return collector.urls, collector.ids


def is_local(url: str) -> bool:
    """A link into the site itself: no scheme, no host (javascript:, mailto:, https: are not)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc
