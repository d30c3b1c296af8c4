"""``crmtpl run``: execute a scenario live against the CRM, as the PBX would on a call."""

from __future__ import annotations

import functools
import inspect
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crmtpl.cli.common import (
    CallOption,
    ForceOption,
    ListVarsOption,
    MissingKeyOption,
    ProfileOption,
    ShowSecretsOption,
    VarOption,
    VarsFileOption,
)

if TYPE_CHECKING:
    from crmtpl.lint.diagnostic import Diagnostic
    from crmtpl.run.records import OutputValue
    from crmtpl.run.result import Exchange, RunResult
    from crmtpl.run.runner import ScenarioRunner
    from crmtpl.secrets import Masker
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


class RunFormat(StrEnum):
    """Output formats of ``crmtpl run``."""

    table = "table"
    json = "json"


class TokenRule(StrEnum):
    """When a TokenErrorMap value means "token invalid" (spec §10.6, U11)."""

    not_200 = "not-200"
    status_200 = "status-200"
    any_status = "any-status"


TemplateArg = Annotated[Path, typer.Argument(help="The template file.")]
FormatOption = Annotated[
    RunFormat, typer.Option("--format", "-f", help="table (for people) or json (for scripts).")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the requests that would be sent; send nothing.")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", metavar="SECONDS", help="Read timeout of each request.")
]
ConnectTimeoutOption = Annotated[
    float, typer.Option("--connect-timeout", metavar="SECONDS", help="Connect timeout.")
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-bundle", metavar="FILE", help="PEM file of CAs to trust (TLS is always verified)."
    ),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-response-bytes", help="Refuse responses larger than this.")
]
TokenRuleOption = Annotated[
    TokenRule,
    typer.Option(
        "--token-invalid-when",
        help="TokenErrorMap: a response means 'token invalid' when its body contains the "
        "value and the status is not 200 (default), is 200, or any status.",
    ),
]
ContactIdOption = Annotated[
    str | None, typer.Option("--contact-id", help="Use this contact instead of a lookup.")
]
ContactTypeOption = Annotated[
    str | None, typer.Option("--contact-type", help="The contact type (SyncContactAuto request).")
]
CallerOption = Annotated[
    str | None, typer.Option("--caller-number", help="CallerNumber of the call.")
]
CalleeOption = Annotated[
    str | None, typer.Option("--callee-number", help="CalleeNumber of the call.")
]
DirectionOption = Annotated[
    str | None, typer.Option("--direction", help="Communication_Type: Inbound or Outbound.")
]


@dataclass
class RunSettings:
    """Everything a run subcommand collected from its options."""

    template: Path
    var: list[str] | None
    vars_file: Path | None
    profile: str | None
    show_secrets: bool
    output_format: RunFormat
    dry_run: bool
    timeout: float
    connect_timeout: float
    ca_bundle: Path | None
    max_response_bytes: int
    token_rule: TokenRule
    missingkey: str = "default"
    force: bool = False
    call_file: Path | None = None
    pbx_values: dict[str, str] = field(default_factory=dict)
    phone: str | None = None


