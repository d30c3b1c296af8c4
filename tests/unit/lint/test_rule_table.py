"""The rule table: stable ids, complete entries, every rule reported by some check, and
docs/rules.md generated from it and current."""

from __future__ import annotations

import re

import pytest

from crmtpl.cli import run
from crmtpl.lint import rule_table
from crmtpl.lint.docs import render_rules_markdown
from crmtpl.lint.registry import CHECKS
from tests.support import REPO_ROOT


def test_ids_and_names_are_well_formed_and_unique() -> None:
    table = rule_table()
    for spec in table:
        assert re.fullmatch(r"CT\d{3}", spec.id), spec.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.name), spec.name
        assert spec.summary and not spec.summary.endswith(".")
        assert spec.explanation
    assert len({s.name for s in table}) == len(table)


def test_every_rule_is_reported_by_a_check_or_by_the_loader() -> None:
    table = rule_table()
    reported = {rule for check in CHECKS for rule in check.rules}
    special = {"CT001", "CT002"}  # the checker and the suppression reader
    run_side = table.run_finding_ids  # reported by crmtpl run from real answers
    assert {r.id for r in table} - reported - table.load_failure_ids - special - run_side == set()


def test_the_run_findings_are_the_ones_crmtpl_run_reports() -> None:
    from crmtpl.run import verdicts

    reported = {verdicts.OUTPUT_MATCHES_NOTHING, verdicts.CONTACT_MISSING_FIELD}
    assert rule_table().run_finding_ids == reported
    assert all(rule_table().get(rule).severity.value == "error" for rule in reported)


def test_rules_with_a_fixable_finding_show_how_to_write_it() -> None:
    without = [s.id for s in rule_table() if s.bad and not s.good and s.id != "CT905"]
    assert without == []


def test_docs_rules_md_is_current() -> None:
    committed = (REPO_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), (
        "docs/rules.md is stale: python -m crmtpl.lint.docs docs/rules.md"
    )


def test_every_rule_says_why_it_has_its_severity_and_the_docs_state_the_policy() -> None:
    table = rule_table()
    assert all(spec.why and not spec.why.endswith(".") for spec in table)
    page = render_rules_markdown()
    assert "## Severity policy" in page
    for spec in table:
        assert f"*Why {spec.severity.value}:* " in page
    # the beginner's mistakes of issue 15 are errors whatever §17 says
    for rule in ("CT212", "CT661", "CT707", "CT821", "CT822", "CT824", "CT826"):
        assert table.get(rule).severity.value == "error", rule


def test_crmtpl_rules_explains_the_severity(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "CT821"]) == 0
    shown = capsys.readouterr().out
    assert "why error: " + rule_table().get("CT821").why in " ".join(shown.split())
