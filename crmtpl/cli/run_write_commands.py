"""The ``crmtpl run`` subcommands that write to the CRM: create-contact, call-journal and
ticket. They preview what they will write and ask first (``--yes`` skips the question);
see :mod:`crmtpl.run.writes`."""

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
    TotalTimeoutOption,
    VarOption,
    VarsFileOption,
    WriteTestOption,
)
from crmtpl.cli.run_execute import RunSettings, execute
from crmtpl.cli.run_options import (
    CalleeOption,
    CallerOption,
    ContactIdOption,
    ContactTypeOption,
    DirectionOption,
    DryRunOption,
    FormatOption,
    YesOption,
    call_values,
)

if TYPE_CHECKING:
    pass


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
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
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
        total_timeout=total_timeout,
    )  # fmt: skip
    settings.yes = yes
    settings.pbx_values = {
        "FirstName": first_name,
        "LastName": last_name,
        "BusinessNumber": number,
        "DisplayName": f"{first_name} {last_name}".strip(),
    }
    execute(settings, "CreateNewContact", lambda r: r.create_contact(contact_type))


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
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
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
        pbx_values=call_values(caller_number, callee_number, direction),
        record=record, replay=replay, write_test=write_test, force=force,
        total_timeout=total_timeout,
    )  # fmt: skip
    settings.yes = yes
    action = lambda r: r.call_journal(contact_id, contact_type)  # noqa: E731
    execute(settings, "CallJournal", action, list_vars=list_vars)


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
    total_timeout: TotalTimeoutOption = DEFAULT_TOTAL_TIMEOUT,
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
        pbx_values=call_values(caller_number, callee_number, direction),
        record=record, replay=replay, write_test=write_test, force=force,
        total_timeout=total_timeout,
    )  # fmt: skip
    settings.yes = yes
    action = lambda r: r.ticket(ticket_id, contact_id, contact_type)  # noqa: E731
    execute(settings, "CreateNewTicket", action, list_vars=list_vars)


def add_write_commands(app: typer.Typer) -> None:
    """Add create-contact, call-journal and ticket to the ``run`` group, in that order."""
    app.command("create-contact")(create_contact)
    app.command("call-journal")(call_journal)
    app.command("ticket")(ticket)
