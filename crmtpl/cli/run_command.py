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
    CaBundleOption,
    CallOption,
    ConnectTimeoutOption,
    ForceOption,
    ListVarsOption,
    MaxBytesOption,
    MissingKeyOption,
    ProfileOption,
    RecordOption,
    ReplayOption,
    ShowSecretsOption,
    TemplateArg,
    TimeoutOption,
    TokenRuleOption,
    VarOption,
    VarsFileOption,
    WriteTestOption,
)
from crmtpl.cli.run_execute import RunSettings, execute

if TYPE_CHECKING:
    from crmtpl.run.result import RunResult
    from crmtpl.run.runner import ScenarioRunner

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

app = typer.Typer(
    name="run",
    help="Execute a scenario live against the CRM and print what the PBX would extract.\n\n"
    "Every subcommand takes --dry-run (print the requests, send nothing), -v (each request "
    "and status) and -vv (headers and bodies, secrets masked).",
    no_args_is_help=True,
)


def _call_values(caller: str | None, callee: str | None, direction: str | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if caller is not None:
        values["CallerNumber"] = caller
    if callee is not None:
        values["CalleeNumber"] = callee
    if direction is not None:
        values["Communication_Type"] = direction.capitalize()
    return values


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
    )  # fmt: skip
    execute(settings, "UserAssociation", lambda r: r.users())


@app.command("create-contact")
def create_contact(
    template: TemplateArg,
    first_name: Annotated[str, typer.Option("--first-name", metavar="NAME", help="{{.FirstName}}")],
    number: Annotated[
        str,
        typer.Option("--number", metavar="NUMBER", help="{{.BusinessNumber}}: the number to save."),
    ],
    last_name: Annotated[
        str, typer.Option("--last-name", metavar="NAME", help="{{.LastName}}")
    ] = "",
    contact_type: Annotated[
        str | None, typer.Option("--type", metavar="TYPE", help="The contact type to create.")
    ] = None,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
    yes: YesOption = False,
) -> None:
    """CreateNewContact: create a contact (never retried, so never created twice).

    Example: crmtpl run create-contact examples/sandbox.xml --type contacts
    --first-name Ada --last-name Lovelace --number +441632960001
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey,
        record=record, replay=replay, write_test=write_test, force=force,
    )  # fmt: skip
    settings.yes = yes
    settings.pbx_values = {
        "FirstName": first_name,
        "LastName": last_name,
        "BusinessNumber": number,
        "DisplayName": f"{first_name} {last_name}".strip(),
    }
    execute(settings, "CreateNewContact", lambda r: r.create_contact(contact_type))


@app.command("call-journal")
def call_journal(
    template: TemplateArg,
    call: CallOption = None,
    caller_number: CallerOption = None,
    callee_number: CalleeOption = None,
    direction: DirectionOption = None,
    contact_id: ContactIdOption = None,
    contact_type: ContactTypeOption = None,
    list_vars: ListVarsOption = False,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
    yes: YesOption = False,
) -> None:
    """CallJournal: find the call's contact (a lookup of the external number, as the PBX
    does, or --contact-id), render Subject and Description, and write the journal.

    Call variables come from --call FILE (JSON or TOML: StartTimeUnix, Call_From,
    CallerNumber, Communication_Type, Talk_Duration_Sec, ...) and the flags; the rest take
    fixed sample values (--list-vars shows them all).

    Example: crmtpl run call-journal examples/sandbox.xml --caller-number 5503302
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey, call_file=call,
        pbx_values=_call_values(caller_number, callee_number, direction),
        record=record, replay=replay, write_test=write_test, force=force,
    )  # fmt: skip
    settings.yes = yes
    action = lambda r: r.call_journal(contact_id, contact_type)  # noqa: E731
    execute(settings, "CallJournal", action, list_vars=list_vars)


@app.command("ticket")
def ticket(
    template: TemplateArg,
    call: CallOption = None,
    ticket_id: Annotated[
        str | None,
        typer.Option("--ticket-id", metavar="ID", help="Update this ticket (UpdateTicket)."),
    ] = None,
    caller_number: CallerOption = None,
    callee_number: CalleeOption = None,
    direction: DirectionOption = None,
    contact_id: ContactIdOption = None,
    contact_type: ContactTypeOption = None,
    list_vars: ListVarsOption = False,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    connect_timeout: ConnectTimeoutOption = DEFAULT_CONNECT_TIMEOUT,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = DEFAULT_MAX_RESPONSE_BYTES,
    token_rule: TokenRuleOption = TokenRuleMode.NOT_200,
    missingkey: MissingKeyOption = "default",
    record: RecordOption = None,
    replay: ReplayOption = None,
    write_test: WriteTestOption = None,
    force: ForceOption = False,
    yes: YesOption = False,
) -> None:
    """CreateNewTicket: open a ticket for a call and print its TicketId; with
    --ticket-id, send UpdateTicket instead (adds the call to that ticket).

    Example: crmtpl run ticket examples/sandbox-helpdesk.xml --caller-number 5503302
    """
    settings = RunSettings(
        template, var, vars_file, profile, show_secrets, output_format, dry_run, timeout,
        connect_timeout, ca_bundle, max_response_bytes, token_rule, missingkey, call_file=call,
        pbx_values=_call_values(caller_number, callee_number, direction),
        record=record, replay=replay, write_test=write_test, force=force,
    )  # fmt: skip
    settings.yes = yes
    action = lambda r: r.ticket(ticket_id, contact_id, contact_type)  # noqa: E731
    execute(settings, "CreateNewTicket", action, list_vars=list_vars)


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