def _execute(
    settings: RunSettings,
    scenario_id: str,
    action: Callable[[ScenarioRunner], RunResult],
    *,
    list_vars: bool = False,
) -> None:
    from crmtpl.auth.hints import auth_command
    from crmtpl.auth.registry import needs_token_manager, token_manager_for
    from crmtpl.cli.findings import print_findings, stop_on_findings, warn_unused_variables
    from crmtpl.cli.loading import context_for, load, masker_for
    from crmtpl.cli.options import OPTIONS
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.errors import UsageError
    from crmtpl.http import HttpClient, HttpSettings
    from crmtpl.run.runner import RunOptions, ScenarioRunner
    from crmtpl.run.tokenrule import TokenRuleMode

    if settings.missingkey not in ("default", "zero", "error"):
        raise UsageError(f"--missingkey {settings.missingkey!r} is not default, zero or error")
    loaded = load(settings.template)
    if loaded.model.scenario(scenario_id) is None:
        raise UsageError(
            f"{loaded.display_name} has no {scenario_id} scenario",
            hint="crmtpl validate shows what the template contains",
        )
    context = context_for(
        loaded,
        assignments=settings.var,
        vars_file=settings.vars_file,
        call_file=settings.call_file,
        pbx_values=settings.pbx_values,
        phone=settings.phone,
        profile=settings.profile,
    )
    warn_unused_variables(loaded, context)
    json_output = settings.output_format is RunFormat.json
    forced = (
        []
        if list_vars
        else stop_on_findings(
            loaded, scenario_id, force=settings.force, doing="sent", json_output=json_output
        )
    )
    if settings.dry_run or list_vars:
        _dry_run(loaded, scenario_id, context, settings, list_vars, forced)
        return
    http_settings = HttpSettings(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.timeout,
        ca_bundle=settings.ca_bundle,
        max_response_bytes=settings.max_response_bytes,
    )
    with HttpClient(http_settings) as http:
        tokens = None
        if needs_token_manager(loaded.model.auth_method, context):
            tokens = token_manager_for(
                AuthSettings.from_template(loaded.model),
                context.data(),
                http=http,
                profile=settings.profile,
                login_command=auth_command("login", settings.template, settings.profile),
            )
        runner = ScenarioRunner(
            loaded,
            context,
            http,
            tokens=tokens,
            options=RunOptions(
                missingkey=settings.missingkey,
                token_rule=TokenRuleMode(settings.token_rule.value),
                forced_findings=tuple(forced),
            ),
            on_exchange=_trace_printer(
                context, settings, tokens_secrets=lambda: tokens.secrets() if tokens else []
            ),
        )
        progress = _Progress(scenario_id)
        trace = runner.on_exchange

        def observe(exchange: Exchange) -> None:
            if trace is not None:
                trace(exchange)
            progress.advance(exchange)

        runner.on_exchange = observe
        runner.on_outputs = _outputs_printer(context, settings)
        if OPTIONS.verbosity and runner.token_patterns:
            from crmtpl.cli.messages import notice
            from crmtpl.run.tokenrule import describe_rule

            notice(describe_rule(runner.token_patterns, runner.options.token_rule))
        with progress:
            runner.prepare_auth()
            result = action(runner)
        masker = masker_for(context, settings.show_secrets, tokens.secrets() if tokens else [])
    _print_result(result, masker, settings, forced)
    if result.findings and not json_output:
        print_findings(loaded, result.findings)
    if result.findings or (scenario_id == "SyncContactAuto" and not result.records):
        raise typer.Exit(1)


def _dry_run(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    settings: RunSettings,
    list_vars: bool,
    forced: list[Diagnostic],
) -> None:
    from crmtpl.cli.loading import masker_for
    from crmtpl.cli.render_command import (
        RenderFormat,
        print_json,
        print_requests,
        print_variables,
    )
    from crmtpl.render.findings import without_restated
    from crmtpl.render.renderer import render_scenario

    result = render_scenario(loaded, scenario_id, context, missingkey=settings.missingkey)
    result = without_restated(result, forced, loaded)
    masker = masker_for(context, settings.show_secrets)
    fmt = RenderFormat.json if settings.output_format is RunFormat.json else RenderFormat.http
    if list_vars:
        print_variables(result, context, masker, fmt)
        return
    if fmt is RenderFormat.json:  # the render document, so scripts parse one shape
        print_json(result, context, masker, forced)
    else:
        print_requests(result, masker, fmt, loaded)
    if result.errors:
        raise typer.Exit(1)


#: Requests run in parallel; each trace block is printed whole.
_TRACE_LOCK = threading.Lock()


def _outputs_printer(
    context: VariableContext, settings: RunSettings
) -> Callable[[str, list[OutputValue]], None]:
    """With -v, print each output: its name, the rendered GJSON path and what it gave."""
    from crmtpl.cli.options import OPTIONS

    def show(request: str, outputs: list[OutputValue]) -> None:
        if OPTIONS.verbosity < 1 or OPTIONS.quiet:
            return
        with _TRACE_LOCK:
            print_outputs(request, outputs)

    def print_outputs(request: str, outputs: list[OutputValue]) -> None:
        from rich.markup import escape

        from crmtpl.cli.loading import masker_for
        from crmtpl.cli.options import console

        masker = masker_for(context, settings.show_secrets)
        out = console(stderr=True)
        out.print(f"  [dim]outputs of {escape(request)}:[/]")
        for output in outputs:
            if not output.exists:
                got = "[yellow]no value[/]"
            elif output.is_array:
                got = escape(masker.text(json.dumps(list(output.values), ensure_ascii=False)))
            else:
                got = escape(masker.text(json.dumps(output.values[0], ensure_ascii=False)))
            out.print(f"    [dim]{escape(output.name)} ← {escape(output.path)} =[/] {got}")

    return show


