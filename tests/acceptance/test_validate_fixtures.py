"""`crmtpl validate` on every fixture template: the exact diagnostics, and the exit code.

Each folder of ``tests/fixtures/templates/{valid,invalid,beginner}/`` holds ``template.xml``
and ``expected.json`` (``rule``, ``line``, ``column``, ``end_line``, ``end_column`` of every
diagnostic, in report order). ``beginner/`` holds realistic templates with one beginner's
mistake each, which must be exactly one error (its README lists them). Valid cases also list in ``exercises.json`` the rules they
exercise without triggering them (the positive cases). Every rule has at least one
positive and one negative case. A folder with ``responses/`` (recordings as ``crmtpl run
--record`` writes them) is validated with ``--responses`` on it (CT708); one with an
``openapi.json`` with ``--openapi`` on it (CT97x).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.lint import rule_table
from tests.support import REPO_ROOT, SPEC_EXAMPLES_DIR

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "templates"
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
BEGINNER = sorted(p for p in (FIXTURES / "beginner").iterdir() if p.is_dir())

#: Rules whose negative cases cannot be a committed file; each has a test below.
GENERATED_NEGATIVES = {
    "CT001": "tests/unit/lint/test_checker.py (a check that raises)",
    "CT104": "test_a_file_over_1_mb_is_unloadable",
    "CT105": "test_an_unreadable_file_is_unloadable",
}


@pytest.fixture(autouse=True)
def _outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder, so no .crmtpl.toml or [tool.crmtpl] changes the rules."""
    monkeypatch.chdir(tmp_path)


