"""``crmtpl auth``: prompts, non-interactive input, status without values, logout, login."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pytest_httpx import HTTPXMock

from crmtpl.cli import auth_set as auth_set_cli
from crmtpl.cli import run
from crmtpl.creds.store import open_credentials
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import ExitCode
from tests.unit.creds.keyrings import MemoryKeyring

SERVICE = "crmtpl/acme_crm/default"
TEMPLATE = """<Information Provider="crm" Name="Acme CRM" Key="acme_crm" AuthType="{method}">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="{method}"></Parameter>
        <Parameter Name="TokenEndPoint" Value="{token}"></Parameter>
        <Parameter Name="TokenRefreshInterval" Value="25"></Parameter>
        <Parameter Father="CustomFieldList" Name="region" Editor="list" Title="Data centre"
                   Value="eu, us"></Parameter>
        <Parameter Father="CustomFieldList" Name="username" Editor="string" Title="User">
        </Parameter>
        <Parameter Father="CustomFieldList" Name="password" Editor="password" Title="Password">
        </Parameter>
      </Parameters>
    </Scenario>
  </Scenarios>
</Information>
"""
TOKEN_URL = "https://crm.example.test/token?grant_type=client_credentials"


def write_template(folder: Path, method: str = "basic") -> Path:
    path = folder / "acme.xml"
    path.write_text(TEMPLATE.format(method=method, token=TOKEN_URL.replace("&", "&amp;")))
    return path


@pytest.fixture(autouse=True)
def private_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("CRMTPL_VAR_password", "CRMTPL_VAR_username", "CRMTPL_VAR_region"):
        monkeypatch.delenv(name, raising=False)
    yield backend
    keyring.set_keyring(previous)


class Prompts:
    """Answers typed at the prompts; records which prompts hid the input."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
        from typer._click import termui

        self.answers = answers
        self.hidden: list[bool] = []
        monkeypatch.setattr(termui, "visible_prompt_func", lambda text: self.answer(False))
        monkeypatch.setattr(termui, "hidden_prompt_func", lambda text: self.answer(True))
        monkeypatch.setattr(auth_set_cli, "_stdin_is_terminal", lambda: True)

    def answer(self, hidden: bool) -> str:
        self.hidden.append(hidden)
        return self.answers.pop(0)


def test_set_prompts_hides_passwords_and_insists_on_a_listed_choice(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_stores: MemoryKeyring,
) -> None:
    template = write_template(tmp_path)
    prompts = Prompts(monkeypatch, ["mars", "eu", "alice", "pa55-word-xyz"])
    assert run(["auth", "set", str(template)]) == 0
    assert prompts.hidden == [False, False, False, True]
    values = private_stores.values
    assert values[(SERVICE, "region")] == "eu"
    assert values[(SERVICE, "username")] == "alice"
    assert values[(SERVICE, "password")] == "pa55-word-xyz"
    captured = capsys.readouterr()
    assert "choose one of: eu, us" in captured.err
    assert "Data centre [region] (eu / us)" in captured.err
    assert "stored 3 field(s) of acme_crm (profile default) in OS keyring" in captured.out
    assert "pa55-word-xyz" not in captured.out + captured.err


def test_enter_keeps_a_stored_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_stores: MemoryKeyring
) -> None:
    template = write_template(tmp_path)
    open_credentials("acme_crm").require_writer().set("password", "old-secret")
    Prompts(monkeypatch, [""])
    assert run(["auth", "set", str(template), "password"]) == 0
    assert private_stores.values[(SERVICE, "password")] == "old-secret"


def test_set_from_stdin_for_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_stores: MemoryKeyring
) -> None:
    template = write_template(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("# from the vault\nusername=bob\npassword=a=b\n"))
    assert run(["auth", "set", str(template), "--profile", "staging", "--from-stdin"]) == 0
    assert private_stores.values[("crmtpl/acme_crm/staging", "password")] == "a=b"
    assert ("crmtpl/acme_crm/default", "username") not in private_stores.values


def test_set_from_stdin_refuses_unknown_fields_and_bad_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("api_key=x\n"))
    assert run(["auth", "set", str(template), "--from-stdin"]) == ExitCode.USAGE
    assert "'api_key' is not a custom field" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("username\n"))
    assert run(["auth", "set", str(template), "--from-stdin"]) == ExitCode.USAGE
    monkeypatch.setattr("sys.stdin", io.StringIO("region=mars\n"))
    assert run(["auth", "set", str(template), "--from-stdin"]) == ExitCode.USAGE
    assert "choices: eu, us" in capsys.readouterr().err


