"""Issue 14 item 13: hints never suggest putting a secret on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crmtpl
from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.secrets import how_to_give, is_secret_name
from tests.templates import api_key_template

SOURCE = Path(crmtpl.__file__).parent


def test_a_secret_is_given_through_auth_set_the_environment_or_stdin() -> None:
    hint = how_to_give("api_key", "crm.xml")
    assert "--var api_key" not in hint
    assert "crmtpl auth set crm.xml api_key" in hint
    assert "--from-stdin" in hint
    assert "CRMTPL_VAR_api_key" in hint


def test_an_ordinary_value_may_still_use_var() -> None:
    assert "--var region=VALUE" in how_to_give("region")
    assert "--var" not in how_to_give("region", secret=True).split("(--var)")[0]


def test_no_message_in_the_source_suggests_var_with_a_secret_name() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in re.finditer(r"--var[ =]\{?([A-Za-z_][\w.\[\]]*)\}?=", line):
                if is_secret_name(match.group(1)):
                    offenders.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()}")
    assert offenders == []


def test_run_with_an_unset_password_field_hints_auth_set_not_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CRMTPL_VAR_api_key", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    template = tmp_path / "query.xml"
    template.write_text(
        api_key_template(
            "http://127.0.0.1:9",
            name="Inject",
            key="inject_crm",
            header=("X-Api-Key", "{{.api_key}}"),
        )
    )
    code = run(["run", "lookup", str(template), "--phone", "+15550100"])
    err = capsys.readouterr().err
    assert code == ExitCode.AUTH
    assert "api_key has no value" in err
    assert "crmtpl auth set" in err and "CRMTPL_VAR_api_key" in err
    assert "--var api_key" not in err
