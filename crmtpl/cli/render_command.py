"""``crmtpl render``: the exact HTTP requests a scenario would send."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.cli.common import (
    CallOption,
    ForceOption,
    ListVarsOption,
    MissingKeyOption,
    PhoneOption,
    ProfileOption,
    ShowSecretsOption,
    VarOption,
    VarsFileOption,
)

if TYPE_CHECKING:
    from crmtpl.lint.diagnostic import Diagnostic
    from crmtpl.render.renderer import RenderIssue, RenderResult
    from crmtpl.render.request import RenderedRequest
    from crmtpl.secrets import Masker
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


#: A ``<Name>`` placeholder for a value known only at run time (not Go's ``<no value>``).
_PLACEHOLDER = re.compile(r"<[A-Za-z_][A-Za-z0-9_]*>")


class RenderFormat(StrEnum):
    """Output formats of ``crmtpl render``."""

    http = "http"
    curl = "curl"
    json = "json"


HELP = """Show the exact HTTP requests a scenario would send, without sending anything.

SCENARIO is a scenario id or an alias: lookup (SyncContactAuto), users (UserAssociation),
create-contact, call-journal, ticket (CreateNewTicket), global-info, auth, common.

Variables come from, highest first: `--var`, `--vars-file`, `CRMTPL_VAR_<NAME>`, stored
credentials (crmtpl auth set), run-time values, --phone/--call, and the PBX's predefined
variables with fixed sample values. Values known only at run time (outputs of earlier
requests, GetGlobalInfo, tokens) are shown as `<Name>` placeholders.

Examples:

