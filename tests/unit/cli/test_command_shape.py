"""The command line a user expects: one argument order, one exit-code table, as run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl.errors import ExitCode
from tests.support import REPO_ROOT


def crmtpl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "PYTHONPATH": str(REPO_ROOT)},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("given", "right"),
    [
        (
            ["render", "examples/sandbox.xml", "lookup", "--phone", "1"],
            "crmtpl render lookup examples/sandbox.xml --phone 1",
        ),
        (
            ["run", "examples/sandbox.xml", "lookup", "--phone", "1"],
            "crmtpl run lookup examples/sandbox.xml --phone 1",
        ),
        (
            ["-v", "render", "examples/sandbox.xml", "call-journal"],
            "crmtpl -v render call-journal examples/sandbox.xml",
        ),
    ],
)
def test_template_before_scenario_shows_the_right_command(given: list[str], right: str) -> None:
    done = crmtpl(*given)
    assert done.returncode == ExitCode.USAGE
    assert "takes the scenario first" in done.stderr
    assert right in done.stderr


def test_render_and_run_take_scenario_then_template() -> None:
    done = crmtpl("render", "lookup", "examples/sandbox.xml", "--phone", "5503302")
    assert done.returncode == 0, done.stderr
    assert "GET http://127.0.0.1:8765/none/api/v1/contacts/search?phone=5503302" in done.stdout
    dry = crmtpl("run", "lookup", "examples/sandbox.xml", "--phone", "5503302", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{missing}"],
        ["render", "lookup", "{missing}"],
        ["run", "lookup", "{missing}", "--phone", "1"],
        ["run", "users", "{missing}", "--dry-run"],
        ["auth", "status", "{missing}"],
    ],
)
def test_a_missing_file_is_exit_3_in_every_command(argv: list[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.xml")
    done = crmtpl(*(missing if a == "{missing}" else a for a in argv))
    assert done.returncode == ExitCode.TEMPLATE_UNLOADABLE, done.stderr
    assert "nowhere.xml" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_template_that_is_not_well_formed_xml_is_a_finding_of_validate_exit_1(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<Information Name="x">', encoding="utf-8")
    done = crmtpl("validate", str(broken))
    assert done.returncode == ExitCode.FINDINGS, done.stderr
    assert "CT101" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    folder = tmp_path / "folder.xml"
    folder.mkdir()
    done = crmtpl("validate", str(broken), str(folder / "gone.xml"))
    assert done.returncode == ExitCode.TEMPLATE_UNLOADABLE, done.stderr


def test_create_contact_with_a_type_the_template_lacks_lists_its_types() -> None:
    done = crmtpl(
        "run", "create-contact", "examples/sandbox.xml", "--type", "leads",
        "--first-name", "Ada", "--number", "+441632960001", "--yes",
    )  # fmt: skip
    assert done.returncode == ExitCode.USAGE
    assert "no request for contact type 'leads'" in done.stderr
    assert "types: contacts" in done.stderr


def test_the_exit_code_page_is_the_one_table() -> None:
    from crmtpl.errors import EXIT_CODE_TABLE

    page = (REPO_ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| ") and "---" not in line]
    codes = [int(row.split("|")[1]) for row in rows[1:]]
    assert codes == [code for code, _ in EXIT_CODE_TABLE]


@pytest.mark.parametrize(
    "argv",
    [["validate"], ["render", "lookup"], ["run", "lookup"], ["run", "users"], ["auth", "status"]],
)
def test_an_unknown_option_is_exit_2_in_every_command(argv: list[str]) -> None:
    done = crmtpl(*argv, "examples/sandbox.xml", "--no-such-option")
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "No such option" in done.stderr
