"""Issue 14 item 1: stored credentials go only to the hosts they were stored for.

The victim stores values for a sandbox example (bound to http://127.0.0.1:8765, never
contacted here). A hostile copy of the template keeps the victim's Key but points every
URL at a small recording server on 127.0.0.1: nothing reaches it, the refusal names the
approve command, and after ``crmtpl auth approve`` the same run goes through.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from crmtpl.cli import run
from crmtpl.creds.store import ORIGINS_ENTRY, open_credentials
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import ExitCode
from tests.hostile_server import HostileServer, hostile_server
from tests.unit.creds.keyrings import MemoryKeyring

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
VICTIM_ORIGIN = "http://127.0.0.1:8765"
ACCESS = "victim-access-token-4242"
REFRESH = "victim-refresh-token-4242"


@dataclass(frozen=True)
class Case:
    example: str
    key: str
    fields: dict[str, str]
    tokens: str | None = None  # "valid" or "expired" victim OAuth2 tokens

    def secrets(self) -> list[str]:
        found = [v for k, v in self.fields.items() if k != "username" and k != "client_id"]
        return found + ([ACCESS, REFRESH] if self.tokens else [])


CASES = {
    "api key header": Case(
        "sandbox-apikey.xml", "crmtpl_sandbox_apikey", {"api_key": "vk-1a2b3c4d"}
    ),
    "basic": Case(
        "sandbox-basic.xml",
        "crmtpl_sandbox_basic",
        {"username": "victim", "password": "victim-pass-9f8e"},
    ),
    "bearer token endpoint": Case(
        "sandbox-bearer.xml",
        "crmtpl_sandbox_bearer",
        {"client_id": "victim-client", "client_secret": "victim-secret-77aa"},
    ),
    "oauth2 access token": Case(
        "sandbox-oauth2.xml",
        "crmtpl_sandbox_oauth2",
        {"client_id": "victim-client", "client_secret": "victim-secret-77aa"},
        tokens="valid",
    ),
    "oauth2 refresh with client secret": Case(
        "sandbox-oauth2.xml",
        "crmtpl_sandbox_oauth2",
        {"client_id": "victim-client", "client_secret": "victim-secret-77aa"},
        tokens="expired",
    ),
}


@pytest.fixture(autouse=True)
def memory_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("api_key", "username", "password", "client_id", "client_secret", "AccessToken"):
        monkeypatch.delenv(f"CRMTPL_VAR_{name}", raising=False)
    yield backend
    keyring.set_keyring(previous)


def store_victim(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the victim did with the genuine template: auth set (and auth login)."""
    lines = "".join(f"{name}={value}\n" for name, value in case.fields.items())
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert run(["auth", "set", str(EXAMPLES / case.example), "--from-stdin"]) == 0
    chain = open_credentials(case.key)
    assert chain.stored_origins() == {VICTIM_ORIGIN}
    if case.tokens:
        expires = time.time() + (3600 if case.tokens == "valid" else -60)
        assert chain.writer is not None
        chain.writer.set_tokens(TokenSet(ACCESS, refresh_token=REFRESH, expires_at=expires))


def hostile_copy(case: Case, server: HostileServer, folder: Path) -> Path:
    text = (EXAMPLES / case.example).read_text().replace(VICTIM_ORIGIN, server.url)
    path = folder / f"hostile-{case.example}"
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_a_template_reusing_a_key_gets_nothing_until_its_host_is_approved(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES[name]
    store_victim(case, monkeypatch)
    capsys.readouterr()
    with hostile_server() as server:
        template = hostile_copy(case, server, tmp_path)
        code = run(["run", "lookup", str(template), "--phone", "+15550100"])
        captured = capsys.readouterr()
        assert server.received == []
        assert code == ExitCode.AUTH
        assert f"to {server.url}: they are bound to {VICTIM_ORIGIN}" in captured.err
        assert f"crmtpl auth approve {template} --host {server.url}" in captured.err
        for secret in case.secrets():
            assert secret not in captured.out + captured.err
        if case.tokens:
            stored = open_credentials(case.key).find_tokens()
            assert stored is not None and stored[0].access_token == ACCESS
            assert stored[0].refresh_token == REFRESH

        assert run(["auth", "approve", str(template), "--host", server.url]) == 0
        assert open_credentials(case.key).stored_origins() == {VICTIM_ORIGIN, server.url}
        run(["run", "lookup", str(template), "--phone", "+15550100"])
        assert server.received, "after approval the run reaches the approved host"
        sent = server.everything()
        if name == "api key header":
            assert case.fields["api_key"] in sent
        if name == "oauth2 access token":
            assert ACCESS in sent
        if name in ("bearer token endpoint", "oauth2 refresh with client secret"):
            assert case.fields["client_secret"] in sent


def test_values_given_for_one_run_are_not_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES["api key header"]
    store_victim(case, monkeypatch)
    monkeypatch.setenv("CRMTPL_VAR_api_key", "my-own-key-for-this-run")
    with hostile_server() as server:
        template = hostile_copy(case, server, tmp_path)
        run(["run", "lookup", str(template), "--phone", "+15550100"])
        assert server.received
        assert "my-own-key-for-this-run" in server.everything()
        assert case.fields["api_key"] not in server.everything()


def test_entries_stored_before_binding_need_one_approval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES["api key header"]
    store_victim(case, monkeypatch)
    keyring.get_keyring().delete_password(f"crmtpl/{case.key}/default", ORIGINS_ENTRY)
    with hostile_server() as server:
        template = hostile_copy(case, server, tmp_path)
        capsys.readouterr()
        assert run(["run", "lookup", str(template), "--phone", "+15550100"]) == ExitCode.AUTH
        assert "are not bound to any host yet" in capsys.readouterr().err
        assert server.received == []
        assert run(["auth", "approve", str(template)]) == 0  # the template's own hosts
        assert open_credentials(case.key).stored_origins() == {server.url}
        assert run(["run", "lookup", str(template), "--phone", "+15550100"]) == ExitCode.FINDINGS
        assert case.fields["api_key"] in server.everything()  # sent; no contact found


def test_logout_forgets_the_approved_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES["basic"]
    store_victim(case, monkeypatch)
    assert run(["auth", "logout", str(EXAMPLES / case.example)]) == 0
    assert open_credentials(case.key).stored_origins() == frozenset()


def test_auth_login_of_a_hostile_copy_sends_no_stored_client_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES["bearer token endpoint"]
    store_victim(case, monkeypatch)
    with hostile_server() as server:
        template = hostile_copy(case, server, tmp_path)
        assert run(["auth", "login", str(template)]) == ExitCode.AUTH
        assert server.received == []
        assert "crmtpl auth approve" in capsys.readouterr().err
    assert open_credentials(case.key).find_tokens() is None


def test_auth_status_lists_the_approved_hosts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES["api key header"]
    store_victim(case, monkeypatch)
    capsys.readouterr()
    template = str(EXAMPLES / case.example)
    assert run(["auth", "status", template, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["approved_hosts"] == [VICTIM_ORIGIN]
    assert run(["auth", "status", template]) == 0
    assert f"stored values may go to: {VICTIM_ORIGIN}" in capsys.readouterr().out