* `crmtpl render examples/sandbox.xml lookup --phone +4930123456`
* `crmtpl render crm.xml call-journal --call call.json --format curl`
* `crmtpl render crm.xml ticket --list-vars`
"""


def render(
    template: Annotated[Path, typer.Argument(help="The template file (- for stdin).")],
    scenario: Annotated[str, typer.Argument(help="Scenario id or alias (lookup, users, ...).")],
    request: Annotated[
        str | None, typer.Option("--request", help="Only the request with this Name.")
    ] = None,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="http, curl or json.")
    ] = RenderFormat.http,
    var: VarOption = None,
    vars_file: VarsFileOption = None,
    phone: PhoneOption = None,
    call: CallOption = None,
    profile: ProfileOption = None,
    missingkey: MissingKeyOption = "default",
    show_secrets: ShowSecretsOption = False,
    list_vars: ListVarsOption = False,
    force: ForceOption = False,
) -> None:
    """Show the exact HTTP requests a scenario would send."""
    from crmtpl.cli.findings import stop_on_findings, warn_unused_variables
    from crmtpl.cli.loading import context_for, load, masker_for
    from crmtpl.errors import UsageError
    from crmtpl.render.findings import without_restated
    from crmtpl.render.renderer import render_scenario
    from crmtpl.render.scenarios import resolve_scenario

    if missingkey not in ("default", "zero", "error"):
        raise UsageError(
            f"--missingkey {missingkey!r} is not one of default, zero, error",
            hint="default prints <no value> for a missing variable, as the PBX does",
        )
    loaded = load(template)
    ids = tuple(s.id for s in loaded.model.scenarios if s.id)
    scenario_id = resolve_scenario(scenario, ids)
    context = context_for(
        loaded, assignments=var, vars_file=vars_file, phone=phone, call_file=call, profile=profile
    )
    warn_unused_variables(loaded, context)
    findings = (
        []
        if list_vars
        else stop_on_findings(
            loaded,
            scenario_id,
            force=force,
            doing="rendered",
            json_output=output_format is RenderFormat.json,
        )
    )
    if scenario_id == "AuthMethod":
        result = _render_auth(loaded, context, missingkey)
    else:
        if request is not None:
            names = loaded.model.scenario(scenario_id)
            known = names.request_names if names is not None else ()
            if request not in known:
                raise UsageError(
                    f"{scenario_id} has no request named {request!r}",
                    hint=f"requests: {', '.join(known) or 'none'}",
                )
        result = render_scenario(
            loaded, scenario_id, context, request_name=request, missingkey=missingkey
        )
    result = without_restated(result, findings, loaded)
    masker = masker_for(context, show_secrets)
    if list_vars:
        print_variables(result, context, masker, output_format)
    elif output_format is RenderFormat.json:
        print_json(result, context, masker, findings)
    else:
        print_requests(result, masker, output_format, loaded)
    failed = bool(result.errors) or bool(json_problems(result))
    if failed:
        raise typer.Exit(1)


def json_problems(result: RenderResult) -> list[RenderedRequest]:
    """Requests whose body should be JSON but is not, leaving out those whose template
    failed (their body is the unrendered text, and the template error says why)."""
    failed = {issue.request for issue in result.errors}
    return [
        r for r in result.requests if r.name not in failed and r.body_json_problem() is not None
    ]


def _render_auth(loaded: LoadedTemplate, context: VariableContext, missingkey: str) -> RenderResult:
    """The AuthMethod scenario: the token (and authorization) requests the PBX would make."""
    from crmtpl.render.renderer import RenderResult, ScenarioRenderer, add_samples
    from crmtpl.render.request import RenderedRequest

    template = loaded.model
    result = RenderResult("AuthMethod")
    auth = template.auth
    if auth is None:
        return result
    add_samples(context, ["AuthMethod"])
    renderer = ScenarioRenderer(loaded, context, missingkey=missingkey)
    renderer.prepare_auth()
    for name, method in (("AuthEndPoint", "GET"), ("TokenEndPoint", "POST")):
        parameter = auth.param(name)
        if parameter is None or not parameter.value:
            continue
        url = renderer.value(parameter, "Value") or ""
        headers = [
            (h.name, renderer.value(h, "Value") or "") for h in template.global_headers if h.name
        ]
        result.requests.append(RenderedRequest("AuthMethod", name, method, url, headers))
    result.issues = renderer.issues
    result.used_variables = renderer.used
    return result


def _issue_line(issue: RenderIssue, loaded: LoadedTemplate) -> str:
    return f"{issue.location(loaded.display_name)}: {issue.message}"


def print_requests(
    result: RenderResult, masker: Masker, output_format: RenderFormat, loaded: LoadedTemplate
) -> None:
    from rich.markup import escape
    from rich.rule import Rule
    from rich.syntax import Syntax

    from crmtpl.cli.messages import error, notice, warning
    from crmtpl.cli.options import console
    from crmtpl.render.findings import body_problem_message
    from crmtpl.render.formats import curl_command, http_message, pretty_body

    out = console()
    for rendered in result.requests:
        title = f"{rendered.scenario} › {rendered.name}"
        if output_format is RenderFormat.curl:
            out.print(f"# {escape(title)}", style="dim")
            out.print(escape(curl_command(rendered, masker)))
            out.print()
            continue
        out.print(Rule(escape(title), align="left", style="dim"))
        head = http_message(replace(rendered, body=None), masker)
        out.print(escape(head), highlight=False)
        if rendered.body:
            out.print()
            broken = rendered in json_problems(result)
            problem = rendered.body_json_problem() if broken else None
            if problem is not None:
                _print_broken_body(masker.text(rendered.body), problem.line, problem.column)
            elif rendered.body_is_json and out.is_terminal and not out.no_color:
                out.print(Syntax(masker.text(pretty_body(rendered.body)), "json", word_wrap=True))
            elif rendered.body_is_json:
                out.print(escape(masker.text(pretty_body(rendered.body))), soft_wrap=True)
            else:
                out.print(escape(masker.text(rendered.body)))
        out.print()
    if result.contact_url is not None:
        prefix = "# " if output_format is RenderFormat.curl else ""  # stays pasteable
        out.print(f"{prefix}[bold]contact URL[/]: {escape(masker.text(result.contact_url))}")
    if not result.requests:
        warning(f"{result.scenario_id} has no requests to render")
    for issue in result.issues:
        line = _issue_line(issue, loaded)
        (error if issue.severity == "error" else warning)(line, issue.hint)
    for rendered in json_problems(result):
        error(*body_problem_message(result, rendered))
    shown = [v for r in result.requests for _, v in r.headers]
    shown += [r.url for r in result.requests] + [r.body or "" for r in result.requests]
    if any(_PLACEHOLDER.search(text) for text in shown):
        notice(
            "values written <Name> are only known at run time (outputs, tokens); "
            "give them with --var NAME=VALUE"
        )


def _print_broken_body(body: str, line: int, column: int) -> None:
    from rich.markup import escape

    from crmtpl.cli.options import console

    out = console()
    for number, text in enumerate(body.splitlines() or [""], start=1):
        out.print(f"[dim]{number:>4} │[/] {escape(text)}")
        if number == line:
            out.print(f"[dim]     │[/] {' ' * (column - 1)}[bold red]^ not valid JSON here[/]")


def print_variables(
    result: RenderResult, context: VariableContext, masker: Masker, output_format: RenderFormat
) -> None:
    from rich.markup import escape
    from rich.table import Table

    from crmtpl.cli.options import console
    from crmtpl.render.documents import variable_rows

    rows = variable_rows(result, context, masker)
    out = console()
    if output_format is RenderFormat.json:
        out.print_json(json.dumps({"scenario": result.scenario_id, "variables": rows}))
        return
    table = Table(title=f"variables used by {result.scenario_id}", title_justify="left")
    for column in ("name", "value", "source"):
        table.add_column(column)
    for row in rows:
        value = "[red]missing[/]" if row["value"] is None else escape(row["value"])
        source = row["source"] + (f" ({row['origin']})" if row.get("origin") else "")
        table.add_row(escape(row["name"]), value, escape(source))
    out.print(table)
    missing = [r["name"] for r in rows if r["value"] is None]
    if missing:
        out.print(f"missing: {', '.join(missing)} (set them with --var NAME=VALUE)")


def print_json(
    result: RenderResult,
    context: VariableContext,
    masker: Masker,
    findings: Sequence[Diagnostic] = (),
) -> None:
    """Print the render JSON document (masked) on stdout."""
    from crmtpl.cli.options import console
    from crmtpl.render.documents import result_document

    document = result_document(result, context, masker, findings)
    console().file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    """Add ``crmtpl render`` to the application."""
    app.command("render", help=HELP)(render)
