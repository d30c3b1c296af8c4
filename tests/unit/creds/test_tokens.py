"""TokenManager: stored tokens, proactive and forced refresh, rotation saved first, bearer."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl

import pytest
from pytest_httpx import HTTPXMock

from crmtpl.auth.registry import token_manager_for
from crmtpl.creds.oauth import ClientAuth
from crmtpl.creds.settings import AuthSettings, CustomField
from crmtpl.creds.store import open_credentials
from crmtpl.creds.tokens import TokenManager
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import AuthError, ExitCode
from crmtpl.http import HttpClient, HttpSettings
from tests.unit.creds.keyrings import MemoryKeyring

TOKEN = "https://login.example.test/token"
SERVICE = "crmtpl/oauth_crm/default"


def no_render(name: str, text: str, data: Mapping[str, str]) -> str:
    """A stand-in renderer for values without ``{{``: the text as written."""
    assert "{{" not in text
    return text


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


SETTINGS = AuthSettings(
    template_key="oauth_crm",
    template_name="OAuth CRM",
    method="oauth2",
    auth_endpoint="https://login.example.test/authorize",
    token_endpoint=TOKEN,
    custom_fields=(
        CustomField("client_id", "string"),
        CustomField("client_secret", "password"),
    ),
)
DATA = {"client_id": "cid", "client_secret": "cs-0123456789"}


def manager(clock: Clock, **kwargs: object) -> TokenManager:
    made = token_manager_for(
        SETTINGS,
        DATA,
        http=HttpClient(HttpSettings(max_retries=0)),
        renderer=no_render,
        clock=clock,
        login_command="crmtpl auth login crm.xml",
        **kwargs,  # type: ignore[arg-type]
    )
    assert made is not None
    return made


def stored(refresh: str | None = "rt-1", expires_at: float | None = 4600.0) -> TokenSet:
    return TokenSet("at-1", refresh_token=refresh, expires_at=expires_at, obtained_at=1000.0)


def refresh_answer(access: str, refresh: str | None) -> dict[str, object]:
    answer: dict[str, object] = {"access_token": access, "expires_in": 3600}
    if refresh:
        answer["refresh_token"] = refresh
    return answer


def test_a_valid_stored_token_is_used_without_any_request(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored())
    tokens = manager(Clock(2000.0))
    assert tokens.access_token() == "at-1"
    assert tokens.token_type == "Bearer"
    assert tokens.refresh_count == 0
    assert httpx_mock.get_requests() == []


def test_no_stored_token_says_run_login(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(AuthError) as caught:
        manager(Clock()).access_token()
    assert caught.value.exit_code == ExitCode.AUTH
    assert caught.value.hint == (
        "run crmtpl auth login crm.xml first, or give a token you already have in the "
        "environment variable CRMTPL_VAR_AccessToken"
    )


def test_refresh_shortly_before_expiry_saves_the_rotated_token_first(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored())
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", "rt-2"))
    clock = Clock(4600.0 - 59)  # inside the 60 s margin of a one-hour token
    tokens = manager(clock)
    memory_keyring.writes.clear()
    assert tokens.access_token() == "at-2"
    sent = httpx_mock.get_request()
    assert sent is not None
    assert dict(parse_qsl(sent.content.decode())) == {
        "grant_type": "refresh_token",
        "refresh_token": "rt-1",
        "client_id": "cid",
        "client_secret": "cs-0123456789",
    }
    assert memory_keyring.writes == [(SERVICE, "@tokens")]
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None
    assert saved[0].access_token == "at-2" and saved[0].refresh_token == "rt-2"
    assert saved[0].expires_at == clock.now + 3600
    assert tokens.refresh_count == 1
    assert {"at-1", "rt-1", "at-2", "rt-2"} <= set(tokens.secrets())


def test_the_rotated_token_is_saved_before_the_caller_gets_the_access_token(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored(expires_at=1000.0))
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", "rt-2"))
    order: list[str] = []
    original = memory_keyring.set_password

    def recording_set(service: str, username: str, password: str) -> None:
        order.append(f"saved {username}")
        original(service, username, password)

    memory_keyring.set_password = recording_set  # type: ignore[method-assign]
    token = manager(Clock(2000.0)).access_token()
    order.append(f"returned {token}")
    assert order == ["saved @tokens", "returned at-2"]


def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored(expires_at=1500.0))
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", None))
    assert manager(Clock(2000.0)).access_token() == "at-2"
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None and saved[0].refresh_token == "rt-1"


def test_a_short_lived_token_is_not_refreshed_on_every_use(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    five_seconds = TokenSet("at-1", refresh_token="rt-1", expires_at=1005.0, obtained_at=1000.0)
    open_credentials("oauth_crm").require_writer().set_tokens(five_seconds)
    assert manager(Clock(1003.0)).access_token() == "at-1"
    assert httpx_mock.get_requests() == []


def test_force_refresh_refreshes_once_for_parallel_rejections(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored())
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", "rt-2"))
    tokens = manager(Clock(2000.0))
    first = tokens.access_token()
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                tokens.access_token(force_refresh=True, rejected_token=first)
            )
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["at-2"] * 4
    assert len(httpx_mock.get_requests()) == 1
    assert tokens.refresh_count == 1


def test_a_rejected_refresh_token_says_login_again(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored())
    httpx_mock.add_response(
        method="POST", url=TOKEN, status_code=400, json={"error": "invalid_grant"}
    )
    with pytest.raises(AuthError) as caught:
        manager(Clock(2000.0)).access_token(force_refresh=True)
    assert caught.value.exit_code == ExitCode.AUTH
    assert caught.value.hint == "run crmtpl auth login crm.xml again"
    assert "rt-1" not in caught.value.message


def test_expired_without_a_refresh_token(memory_keyring: MemoryKeyring) -> None:
    open_credentials("oauth_crm").require_writer().set_tokens(stored(refresh=None))
    with pytest.raises(AuthError, match="no refresh token is stored"):
        manager(Clock(9999.0)).access_token()


def test_the_client_auth_of_the_login_is_used_for_refreshes(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    tokens = stored(expires_at=1500.0).with_client_auth("basic")
    open_credentials("oauth_crm").require_writer().set_tokens(tokens)
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", "rt-2"))
    manager(Clock(2000.0)).access_token()
    sent = httpx_mock.get_request()
    assert sent is not None and sent.headers["Authorization"].startswith("Basic ")
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None and saved[0].client_auth == "basic"
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-3", "rt-3"))
    manager(Clock(9000.0), client_auth=ClientAuth.POST).access_token()
    again = httpx_mock.get_requests()[-1]
    assert "Authorization" not in again.headers


def test_tokens_from_the_insecure_file_are_refreshed_back_into_it(
    no_keyring: object, httpx_mock: HTTPXMock
) -> None:
    open_credentials("oauth_crm", insecure_storage=True).require_writer().set_tokens(
        stored(expires_at=1500.0)
    )
    httpx_mock.add_response(method="POST", url=TOKEN, json=refresh_answer("at-2", "rt-2"))
    assert manager(Clock(2000.0)).access_token() == "at-2"
    saved = open_credentials("oauth_crm").find_tokens()
    assert saved is not None and saved[1].kind == "file" and saved[0].refresh_token == "rt-2"


BEARER = AuthSettings(
    template_key="bearer_crm",
    template_name="Bearer CRM",
    method="bearertoken",
    token_endpoint=TOKEN + "?grant_type=client_credentials",
    token_refresh_interval="25",
)


def bearer_manager(clock: Clock) -> TokenManager:
    made = token_manager_for(
        BEARER, {}, http=HttpClient(HttpSettings()), renderer=no_render, clock=clock
    )
    assert made is not None
    return made


def test_bearer_tokens_are_fetched_kept_and_fetched_again_when_rejected(
    memory_keyring: MemoryKeyring, httpx_mock: HTTPXMock
) -> None:
    url = TOKEN + "?grant_type=client_credentials"
    httpx_mock.add_response(method="POST", url=url, json={"access_token": "bt-1"})
    httpx_mock.add_response(method="POST", url=url, json={"access_token": "bt-2"})
    clock = Clock(0.0)
    tokens = bearer_manager(clock)
    assert tokens.access_token() == "bt-1"
    clock.now = 60.0
    assert bearer_manager(clock).access_token() == "bt-1"  # stored, still valid
    assert tokens.access_token(force_refresh=True) == "bt-2"
    assert len(httpx_mock.get_requests()) == 2


def test_bearer_tokens_work_without_any_store(no_keyring: object, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", json={"access_token": "bt-1", "expires_in": 60})
    assert bearer_manager(Clock()).access_token() == "bt-1"


def test_none_and_basic_need_no_manager() -> None:
    for method in ("none", "basic"):
        settings = AuthSettings("k", "K", method)
        assert token_manager_for(settings, {}, http=HttpClient()) is None
