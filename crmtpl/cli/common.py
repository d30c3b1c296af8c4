"""Options shared by ``render`` and ``run``: variables, the PBX side, secrets, profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

VarOption = Annotated[
    list[str] | None,
    typer.Option(
        "--var",
        metavar="NAME=VALUE",
        help="Set a template variable (repeatable); wins over every other source.",
    ),
]
VarsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--vars-file",
        metavar="FILE",
        help="Variables from a TOML, JSON or .env file.",
        dir_okay=False,
    ),
]
PhoneOption = Annotated[
    str | None,
    typer.Option("--phone", help="The caller's number the PBX looks up ({{.Phone}})."),
]
CallOption = Annotated[
    Path | None,
    typer.Option(
        "--call",
        metavar="FILE",
        help="PBX call variables (JSON or TOML object: StartTimeUnix, Call_From, ...); "
        "keys left out take the sample values.",
        dir_okay=False,
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile", help="Credential profile (e.g. staging, production); default: default."
    ),
]
ShowSecretsOption = Annotated[
    bool,
    typer.Option("--show-secrets", help="Print passwords, tokens and API keys unmasked."),
]
MissingKeyOption = Annotated[
    str,
    typer.Option(
        "--missingkey",
        metavar="default|zero|error",
        help="Go's missingkey option; default prints `<no value>` as the PBX does.",
    ),
]
ListVarsOption = Annotated[
    bool,
    typer.Option(
        "--list-vars",
        help="List every variable the requests use, its value and where it came from.",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Go on although crmtpl validate finds an error in this scenario (for a false "
        "positive); the findings are still shown.",
    ),
]
