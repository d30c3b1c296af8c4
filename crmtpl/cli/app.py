"""The Typer application: global options, the exit-code table, and the command modules.

Each command lives in its own module under ``crmtpl.cli`` and exposes ``register(app)``.
Command modules import the core lazily, inside the command function, so that
``crmtpl --help`` and ``crmtpl --version`` never load httpx, lxml or the engines.
"""

from __future__ import annotations

import copy
import importlib
from typing import Annotated

import typer

from crmtpl import __version__
from crmtpl.cli.options import OPTIONS, ColorMode, configure_logging, reset_consoles
from crmtpl.errors import EXIT_CODE_TABLE

#: Command modules, in the order ``crmtpl --help`` lists them. A module is added here by
#: the change that makes its command work, never as a placeholder.
COMMAND_MODULES: tuple[str, ...] = (
    "validate",
    "render_command",
    "run_command",
    "auth",
    "sandbox",
    "rules",
    "gjson_command",
    "extract_command",
    "test_command",
    "lsp_command",
    "new_command",
)

#: The top-level command each module registers, so that a run builds only the one it needs.
COMMAND_MODULE_OF: dict[str, str] = {
    "validate": "validate",
    "render": "render_command",
    "run": "run_command",
    "auth": "auth",
    "sandbox": "sandbox",
    "rules": "rules",
    "gjson": "gjson_command",
    "extract": "extract_command",
    "test": "test_command",
    "lsp": "lsp_command",
    "new": "new_command",
}

_EXIT_CODES_HELP = "\n".join(f"* **{code}** {meaning}" for code, meaning in EXIT_CODE_TABLE)

HELP = """Lint, render and run Yeastar P-Series CRM/helpdesk integration templates.

Start with `crmtpl validate TEMPLATE.xml`, then `crmtpl render lookup TEMPLATE.xml`
and `crmtpl run lookup TEMPLATE.xml --phone NUMBER`. Each command has its own --help.
"""

EPILOG = f"""**Exit codes** (every command):

{_EXIT_CODES_HELP}

Docs: docs/index.md in the crmtpl source tree; `crmtpl COMMAND --help` for each command.
"""


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"crmtpl {__version__}")
        raise typer.Exit()


def _global_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    color: Annotated[
        ColorMode,
        typer.Option(
            help="Colour output: auto (a terminal, unless NO_COLOR is set), always, never."
        ),
    ] = ColorMode.auto,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="More detail: -v requests, -vv headers and bodies (before or after the command).",
        ),
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only results and errors; no notes or warnings.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (the same as --color never).")
    ] = False,
    debug: Annotated[
        bool, typer.Option(help="Show Python tracebacks of unexpected errors (for bug reports).")
    ] = False,
) -> None:
    OPTIONS.color = ColorMode.never if no_color else color
    OPTIONS.verbosity = verbose
    OPTIONS.quiet = quiet
    OPTIONS.debug = debug
    reset_consoles()
    configure_logging()


def build_app(only: str | None = None, subcommand: str | None = None) -> typer.Typer:
    """Create the application with every working command registered, or with the command
    named ``only`` alone (what a run of that command needs: its module is the only one
    imported and its options the only ones Typer builds); for a group (``run``, ``auth``,
    ``sandbox``), ``subcommand`` keeps just that one of its commands when it has it."""
    app = typer.Typer(
        name="crmtpl",
        help=HELP,
        epilog=EPILOG,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_global_options)
    modules = (COMMAND_MODULE_OF[only],) if only in COMMAND_MODULE_OF else COMMAND_MODULES
    for name in modules:
        module = importlib.import_module(f"crmtpl.cli.{name}")
        module.register(app)
    if only is not None and subcommand is not None:
        _keep_one_subcommand(app, only, subcommand)
    return app


def _keep_one_subcommand(app: typer.Typer, group_name: str, subcommand: str) -> None:
    """Leave only ``subcommand`` in the group ``group_name`` (a copy of the group: the
    command modules' own Typer objects stay whole). Nothing changes when the group has
    no such command, so a mistyped name still gets Typer's "No such command" answer."""
    for group in app.registered_groups:
        instance = group.typer_instance
        if group.name != group_name or instance is None:
            continue
        kept = [c for c in instance.registered_commands if c.name == subcommand]
        if kept:
            trimmed = copy.copy(instance)
            trimmed.registered_commands = kept
            group.typer_instance = trimmed
