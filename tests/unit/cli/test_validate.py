"""`crmtpl validate` as a user runs it: paths, formats, exit codes, settings, stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from tests.unit.lint.helpers import MINIMAL, variant

WARNING_ONLY = variant(("{{UrlEncode .Phone}}", "{{.Phone}}"))  # CT825
WITH_ERROR = variant(('Provider="crm"', 'Provider="CRM"'))  # CT301


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_of(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = run(["validate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_exit_codes_clean_warnings_errors(tmp_path: Path) -> None:
    assert run(["validate", str(write(tmp_path / "a.xml", MINIMAL))]) == ExitCode.OK
    assert run(["validate", str(write(tmp_path / "w.xml", WARNING_ONLY))]) == ExitCode.OK
    assert run(["validate", "--strict", str(tmp_path / "w.xml")]) == ExitCode.FINDINGS
    assert run(["validate", str(write(tmp_path / "e.xml", WITH_ERROR))]) == ExitCode.FINDINGS


def test_a_file_that_is_not_well_formed_xml_is_a_finding_exit_1_beside_lint_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "e.xml", WITH_ERROR)
    write(tmp_path / "broken.xml", "<Information>")
    code, report = report_of(capsys, str(tmp_path / "e.xml"), str(tmp_path / "broken.xml"))
    assert code == ExitCode.FINDINGS
    assert [f["path"] for f in report["files"]] == [  # type: ignore[index]
        str(tmp_path / "e.xml"),
        str(tmp_path / "broken.xml"),
    ]
    assert report["files"][1]["diagnostics"][0]["rule"] == "CT101"  # type: ignore[index]


def test_a_file_that_cannot_be_read_makes_the_run_exit_3_beside_lint_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "e.xml", WITH_ERROR)
    dangling = tmp_path / "gone.xml"
    dangling.symlink_to(tmp_path / "missing-target.xml")
    code, report = report_of(capsys, str(tmp_path / "e.xml"), str(dangling))
    assert code == ExitCode.TEMPLATE_UNLOADABLE
    assert report["files"][1]["diagnostics"][0]["rule"] == "CT105"  # type: ignore[index]


def test_directories_are_searched_recursively_and_globs_expand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "t" / "a.xml", MINIMAL)
    write(tmp_path / "t" / "sub" / "b.xml", WARNING_ONLY)
    write(tmp_path / "t" / "notes.txt", "not a template")
    _code, report = report_of(capsys, "t")
    assert [f["path"] for f in report["files"]] == ["t/a.xml", "t/sub/b.xml"]  # type: ignore[index]
    _code, report = report_of(capsys, "t/**/*.xml")
    assert len(report["files"]) == 2  # type: ignore[arg-type]


def test_missing_paths_and_bad_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["validate", "nothing-here.xml"]) == ExitCode.TEMPLATE_UNLOADABLE
    assert "no such file" in capsys.readouterr().err
    assert run(["validate", "no-match-*.xml"]) == ExitCode.USAGE
    write(Path("a.xml"), MINIMAL)
    assert run(["validate", "--select", "CT999", "a.xml"]) == ExitCode.USAGE
    assert run(["validate", "--format", "yaml", "a.xml"]) == ExitCode.USAGE
    Path("empty").mkdir()
    assert run(["validate", "empty"]) == ExitCode.USAGE


def test_select_and_ignore_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    write(
        Path("both.xml"),
        variant(("{{UrlEncode .Phone}}", "{{.Phone}}"), ('Provider="crm"', 'Provider="x"')),
    )
    code, report = report_of(capsys, "--ignore", "CT301", "both.xml")
    assert code == ExitCode.OK
    assert [d["rule"] for d in report["files"][0]["diagnostics"]] == ["CT825"]  # type: ignore[index]
    code, report = report_of(capsys, "--select", "CT3,provider-invalid", "both.xml")
    assert code == ExitCode.FINDINGS
    assert [d["rule"] for d in report["files"][0]["diagnostics"]] == ["CT301"]  # type: ignore[index]


def test_settings_from_a_config_file(capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("w.xml"), WARNING_ONLY)
    write(Path(".crmtpl.toml"), "strict = true\n")
    assert run(["validate", "w.xml"]) == ExitCode.FINDINGS
    write(Path("other.toml"), 'ignore = ["CT825"]\nstrict = true\n')
    assert run(["validate", "--config", "other.toml", "w.xml"]) == ExitCode.OK
    capsys.readouterr()


def test_stdin_is_read_with_a_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = io.TextIOWrapper(io.BytesIO(WARNING_ONLY.encode()))
    monkeypatch.setattr("sys.stdin", stream)
    code, report = report_of(capsys, "-")
    assert code == ExitCode.OK
    assert report["files"][0]["path"] == "<stdin>"  # type: ignore[index]


def test_output_file_and_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("w.xml"), WARNING_ONLY)
    for name in ("text", "json", "github", "sarif", "junit"):
        target = tmp_path / f"report.{name}"
        assert run(["validate", "--format", name, "--output", str(target), "w.xml"]) == 0
        content = target.read_text(encoding="utf-8")
        assert "CT825" in content and "\x1b[" not in content
    assert capsys.readouterr().out == ""


def test_quiet_text_shows_errors_only(capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("w.xml"), WARNING_ONLY)
    assert run(["-q", "validate", "w.xml"]) == ExitCode.OK
    assert "CT825" not in capsys.readouterr().out


def test_many_files_in_a_process_pool_give_the_same_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        write(Path(f"t/{index}.xml"), WARNING_ONLY if index % 2 else WITH_ERROR)
    _code, serial = report_of(capsys, "--jobs", "1", "t")
    monkeypatch.setattr("crmtpl.lint.runner.PARALLEL_THRESHOLD", 2)
    code, parallel = report_of(capsys, "--jobs", "2", "t")
    assert parallel == serial
    assert code == ExitCode.FINDINGS


def test_the_installed_command_runs_in_a_subprocess(tmp_path: Path) -> None:
    path = write(tmp_path / "w.xml", WARNING_ONLY)
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", "--color", "never", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert f"{path}:" in done.stdout and "CT825" in done.stdout
    assert done.stdout.strip().endswith("Found 0 errors, 1 warning and 0 infos in 1 file.")


def test_the_pre_commit_hook_runs_crmtpl_validate(tmp_path: Path) -> None:
    from tests.support import REPO_ROOT

    hook = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    fields = dict(
        line.strip().lstrip("- ").split(": ", 1) for line in hook.splitlines() if ": " in line
    )
    assert fields["id"] == "crmtpl-validate" and fields["language"] == "python"
    program, *arguments = fields["entry"].split()
    assert program == "crmtpl"
    path = write(tmp_path / "w.xml", WITH_ERROR)
    assert run([*arguments, str(path)]) == ExitCode.FINDINGS
