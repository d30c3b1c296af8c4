"""``crmtpl new``: the command as a user runs it (exit codes, files, listings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.gallery import gallery_entries
from tests.support import REPO_ROOT
from tests.unit.scaffold.helpers import crm_paths, openapi

HUBSPOT = REPO_ROOT / "tests" / "servers" / "prism" / "specs" / "src" / "hubspot"


def test_list_shows_every_gallery_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["new", "--list"]) == 0
    out = capsys.readouterr().out
    for entry in gallery_entries():
        assert entry.name in out and entry.system in out and entry.auth in out
    assert run(["new", "--list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [e.name for e in gallery_entries()]
    assert {"system", "provider", "auth"} <= set(rows[0])


def test_from_writes_the_template_and_its_test_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "crm.xml"
    assert (
        run(["new", str(output), "--from", "bottlecrm", "--var", "base_url=https://crm.example"])
        == 0
    )
    out = capsys.readouterr().out
    assert "validate --strict: clean" in out
    assert "var.base_url" in out and "https://crm.example" in out
    assert 'Value="https://crm.example"' in output.read_text(encoding="utf-8")
    test_file = tmp_path / "crm.lookup.test.toml"
    assert "crmtpl test crm.lookup.test.toml --update" in test_file.read_text(encoding="utf-8")
    # refuses to overwrite, then overwrites with --force
    assert run(["new", str(output), "--from", "bottlecrm"]) == ExitCode.USAGE
    assert "exists; nothing was written" in capsys.readouterr().err
    assert run(["new", str(output), "--from", "bottlecrm", "--force", "--no-test-file"]) == 0


def test_usage_errors_are_exit_2_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = str(tmp_path / "x.xml")
    assert run(["new", output, "--from", "hubspo"]) == ExitCode.USAGE
    assert "did you mean hubspot" in capsys.readouterr().err
    assert run(["new", output]) == ExitCode.USAGE
    assert "give one of --from NAME and --openapi SPEC" in capsys.readouterr().err
    assert run(["new", "--from", "hubspot"]) == ExitCode.USAGE
    assert run(["new", output, "--from", "hubspot", "--var", "access_token=x"]) == ExitCode.USAGE
    assert not Path(output).exists()


def test_openapi_lists_its_choices_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(openapi(crm_paths())), encoding="utf-8")
    output = tmp_path / "tiny.xml"
    assert (
        run(
            [
                "new",
                str(output),
                "--openapi",
                str(spec),
                "--format",
                "json",
                "--choose",
                "users=none",
                "--test-file",
                str(tmp_path / "t" / "a.test.toml"),
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["clean"] is True and report["findings"] == []
    picked = {c["key"]: (c["picked"], c["how"]) for c in report["choices"]}
    assert picked["lookup"] == ("GET /v2/contacts", "only")
    assert picked["users"] == ("none", "given")
    assert report["test_file"] == str(tmp_path / "t" / "a.test.toml")
    assert 'UserAssociation="0"' in output.read_text(encoding="utf-8")


def test_openapi_failures_have_their_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = str(tmp_path / "x.xml")
    assert run(["new", output, "--openapi", str(tmp_path / "missing.yaml")]) == ExitCode.USAGE
    assert "--openapi: " in capsys.readouterr().err  # as validate --openapi says it
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(openapi({"/users": crm_paths()["/users"]})), encoding="utf-8")
    assert run(["new", output, "--openapi", str(spec)]) == ExitCode.FINDINGS
    assert "searches contacts by phone" in capsys.readouterr().err
    spec.write_text(json.dumps(openapi(crm_paths())), encoding="utf-8")
    assert run(["new", output, "--openapi", str(spec), "--choose", "lookup=7"]) == ExitCode.USAGE
    assert "not one of the candidates" in capsys.readouterr().err
    assert run(["new", output, "--openapi", str(spec), "--choose", "lookup"]) == ExitCode.USAGE
    assert not Path(output).exists()


def test_a_tie_is_asked_in_a_terminal_with_numbers(tmp_path: Path) -> None:
    """stdin a terminal (a pty): the tie between two auth schemes is asked; 2 picks the second."""
    import os
    import pty

    spec = tmp_path / "api.json"
    schemes = {
        "first_key": {"type": "apiKey", "in": "header", "name": "X-One"},
        "second_key": {"type": "apiKey", "in": "header", "name": "X-Two"},
    }
    spec.write_text(json.dumps(openapi(crm_paths(), schemes=schemes)), encoding="utf-8")
    output = tmp_path / "asked.xml"
    leader, follower = pty.openpty()
    done = subprocess.Popen(
        [sys.executable, "-m", "crmtpl", "new", str(output), "--openapi", str(spec), "--no-color"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
    )
    os.close(follower)
    os.write(leader, b"2\n")
    out, err = done.communicate(timeout=60)
    os.close(leader)
    assert done.returncode == 0, err.decode()
    assert b"How does the template authenticate?" in err
    assert b"1. first_key" in err and b"2. second_key" in err
    assert 'Name="X-Two"' in output.read_text(encoding="utf-8")
    assert b"auth" in out and b"given: --choose auth=second_key" in out


def test_hubspot_description_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "hubspot.xml"
    assert run(["new", str(output), "--openapi", str(HUBSPOT), "--no-input"]) == 0
    out = capsys.readouterr().out
    assert "validate --strict: clean" in out
    assert "lookup" in out and "POST /crm/v3/objects/contacts/search" in out
    assert 'Name="Hubspot"' in output.read_text(encoding="utf-8")