class _Progress:
    """A spinner with the count of requests sent, on a terminal only and never with -v."""

    def __init__(self, scenario_id: str) -> None:
        from crmtpl.cli.options import OPTIONS, console

        out = console(stderr=True)
        self.enabled = out.is_terminal and not OPTIONS.verbosity and not OPTIONS.quiet
        self.scenario_id = scenario_id
        self.sent = 0
        self._status: Any = None
        if self.enabled:
            self._status = out.status(f"{scenario_id}: sending requests…")

    def __enter__(self) -> _Progress:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def advance(self, exchange: Exchange) -> None:
        self.sent += 1
        if self._status is not None:
            self._status.update(
                f"{self.scenario_id}: {self.sent} request{'s' if self.sent > 1 else ''} "
                f"sent, last {exchange.request.name} → {exchange.status or 'no answer'}"
            )


def _trace_printer(
    context: VariableContext, settings: RunSettings, *, tokens_secrets: Callable[[], list[str]]
) -> Callable[[Exchange], None]:
    """Print each exchange as it happens: -v request line and status, -vv headers and bodies."""
    from crmtpl.cli.options import OPTIONS

    def show(exchange: Exchange) -> None:
        if OPTIONS.verbosity < 1 or OPTIONS.quiet:
            return
        with _TRACE_LOCK:
            print_exchange(exchange)

    def print_exchange(exchange: Exchange) -> None:
        from rich.markup import escape

        from crmtpl.cli.loading import masker_for
        from crmtpl.cli.options import console
        from crmtpl.render.formats import pretty_body

        masker = masker_for(context, settings.show_secrets, tokens_secrets())
        out = console(stderr=True)

        def print_message(headers: list[tuple[str, str]], body: str) -> None:
            """Headers and body of a request or response, indented, secrets masked."""
            for name, value in headers:
                out.print(f"  [dim]{escape(name)}:[/] {escape(masker.header(name, value))}")
            if body:
                out.print("  " + escape(masker.text(body)).replace("\n", "\n  "))

        request = exchange.request
        note = f" [dim]({escape(exchange.note)})[/]" if exchange.note else ""
        out.print(
            f"[cyan]→[/] {request.method} {escape(masker.text(request.url))}"
            f" [dim]{escape(request.scenario)} › {escape(request.name)}[/]{note}"
        )
        if OPTIONS.verbosity >= 2:
            print_message(request.headers, request.body or "")
        response = exchange.response
        if response is None:
            out.print("[red]← no response[/]")
            return
        colour = "green" if response.ok else "red"
        out.print(
            f"[{colour}]← {response.status} {escape(response.reason)}[/] "
            f"[dim]{response.elapsed_ms:.0f} ms, {len(response.content)} bytes[/]"
        )
        if OPTIONS.verbosity >= 2:
            text = response.text
            print_message(
                response.headers, pretty_body(text) if len(text) < 20000 else text[:20000] + "\n…"
            )

    return show


def _columns(records: list[dict[str, str]]) -> list[str]:
    """Record fields in the order of spec §6.4 (then any others), ContactUrl last."""
    from crmtpl.template.catalogue import catalogue

    names: list[str] = []
    for record in records:
        for name in record:
            if name not in names:
                names.append(name)
    preferred = ["ContactSyncType", "UserUniqueId", *catalogue().contact_field_outputs]
    ordered = [n for n in preferred if n in names]
    ordered += [n for n in names if n not in ordered and n != "ContactUrl"]
    if "ContactUrl" in names:
        ordered.append("ContactUrl")
    return ordered


