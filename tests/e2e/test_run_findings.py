"""The run-side beginner mistakes make ``crmtpl run`` exit 1 against the sandbox with the
right suggestion, in validate's words (issue 15).

A wrong output path that is still valid GJSON (``data.#.firstname``, a wrong TicketId
path) is found only in the real answer (CT950, tests/fixtures/templates/run-side/); the
mistakes validate already knows (JSONPath paths, misspelt variables) stop the run before
anything is sent, with the finding validate prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.sandbox import DEFAULT_URL, Sandbox, crmtpl
from tests.support import REPO_ROOT

BEGINNER = "tests/fixtures/templates/beginner"
RUN_SIDE = "tests/fixtures/templates/run-side"
HELPDESK_KEY = ["--var", "api_key=sandbox-api-key"]

#: folder, run subcommand and its options, rule, line:col, the suggestion.
CASES = [
    (
        f"{RUN_SIDE}/output-path-wrong-key",
        ["lookup", "--phone", "5503302"],
        "CT950",
        "110:44",
        'did you mean Path="data.#.first_name"?',
    ),
    (
        f"{RUN_SIDE}/ticket-id-path-wrong",
        ["ticket", "--caller-number", "5503302", "--yes", *HELPDESK_KEY],
        "CT950",
        "143:43",
        'did you mean Path="data.id"?',
    ),
    (
        f"{BEGINNER}/variable-lowercase-in-url",
        ["lookup", "--phone", "5503302"],
        "CT821",
        "103:177",
        "did you mean {{.Phone}}?",
    ),
    (
        f"{BEGINNER}/variable-misspelt-in-header",
        ["lookup", "--phone", "5503302", "--var", "api_key=sandbox-api-key"],
        "CT821",
        "31:92",
        "did you mean {{.api_key}}?",
    ),
    (
        f"{BEGINNER}/gjson-jsonpath-root",
        ["lookup", "--phone", "5503302"],
        "CT707",
        "106:45",
        'write Path="data.#.id"',
    ),
    (
        f"{BEGINNER}/gjson-bracket-index",
        ["users"],
        "CT707",
        "67:48",
        'write Path="data.0.first_name"',
    ),
    (
        f"{BEGINNER}/gjson-recursive-descent",
        ["users"],
        "CT707",
        "69:44",
        'write Path="data.#.email"',
    ),
    (
        f"{BEGINNER}/gjson-star-bracket-users",
        ["users"],
        "CT707",
        "66:51",
        'write Path="data.#.id"',
    ),
    (
        f"{BEGINNER}/gjson-star-wildcard",
        ["users"],
        "CT707",
        "68:48",
        'write Path="data.#.last_name"',
    ),
]


@pytest.mark.parametrize(
    ("folder", "command", "rule", "where", "suggestion"),
    CASES,
    ids=[case[0].rsplit("/", 1)[1] for case in CASES],
)
def test_a_run_side_mistake_fails_the_run_with_the_fix(
    sandbox: Sandbox, folder: str, command: list[str], rule: str, where: str, suggestion: str
) -> None:
    template = f"{folder}/template.xml"
    done = crmtpl("run", command[0], template, *command[1:])
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{template}:{where}: error {rule} " in done.stderr
    assert f"hint: {suggestion}" in done.stderr
    assert 'executing "tpl"' not in done.stderr  # no raw Go error: validate's words

    as_json = crmtpl("run", command[0], template, *command[1:], "--format", "json")
    assert as_json.returncode == 1
    findings = json.loads(as_json.stdout)["findings"]
    assert [f"{f['line']}:{f['column']}" for f in findings if f["rule"] == rule] == [where]
    assert any(suggestion in (f["hint"] or "") for f in findings)


def test_validate_passes_the_run_side_templates_only_a_real_answer_shows_the_mistake() -> None:
    done = crmtpl("validate", f"{RUN_SIDE}/output-path-wrong-key/template.xml", RUN_SIDE)
    assert done.returncode == 0, done.stdout


def test_a_finding_before_sending_sends_nothing(sandbox: Sandbox) -> None:
    template = f"{BEGINNER}/variable-lowercase-in-url/template.xml"
    done = crmtpl("-v", "run", "lookup", template, "--phone", "5503302")
    assert done.returncode == 1
    assert "→ GET" not in done.stderr
    assert "nothing was sent" in done.stderr
    dry = crmtpl("run", "lookup", template, "--phone", "5503302", "--dry-run")
    assert dry.returncode == 1
    assert f"{template}:103:177: error CT821 " in dry.stderr


def test_force_sends_anyway_and_says_so(sandbox: Sandbox, tmp_path: Path) -> None:
    # The beginner fixtures are lint fixtures with the default address written out; this
    # one is sent, so a copy sends it to the session's sandbox (same lines and columns).
    source = REPO_ROOT / BEGINNER / "gjson-jsonpath-root" / "template.xml"
    template = str(tmp_path / "template.xml")
    Path(template).write_text(
        source.read_text(encoding="utf-8").replace(DEFAULT_URL, sandbox.url), encoding="utf-8"
    )
    done = crmtpl("-v", "run", "lookup", template, "--phone", "5503302", "--force")
    assert "--force: sent although crmtpl validate finds 1 error" in done.stderr
    assert f"→ GET {sandbox.url}/none/api/v1/contacts/search" in done.stderr
    assert f"{template}:106:45: error CT707 " in done.stderr


def test_the_contacts_of_a_good_template_are_not_findings(sandbox: Sandbox) -> None:
    done = crmtpl("run", "lookup", "examples/sandbox.xml", "--phone", "5503302", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"] == []
