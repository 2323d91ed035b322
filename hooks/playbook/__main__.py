"""``python -m playbook check [content/]``: validate the content as the build does, without building.

For editors, pre-commit hooks and CI: the same ``content/<file>:<line>: what is wrong`` lines as the
build, exit status 1 on any problem; warnings are printed too, and with ``--strict`` they fail it, as
they fail ``mkdocs build --strict``. It imports only the loader (no MkDocs, no WeasyPrint), so it
answers in a fraction of a second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .content import load
from .errors import ContentError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playbook", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="validate content/ and print each problem with its file and line"
    )
    check.add_argument("content", nargs="?", type=Path, default=Path("content"), help="default: ./content")
    check.add_argument("--strict", action="store_true", help="fail on warnings too, as mkdocs build --strict")
    args = parser.parse_args(argv)
    try:
        book = load(args.content)
    except ContentError as err:
        print(err, file=sys.stderr)
        return 1
    for warning in book.warnings:
        print(f"WARNING  {warning}", file=sys.stderr)
    if book.warnings and args.strict:
        count = len(book.warnings)
        print(
            f"{args.content.name}/ has {count} warning{'s' if count != 1 else ''} (--strict)", file=sys.stderr
        )
        return 1
    print(f"{args.content.name}/ is valid" + (" (with warnings)" if book.warnings else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
