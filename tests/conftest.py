"""Suite-wide hooks: a closing summary that says plainly what was skipped and how to run it.

On a developer's machine the end-to-end tests that need the real CRM, helpdesk and OAuth2
servers, and the differential tests that need the Go oracle, skip when those are not running
or built. Everything that needs only crmtpl itself (the sandbox, the recorded cases, the
fixtures) never skips. Under CI (``CI=true``) nothing skips: a missing server is a failure.
"""

from __future__ import annotations

from collections import Counter

import pytest

#: The one command that starts every server (and builds the oracle) for the full run.
FULL_RUN_COMMAND = "bash .ci/services.sh start /tmp/crmtpl-services"
#: What the suite then needs to find them (the file that command writes).
LOAD_ENV_COMMAND = "set -a && . /tmp/crmtpl-services/services.env && set +a"

_GROUPS = (
    ("oracle", "the Go reference oracle (tests/oracle)"),
    ("peer", "the real CRM, helpdesk and OAuth2 servers (tests/servers)"),
    ("CRMTPL_", "the real CRM, helpdesk and OAuth2 servers (tests/servers)"),
)


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _group(reason: str) -> str:
    for needle, label in _GROUPS:
        if needle in reason:
            return label
    return "something else (pytest -rs shows the reasons)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run, one plain paragraph: what was skipped, by cause, and the full-run command."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if r.when != "teardown"]
    if not skipped:
        return
    counts = Counter(_group(_skip_reason(report)) for report in skipped)
    write = terminalreporter.write_line
    write("")
    write(
        f"{len(skipped)} tests were skipped: this machine does not run what they need (-rs lists them):"
    )
    for label, count in counts.most_common():
        write(f"  {count:4d} need {label}")
    write("For the full run, start the servers and build the oracle, then run pytest again:")
    write(f"  {FULL_RUN_COMMAND} && {LOAD_ENV_COMMAND}")
    write("(`bash .ci/run` does all of that in a fresh virtual environment, as CI does.)")