def _print_result(
    result: RunResult, masker: Masker, settings: RunSettings, forced: list[Diagnostic]
) -> None:
    from rich.markup import escape
    from rich.table import Table

    from crmtpl.cli.messages import notice, warning
    from crmtpl.cli.options import console
    from crmtpl.lint.diagnosis import findings_json

    records = [{k: masker.text(v) for k, v in r.items()} for r in result.records]
    warnings = [masker.text(w) for w in result.warnings]
    if settings.output_format is RunFormat.json:
        document: dict[str, Any] = {
            "scenario": result.scenario,
            "records": records,
            "requests": [
                {
                    "name": e.request.name,
                    "method": e.request.method,
                    "url": masker.text(e.request.url),
                    "status": e.status,
                    "elapsed_ms": round(e.elapsed_ms, 1),
                }
                for e in result.exchanges
            ],
            "warnings": warnings,
            "findings": findings_json([*forced, *result.findings]),
        }
        if result.contact:
            document["contact"] = result.contact
        console().file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    out = console()
    real = [r for r in records if r]
    if result.scenario == "SyncContactAuto":
        phone = settings.phone or ""
        if not real:
            out.print(f"no contact found for {escape(phone)}")
        else:
            out.print(
                f"{len(real)} contact{'s' if len(real) != 1 else ''} found for {escape(phone)}"
            )
    if real and result.scenario == "UserAssociation":
        table = Table()
        columns = _columns(real)
        for column in columns:
            table.add_column(column, overflow="fold")
        for record in real:
            table.add_row(*(escape(record.get(c, "")) for c in columns))
        out.print(table)
    elif real:
        for number, record in enumerate(real, start=1):
            title = record.get("ContactSyncType") or result.scenario
            table = Table(
                title=f"{escape(title)} {number}" if len(real) > 1 else escape(title),
                title_justify="left",
                show_header=False,
                box=None,
                padding=(0, 2, 0, 0),
            )
            table.add_column(style="bold")
            table.add_column(overflow="fold")
            for column in _columns([record]):
                if column != "ContactSyncType":
                    table.add_row(escape(column), escape(record.get(column, "")))
            out.print(table)
            out.print()
    if result.scenario not in ("SyncContactAuto", "UserAssociation") and result.exchanges:
        last = result.exchanges[-1]
        response = last.response
        status = f"{response.status} {response.reason}" if response is not None else "no answer"
        contact = ""
        if result.contact.get("ContactId"):
            contact = f" for contact {result.contact['ContactId']}"
            if result.contact.get("ContactSyncType"):
                contact += f" ({result.contact['ContactSyncType']})"
        out.print(
            f"{escape(result.scenario)}: {last.request.method} {escape(last.request.name)}"
            f"{escape(contact)} → {escape(status)}"
        )

    if result.hidden_fields:
        notice(
            "not stored by the PBX (their <Field>Enable flag is not 1): "
            + ", ".join(result.hidden_fields)
        )
    for text in warnings:
        warning(text)


def _shared_options(
    template: TemplateArg,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    profile: ProfileOption = None,
    show_secrets: ShowSecretsOption = False,
    output_format: FormatOption = RunFormat.table,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = 30.0,
    connect_timeout: ConnectTimeoutOption = 10.0,
    ca_bundle: CaBundleOption = None,
    max_response_bytes: MaxBytesOption = 10 * 1024 * 1024,
    token_rule: TokenRuleOption = TokenRule.not_200,
    missingkey: MissingKeyOption = "default",
    force: ForceOption = False,
) -> None:
    """The options every ``run`` subcommand takes (declared once; see ``_subcommand``)."""


_SHARED = tuple(inspect.signature(_shared_options, eval_str=True).parameters.values())


