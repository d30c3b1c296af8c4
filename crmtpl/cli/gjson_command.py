"""``crmtpl gjson PATH [FILE|-]``: evaluate one GJSON path the way the PBX does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

HELP = """Evaluate one GJSON path against a JSON document, the way the PBX does (its `jq`).

Prints the value as the PBX stores it (strings unquoted); `--raw` prints the JSON as it
appears. A path that matches nothing exits 1 and says where it stopped, which keys exist
there and the closest path.

Example: `crmtpl gjson data.0.first_name answer.json`
"""


def register(app: typer.Typer) -> None:
    """Add ``crmtpl gjson`` to the application."""
    app.command("gjson", help=HELP)(gjson_command)


def read_input(path: Path) -> tuple[str, str]:
    """The text of FILE (or stdin for ``-``) and a name for messages."""
    from crmtpl.errors import UsageError

    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as problem:
        raise UsageError(
            f"cannot read {path}: {getattr(problem, 'strerror', None) or problem}",
            hint="pass a JSON file, or - to read standard input",
        ) from problem


def gjson_command(
    path: Annotated[str, typer.Argument(help="The GJSON path, e.g. data.#.first_name.")],
    file: Annotated[
        Path, typer.Argument(metavar="[FILE|-]", help="The JSON document (default: stdin).")
    ] = Path("-"),
    raw: Annotated[bool, typer.Option("--raw", help="Print the raw JSON of the value.")] = False,
) -> None:
    """Evaluate one GJSON path."""
    from crmtpl.cli.options import console
    from crmtpl.errors import FindingsError
    from crmtpl.extract import evaluate, response_body
    from crmtpl.pathmiss import explain_no_value

    text, origin = read_input(file)
    body, _ = response_body(text, origin)
    value = evaluate(body, path)
    if not value.exists:
        raise FindingsError(
            explain_no_value(body, path).describe(),
            hint="GJSON syntax: https://github.com/tidwall/gjson/blob/master/SYNTAX.md",
        )
    console().file.write((value.raw if raw else value.text) + "\n")
