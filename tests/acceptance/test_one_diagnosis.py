"""One diagnosis, three commands (issue 15): for every beginner mistake, ``render`` and
``run --dry-run`` print validate's own finding (same rule id, file:line:col and words) and
stop with exit code 1; ``--force`` goes on and says so; the json documents carry the
findings with rule ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.lint import lint_source
from crmtpl.lint.diagnosis import SHARED_SCENARIOS
from crmtpl.lint.diagnostic import Severity
from crmtpl.template import load_template
from tests.support import REPO_ROOT

BEGINNER = REPO_ROOT / "tests" / "fixtures" / "templates" / "beginner"
FOLDERS = sorted(p for p in BEGINNER.iterdir() if p.is_dir())
#: Scenario id -> the run subcommand and the options it needs.
RUN_COMMANDS = {
    "SyncContactAuto": ["lookup", "--phone", "5503302"],
    "UserAssociation": ["users"],
    "CreateNewContact": [
        *("create-contact", "--type", "contacts"),
        *("--first-name", "Ada", "--number", "+441632960001"),
    ],
    "CallJournal": ["call-journal", "--contact-id", "1001", "--contact-type", "contacts"],
    "CreateNewTicket": ["ticket", "--contact-id", "1001", "--contact-type", "contacts"],
    "GetGlobalInfo": ["global-info"],
}


def _first_error(template: Path) -> tuple[str | None, str]:
    """The scenario a fixture's first error is in (SyncContactAuto when it is outside any
    scenario, None inside a scenario no command runs, such as a misspelt one) and
    validate's first line for it."""
    result = lint_source(template, display_name=str(template))
    error = next(d for d in result.diagnostics if d.severity is Severity.ERROR)
    loaded = load_template(template)
    inside = [
        s.id for s in loaded.model.scenarios if s.node.start <= error.span.start_offset < s.node.end
    ]
    # Errors outside every scenario, or in those every scenario uses, stop a lookup too.
    shared = not inside or inside[0] in SHARED_SCENARIOS
    scenario = "SyncContactAuto" if shared else inside[0]
    if scenario not in RUN_COMMANDS:
        scenario = None
    line = f"{template}:{error.line}:{error.column}: error {error.rule} "
    return scenario, line + f"{result_name(error.rule)}: {error.message}"


def result_name(rule: str) -> str:
    from crmtpl.lint import rule_table

    return rule_table().get(rule).name


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_render_and_run_dry_run_stop_with_validates_finding(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = folder / "template.xml"
    scenario, validate_line = _first_error(template)
    assert run(["validate", str(template)]) == 1
    assert validate_line in capsys.readouterr().out
    if scenario is None:  # e.g. <Scenario Id="CallJournals">: it stops no other scenario
        assert run(["render", "lookup", str(template)]) == 0
        assert validate_line not in capsys.readouterr().err
        return

    assert run(["render", scenario, str(template)]) == 1
    rendered = capsys.readouterr()
    assert validate_line in rendered.err
    assert "nothing was rendered" in rendered.err
    assert rendered.out == ""  # no request shown

    command = RUN_COMMANDS[scenario]
    assert run(["run", command[0], str(template), *command[1:], "--dry-run"]) == 1
    dry = capsys.readouterr()
    assert validate_line in dry.err
    assert "nothing was sent" in dry.err


def test_the_json_documents_carry_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    template = BEGINNER / "variable-lowercase-in-url" / "template.xml"
    assert run(["render", "lookup", str(template), "--format", "json"]) == 1
    stopped = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["line"], f["column"]) for f in stopped["findings"]] == [
        ("CT821", 103, 177)
    ]
    assert "did you mean {{.Phone}}?" in stopped["findings"][0]["hint"]
    assert "requests" not in stopped

    assert run(["render", "lookup", str(template), "--format", "json", "--force"]) == 1
    forced = capsys.readouterr()
    document = json.loads(forced.out)
    assert [f["rule"] for f in document["findings"]] == ["CT821"]
    assert document["requests"]  # rendered anyway
    assert "--force: rendered although crmtpl validate finds 1 error" in forced.err
    # render's own words for the same place are the finding's, not "set it with --var"
    assert all("set it with --var phone" not in (p["hint"] or "") for p in document["problems"])
    assert all("CT821" in p["message"] for p in document["problems"])


def test_a_scenario_without_errors_is_not_stopped_by_another_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = BEGINNER / "body-missing-comma" / "template.xml"  # the CreateNewContact body
    assert run(["render", "lookup", str(template)]) == 0
    assert "CT661" not in capsys.readouterr().err
