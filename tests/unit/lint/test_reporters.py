"""The five report formats: the json contract, GitHub annotations, SARIF against the
official schema, JUnit XML, and the text report's caret under the exact span."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from crmtpl.lint import LintReport, lint_source, render_report
from crmtpl.lint.reporters.github import escape_property
from crmtpl.lint.reporters.text import render, source_excerpt
from tests.support import REPO_ROOT
from tests.unit.lint.helpers import ALL_FEATURES, MINIMAL, variant

SCHEMA = REPO_ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

BROKEN = variant(
    ("{{UrlEncode .Phone}}", "{{.Phone}}"),  # CT825 warning
    ('Value="{{.api_key}}"', 'Value="{{.apiKey}}"'),  # CT821 warning
    ('Provider="crm"', 'Provider="CRM"'),  # CT301 error
    ('<Output Name="FirstName"', '<Output Name="FirstName" Path="x"'),  # CT107 error, related
)


@pytest.fixture
def report() -> LintReport:
    return LintReport(
        [
            lint_source(BROKEN.encode(), display_name="crm, broken:1.xml"),
            lint_source(MINIMAL.encode(), display_name="clean.xml"),
            lint_source(b"<Information>", display_name="<stdin>"),
            lint_source(ALL_FEATURES.encode(), display_name="dir/all features.xml"),
        ]
    )


def test_json_is_exactly_the_documented_contract(report: LintReport) -> None:
    data = json.loads(render_report(report, "json"))
    assert set(data) == {"files", "summary"}
    assert data["summary"] == {"files": 4, "errors": report.errors, "warnings": report.warnings}
    assert [f["path"] for f in data["files"]] == [f.path for f in report.files]
    keys = {"rule", "severity", "message", "hint", "line", "column", "end_line", "end_column"}
    for file in data["files"]:
        assert set(file) == {"path", "diagnostics"}
        for diagnostic in file["diagnostics"]:
            assert set(diagnostic) == keys
            assert diagnostic["severity"] in ("error", "warning", "info")
            assert isinstance(diagnostic["message"], str) and diagnostic["message"]
            assert diagnostic["hint"] is None or isinstance(diagnostic["hint"], str)
            for key in ("line", "column", "end_line", "end_column"):
                assert isinstance(diagnostic[key], int) and diagnostic[key] >= 1
    rules = [d["rule"] for d in data["files"][0]["diagnostics"]]
    assert sorted(rules) == ["CT107", "CT301", "CT821", "CT825"]
    assert data["files"][1]["diagnostics"] == []
    assert data["files"][2]["diagnostics"][0]["rule"] == "CT101"


def test_github_annotations_are_workflow_commands(report: LintReport) -> None:
    lines = render_report(report, "github").splitlines()
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),"
        r"endColumn=(\d+),title=(CT\d{3} [a-z0-9-]+)::(.+)$"
    )
    annotations = [pattern.match(line) for line in lines[:-1]]
    assert all(annotations), lines
    first = next(m for m in annotations if m is not None and m.group(7).startswith("CT301"))
    assert first.group(1) == "error"
    assert first.group(2) == "crm%2C broken%3A1.xml"
    assert "%0Ahint: " in first.group(8)
    assert lines[-1].startswith("crmtpl validate: 4 files")


def test_github_escapes_as_the_runner_expects() -> None:
    assert escape_property("a%b\r\n:,") == "a%25b%0D%0A%3A%2C"


def test_sarif_validates_against_the_official_schema(report: LintReport) -> None:
    log = json.loads(render_report(report, "sarif"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == sum(len(f.diagnostics) for f in report.files)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
    related = next(r for r in results if r["ruleId"] == "CT107")
    assert related["relatedLocations"][0]["message"]["text"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "stdin" in uris and "crm%2C%20broken%3A1.xml" in uris
    assert run["invocations"][0]["executionSuccessful"] is False


def parse_junit(report: LintReport) -> ET.Element:
    """Parse our own JUnit report (trusted input: it is what the reporter just wrote)."""
    return ET.fromstring(render_report(report, "junit"))  # noqa: S314


def test_junit_has_one_case_per_file_failing_and_erroring_as_it_should(
    report: LintReport,
) -> None:
    root = parse_junit(report)
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [f.path for f in report.files]
    assert cases[0].find("failure") is not None
    assert cases[1].find("failure") is None and cases[1].find("error") is None
    assert cases[2].find("error") is not None
    assert root.get("failures") == "1" and root.get("errors") == "1"
    strict = LintReport([lint_source(variant(("{{UrlEncode .Phone}}", "{{.Phone}}")).encode())])
    assert parse_junit(strict).find(".//failure") is None
    strict.strict = True
    assert parse_junit(strict).find(".//failure") is not None


def test_text_puts_a_caret_under_the_exact_span(report: LintReport) -> None:
    text = render_report(report, "text", color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if "CT825" in line)
    assert re.match(
        r"^crm, broken:1\.xml:\d+:\d+: warning CT825 number-not-url-encoded: ", lines[header]
    )
    source, caret = lines[header + 1], lines[header + 2]
    start = caret.index("^")
    assert source[start : start + caret.count("^")] == ".Phone"
    assert "hint: write {{UrlEncode .Phone}}" in lines[header + 3]
    assert lines[-1].startswith("Found ") and "could not be loaded" in lines[-1]


def test_text_is_coloured_only_when_asked(report: LintReport) -> None:
    assert "\x1b[" in render_report(report, "text", color=True)


def test_long_lines_are_cut_around_the_span() -> None:
    result = lint_source(variant(("{{UrlEncode .Phone}}", "x" * 300 + "{{.Phone}}")).encode())
    (finding,) = [d for d in result.diagnostics if d.rule == "CT825"]
    shown, caret, width = source_excerpt(result.source_lines[finding.line], finding)
    assert len(shown) <= 122 and shown.startswith("…")
    assert shown[caret : caret + width] == ".Phone"


@pytest.mark.parametrize("columns", [40, 60, 80, 100])
def test_in_a_terminal_the_excerpt_fits_its_width_with_the_caret_under_the_span(
    columns: int,
) -> None:
    result = lint_source(variant(("{{UrlEncode .Phone}}", "x" * 300 + "{{.Phone}}")).encode())
    report = LintReport([result])
    lines = render(report, width=columns).splitlines()
    header = next(i for i, line in enumerate(lines) if "CT825" in line)
    source, caret = lines[header + 1], lines[header + 2]
    assert len(source) < columns and len(caret) < columns
    start = caret.index("^")
    assert source[start : start + caret.count("^")] == ".Phone"
    # without a width (a pipe, a file): the fixed window, as before
    assert render(report) == render_report(report, "text")
    assert len(render(report).splitlines()[header + 1]) > 120


def test_a_clean_run_says_so() -> None:
    clean = LintReport([lint_source(MINIMAL.encode(), display_name="a.xml")])
    assert render_report(clean, "text").strip() == "Checked 1 file: no problems found."
