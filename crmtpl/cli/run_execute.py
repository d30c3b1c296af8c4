"""Running one ``crmtpl run`` scenario: load, build the context, call the core, print.

The runner, the token decision, the formatters and the JSON contracts are in the core
(``crmtpl.run``, ``crmtpl.auth``); this module wires them to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from crmtpl.choices import RunFormat, TokenRuleMode

if TYPE_CHECKING:
    from crmtpl.lint.diagnostic import Diagnostic
    from crmtpl.run.result import Exchange, RunResult
    from crmtpl.run.runner import ScenarioRunner
    from crmtpl.run.writes import WriteGate
    from crmtpl.secrets import Masker
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


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
    token_rule: TokenRuleMode
    missingkey: str = "default"
    force: bool = False
    total_timeout: float | None = None
    call_file: Path | None = None
    pbx_values: dict[str, str] = field(default_factory=dict)
    phone: str | None = None
    record: Path | None = None
    replay: Path | None = None
    write_test: Path | None = None
    #: --yes: write to the live CRM without asking.
    yes: bool = False


def execute(
    settings: RunSettings,
    scenario_id: str,
    action: Callable[[ScenarioRunner], RunResult],
    *,
    list_vars: bool = False,
) -> None:
    """Run ``action`` on a runner for the template and print the result."""
    from crmtpl.cli.findings import (
        stop_on_findings,
        tell_template_defaults,
        warn_unused_variables,
    )
    from crmtpl.cli.loading import context_for, load
    from crmtpl.errors import UsageError

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
    tell_template_defaults(loaded, context)
    forced = (
        []
        if list_vars
        else stop_on_findings(
            loaded,
            scenario_id,
            force=settings.force,
            doing="sent",
            json_output=settings.output_format is RunFormat.json,
        )
    )
    if settings.dry_run or list_vars:
        _dry_run(loaded, scenario_id, context, settings, list_vars, forced)
        return
    from crmtpl.cli.write_confirm import gate_for

    gate = gate_for(
        scenario_id, dry_run=False, replay=settings.replay is not None, yes=settings.yes
    )
    _live_run(loaded, scenario_id, context, settings, action, forced, gate)


def _live_run(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    settings: RunSettings,
    action: Callable[[ScenarioRunner], RunResult],
    forced: list[Diagnostic],
    gate: WriteGate,
) -> None:
    from crmtpl.auth.hints import auth_command
    from crmtpl.auth.registry import needs_token_manager, token_manager_for
    from crmtpl.cli.loading import masker_for
    from crmtpl.cli.messages import notice
    from crmtpl.cli.options import OPTIONS
    from crmtpl.cli.run_progress import Progress, RetryNotice, exchange_observer, outputs_printer
    from crmtpl.cli.write_confirm import confirmer
    from crmtpl.creds.binding import BoundHttpClient
    from crmtpl.creds.settings import AuthSettings
    from crmtpl.errors import CrmtplError, UsageError
    from crmtpl.http import HttpSettings
    from crmtpl.recording.session import RecordingSession
    from crmtpl.render.origins import bind_credentials
    from crmtpl.run.runner import RunOptions, ScenarioRunner
    from crmtpl.run.tokenrule import describe_rule

    if settings.write_test is not None and settings.record is None:
        raise UsageError("--write-test needs --record DIR", hint="the test replays that recording")
    session = RecordingSession.start(
        loaded.model, context, scenario_id, record=settings.record, replay=settings.replay
    )
    http_settings = HttpSettings(
        connect_timeout=settings.connect_timeout,
        total_timeout=settings.total_timeout,
        read_timeout=settings.timeout,
        ca_bundle=settings.ca_bundle,
        max_response_bytes=settings.max_response_bytes,
    )
    retries = RetryNotice()
    chain, binding = bind_credentials(loaded, context, settings.template, settings.profile)
    with BoundHttpClient(
        http_settings,
        binding,
        on_retry=retries,
        responder=session.responder,
        observer=session.observer,
    ) as http:
        tokens = None
        if needs_token_manager(loaded.model.auth_method, context):
            tokens = token_manager_for(
                AuthSettings.from_template(loaded.model),
                context.data(),
                http=http,
                chain=chain,
                profile=settings.profile,
                login_command=auth_command("login", settings.template, settings.profile),
            )

        def masker() -> Masker:
            return masker_for(context, settings.show_secrets, tokens.secrets() if tokens else [])

        options = RunOptions(
            missingkey=settings.missingkey,
            token_rule=settings.token_rule,
            forced_findings=tuple(forced),
        )
        runner = ScenarioRunner(loaded, context, http, tokens=tokens, options=options)
        progress = Progress(scenario_id)
        runner.on_exchange = exchange_observer(masker, progress)
        runner.on_outputs = outputs_printer(masker)
        runner.before_write = confirmer(gate, masker, progress.paused)
        if OPTIONS.verbosity and runner.token_patterns:
            notice(describe_rule(runner.token_patterns, runner.options.token_rule))
        try:
            with progress:
                try:
                    runner.prepare_auth()
                    result = action(runner)
                finally:
                    session.finish(tokens.secrets() if tokens else [])
        except CrmtplError as failure:
            if settings.output_format is RunFormat.json:
                _print_failure(failure, runner.exchanges, masker())
            raise
    _print_result(result, masker(), settings, loaded, forced)
    if settings.write_test is not None and settings.record is not None:
        from crmtpl.testing.writer import write_run_test

        write_run_test(
            settings.write_test,
            settings.template,
            scenario_id,
            settings.record,
            result.records,
            context,
            settings.phone,
            settings.pbx_values,
            settings.var or [],
            tokens.secrets() if tokens else [],
        )


def _print_failure(failure: Any, exchanges: list[Exchange], masker: Masker) -> None:
    from crmtpl.cli.options import output_stream
    from crmtpl.run.formatters import RunFailure, format_failure

    kind = type(failure).__name__
    stopped = RunFailure(str(failure), int(failure.exit_code), kind, failure.hint, exchanges)
    output_stream().write(format_failure(stopped, masker))


def _print_result(
    result: RunResult,
    masker: Masker,
    settings: RunSettings,
    loaded: LoadedTemplate,
    forced: list[Diagnostic],
) -> None:
    from crmtpl.cli.findings import print_findings
    from crmtpl.cli.messages import notice, warning
    from crmtpl.cli.options import is_terminal, output_stream
    from crmtpl.run.formatters import RunView, expectation_failed, format_run, notes_of

    view = RunView(
        result, masker, phone=settings.phone or "", terminal=is_terminal(), forced=forced
    )
    output_stream().write(format_run(view, settings.output_format.value))
    if settings.output_format is not RunFormat.json:
        notes, warnings = notes_of(result, masker)
        for text in notes:
            notice(text)
        for text in warnings:
            warning(text)
        print_findings(loaded, result.findings)
    if expectation_failed(result):
        raise typer.Exit(1)


def _dry_run(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    settings: RunSettings,
    list_vars: bool,
    forced: list[Diagnostic],
) -> None:
    from crmtpl.choices import RenderFormat
    from crmtpl.cli.render_command import show_render
    from crmtpl.render.renderer import render_scenario

    result = render_scenario(loaded, scenario_id, context, missingkey=settings.missingkey)
    as_json = settings.output_format is RunFormat.json
    fmt = RenderFormat.json if as_json else RenderFormat.http  # one document for scripts
    show_render(
        result, loaded, context, settings.show_secrets, fmt, list_vars=list_vars, findings=forced
    )
