"""OAuth2 end to end against oidc-provider: login, PKCE, refresh, rotation, every failure.

The CLI runs in a subprocess, as a user runs it: headless (no keyring, ``--insecure-storage``,
``--no-browser`` with the pasted redirect) and with a keyring (a file-backed test keyring
selected through ``PYTHON_KEYRING_BACKEND``; the browser is a script that walks the login
and consent pages, set through ``BROWSER``, and the redirect reaches crmtpl's loopback
receiver). A resource server checks tokens through the server's introspection endpoint.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from crmtpl.auth.registry import token_manager_for
from crmtpl.creds.backends import InsecureFileStore
from crmtpl.creds.oauth import (
    ClientAuth,
    OAuthClient,
    TokenEndpoint,
    build_authorization_request,
    code_from_redirect,
)
from crmtpl.creds.settings import AuthSettings
from crmtpl.creds.store import CredentialStore, open_credentials
from crmtpl.creds.tokens import TokenManager
from crmtpl.errors import AuthError, ExitCode
from crmtpl.http import HttpClient
from crmtpl.template import load_template
from tests.e2e.file_keyring import BACKEND_NAME
from tests.e2e.oidc_flow import walk_to_redirect
from tests.e2e.peers import PeerLookup
from tests.e2e.resource_server import ResourceServer
from tests.support import REPO_ROOT

TEMPLATE = REPO_ROOT / "examples" / "oidc-oauth2.xml"
KEY = "oidc_oauth2_demo"
SERVICE = f"crmtpl/{KEY}/default"


class Cli:
    """Runs ``python -m crmtpl`` with a private config dir and a chosen keyring."""

    def __init__(self, home: Path, *, keyring_file: Path | None = None) -> None:
        self.config = home / "config"
        self.keyring_file = keyring_file
        self.env = {
            **os.environ,
            "CRMTPL_CONFIG_DIR": str(self.config),
            "PYTHONPATH": os.pathsep.join(
                [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            # headless unless a keyring is asked for: the fail backend, as on a server
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        for name in list(self.env):
            if name.startswith("CRMTPL_VAR_"):
                del self.env[name]
        if keyring_file is not None:
            self.env["PYTHON_KEYRING_BACKEND"] = BACKEND_NAME
            self.env["KEYRING_PROPERTY_FILE_PATH"] = str(keyring_file)

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "crmtpl", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=self.env,
            check=False,
        )

    def store_fields(self, values: dict[str, str], *flags: str) -> None:
        lines = "".join(f"{name}={value}\n" for name, value in values.items())
        done = self.run("auth", "set", str(TEMPLATE), "--from-stdin", *flags, stdin=lines)
        assert done.returncode == 0, done.stderr

    def login_by_pasting(
        self, *flags: str, login: str = "agent"
    ) -> tuple[subprocess.CompletedProcess[str], str]:
        """``auth login --no-browser``: read the URL, walk the flow, paste the redirect."""
        command = [sys.executable, "-m", "crmtpl", "auth", "login", str(TEMPLATE)]
        with subprocess.Popen(
            [*command, "--no-browser", *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        ) as process:
            assert process.stdout is not None and process.stdin is not None
            url = process.stdout.readline().strip()
            if url.startswith("http"):
                process.stdin.write(walk_to_redirect(url, login) + "\n")
                process.stdin.flush()
            out, err = process.communicate(timeout=120)
            done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
        return done, url

    def status(self) -> dict[str, object]:
        done = self.run("auth", "status", str(TEMPLATE), "--format", "json")
        assert done.returncode == 0, done.stderr
        report: dict[str, object] = json.loads(done.stdout)
        return report

    def lookup(self, phone: str) -> dict[str, Any]:
        done = self.run("run", "lookup", str(TEMPLATE), "--phone", phone, "--format", "json")
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def file_store(self) -> CredentialStore:
        return CredentialStore(InsecureFileStore(self.config / "credentials-insecure.json"), KEY)


def fields_for(oidc: dict[str, str], api_url: str, secret: str | None = None) -> dict[str, str]:
    return {
        "issuer": oidc["url"],
        "api_url": api_url,
        "client_id": oidc["OIDC_CLIENT_ID"],
        "client_secret": secret or oidc["OIDC_CLIENT_SECRET"],
    }


@pytest.fixture
def oidc(peer: PeerLookup) -> dict[str, str]:
    return peer("oidc")


@pytest.fixture
def api(oidc: dict[str, str]) -> Iterator[ResourceServer]:
    with ResourceServer(oidc["url"], oidc["OIDC_CLIENT_ID"], oidc["OIDC_CLIENT_SECRET"]) as server:
        yield server


@pytest.fixture
def headless_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The test process itself sees the same store as the CLI: no keyring, the file."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    yield tmp_path
    keyring.set_keyring(previous)


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient() as client:
        yield client


def manager_for(data: dict[str, str], http: HttpClient) -> TokenManager:
    settings = AuthSettings.from_template(load_template(TEMPLATE).model)
    made = token_manager_for(
        settings,
        data,
        http=http,
        chain=open_credentials(KEY),
        login_command=f"crmtpl auth login {TEMPLATE}",
    )
    assert made is not None
    return made


def test_headless_login_pasting_the_redirect_then_refresh_rotation_and_reuse(
    headless_env: Path, oidc: dict[str, str], api: ResourceServer, http: HttpClient
) -> None:
    cli = Cli(headless_env)
    data = fields_for(oidc, api.url)
    cli.store_fields(data, "--insecure-storage")

    done, url = cli.login_by_pasting("--insecure-storage")
    assert done.returncode == 0, done.stderr
    params = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(oidc["url"] + "/auth?prompt=consent&")
    assert params["response_type"] == "code" and params["client_id"] == "crmtpl"
    assert params["redirect_uri"] == oidc["OIDC_REDIRECT_URI"]
    assert params["scope"] == "openid offline_access crm"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert "refresh token stored" in done.stdout and "INSECURE" in done.stderr
    assert oidc["OIDC_CLIENT_SECRET"] not in done.stdout + done.stderr

    path = cli.config / "credentials-insecure.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    report = cli.status()
    assert report["tokens"] is not None
    tokens_report = report["tokens"]
    assert isinstance(tokens_report, dict)
    assert tokens_report["store"] == "file" and tokens_report["refresh_token"] is True
    assert not tokens_report["expired"] and tokens_report["expires_in_seconds"] > 3000
    fields = report["fields"]
    assert isinstance(fields, list) and all(f["stored"] for f in fields)
    status_text = cli.run("auth", "status", str(TEMPLATE))
    for value in (oidc["OIDC_CLIENT_SECRET"], api.url + "x"):
        assert value not in status_text.stdout

    first = cli.file_store().get_tokens()
    assert first is not None and first.refresh_token
    assert api.token_is_active(first.access_token)

    # the proof: auth set + auth login were enough for crmtpl run lookup
    lookup = cli.lookup("+15550100")
    assert [r["FirstName"] for r in lookup["records"]] == ["Ada"]
    assert api.accepted == [first.access_token]

    # a TokenErrorMap match: refresh once; the rotated refresh token is stored
    tokens = manager_for(data, http)
    fresh = tokens.access_token(force_refresh=True, rejected_token=first.access_token)
    assert fresh != first.access_token and api.token_is_active(fresh)
    second = cli.file_store().get_tokens()
    assert second is not None and second.access_token == fresh
    assert second.refresh_token and second.refresh_token != first.refresh_token

    # reusing the rotated-away refresh token is refused, and revokes the whole grant
    endpoint = TokenEndpoint(
        oidc["url"] + "/token", "crmtpl", oidc["OIDC_CLIENT_SECRET"], ClientAuth.POST
    )
    with pytest.raises(AuthError) as reused:
        OAuthClient(endpoint, http, login_command="crmtpl auth login T").refresh(
            first.refresh_token
        )
    assert reused.value.exit_code == ExitCode.AUTH
    assert "used already" in reused.value.message and "invalid_grant" in reused.value.message
    assert reused.value.hint == "run crmtpl auth login T again"
    assert first.refresh_token not in str(reused.value)
    assert not api.token_is_active(fresh)
    with pytest.raises(AuthError) as revoked:
        manager_for(data, http).access_token(force_refresh=True)
    assert revoked.value.hint == f"run crmtpl auth login {TEMPLATE} again"

    # run: the CRM rejects the revoked token, the refresh fails: exit 5, log in again
    done = cli.run("run", "lookup", str(TEMPLATE), "--phone", "+15550100")
    assert done.returncode == ExitCode.AUTH, done.stderr
    assert "refresh token was rejected" in done.stderr and "auth login" in done.stderr
    assert "Traceback" not in done.stderr


def test_login_with_a_keyring_and_the_loopback_receiver(
    tmp_path: Path, oidc: dict[str, str], api: ResourceServer
) -> None:
    browser = tmp_path / "fake-browser"
    browser.write_text(
        f'#!/bin/sh\ncd {REPO_ROOT}\nexec {sys.executable} -m tests.e2e.oidc_flow "$1"\n'
    )
    browser.chmod(0o755)
    keyring_file = tmp_path / "keyring.json"
    cli = Cli(tmp_path, keyring_file=keyring_file)
    cli.env["BROWSER"] = str(browser)
    cli.store_fields(fields_for(oidc, api.url))

    done = cli.run("auth", "login", str(TEMPLATE), "--client-auth", "basic", "--wait", "60")
    assert done.returncode == 0, done.stderr
    assert "Opening your browser" in done.stderr
    assert "access token stored in OS keyring (file keyring JsonFileKeyring)" in done.stdout
    stored = json.loads(keyring_file.read_text())[SERVICE]
    tokens = json.loads(stored["@tokens"])
    assert tokens["client_auth"] == "basic" and tokens["refresh_token"]
    assert api.token_is_active(tokens["access_token"])
    assert not (cli.config / "credentials-insecure.json").exists()
    report = cli.status()
    assert isinstance(report["tokens"], dict) and report["tokens"]["store"] == "keyring"

    done = cli.run("auth", "logout", str(TEMPLATE))
    assert done.returncode == 0 and "tokens" in done.stdout
    assert json.loads(keyring_file.read_text()).get(SERVICE, {}) == {}


def test_a_wrong_client_secret_ends_with_exit_5_and_a_clear_message(
    tmp_path: Path, oidc: dict[str, str], api: ResourceServer
) -> None:
    cli = Cli(tmp_path)
    cli.store_fields(fields_for(oidc, api.url, "wrong-secret-value"), "--insecure-storage")
    done, url = cli.login_by_pasting("--insecure-storage")
    assert url.startswith("http")
    assert done.returncode == ExitCode.AUTH
    assert "rejected the client credentials" in done.stderr
    assert "invalid_client" in done.stderr and "--client-auth" in done.stderr
    assert "wrong-secret-value" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert cli.file_store().get_tokens() is None


def test_an_unregistered_redirect_uri_is_refused_before_the_browser(
    tmp_path: Path, oidc: dict[str, str], api: ResourceServer
) -> None:
    cli = Cli(tmp_path)
    cli.store_fields(fields_for(oidc, api.url), "--insecure-storage")
    elsewhere = "http://127.0.0.1:9998/elsewhere"
    done, url = cli.login_by_pasting("--insecure-storage", "--redirect-uri", elsewhere)
    assert url == ""  # nothing to open: the authorization server refused it already
    assert done.returncode == ExitCode.AUTH
    assert "invalid_redirect_uri" in done.stderr
    assert f"register {elsewhere}" in done.stderr


def test_no_keyring_and_no_opt_in_says_exactly_what_to_do(tmp_path: Path) -> None:
    done = Cli(tmp_path).run("auth", "set", str(TEMPLATE), "--from-stdin", stdin="issuer=x\n")
    assert done.returncode == ExitCode.AUTH
    assert "no keyring backend" in done.stderr
    for remedy in ("--insecure-storage", "CRMTPL_VAR_", "PYTHON_KEYRING_BACKEND"):
        assert remedy in done.stderr
    assert "Traceback" not in done.stderr


def test_a_replayed_authorization_code_is_refused(oidc: dict[str, str], http: HttpClient) -> None:
    request = build_authorization_request(
        oidc["url"] + "/auth",
        client_id=oidc["OIDC_CLIENT_ID"],
        redirect_uri=oidc["OIDC_REDIRECT_URI"],
        scope="openid offline_access crm",
        additional_query="prompt=consent",
    )
    code = code_from_redirect(walk_to_redirect(request.url), request.state)
    endpoint = TokenEndpoint(
        oidc["url"] + "/token", oidc["OIDC_CLIENT_ID"], oidc["OIDC_CLIENT_SECRET"]
    )
    client = OAuthClient(endpoint, http, login_command="crmtpl auth login T")
    first = client.exchange_code(
        code, redirect_uri=request.redirect_uri, code_verifier=request.code_verifier
    )
    assert first.refresh_token
    with pytest.raises(AuthError) as replayed:
        client.exchange_code(
            code, redirect_uri=request.redirect_uri, code_verifier=request.code_verifier
        )
    assert "authorization code was rejected" in replayed.value.message
    assert replayed.value.hint == "run crmtpl auth login T again"
    assert code not in str(replayed.value)


def test_a_wrong_pkce_verifier_is_refused(oidc: dict[str, str], http: HttpClient) -> None:
    request = build_authorization_request(
        oidc["url"] + "/auth",
        client_id=oidc["OIDC_CLIENT_ID"],
        redirect_uri=oidc["OIDC_REDIRECT_URI"],
        scope="openid crm",
    )
    code = code_from_redirect(walk_to_redirect(request.url), request.state)
    endpoint = TokenEndpoint(
        oidc["url"] + "/token", oidc["OIDC_CLIENT_ID"], oidc["OIDC_CLIENT_SECRET"]
    )
    with pytest.raises(AuthError, match="invalid_grant"):
        OAuthClient(endpoint, http).exchange_code(
            code, redirect_uri=request.redirect_uri, code_verifier="x" * 64
        )


def sleep_past(expires_at: float) -> None:
    """Wait until a token has certainly expired (timing independent of the machine's load)."""
    time.sleep(max(0.0, expires_at - time.time()) + 1.5)


def test_an_expired_access_token_is_refreshed_transparently(
    headless_env: Path, peer: PeerLookup, http: HttpClient
) -> None:
    short = peer("oidc_short")
    ttl = int(short["OIDC_SHORT_TTL_SECONDS"])
    with ResourceServer(short["url"], short["OIDC_CLIENT_ID"], short["OIDC_CLIENT_SECRET"]) as api:
        cli = Cli(headless_env)
        data = fields_for(short, api.url)
        cli.store_fields(data, "--insecure-storage")
        done, _ = cli.login_by_pasting("--insecure-storage")
        assert done.returncode == 0, done.stderr

        tokens = manager_for(data, http)
        issued = tokens.current()
        assert issued is not None and issued.expires_at and issued.obtained_at
        assert issued.expires_at - issued.obtained_at == ttl  # the short-lived server
        old = issued.access_token
        sleep_past(issued.expires_at)
        assert not api.token_is_active(old)  # the server expired it

        new = tokens.access_token()  # expired: refreshed before use
        assert new != old and tokens.refresh_count == 1
        assert api.token_is_active(new)
        # a request that still carried the old token was rejected meanwhile:
        # the TokenErrorMap path gets the newer token without a second refresh
        assert tokens.access_token(force_refresh=True, rejected_token=old) == new
        assert tokens.refresh_count == 1
        stored = cli.file_store().get_tokens()
        assert stored is not None and stored.access_token == new

        # crmtpl run, once the stored token has expired: refreshed before the request
        assert stored.expires_at is not None
        sleep_past(stored.expires_at)
        lookup = cli.lookup("+15550199")
        assert [r["LastName"] for r in lookup["records"]] == ["Babbage"]
        after_run = cli.file_store().get_tokens()
        assert after_run is not None and after_run.access_token not in (old, new)
        assert after_run.refresh_token != stored.refresh_token  # rotated and saved
        assert api.accepted[-1] == after_run.access_token
        assert not api.rejected

        # a stored token the server does not accept although it looks valid: the
        # response matches the TokenErrorMap (invalid_token, status 401), so run
        # refreshes once and sends the request again
        unknown = "an-access-token-the-server-never-issued"
        cli.file_store().set_tokens(
            replace(after_run, access_token=unknown, expires_at=time.time() + 3600)
        )
        lookup = cli.lookup("+15550100")
        assert [r["FirstName"] for r in lookup["records"]] == ["Ada"]
        assert api.rejected == [unknown]
        final = cli.file_store().get_tokens()
        assert final is not None and final.access_token == api.accepted[-1]
        assert final.refresh_token != after_run.refresh_token
