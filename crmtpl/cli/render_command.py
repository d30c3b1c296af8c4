"""``crmtpl render``: the exact HTTP requests a scenario would send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.choices import RenderFormat
from crmtpl.cli.common import (
    CallOption,
    ForceOption,
    ListVarsOption,
    MissingKeyOption,
    PhoneOption,
    ProfileOption,
    ShowSecretsOption,
    TemplateArg,
    VarOption,
    VarsFileOption,
)

if TYPE_CHECKING:
    from crmtpl.lint.diagnostic import Diagnostic
    from crmtpl.render.renderer import RenderResult
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


HELP = """Show the exact HTTP requests a scenario would send, without sending anything.

SCENARIO is a scenario id or an alias: lookup (SyncContactAuto), users (UserAssociation),
create-contact, call-journal, ticket (CreateNewTicket), global-info, auth, common.

Variables come from, highest first: `--var`, `--vars-file`, `CRMTPL_VAR_<NAME>`, stored
credentials (crmtpl auth set), run-time values, --phone/--call, and the PBX's predefined
variables with fixed sample values. Values known only at run time (outputs of earlier
requests, GetGlobalInfo, tokens) are shown as `<Name>` placeholders.

Examples:

* `crmtpl render lookup examples/sandbox.xml --phone +4930123456`
* `crmtpl render call-journal crm.xml --call call.json --format curl`
* `crmtpl render ticket crm.xml --list-vars`

The order is the one of `crmtpl run SCENARIO TEMPLATE`: swap `render` for `run` to send
the requests.
"""


def render(
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO",
            help="Scenario id or alias (lookup, users, ...).",
            show_default=False,
        ),
    ],
    template: TemplateArg,
    request: Annotated[
        str | None,
        typer.Option("--request", metavar="NAME", help="Only the request with this Name."),
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
    from crmtpl.cli.findings import (
        stop_on_findings,
        tell_template_defaults,
        warn_unused_variables,
    )
    from crmtpl.cli.loading import context_for, load
    from crmtpl.errors import UsageError
    from crmtpl.render.preview import render_preview
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
    tell_template_defaults(loaded, context)
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
    result = render_preview(loaded, scenario_id, context, request=request, missingkey=missingkey)
    show_render(
        result, loaded, context, show_secrets, output_format, list_vars=list_vars, findings=findings
    )


def show_render(
    result: RenderResult,
    loaded: LoadedTemplate,
    context: VariableContext,
    show_secrets: bool,
    output_format: RenderFormat,
    *,
    list_vars: bool = False,
    findings: Sequence[Diagnostic] = (),
) -> None:
    """Print a render result in a format, its problems on stderr; exit 1 when it has errors.

    ``findings`` are validate's error-level findings that ``--force`` went past: the render
    issues they already explain are left out, and json carries them in ``"findings"``."""
    from crmtpl.cli.loading import masker_for
    from crmtpl.cli.options import console
    from crmtpl.render.findings import without_restated
    from crmtpl.render.formatters import (
        RenderView,
        format_render,
        format_variables,
        json_problems,
    )

    result = without_restated(result, findings, loaded)
    view = RenderView(result, context, masker_for(context, show_secrets), findings)
    out = console().file
    if list_vars:
        out.write(format_variables(view, as_json=output_format is RenderFormat.json))
        return
    out.write(format_render(view, output_format.value))
    if output_format is not RenderFormat.json:
        _tell_problems(result, loaded)
    if result.errors or json_problems(result):
        raise typer.Exit(1)


def _tell_problems(result: RenderResult, loaded: LoadedTemplate) -> None:
    """The render's issues and broken JSON bodies on stderr, and the placeholder note."""
    from crmtpl.cli.messages import error, notice, warning
    from crmtpl.controlchars import make_visible
    from crmtpl.render.findings import body_problem_message
    from crmtpl.render.formatters import has_placeholders, json_problems

    if not result.requests:
        warning(f"{result.scenario_id} has no requests to render")
    for issue in result.issues:
        line = make_visible(f"{issue.location(loaded.display_name)}: {issue.message}")
        (error if issue.severity == "error" else warning)(line, issue.hint)
    for rendered in json_problems(result):
        if rendered.body_json_problem() is None:
            continue
        message, hint = body_problem_message(result, rendered)
        error(make_visible(message), hint=hint)
    if has_placeholders(result):
        notice(
            "values written <Name> are only known at run time (outputs, tokens); "
            "give them with --var NAME=VALUE (a token: CRMTPL_VAR_NAME, never on the "
            "command line)"
        )


def register(app: typer.Typer) -> None:
    """Add ``crmtpl render`` to the application."""
    app.command("render", help=HELP)(render)
