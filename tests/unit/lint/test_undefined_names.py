"""Undefined names are errors whose message says what Go does with the missing value in
that context, checked against the cases recorded from the real Go engine."""

from __future__ import annotations

import json
from html import escape

import pytest

from crmtpl.lint import Severity
from tests.support import CONFORMANCE_DIR
from tests.unit.lint.helpers import diagnostics, variant

URL = "https://crm.example.com/api/contacts?phone={{UrlEncode .Phone}}"


def _recorded(template: str) -> dict[str, object]:
    """Go's recorded outcome of ``template`` with the default missingkey option."""
    with (CONFORMANCE_DIR / "template.jsonl").open(encoding="utf-8") as cases:
        for line in cases:
            case = json.loads(line)
            default = case.get("missingkey", "default") == "default" and "data_mode" not in case
            if case["template"] == template and default:
                expect = case["expect"]
                assert isinstance(expect, dict)
                return expect
    raise AssertionError(f"no recorded Go case for {template!r}")


@pytest.mark.parametrize(
    ("recorded", "claim"),
    [
        ("{{.missing}}", "Go prints <no value>"),
        ("{{UrlEncode .missing}}", "Go fails to execute the template"),
        ("{{if .missing}}y{{else}}n{{end}}", "Go treats it as missing"),
        ('{{printf "%s" .missing}}', "<nil> placeholder"),
        ('{{gt .missing "x"}}', "Go fails to execute the template"),
    ],
)
def test_the_message_says_what_go_does_with_a_missing_name(recorded: str, claim: str) -> None:
    expect = _recorded(recorded)
    used = recorded.replace(".missing", ".phone")
    text = variant((URL, f"https://crm.example.com/api/contacts?q={escape(used)}"))
    (finding,) = [d for d in diagnostics(text) if d.rule == "CT821"]
    assert finding.severity is Severity.ERROR
    assert claim in finding.message
    # the claim agrees with the real engine
    if claim.startswith("Go fails"):
        assert expect["ok"] is False
    elif "<no value>" in claim:
        assert expect["output"] == "<no value>"
    elif "<nil>" in claim:
        assert "<nil>" in str(expect["output"])
    else:
        assert expect["ok"] is True and "<no value>" not in str(expect["output"])
    assert finding.hint == "did you mean {{.Phone}}? variable names are case-sensitive"
