"""`crmtpl rules`: the table, one rule explained, json, unknown names."""

from __future__ import annotations

import json

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.lint import rule_table


def test_the_table_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--color", "never", "rules"]) == 0
    out = capsys.readouterr().out
    for spec in rule_table():
        assert spec.id in out
    assert f"{len(rule_table())} rules." in out


def test_one_rule_is_explained_with_both_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--color", "never", "rules", "undefined-variable"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CT821 undefined-variable (error)")  # issue 15 policy
    assert "Instead of:" in out and "Write:" in out and "{{.apiKey}}" in out


def test_json_for_one_rule_and_for_a_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "CT825", "--format", "json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["id"] == "CT825" and one["severity"] == "warning" and one["good"]
    assert run(["rules", "CT1", "--format", "json"]) == 0
    family = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in family] == [r.id for r in rule_table() if r.id.startswith("CT1")]


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["rules", "undefined-variabel"]) == ExitCode.USAGE
    assert "did you mean undefined-variable?" in capsys.readouterr().err