def validate_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    """Run the real CLI with --format json; return the exit code and the parsed report."""
    code = run(["validate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def template_args(folder: Path) -> list[str]:
    """The template of a fixture folder, with ``--responses`` when it has recordings and
    ``--openapi`` when it has an API description (``openapi.json``)."""
    responses = folder / "responses"
    extra = ["--responses", str(responses)] if responses.is_dir() else []
    description = folder / "openapi.json"
    if description.is_file():
        extra += ["--openapi", str(description)]
    return [str(folder / "template.xml"), *extra]


def positions(report: dict[str, object]) -> list[dict[str, object]]:
    files = report["files"]
    assert isinstance(files, list) and len(files) == 1
    return [
        {key: d[key] for key in ("rule", "line", "column", "end_line", "end_column")}
        for d in files[0]["diagnostics"]
    ]


def expected_of(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.mark.parametrize(
    "folder", VALID + INVALID + BEGINNER, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_fixture_gives_exactly_the_expected_diagnostics(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = validate_json(capsys, *template_args(folder))
    expected = expected_of(folder)
    assert positions(report) == expected
    table = rule_table()
    rules = {d["rule"] for d in expected}
    severities = {table.get(str(r)).severity.value for r in rules}
    if "CT105" in rules:  # only a file that cannot be read is exit 3
        assert code == ExitCode.TEMPLATE_UNLOADABLE
    elif rules & table.load_failure_ids or "error" in severities:
        assert code == ExitCode.FINDINGS
    else:
        assert code == ExitCode.OK


@pytest.mark.parametrize("folder", VALID, ids=lambda p: p.name)
def test_valid_fixtures_have_no_errors_and_do_not_trigger_what_they_exercise(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = validate_json(capsys, *template_args(folder))
    assert code == ExitCode.OK
    found = {d["rule"] for d in positions(report)}
    exercised = set(json.loads((folder / "exercises.json").read_text(encoding="utf-8")))
    assert exercised, "a valid case names the rules it exercises"
    assert not found & exercised


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    all_rules = {r.id for r in rule_table()}
    negatives = {str(d["rule"]) for folder in INVALID + BEGINNER for d in expected_of(folder)}
    negatives |= set(GENERATED_NEGATIVES)
    positives: set[str] = set()
    for folder in VALID:
        positives |= set(json.loads((folder / "exercises.json").read_text(encoding="utf-8")))
    # The run findings (CT95x) come from real answers, not from a template alone: their
    # cases are tests/e2e/test_run_findings.py and tests/unit/run/test_verdicts.py.
    run_side = rule_table().run_finding_ids
    assert sorted(all_rules - negatives - run_side) == []
    assert sorted(all_rules - positives - run_side) == []
    assert positives <= all_rules and negatives <= all_rules


def test_invalid_fixtures_each_find_something() -> None:
    assert all(expected_of(folder) for folder in INVALID)


def test_there_are_at_least_25_beginner_mistakes_each_listed_in_the_readme() -> None:
    readme = (FIXTURES / "beginner" / "README.md").read_text(encoding="utf-8")
    assert len(BEGINNER) >= 25
    for folder in BEGINNER:
        (error,) = [d for d in expected_of(folder) if _severity(d) == "error"]
        assert f"| `{folder.name}` |" in readme
        assert f"| {error['rule']} | {error['line']}:{error['column']} |" in readme


@pytest.mark.parametrize("folder", BEGINNER, ids=lambda p: p.name)
def test_a_beginner_mistake_is_one_error_that_fails_strict_and_quiet_runs_alike(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["-q", "validate", "--strict", str(folder / "template.xml")])
    shown = capsys.readouterr().out
    assert code == ExitCode.FINDINGS
    (error,) = [d for d in expected_of(folder) if _severity(d) == "error"]
    assert f"template.xml:{error['line']}:{error['column']}: error {error['rule']}" in shown
    assert "no problems found" not in shown


def _severity(diagnostic: dict[str, object]) -> str:
    return rule_table().get(str(diagnostic["rule"])).severity.value


def test_quiet_strict_with_only_warnings_shows_them_and_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = FIXTURES / "invalid" / "phone-not-url-encoded"
    code = run(["-q", "validate", "--strict", str(folder / "template.xml")])
    shown = capsys.readouterr().out
    assert code == ExitCode.FINDINGS
    assert "warning CT825" in shown
    assert "no problems found" not in shown


def test_a_file_over_1_mb_is_unloadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<Information>" + b" " * (1024 * 1024) + b"</Information>")
    code, report = validate_json(capsys, str(big))
    assert code == ExitCode.FINDINGS  # read, but not a template the PBX takes: a finding
    assert positions(report) == [
        {"rule": "CT104", "line": 1, "column": 1, "end_line": 1, "end_column": 1}
    ]


def test_an_unreadable_file_is_unloadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dangling = tmp_path / "gone.xml"
    dangling.symlink_to(tmp_path / "missing-target.xml")
    code, report = validate_json(capsys, str(dangling))
    assert code == ExitCode.TEMPLATE_UNLOADABLE
    assert [d["rule"] for d in positions(report)] == ["CT105"]


def test_a_utf16_file_is_an_encoding_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "utf16.xml"
    source = (FIXTURES / "valid" / "minimal" / "template.xml").read_text(encoding="utf-8")
    path.write_bytes(source.encode("utf-16"))
    code, report = validate_json(capsys, str(path))
    assert code == ExitCode.FINDINGS  # read, but not UTF-8: a finding
    assert [d["rule"] for d in positions(report)] == ["CT106"]


def test_the_spec_examples_have_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    folder = SPEC_EXAMPLES_DIR
    files = sorted(str(p) for p in folder.glob("*.xml"))
    assert len(files) >= 2
    code, report = validate_json(capsys, *files)
    assert code == ExitCode.OK
    assert report["summary"]["errors"] == 0  # type: ignore[index]


def test_the_repository_examples_have_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    folders = (REPO_ROOT / "examples", REPO_ROOT / "crmtpl" / "gallery")
    files = sorted(str(p) for folder in folders for p in folder.glob("*.xml"))
    assert files, "examples/ holds the real-world templates"
    code, report = validate_json(capsys, *files)
    errors = [
        (f["path"], d["rule"], d["line"], d["message"])
        for f in report["files"]  # type: ignore[union-attr]
        for d in f["diagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == []
    assert code == ExitCode.OK


def test_a_relative_path_is_reported_as_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES / "invalid")
    folder = FIXTURES / "invalid" / "phone-not-url-encoded"
    code, report = validate_json(capsys, os.path.join("phone-not-url-encoded", "template.xml"))
    assert code == ExitCode.OK  # a warning only
    assert report["files"][0]["path"] == "phone-not-url-encoded/template.xml"  # type: ignore[index]
    assert positions(report) == expected_of(folder)
