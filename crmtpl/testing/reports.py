"""``crmtpl test`` reports: text (people), json (scripts), junit (CI dashboards), github."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from crmtpl.testing.execute import TestOutcome


def _status(outcome: TestOutcome) -> str:
    if outcome.unreadable:
        return "ERROR"
    if outcome.updated and outcome.passed:
        return "UPDATED"
    return "PASS" if outcome.passed else "FAIL"


def summary(outcomes: Sequence[TestOutcome]) -> str:
    """``3 tests: 2 passed, 1 failed``."""
    passed = sum(o.passed for o in outcomes)
    errors = sum(o.unreadable for o in outcomes)
    failed = len(outcomes) - passed - errors
    text = f"{len(outcomes)} test{'s' if len(outcomes) != 1 else ''}: {passed} passed"
    text += f", {failed} failed" if failed else ""
    return text + (f", {errors} unreadable" if errors else "")


def text_report(outcomes: Sequence[TestOutcome]) -> str:
    """One line per test, its failures indented below it, and a summary."""
    lines = []
    for outcome in outcomes:
        scenario = f" ({outcome.scenario})" if outcome.scenario else ""
        lines.append(f"{_status(outcome)}  {outcome.path}{scenario}  {outcome.seconds:.2f} s")
        lines += [f"      {failure}" for failure in outcome.failures]
    lines.append(summary(outcomes))
    return "\n".join(lines) + "\n"


def json_report(outcomes: Sequence[TestOutcome]) -> str:
    """``{"tests": [...], "passed": n, "failed": n, "unreadable": n}``."""
    document = {
        "tests": [
            {
                "name": o.name,
                "path": o.path,
                "scenario": o.scenario,
                "status": _status(o).lower(),
                "failures": o.failures,
                "seconds": round(o.seconds, 3),
            }
            for o in outcomes
        ],
        "passed": sum(o.passed for o in outcomes),
        "failed": sum(not o.passed and not o.unreadable for o in outcomes),
        "unreadable": sum(o.unreadable for o in outcomes),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def junit_report(outcomes: Sequence[TestOutcome]) -> str:
    """A JUnit XML ``<testsuite>``: a failure element per failed test, an error per bad file."""
    failed = sum(not o.passed and not o.unreadable for o in outcomes)
    errors = sum(o.unreadable for o in outcomes)
    seconds = sum(o.seconds for o in outcomes)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="crmtpl test" tests="{len(outcomes)}" failures="{failed}" '
        f'errors="{errors}" time="{seconds:.3f}">',
    ]
    for o in outcomes:
        lines.append(
            f"  <testcase classname={quoteattr(o.scenario or 'crmtpl')} "
            f'name={quoteattr(o.path)} time="{o.seconds:.3f}">'
        )
        if not o.passed:
            tag = "error" if o.unreadable else "failure"
            message = quoteattr(o.failures[0] if o.failures else "failed")
            lines.append(f"    <{tag} message={message}>{escape(chr(10).join(o.failures))}</{tag}>")
        lines.append("  </testcase>")
    lines.append("</testsuite>")
    return "\n".join(lines) + "\n"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_report(outcomes: Sequence[TestOutcome]) -> str:
    """GitHub Actions ``::error`` annotations on the test files, then the summary."""
    lines = []
    for o in outcomes:
        for failure in o.failures:
            title = f"crmtpl test {o.name}"
            lines.append(
                f"::error file={o.path},title={_github_escape(title)}::{_github_escape(failure)}"
            )
    lines.append(summary(outcomes))
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[[Sequence[TestOutcome]], str]] = {
    "text": text_report,
    "json": json_report,
    "junit": junit_report,
    "github": github_report,
}