def test_set_from_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_stores: MemoryKeyring,
) -> None:
    template = write_template(tmp_path)
    assert run(["auth", "set", str(template), "username", "--from-env"]) == ExitCode.USAGE
    assert "CRMTPL_VAR_username" in capsys.readouterr().err
    monkeypatch.setenv("CRMTPL_VAR_username", "carol")
    assert run(["auth", "set", str(template), "username", "--from-env"]) == 0
    assert private_stores.values[(SERVICE, "username")] == "carol"


def test_set_without_a_terminal_says_how_to_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(auth_set_cli, "_stdin_is_terminal", lambda: False)
    assert run(["auth", "set", str(write_template(tmp_path))]) == ExitCode.USAGE
    assert "--from-stdin" in capsys.readouterr().err


def test_unknown_field_names_the_declared_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["auth", "set", str(write_template(tmp_path)), "apikey"]) == ExitCode.USAGE
    assert "its fields: region, username, password" in capsys.readouterr().err


def test_headless_set_exits_5_with_the_remedies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr("sys.stdin", io.StringIO("username=x\n"))
    assert run(["auth", "set", str(write_template(tmp_path)), "--from-stdin"]) == ExitCode.AUTH
    err = capsys.readouterr().err
    assert "no keyring backend" in err and "--insecure-storage" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("password=file-secret\n"))
    template = str(write_template(tmp_path))
    assert run(["auth", "set", template, "--from-stdin", "--insecure-storage"]) == 0
    err = capsys.readouterr().err
    assert "INSECURE plain-text file" in err and "file-secret" not in err


def test_status_shows_where_and_expiry_but_never_a_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, "bearertoken")
    store = open_credentials("acme_crm").require_writer()
    store.set("password", "never-shown-pw")
    store.set("username", "never-shown-user")
    store.set_tokens(
        TokenSet(
            "never-shown-token",
            refresh_token="never-shown-rt",
            expires_at=4e9,
            obtained_at=1e9,
            scope="crm",
        )
    )
    monkeypatch.setenv("CRMTPL_VAR_username", "from-env")
    assert run(["auth", "status", str(template)]) == 0
    text = capsys.readouterr().out
    assert "Acme CRM (Key acme_crm, auth bearertoken, profile default)" in text
    assert "CRMTPL_VAR_username overrides it" in text
    assert "not stored" in text  # region
    assert "tokens: in OS keyring; expires 2096-" in text and "scope crm" in text
    assert run(["auth", "status", str(template), "--format", "json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    fields = {f["name"]: f for f in report["fields"]}
    assert fields["password"] == {
        "name": "password",
        "title": "Password",
        "editor": "password",
        "secret": True,
        "stored": True,
        "store": "keyring",
        "env_override": None,
    }
    assert fields["region"]["stored"] is False
    assert report["tokens"]["refresh_token"] is True
    assert report["tokens"]["expires_at"].startswith("2096-")
    assert report["keyring"]["available"] is True
    for value in ("never-shown", "from-env"):
        assert value not in text + out


def test_logout_removes_tokens_and_fields_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], private_stores: MemoryKeyring
) -> None:
    template = str(write_template(tmp_path, "bearertoken"))
    store = open_credentials("acme_crm").require_writer()
    store.set("username", "u")
    store.set_tokens(TokenSet("at-123456"))
    assert run(["auth", "logout", template, "--tokens-only"]) == 0
    assert "removed from OS keyring" in capsys.readouterr().out
    assert store.get("username") == "u" and store.get_tokens() is None
    assert run(["auth", "logout", template]) == 0
    assert private_stores.values == {}
    assert run(["auth", "logout", template]) == 0
    assert "nothing was stored" in capsys.readouterr().out


def test_bearer_login_fetches_and_stores_a_token(
    tmp_path: Path, httpx_mock: HTTPXMock, capsys: pytest.CaptureFixture[str]
) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={"access_token": "bt-123456"})
    assert run(["auth", "login", str(write_template(tmp_path, "bearertoken"))]) == 0
    out = capsys.readouterr().out
    assert "logged in to Acme CRM (profile default)" in out
    assert "expires in 25 min" in out and "bt-123456" not in out
    tokens = open_credentials("acme_crm").find_tokens()
    assert tokens is not None and tokens[0].access_token == "bt-123456"


