"""``crmtpl test [PATH...]``: template tests, offline by default (replayed recordings)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

HELP = """Run template tests: TOML files naming a template, a scenario, its inputs, a
recording and the records the PBX must store (docs/testing.md).

Offline by default: every request is answered from the recording, nothing is sent.
`--live` runs against the CRM instead; `--update` runs live, re-records and rewrites the
expected records (refusing to write a secret). Folders are searched for `*.test.toml`;
test files run in parallel. Exit 0 all passed, 1 a test failed, 2 usage, 3 a test file or
its template cannot be read.

Example: `crmtpl test tests/ --format junit > report.xml`
"""


class TestFormat(StrEnum):
    """Output formats of ``crmtpl test``."""

    __test__ = False

    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


def register(app: typer.Typer) -> None:
    """Add ``crmtpl test`` to the application."""
    app.command("test", help=HELP)(test_command)


def test_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="[PATH]...", help="Test files or folders.")
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Run against the CRM, not the recording.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Run live, re-record, rewrite the expectations.")
    ] = False,
    output_format: Annotated[
        TestFormat, typer.Option("--format", "-f", help="text, json, junit or github.")
    ] = TestFormat.text,
) -> None:
    """Run template tests."""
    from crmtpl.cli.options import console
    from crmtpl.errors import UsageError
    from crmtpl.testing.execute import Mode
    from crmtpl.testing.reports import REPORTERS
    from crmtpl.testing.suite import exit_code, run_suite

    if live and update:
        raise UsageError("--live and --update cannot be used together", hint="--update runs live")
    mode = Mode.update if update else Mode.live if live else Mode.replay
    outcomes = run_suite(paths or [Path(".")], mode)
    console().file.write(REPORTERS[output_format.value](outcomes))
    code = exit_code(outcomes)
    if code:
        raise typer.Exit(int(code))
