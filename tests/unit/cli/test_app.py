"""The CLI frame: global options, exit codes, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crmtpl import __version__
from crmtpl.cli import run
from crmtpl.errors import EXIT_CODE_TABLE, ExitCode


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"crmtpl {__version__}"


def test_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for code, meaning in EXIT_CODE_TABLE:
        assert f"{code} {meaning}" in " ".join(out.split())


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--no-such-option"]) == ExitCode.USAGE
    assert "No such option" in capsys.readouterr().err


def test_exit_code_table_is_the_documented_one() -> None:
    assert [code for code, _ in EXIT_CODE_TABLE] == [0, 1, 2, 3, 4, 5, 130]


def test_help_and_version_do_not_import_heavy_modules() -> None:
    probe = (
        "import sys, crmtpl.cli as c\n"
        "for argv in (['--version'], ['--help']):\n"
        "    try:\n"
        "        c.run(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('httpx', 'lxml', 'crmtpl.gotemplate', 'crmtpl.gjson',"
        " 'crmtpl.template', 'crmtpl.lint', 'crmtpl.run', 'keyring', 'pygls', 'crmtpl.lsp') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"crmtpl {__version__}"


@pytest.mark.parametrize(
    "argv", [["--version"], ["-v", "--version"], ["--color", "never", "--version"]]
)
def test_version_after_global_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 0
    assert capsys.readouterr().out.strip() == f"crmtpl {__version__}"


def test_version_after_a_command_is_that_commands_business(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["rules", "--version"]) == ExitCode.USAGE


def test_global_options_work_after_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "-q", "examples/sandbox.xml", "--no-color"]) == 0
    assert run(["validate", "examples/sandbox.xml", "--color", "never", "-v"]) == 0
    capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", "render", "lookup", "examples/sandbox.xml", "-vv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No such option" not in done.stderr


def test_hoisting_leaves_values_after_double_dash_alone() -> None:
    from crmtpl.cli import hoist_global_options

    assert hoist_global_options(["run", "lookup", "t.xml", "-v", "--color", "never"]) == [
        "-v", "--color", "never", "run", "lookup", "t.xml",
    ]  # fmt: skip
    assert hoist_global_options(["validate", "--", "-q"]) == ["validate", "--", "-q"]