def _subcommand(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register ``func(settings, **own_options)`` as ``crmtpl run NAME``.

    Typer sees the function's own options followed by the shared ones; the shared ones
    arrive bundled as a :class:`RunSettings`.
    """

    def register_command(func: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(func, eval_str=True).parameters.values())[1:]
        shared_names = [p.name for p in _SHARED]

        @functools.wraps(func)
        def command(**values: Any) -> None:
            shared = {key: values.pop(key) for key in shared_names}
            func(RunSettings(**shared), **values)

        parameters = [*_SHARED[:1], *own, *_SHARED[1:]]
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        app.command(name)(command)
        return func

    return register_command


def _call_values(caller: str | None, callee: str | None, direction: str | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if caller is not None:
        values["CallerNumber"] = caller
    if callee is not None:
        values["CalleeNumber"] = callee
    if direction is not None:
        values["Communication_Type"] = direction.capitalize()
    return values


app = typer.Typer(
    name="run",
    help="Execute a scenario live against the CRM and print what the PBX would extract.\n\n"
    "Every subcommand takes --dry-run (print the requests, send nothing), -v (each request "
    "and status) and -vv (headers and bodies, secrets masked).",
    no_args_is_help=True,
)


@_subcommand("lookup")
def lookup(
    settings: RunSettings,
    phone: Annotated[str, typer.Option("--phone", help="The number to look up.")],
    contact_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only this contact type (repeatable).")
    ] = None,
) -> None:
    """SyncContactAuto: look a number up in every contact type, follow Next chains, and
    show the contacts the PBX would store (exit 1 when none is found).

    Example: crmtpl run lookup examples/sandbox.xml --phone 5503302
    """
    settings.phone = phone
    _execute(settings, "SyncContactAuto", lambda r: r.lookup(phone, contact_type or ()))


@_subcommand("users")
def users(settings: RunSettings) -> None:
    """UserAssociation: list the CRM users (UserUniqueId, FirstName, LastName, Email).

    Example: crmtpl run users examples/sandbox.xml
    """
    _execute(settings, "UserAssociation", lambda r: r.users())


@_subcommand("create-contact")
def create_contact(
    settings: RunSettings,
    first_name: Annotated[str, typer.Option("--first-name", help="{{.FirstName}}")],
    number: Annotated[
        str, typer.Option("--number", help="{{.BusinessNumber}}: the number to save.")
    ],
    last_name: Annotated[str, typer.Option("--last-name", help="{{.LastName}}")] = "",
    contact_type: Annotated[
        str | None, typer.Option("--type", help="The contact type to create.")
    ] = None,
) -> None:
    """CreateNewContact: create a contact (never retried, so never created twice).

    Example: crmtpl run create-contact examples/sandbox.xml --type contacts
    --first-name Ada --last-name Lovelace --number +441632960001
    """
    display = f"{first_name} {last_name}".strip()
    settings.pbx_values = {
        "FirstName": first_name,
        "LastName": last_name,
        "BusinessNumber": number,
        "DisplayName": display,
    }
    _execute(settings, "CreateNewContact", lambda r: r.create_contact(contact_type))


@_subcommand("call-journal")
def call_journal(
    settings: RunSettings,
    call: CallOption = None,
    caller_number: CallerOption = None,
    callee_number: CalleeOption = None,
    direction: DirectionOption = None,
    contact_id: ContactIdOption = None,
    contact_type: ContactTypeOption = None,
    list_vars: ListVarsOption = False,
) -> None:
    """CallJournal: find the call's contact (a lookup of the external number, as the PBX
    does, or --contact-id), render Subject and Description, and write the journal.

    Call variables come from --call FILE (JSON or TOML: StartTimeUnix, Call_From,
    CallerNumber, Communication_Type, Talk_Duration_Sec, ...) and the flags; the rest take
    fixed sample values (--list-vars shows them all).

    Example: crmtpl run call-journal examples/sandbox.xml --caller-number 5503302
    """
    settings.call_file = call
    settings.pbx_values = _call_values(caller_number, callee_number, direction)
    _execute(
        settings,
        "CallJournal",
        lambda r: r.call_journal(contact_id, contact_type),
        list_vars=list_vars,
    )


@_subcommand("ticket")
def ticket(
    settings: RunSettings,
    call: CallOption = None,
    ticket_id: Annotated[
        str | None, typer.Option("--ticket-id", help="Update this ticket (UpdateTicket).")
    ] = None,
    caller_number: CallerOption = None,
    callee_number: CalleeOption = None,
    direction: DirectionOption = None,
    contact_id: ContactIdOption = None,
    contact_type: ContactTypeOption = None,
    list_vars: ListVarsOption = False,
) -> None:
    """CreateNewTicket: open a ticket for a call and print its TicketId; with
    --ticket-id, send UpdateTicket instead (adds the call to that ticket).

    Example: crmtpl run ticket examples/sandbox-helpdesk.xml --caller-number 5503302
    """
    settings.call_file = call
    settings.pbx_values = _call_values(caller_number, callee_number, direction)
    _execute(
        settings,
        "CreateNewTicket",
        lambda r: r.ticket(ticket_id, contact_id, contact_type),
        list_vars=list_vars,
    )


@_subcommand("global-info")
def global_info(settings: RunSettings) -> None:
    """GetGlobalInfo: fetch the values every other scenario can use as variables.

    Example: crmtpl run global-info examples/sandbox.xml
    """
    from crmtpl.run.result import RunResult

    def action(runner: ScenarioRunner) -> RunResult:
        values = runner.global_info()
        return RunResult(
            "GetGlobalInfo",
            records=[values],
            exchanges=runner.exchanges,
            warnings=runner.warnings,
            findings=runner.findings,
        )

    _execute(settings, "GetGlobalInfo", action)


def register(root: typer.Typer) -> None:
    """Add ``crmtpl run ...`` to the application."""
    root.add_typer(app, name="run")