def test_bearer_login_refused_is_exit_5(
    tmp_path: Path, httpx_mock: HTTPXMock, capsys: pytest.CaptureFixture[str]
) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, status_code=401, json={})
    template = str(write_template(tmp_path, "bearertoken"))
    assert run(["auth", "login", template]) == ExitCode.AUTH
    assert "rejected the client credentials" in capsys.readouterr().err


def test_login_is_for_token_methods_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = str(write_template(tmp_path, "basic"))
    assert run(["auth", "login", template]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "auth method 'basic'" in err and f"crmtpl auth set {template}" in err
    assert run(["auth", "login", template, "--client-auth", "jwt"]) == ExitCode.USAGE


def test_insecure_storage_is_remembered_per_profile_until_logout_of_its_last_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    template = str(write_template(tmp_path))
    settings = tmp_path / "config" / "storage.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("username=first\n"))
    assert run(["auth", "set", template, "--from-stdin", "--insecure-storage"]) == 0
    err = capsys.readouterr().err
    assert "profile default now stores in the plain-text file without --insecure-storage" in err
    assert json.loads(settings.read_text()) == {"insecure_storage_profiles": ["default"]}
    assert settings.stat().st_mode & 0o777 == 0o600

    monkeypatch.setattr("sys.stdin", io.StringIO("password=second\n"))
    assert run(["auth", "set", template, "--from-stdin"]) == 0  # no flag: remembered
    err = capsys.readouterr().err
    assert "INSECURE plain-text file" in err and "now stores" not in err  # said once
    stored = open_credentials("acme_crm", insecure_storage=True)
    assert stored.lookup("password") is not None and stored.lookup("username") is not None

    monkeypatch.setattr("sys.stdin", io.StringIO("username=staging\n"))
    assert run(["auth", "set", template, "--from-stdin", "--profile", "staging"]) == (
        ExitCode.AUTH
    )  # another profile is not affected
    assert "--insecure-storage" in capsys.readouterr().err

    assert run(["auth", "logout", template]) == 0
    assert "stores in the OS keyring again" in capsys.readouterr().err
    assert not settings.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("username=again\n"))
    assert run(["auth", "set", template, "--from-stdin"]) == ExitCode.AUTH  # forgotten


DEFAULTED = """<Information Provider="crm" Name="Acme CRM" Key="acme_crm" AuthType="none">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="none"></Parameter>
        <Parameter Father="CustomFieldList" Name="username" Editor="string" Title="User">
        </Parameter>
        <Parameter Father="CustomFieldList" Name="base_url" Editor="string" Title="API URL"
                   Value="https://crm.example.test"></Parameter>
      </Parameters>
    </Scenario>
  </Scenarios>
</Information>
"""


def test_from_env_leaves_a_field_with_a_template_default_to_its_variable(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_stores: MemoryKeyring,
) -> None:
    template = tmp_path / "defaulted.xml"
    template.write_text(DEFAULTED)
    monkeypatch.delenv("CRMTPL_VAR_base_url", raising=False)
    monkeypatch.setenv("CRMTPL_VAR_username", "carol")
    assert run(["auth", "set", str(template), "--from-env"]) == 0
    assert private_stores.values[(SERVICE, "username")] == "carol"
    assert (SERVICE, "base_url") not in private_stores.values
    assert "stored 1 field(s)" in capsys.readouterr().out
    monkeypatch.setenv("CRMTPL_VAR_base_url", "https://eu.crm.example.test")
    assert run(["auth", "set", str(template), "--from-env"]) == 0
    assert (SERVICE, "base_url") not in private_stores.values  # served by the variable itself
    assert run(["auth", "set", str(template), "base_url", "--from-env"]) == 0  # named: stored
    assert private_stores.values[(SERVICE, "base_url")] == "https://eu.crm.example.test"


def test_the_prompt_offers_the_template_default_and_enter_keeps_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_stores: MemoryKeyring,
) -> None:
    template = tmp_path / "defaulted.xml"
    template.write_text(DEFAULTED)
    Prompts(monkeypatch, ["dave", ""])
    assert run(["auth", "set", str(template)]) == 0
    assert "API URL [base_url] (Enter keeps the template's default https://crm.example.test)" in (
        capsys.readouterr().err
    )
    assert private_stores.values[(SERVICE, "username")] == "dave"
    assert (SERVICE, "base_url") not in private_stores.values
