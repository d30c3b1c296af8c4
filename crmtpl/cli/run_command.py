"""``crmtpl run``: execute a scenario live against the CRM, as the PBX would on a call.

Each subcommand declares its own options and the shared ones (aliases declared once in
:mod:`crmtpl.cli.common` and below), builds a :class:`RunSettings` and calls
:func:`crmtpl.cli.run_execute.execute`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.choices import RunFormat, TokenRuleMode
from crmtpl.cli.common import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    CaBundleOption,
    ConnectTimeoutOption,
    ForceOption,
    MaxBytesOption,
    MissingKeyOption,
    ProfileOption,
    RecordOption,
    ReplayOption,
    ShowSecretsOption,
    TemplateArg,
    TimeoutOption,
    TokenRuleOption,
    TotalTimeoutOption,
    VarOption,
    VarsFileOption,
    WriteTestOption,
)
from crmtpl.cli.run_execute import RunSettings, execute
from crmtpl.cli.run_options import DryRunOption, FormatOption
from crmtpl.cli.run_write_commands import add_write_commands

if TYPE_CHECKING:
    from crmtpl.run.result import RunResult
    from crmtpl.run.runner import ScenarioRunner

app = typer.Typer(
    name="run",
    help="Execute a scenario live against the CRM and print what the PBX would extract.\n\n"
    "Every subcommand takes --dry-run (print the requests, send nothing), -v (each request "
    "and status) and -vv (headers and bodies, secrets masked).",
    no_args_is_help=True,
)


@app.command("lookup")
def lookup(
    template: TemplateArg,
    phone: Annotated[str, typer.Option("--phone", metavar="NUMBER", help="The number to look up.")],
    contact_type: Annotated[
        list[str] | None,
        typer.Option("--type", metavar="TYPE", help="Only this contact type (repeatable)."),
    ] = None,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
) -> None:
    """SyncContactAuto: look a number up in every contact type, follow Next chains, and
    show the contacts the PBX would store (exit 1 when none is found).

    Example: crmtpl run lookup examples/sandbox.xml --phone 5503302
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey, phone=phone,
        record=record, replay=replay, write_test=write_test, force=force,
        total_timeout=total_timeout,
    )  # fmt: skip
    execute(settings, "SyncContactAuto", lambda r: r.lookup(phone, contact_type or ()))


@app.command("users")
def users(
    template: TemplateArg,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
) -> None:
    """UserAssociation: list the CRM users (UserUniqueId, FirstName, LastName, Email).

    Example: crmtpl run users examples/sandbox.xml
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey,
        record=record, replay=replay, write_test=write_test, force=force,
        total_timeout=total_timeout,
    )  # fmt: skip
    execute(settings, "UserAssociation", lambda r: r.users())


add_write_commands(app)


@app.command("global-info")
def global_info(
    template: TemplateArg,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
) -> None:
    """GetGlobalInfo: fetch the values every other scenario can use as variables.

    Example: crmtpl run global-info examples/sandbox.xml
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey,
        record=record, replay=replay, write_test=write_test, force=force,
        total_timeout=total_timeout,
    )  # fmt: skip
    execute(settings, "GetGlobalInfo", _global_info)


def _global_info(runner: ScenarioRunner) -> RunResult:
    from crmtpl.run.result import RunResult

    values = runner.global_info()
    return RunResult(
        "GetGlobalInfo",
        records=[values],
        exchanges=runner.exchanges,
        warnings=runner.warnings,
        findings=runner.findings,
    )


def register(root: typer.Typer) -> None:
    """Add ``crmtpl run ...`` to the application."""
    root.add_typer(app, name="run")
