"""Options and arguments shared by several commands, each declared once with one help text.

Commands reuse these ``Annotated`` aliases; the format choices come from
:mod:`crmtpl.choices`, whose names the core's registries are checked against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crmtpl.choices import TokenRuleMode

TemplateArg = Annotated[
    Path,
    typer.Argument(
        metavar="TEMPLATE", help="The template XML file (- for stdin).", show_default=False
    ),
]
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
    typer.Option(
        "--phone", metavar="NUMBER", help="The caller's number the PBX looks up ({{.Phone}})."
    ),
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
        "--profile",
        metavar="NAME",
        help="Credential profile (e.g. staging, production); default: default.",
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
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Go on although crmtpl validate finds an error in this scenario (for a false "
        "positive); the findings are still shown.",
    ),
]
ListVarsOption = Annotated[
    bool,
    typer.Option(
        "--list-vars",
        help="List every variable the requests use, its value and where it came from.",
    ),
]
RecordOption = Annotated[
    Path | None,
    typer.Option(
        "--record",
        metavar="DIR",
        help="Save every exchange under DIR/<scenario>/, secrets replaced by placeholders.",
        file_okay=False,
    ),
]
ReplayOption = Annotated[
    Path | None,
    typer.Option(
        "--replay",
        metavar="DIR",
        help="Answer every request from the recordings in DIR/<scenario>/; send nothing.",
        file_okay=False,
    ),
]
WriteTestOption = Annotated[
    Path | None,
    typer.Option(
        "--write-test",
        metavar="FILE",
        help="With --record: also write a crmtpl test file expecting this run's records.",
        dir_okay=False,
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Time budget of each HTTP request: connecting, retries and their waits, "
        "redirects and the body.",
    ),
]
TotalTimeoutOption = Annotated[
    float,
    typer.Option(
        "--total-timeout",
        metavar="SECONDS",
        help="Time budget of the whole command: every request, retry and redirect of the run.",
    ),
]
ConnectTimeoutOption = Annotated[
    float, typer.Option("--connect-timeout", metavar="SECONDS", help="Connect timeout.")
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-bundle",
        metavar="FILE",
        dir_okay=False,
        help="PEM file of CAs to trust (TLS is always verified).",
    ),
]
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-response-bytes", metavar="BYTES", help="Refuse responses larger than this."
    ),
]
TokenRuleOption = Annotated[
    TokenRuleMode,
    typer.Option(
        "--token-invalid-when",
        help="TokenErrorMap: a response means 'token invalid' when its body contains the "
        "value and the status is not 200 (default), is 200, or any status.",
    ),
]
InsecureStorageOption = Annotated[
    bool,
    typer.Option(
        "--insecure-storage",
        help="Store in a plain-text file (mode 0600) in the config directory instead of "
        "the OS keyring: for headless machines without a keyring. INSECURE.",
    ),
]

#: Defaults of the HTTP options, the same in every command.
DEFAULT_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_TOTAL_TIMEOUT = 120.0
DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
