"""Run one test: replay its recording (default), or run live, or re-record (``update``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from crmtpl.auth.hints import auth_command
from crmtpl.auth.registry import needs_token_manager, token_manager_for
from crmtpl.creds.settings import AuthSettings
from crmtpl.errors import CrmtplError, ExitCode
from crmtpl.http import HttpClient
from crmtpl.recording.redaction import Redactor
from crmtpl.recording.replay import secrets_by_name
from crmtpl.recording.session import RecordingSession
from crmtpl.render.context import ContextRequest, build_context
from crmtpl.run.result import RunResult
from crmtpl.run.runner import ScenarioRunner
from crmtpl.template import LoadedTemplate, load_template
from crmtpl.testing.compare import compare_records, compare_requests
from crmtpl.testing.spec import TestSpec, load_spec
from crmtpl.testing.writer import write_spec


class Mode(StrEnum):
    """How a test gets its answers."""

    replay = "replay"
    live = "live"
    update = "update"


@dataclass
class TestOutcome:
    """What one test file gave: passed, failed (with a line per difference), or unreadable."""

    __test__ = False

    path: str
    name: str
    scenario: str = ""
    failures: list[str] = field(default_factory=list)
    unreadable: bool = False
    seconds: float = 0.0
    updated: bool = False

    @property
    def passed(self) -> bool:
        """No failure and readable."""
        return not self.failures and not self.unreadable


def pbx_values(spec: TestSpec) -> dict[str, str]:
    """The PBX side of the scenario from the test's inputs."""
    inputs = spec.inputs
    if spec.scenario == "create-contact":
        first, last = str(inputs.get("first_name", "")), str(inputs.get("last_name", ""))
        return {
            "FirstName": first,
            "LastName": last,
            "BusinessNumber": str(inputs.get("number", "")),
            "DisplayName": f"{first} {last}".strip(),
        }
    return {str(key): str(value) for key, value in inputs.get("call", {}).items()}


def perform(runner: ScenarioRunner, spec: TestSpec) -> RunResult:
    """Run the test's scenario with its inputs."""
    inputs = spec.inputs
    contact_id, contact_type = inputs.get("contact_id"), inputs.get("contact_type")
    if spec.scenario == "lookup":
        return runner.lookup(str(inputs.get("phone", "")), tuple(inputs.get("types", ())))
    if spec.scenario == "users":
        return runner.users()
    if spec.scenario == "create-contact":
        return runner.create_contact(contact_type)
    if spec.scenario == "call-journal":
        return runner.call_journal(contact_id, contact_type)
    if spec.scenario == "ticket":
        return runner.ticket(inputs.get("ticket_id"), contact_id, contact_type)
    values = runner.global_info()
    return RunResult(
        "GetGlobalInfo", records=[values], exchanges=runner.exchanges, warnings=runner.warnings
    )


Sent = list[tuple[str, str, str | None]]


def _run(
    spec: TestSpec, loaded: LoadedTemplate, mode: Mode
) -> tuple[RunResult, Sent, dict[str, str]]:
    offline = mode is Mode.replay
    context = build_context(
        loaded,
        ContextRequest(
            assignments=[f"{k}={v}" for k, v in spec.inputs.get("vars", {}).items()],
            phone=str(spec.inputs["phone"]) if "phone" in spec.inputs else None,
            pbx_values=pbx_values(spec),
            use_credentials=not offline,
        ),
    )
    session = RecordingSession.start(
        loaded.model,
        context,
        spec.scenario_id,
        replay=spec.recording if offline else None,
        record=spec.recording if mode is Mode.update else None,
    )
    with HttpClient(responder=session.responder, observer=session.observer) as http:
        tokens = None
        if needs_token_manager(loaded.model.auth_method, context):
            tokens = token_manager_for(
                AuthSettings.from_template(loaded.model),
                context.data(),
                http=http,
                login_command=auth_command("login", spec.template, None),
            )
        runner = ScenarioRunner(loaded, context, http, tokens=tokens)
        try:
            runner.prepare_auth()
            result = perform(runner, spec)
        finally:
            session.finish(tokens.secrets() if tokens else [])
    secrets = secrets_by_name(context, tokens.secrets() if tokens else [])
    redactor = Redactor(secrets)
    sent = [
        (
            e.request.method,
            redactor.url(e.request.url),
            None if e.request.body is None else redactor.body(e.request.body),
        )
        for e in result.exchanges
    ]
    return result, sent, secrets


def run_test(path: Path, mode: Mode = Mode.replay) -> TestOutcome:
    """Run one test file; never raises for a failing test or a bad file."""
    started = time.perf_counter()
    outcome = TestOutcome(str(path), path.name)
    try:
        spec = load_spec(path)
        outcome.name, outcome.scenario = spec.name, spec.scenario
        loaded = load_template(spec.template)
    except CrmtplError as problem:
        outcome.unreadable = True
        outcome.failures.append(_describe(problem))
        return outcome
    try:
        result, sent, secrets = _run(spec, loaded, mode)
        if mode is Mode.update:
            write_spec(spec, result.records, secrets)
    except CrmtplError as problem:
        if problem.exit_code is ExitCode.TEMPLATE_UNLOADABLE:
            outcome.unreadable = True
        outcome.failures.append(_describe(problem))
        outcome.seconds = time.perf_counter() - started
        return outcome
    if mode is Mode.update:
        outcome.updated = True
    else:
        outcome.failures += compare_records(spec.records, result.records, spec.match)
        outcome.failures += compare_requests(spec.requests, sent)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _describe(problem: CrmtplError) -> str:
    return f"{problem.message}" + (f" (hint: {problem.hint})" if problem.hint else "")
