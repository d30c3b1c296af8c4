"""The checker never raises: a failing check is an internal-error diagnostic (CT001)."""

from __future__ import annotations

import pytest

from crmtpl.lint import Severity, lint_source
from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import CHECKS, Check
from tests.unit.lint.helpers import MINIMAL, diagnostics, variant


def _explode(ctx: LintContext) -> None:
    raise ZeroDivisionError("a bug")


def test_a_check_that_raises_becomes_an_internal_error_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "crmtpl.lint.checker.CHECKS", [Check("tests.explode", ("CT825",), _explode), *CHECKS]
    )
    text = variant(("{{UrlEncode .Phone}}", "{{.Phone}}"))
    found = diagnostics(text)
    internal = [d for d in found if d.rule == "CT001"]
    assert len(internal) == 1 and internal[0].severity is Severity.ERROR
    assert "tests.explode" in internal[0].message and "ZeroDivisionError" in internal[0].message
    assert any(d.rule == "CT825" for d in found)


def test_only_checks_of_selected_rules_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "crmtpl.lint.checker.CHECKS", [Check("tests.explode", ("CT825",), _explode)]
    )
    assert diagnostics(MINIMAL, enabled=frozenset({"CT001", "CT821"})) == []


def test_selection_filters_what_is_reported() -> None:
    text = variant(("{{UrlEncode .Phone}}", "{{.Phone}}"), ('Provider="crm"', 'Provider="x"'))
    assert {d.rule for d in diagnostics(text)} == {"CT301", "CT825"}
    assert {d.rule for d in diagnostics(text, enabled=frozenset({"CT825"}))} == {"CT825"}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01", b"\xff\xfe<\x00", b"<a>", b"<Information/>", "<é/>".encode("latin-1")],
)
def test_garbage_is_a_diagnostic_not_an_exception(data: bytes) -> None:
    result = lint_source(data, display_name="junk")
    assert result.diagnostics
    assert not any(d.rule == "CT001" for d in result.diagnostics)


def test_every_registered_check_reports_only_rules_of_the_table() -> None:
    from crmtpl.lint import rule_table

    table = rule_table()
    for check in CHECKS:
        assert check.rules and all(rule in table for rule in check.rules), check.name
