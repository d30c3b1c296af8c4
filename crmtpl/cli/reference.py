"""The command reference (docs/commands.md), generated from the CLI itself.

``python -m crmtpl.cli.reference docs/commands.md`` rewrites the file from every command's
``--help``; a test fails when the committed page is out of date.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

HEADER = """# Command reference

Generated from the CLI by `python -m crmtpl.cli.reference docs/commands.md`; every block
below is the command's own `--help`. The exit codes are the same for every command
([exit-codes.md](exit-codes.md)).
"""
WIDTH = 100


def _help_of(argv: list[str]) -> str:
    from crmtpl.cli import run
    from crmtpl.cli.options import reset_consoles

    buffer = io.StringIO()
    with _plain_terminal(), contextlib.redirect_stdout(buffer):
        reset_consoles()
        run([*argv, "--help"])
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip() + "\n"


@contextlib.contextmanager
def _plain_terminal() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "NO_COLOR", "TERM")}
    os.environ.update({"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def command_paths() -> list[list[str]]:
    """Every command and subcommand, in the order ``crmtpl --help`` lists them."""
    import typer.main

    from crmtpl.cli.app import build_app

    root = typer.main.get_command(build_app())
    paths: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        children = getattr(command, "commands", None)
        if not isinstance(children, dict):
            return
        for name, child in children.items():
            if getattr(child, "hidden", False):
                continue
            paths.append([*prefix, name])
            walk(child, [*prefix, name])

    walk(root, [])
    return paths


def reference() -> str:
    """The whole page."""
    parts = [HEADER]
    for path in command_paths():
        title = " ".join(["crmtpl", *path])
        parts.append(f"\n## `{title}`\n\n```text\n{_help_of(path)}```\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> None:
    """Write the reference to the file named on the command line (or print it)."""
    args = sys.argv[1:] if argv is None else argv
    page = reference()
    if args:
        Path(args[0]).write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)


if __name__ == "__main__":
    main()
