"""The login flows: the loopback receiver, the pasted redirect, storing what was obtained."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from pytest_httpx import HTTPXMock

from crmtpl.creds.login import LoginOptions, LoginUi, bearer_login, oauth2_login
from crmtpl.creds.oauth import ClientAuth
from crmtpl.creds.redirect import LoopbackReceiver, check_redirect_uri, is_loopback_uri
from crmtpl.creds.settings import AuthSettings, CustomField
from crmtpl.creds.store import open_credentials
from crmtpl.errors import AuthError, UsageError
from crmtpl.http import HttpClient, HttpSettings
from tests.unit.creds.keyrings import MemoryKeyring

AUTH = "https://login.example.test/authorize"
TOKEN = "https://login.example.test/token"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with NO_PROXY.open(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def substitute(name: str, text: str, data: Mapping[str, str]) -> str:
    """A stand-in for the Go engine: ``{{.name}}`` replaced by the value."""
    for key, value in data.items():
        text = text.replace("{{." + key + "}}", value)
    return text


SETTINGS = AuthSettings(
    template_key="oauth_crm",
    template_name="OAuth CRM",
    method="oauth2",
    auth_endpoint=AUTH,
    token_endpoint=TOKEN,
    scope="crm offline_access",
    additional_query="prompt=consent&redirect_uri={{.redirect_uri}}",
    custom_fields=(CustomField("client_id"), CustomField("client_secret", "password")),
)
DATA = {"client_id": "cid", "client_secret": "cs-0123456789"}


class FakeUser:
    """Plays the user and the browser: follows the authorization URL to the redirect."""

    def __init__(self, answer: str = "code", state: str | None = None) -> None:
        self.answer = answer
        self.state = state
        self.shown: list[tuple[str, bool, bool]] = []
        self.notices: list[str] = []
        self.pages: list[tuple[int, str]] = []

    def redirect_for(self, url: str) -> str:
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        state = self.state or params["state"]
        query = "error=access_denied" if self.answer == "deny" else "code=the-code"
        return f"{params['redirect_uri']}?{query}&state={state}"

    def open_browser(self, url: str) -> bool:
        get(
            urlsplit(url)
            ._replace(path="/favicon.ico", query="")
            .geturl()
            .replace("https://login.example.test", self.receiver_base(url))
        )
        self.pages.append(get(self.redirect_for(url)))
        return True

    @staticmethod
    def receiver_base(url: str) -> str:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        parts = urlsplit(redirect)
        return f"{parts.scheme}://{parts.netloc}"

    def ui(self, pasted: str | None = None) -> LoginUi:
        return LoginUi(
            show_url=lambda url, browser, receiving: self.shown.append((url, browser, receiving)),
            open_browser=self.open_browser,
            read_redirect=lambda: (
                pasted if pasted is not None else self.redirect_for(self.shown[-1][0])
            ),
            notice=self.notices.append,
        )


def options(port: int, **extra: object) -> LoginOptions:
    return LoginOptions(
        redirect_uri=f"http://127.0.0.1:{port}/callback",
        preflight=False,
        wait_seconds=10,
        **extra,  # type: ignore[arg-type]
    )


def test_loopback_login_stores_the_tokens(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        method="POST",
        url=TOKEN,
        json={"access_token": "at-1", "refresh_token": "rt-1", "expires_in": 3600},
    )
    port = free_port()
    user = FakeUser()
    chain = open_credentials("oauth_crm")
    result = oauth2_login(
        SETTINGS,
        DATA,
        chain,
        HttpClient(HttpSettings()),
        user.ui(),
        options(port),
        renderer=substitute,
        clock=lambda: 100.0,
    )
    url, browser, receiving = user.shown[0]
    assert browser and receiving
    params = parse_qs(urlsplit(url).query)
    assert params["redirect_uri"] == [
        f"http://127.0.0.1:{port}/callback"
    ]  # once, from the template
    assert params["scope"] == ["crm offline_access"]
    assert user.pages[0][0] == 200 and "You can close this tab" in user.pages[0][1]
    sent = httpx_mock.get_request()
    assert sent is not None
    body = dict(parse_qsl(sent.content.decode()))
    assert body["code"] == "the-code" and body["code_verifier"]
    assert body["redirect_uri"] == f"http://127.0.0.1:{port}/callback"
    assert result.tokens.client_auth == "post"
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None and saved[0].refresh_token == "rt-1"
    assert saved[0].expires_at == 3700.0


def test_pasted_redirect_with_a_wrong_state_stores_nothing(memory_keyring: MemoryKeyring) -> None:
    user = FakeUser(state="forged-state")
    with pytest.raises(AuthError, match="state mismatch"):
        oauth2_login(
            SETTINGS,
            DATA,
            open_credentials("oauth_crm"),
            HttpClient(),
            user.ui(),
            options(free_port(), open_browser=False),
            renderer=substitute,
        )
    assert user.shown[0][1:] == (False, False)
    assert open_credentials("oauth_crm").find_tokens() is None


def test_a_refused_consent_is_reported_in_the_browser_and_the_terminal(
    memory_keyring: MemoryKeyring,
) -> None:
    user = FakeUser(answer="deny")
    with pytest.raises(AuthError, match="access_denied"):
        oauth2_login(
            SETTINGS,
            DATA,
            open_credentials("oauth_crm"),
            HttpClient(),
            user.ui(),
            options(free_port()),
            renderer=substitute,
        )
    assert user.pages[0][0] == 400 and "refused the login" in user.pages[0][1]


def test_login_without_a_keyring_fails_before_the_browser_opens(no_keyring: object) -> None:
    user = FakeUser()
    with pytest.raises(AuthError, match="cannot store credentials") as caught:
        oauth2_login(
            SETTINGS,
            DATA,
            open_credentials("oauth_crm"),
            HttpClient(),
            user.ui(),
            options(free_port()),
            renderer=substitute,
        )
    assert "--insecure-storage" in (caught.value.hint or "")
    assert user.shown == []


def test_basic_client_auth_is_remembered(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json={"access_token": "at-1"})
    user = FakeUser()
    oauth2_login(
        SETTINGS,
        DATA,
        open_credentials("oauth_crm"),
        HttpClient(),
        user.ui(),
        options(free_port(), open_browser=False, client_auth=ClientAuth.BASIC),
        renderer=substitute,
    )
    sent = httpx_mock.get_request()
    assert sent is not None and sent.headers["Authorization"].startswith("Basic ")
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None and saved[0].client_auth == "basic"


def test_a_remote_redirect_uri_falls_back_to_pasting(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json={"access_token": "at-1"})
    user = FakeUser()
    remote = LoginOptions(redirect_uri="https://pbx.example.test/cb", preflight=False)
    oauth2_login(
        SETTINGS,
        DATA,
        open_credentials("oauth_crm"),
        HttpClient(),
        user.ui(),
        remote,
        renderer=substitute,
    )
    assert any("not on this machine" in notice for notice in user.notices)


def test_missing_endpoints_are_named(memory_keyring: MemoryKeyring) -> None:
    settings = AuthSettings("oauth_crm", "OAuth CRM", "oauth2", auth_endpoint=AUTH)
    with pytest.raises(AuthError, match="has no TokenEndPoint"):
        oauth2_login(
            settings,
            DATA,
            open_credentials("oauth_crm"),
            HttpClient(),
            FakeUser().ui(),
            options(free_port()),
            renderer=substitute,
        )


def test_bearer_login_stores_the_token(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    settings = AuthSettings(
        "bearer_crm",
        "Bearer",
        "bearertoken",
        token_endpoint=TOKEN + "?key={{.api_key}}",
        custom_fields=(CustomField("api_key", "password"),),
    )
    httpx_mock.add_response(method="POST", url=TOKEN + "?key=k3y-123456", json={"token": "bt"})
    result = bearer_login(
        settings,
        {"api_key": "k3y-123456"},
        open_credentials("bearer_crm"),
        HttpClient(),
        renderer=substitute,
    )
    assert result.tokens.access_token == "bt"
    assert result.store.get_tokens() == result.tokens


def test_receiver_ignores_other_paths_and_times_out_with_advice() -> None:
    port = free_port()
    uri = f"http://127.0.0.1:{port}/callback"
    with LoopbackReceiver(uri, expected_state="s", timeout=0.3) as receiver:
        assert get(f"http://127.0.0.1:{port}/favicon.ico")[0] == 404
        with pytest.raises(AuthError, match="no redirect reached") as caught:
            receiver.wait()
    assert "--no-browser" in (caught.value.hint or "")


def test_a_busy_port_is_reported_before_the_browser_opens() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/cb", expected_state="s")
        with pytest.raises(AuthError, match="cannot listen") as caught:
            receiver.start()
    assert "--redirect-uri" in (caught.value.hint or "")


def test_redirect_uri_checks() -> None:
    assert is_loopback_uri("http://127.0.0.1:9999/callback")
    assert is_loopback_uri("http://localhost:8080/cb")
    assert is_loopback_uri("http://[::1]:8080/cb")
    assert not is_loopback_uri("https://127.0.0.1/cb")
    assert not is_loopback_uri("http://pbx.example.test/cb")
    assert check_redirect_uri("https://pbx.example.test/cb") == "https://pbx.example.test/cb"
    with pytest.raises(UsageError):
        check_redirect_uri("/callback")
