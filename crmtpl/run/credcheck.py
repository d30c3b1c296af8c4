"""``crmtpl auth status --check``: do the stored credentials work against the server?

Like ``gh auth status``, the check sends one real request: the template's cheapest
read-only one, the first request of UserAssociation when the template has that scenario,
else the first SyncContactAuto search for a number no one has (:data:`PROBE_NUMBER`).
Nothing is written. The verdict is ok (exit 0), refused (401/403, or a token that cannot
be had: exit 5), or unreachable / failed (no answer, or another error status: exit 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from crmtpl.errors import AuthError, ExitCode, NetworkError, UsageError
from crmtpl.run.answers import server_message
from crmtpl.run.runner import ScenarioRunner
from crmtpl.secrets import redact_url
from crmtpl.template.model import Template

#: The number searched for when the template has no UserAssociation: a fictitious one
#: (the 555-01xx range), so the search finds no one's record.
PROBE_NUMBER = "+15555550100"


class Verdict(Enum):
    """What the server said about the credentials."""

    OK = "ok"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


_EXIT = {
    Verdict.OK: ExitCode.OK,
    Verdict.REFUSED: ExitCode.AUTH,
    Verdict.UNREACHABLE: ExitCode.NETWORK,
    Verdict.FAILED: ExitCode.NETWORK,
}


@dataclass(frozen=True)
class CredentialCheck:
    """The outcome of the check: verdict, the request sent, what came back."""

    verdict: Verdict
    scenario: str
    request: str
    message: str
    status: int | None = None
    hint: str | None = None

    @property
    def exit_code(self) -> ExitCode:
        """0 ok, 5 refused, 4 unreachable or another failure."""
        return _EXIT[self.verdict]

    def as_json(self) -> dict[str, object]:
        """The ``check`` member of ``auth status --format json``."""
        return {
            "result": self.verdict.value,
            "scenario": self.scenario,
            "request": self.request,
            "status": self.status,
            "message": self.message,
            "hint": self.hint,
            "exit_code": int(self.exit_code),
        }


def probe_target(model: Template) -> tuple[str, str]:
    """The scenario and request the check sends; a usage error when there is none."""
    for scenario_id in ("UserAssociation", "SyncContactAuto"):
        scenario = model.scenario(scenario_id)
        if scenario is not None and scenario.request_names:
            return scenario_id, scenario.request_names[0]
    raise UsageError(
        "the template has no UserAssociation or SyncContactAuto request to test the "
        "credentials with",
        hint="crmtpl run ... on a scenario of the template tests them by using them",
    )


def check_credentials(runner: ScenarioRunner) -> CredentialCheck:
    """Send the probe request with the runner's credentials and judge the answer."""
    scenario_id, request_name = probe_target(runner.template)
    if scenario_id == "SyncContactAuto":
        from crmtpl.variables import Source

        runner.context.set("Phone", PROBE_NUMBER, Source.PBX, "auth status --check")
    try:
        rendered, response = runner.probe(scenario_id, request_name)
    except AuthError as refused:
        return CredentialCheck(
            Verdict.REFUSED, scenario_id, request_name, str(refused), hint=refused.hint
        )
    except NetworkError as failure:
        return CredentialCheck(
            Verdict.UNREACHABLE, scenario_id, request_name, str(failure), hint=failure.hint
        )
    masker = runner.masker()
    line = masker.text(
        f"{rendered.method} {redact_url(rendered.url)} answered {response.status} "
        f"{response.reason}".rstrip()
    )
    if response.ok:
        return CredentialCheck(
            Verdict.OK, scenario_id, request_name, f"{line}: the credentials work",
            status=response.status,
        )  # fmt: skip
    said = server_message(response, masker)
    if response.status in (401, 403):
        return CredentialCheck(
            Verdict.REFUSED,
            scenario_id,
            request_name,
            f"{line}: the server refused the credentials: {said}",
            status=response.status,
            hint="store them again with crmtpl auth set (or auth login for tokens)",
        )
    return CredentialCheck(
        Verdict.FAILED,
        scenario_id,
        request_name,
        f"{line}: {said}",
        status=response.status,
        hint="the credentials were not judged: check the template's URL (crmtpl render)",
    )
