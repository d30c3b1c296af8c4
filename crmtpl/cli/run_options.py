"""The options only ``crmtpl run`` subcommands take (the shared ones are in
:mod:`crmtpl.cli.common`), declared once, and the call values they give."""

from __future__ import annotations

from typing import Annotated

import typer

from crmtpl.choices import RunFormat

FormatOption = Annotated[
    RunFormat, typer.Option("--format", "-f", help="table (for people) or json (for scripts).")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the requests that would be sent; send nothing.")
]
ContactIdOption = Annotated[
    str | None,
    typer.Option("--contact-id", metavar="ID", help="Use this contact instead of a lookup."),
]
ContactTypeOption = Annotated[
    str | None,
    typer.Option(
        "--contact-type", metavar="TYPE", help="The contact type (SyncContactAuto request)."
    ),
]
CallerOption = Annotated[
    str | None, typer.Option("--caller-number", metavar="NUMBER", help="CallerNumber of the call.")
]
CalleeOption = Annotated[
    str | None, typer.Option("--callee-number", metavar="NUMBER", help="CalleeNumber of the call.")
]
YesOption = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Write to the live CRM without asking (needed when stdin is not a terminal).",
    ),
]
DirectionOption = Annotated[
    str | None,
    typer.Option("--direction", metavar="Inbound|Outbound", help="Communication_Type of the call."),
]


def call_values(caller: str | None, callee: str | None, direction: str | None) -> dict[str, str]:
    """The PBX call values given by --caller-number, --callee-number, --direction."""
    values: dict[str, str] = {}
    if caller is not None:
        values["CallerNumber"] = caller
    if callee is not None:
        values["CalleeNumber"] = callee
    if direction is not None:
        values["Communication_Type"] = direction.capitalize()
    return values
