"""`mkdocs serve` picks up edits to content/ and to the page templates, so authors need not restart it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_content_or_templates_change(project: Path):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/pillars/curiosity.html"
        assert wait_for(url, "<h1"), "mkdocs serve did not come up"
        path = project / "content/pillars/curiosity.yaml"
        path.write_text(path.read_text().replace("\ntitle:", "\ntitle: Edited while serving -", 1))
        assert wait_for(url, "Edited while serving"), "the edit to content/ was not picked up"
        template = project / "hooks/playbook/templates/pillars.md"
        template.write_text(template.read_text() + "\nTemplate edited while serving.\n")
        assert wait_for(url, "Template edited while serving"), "the edit to a template was not picked up"
    finally:
        server.terminate()
        server.wait(timeout=10)
