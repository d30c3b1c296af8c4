"""Every auth method: basic, API key, bearer (client credentials) and OAuth2 code + PKCE."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from crmtpl.sandbox.tokens import pkce_s256
from tests.unit.sandbox.conftest import Client, FakeClock

CLIENT = {"client_id": "crmtpl-sandbox", "client_secret": "sandbox-secret"}
REDIRECT = "http://127.0.0.1:9999/callback"


def _basic(text: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(text.encode()).decode()}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- none, basic, API key -----------------------------------------------------------------


def test_none_prefix_needs_nothing(client: Client) -> None:
    assert client.get("/none/api/v1/users").status == 200


@pytest.mark.parametrize(
    "credential", ["demo:demo-password", "sandbox-api-key", "sandbox-api-key:X"]
)
def test_basic_accepts_user_password_and_api_key_forms(client: Client, credential: str) -> None:
    assert client.get("/basic/api/v1/users", headers=_basic(credential)).status == 200


def test_basic_refuses_a_wrong_password_and_no_header(client: Client) -> None:
    wrong = client.get("/basic/api/v1/users", headers=_basic("demo:guess"))
    assert wrong.status == 401
    assert wrong.json()["error"] == "invalid_credentials"
    assert wrong.header("www-authenticate") == 'Basic realm="crmtpl-sandbox"'
    assert client.get("/basic/api/v1/users").json()["error"] == "missing_credentials"


def test_api_key_header(client: Client) -> None:
    ok = client.get("/apikey/api/v1/contacts/1001", headers={"X-Api-Key": "sandbox-api-key"})
    assert ok.status == 200
    wrong = client.get("/apikey/api/v1/contacts/1001", headers={"X-Api-Key": "nope"})
    assert (wrong.status, wrong.json()["error"]) == (401, "invalid_api_key")
    missing = client.get("/apikey/api/v1/contacts/1001")
    assert (missing.status, missing.json()["error"]) == (401, "missing_api_key")


def test_data_is_shared_across_prefixes(client: Client) -> None:
    created = client.post(
        "/apikey/api/v1/contacts",
        json_body={"first_name": "Shared", "phone": "7770001"},
        headers={"X-Api-Key": "sandbox-api-key"},
    ).json()["data"]
    assert created["created_via"] == "apikey"
    found = client.get(
        "/basic/api/v1/contacts/search?phone=7770001", headers=_basic("demo:demo-password")
    )
    assert [c["id"] for c in found.json()["data"]] == [created["id"]]


# -- bearer: client credentials ------------------------------------------------------------


def _client_credentials(client: Client) -> str:
    query = urlencode(CLIENT | {"grant_type": "client_credentials"})
    reply = client.get(f"/bearer/oauth/token?{query}")
    assert reply.status == 200
    body = reply.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert reply.header("cache-control") == "no-store"
    return str(body["access_token"])


def test_bearer_token_from_a_get_with_the_query_the_pbx_sends(client: Client) -> None:
    token = _client_credentials(client)
    assert client.get("/bearer/api/v1/users", headers=_bearer(token)).status == 200


def test_bearer_token_endpoint_takes_post_forms_json_and_basic_client_auth(client: Client) -> None:
    form = client.post("/bearer/oauth/token", form=CLIENT | {"grant_type": "client_credentials"})
    assert form.status == 200
    as_json = client.post(
        "/bearer/oauth/token", json_body=CLIENT | {"grant_type": "client_credentials"}
    )
    assert as_json.status == 200
    basic = client.post(
        "/bearer/oauth/token",
        form={"grant_type": "client_credentials"},
        headers=_basic("crmtpl-sandbox:sandbox-secret"),
    )
    assert basic.status == 200


def test_bearer_token_endpoint_errors_follow_rfc_6749(client: Client) -> None:
    wrong = client.post(
        "/bearer/oauth/token",
        form={
            "grant_type": "client_credentials",
            "client_id": "crmtpl-sandbox",
            "client_secret": "x",
        },
    )
    assert (wrong.status, wrong.json()["error"]) == (401, "invalid_client")
    no_grant = client.post("/bearer/oauth/token", form=CLIENT)
    assert (no_grant.status, no_grant.json()["error"]) == (400, "invalid_request")
    other_grant = client.post("/bearer/oauth/token", form=CLIENT | {"grant_type": "password"})
    assert other_grant.json()["error"] == "unsupported_grant_type"


def test_expired_bearer_token_is_answered_so_a_token_error_map_sees_it(
    client: Client, clock: FakeClock
) -> None:
    token = _client_credentials(client)
    clock.advance(301)
    expired = client.get("/bearer/api/v1/users", headers=_bearer(token))
    assert expired.status == 401
    assert expired.json()["error"] == "invalid_token"
    assert "invalid_token" in expired.text
    assert 'error="invalid_token"' in (expired.header("www-authenticate") or "")
    fresh = _client_credentials(client)
    assert client.get("/bearer/api/v1/users", headers=_bearer(fresh)).status == 200


def test_token_ttl_of_one_second(tmp_path_factory: pytest.TempPathFactory) -> None:
    from crmtpl.sandbox import SandboxServer

    clock = FakeClock()
    data = tmp_path_factory.mktemp("ttl")
    with SandboxServer(port=0, data_dir=data, token_ttl=1, clock=clock) as sandbox:
        client = Client(sandbox.url)
        token = _client_credentials_with_ttl(client, 1)
        assert client.get("/bearer/api/v1/users", headers=_bearer(token)).status == 200
        clock.advance(1)
        assert client.get("/bearer/api/v1/users", headers=_bearer(token)).status == 401


def _client_credentials_with_ttl(client: Client, ttl: int) -> str:
    reply = client.post("/bearer/oauth/token", form=CLIENT | {"grant_type": "client_credentials"})
    assert reply.json()["expires_in"] == ttl
    return str(reply.json()["access_token"])


def test_invalid_or_missing_bearer_tokens(client: Client) -> None:
    invalid = client.get("/bearer/api/v1/users", headers=_bearer("made-up"))
    assert invalid.status == 401
    assert invalid.json() == {
        "error": "invalid_token",
        "message": "the access token is not one this sandbox issued",
    }
    missing = client.get("/bearer/api/v1/users")
    assert (missing.status, missing.json()["error"]) == (401, "missing_token")


def test_a_token_works_only_under_the_prefix_of_its_flow(client: Client) -> None:
    token = _client_credentials(client)
    refused = client.get("/oauth/api/v1/users", headers=_bearer(token))
    assert refused.status == 401
    assert "/bearer/oauth/token" in refused.json()["message"]


# -- OAuth2 authorization code with PKCE ---------------------------------------------------


def _authorize(
    client: Client, *, verifier: str | None, method: str = "S256", state: str = "xyz"
) -> str:
    params = {
        "response_type": "code",
        "client_id": "crmtpl-sandbox",
        "redirect_uri": REDIRECT,
        "scope": "contacts.read,calls.write",
        "state": state,
    }
    if verifier is not None:
        challenge = pkce_s256(verifier) if method == "S256" else verifier
        params |= {"code_challenge": challenge, "code_challenge_method": method}
    page = client.get("/oauth/authorize?" + urlencode(params))
    assert page.status == 200
    assert "Approve" in page.text
    assert "contacts.read,calls.write" in page.text
    approved = client.post("/oauth/authorize", form=params | {"decision": "approve"})
    assert approved.status == 302
    location = approved.header("location") or ""
    assert location.startswith(REDIRECT + "?")
    answer = parse_qs(urlsplit(location).query)
    assert answer["state"] == [state]
    return answer["code"][0]


def _exchange(client: Client, code: str, verifier: str | None, **extra: str) -> dict[str, object]:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT} | extra
    if verifier is not None:
        form["code_verifier"] = verifier
    reply = client.post("/oauth/token", form=form, headers=_basic("crmtpl-sandbox:sandbox-secret"))
    assert reply.status == 200, reply.text
    return dict(reply.json())


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_authorization_code_flow_with_pkce(client: Client, method: str) -> None:
    verifier = secrets.token_urlsafe(48)
    code = _authorize(client, verifier=verifier, method=method)
    tokens = _exchange(client, code, verifier)
    assert tokens["token_type"] == "Bearer"
    assert tokens["scope"] == "contacts.read,calls.write"
    assert str(tokens["refresh_token"]).startswith("sbx_rt_")
    users = client.get("/oauth/api/v1/users", headers=_bearer(str(tokens["access_token"])))
    assert users.status == 200


def test_code_exchange_with_client_secret_post(client: Client) -> None:
    verifier = secrets.token_urlsafe(48)
    code = _authorize(client, verifier=verifier)
    reply = client.post(
        "/oauth/token",
        form=CLIENT
        | {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
    )
    assert reply.status == 200


def test_code_exchange_refuses_a_wrong_verifier_a_replay_and_another_redirect(
    client: Client,
) -> None:
    verifier = secrets.token_urlsafe(48)
    code = _authorize(client, verifier=verifier)
    basic = _basic("crmtpl-sandbox:sandbox-secret")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong = client.post("/oauth/token", form=form | {"code_verifier": "x" * 43}, headers=basic)
    assert (wrong.status, wrong.json()["error"]) == (400, "invalid_grant")
    replay = client.post("/oauth/token", form=form | {"code_verifier": verifier}, headers=basic)
    assert replay.json()["error"] == "invalid_grant"
    assert "already used" in replay.json()["error_description"]
    other = _authorize(client, verifier=verifier)
    moved = client.post(
        "/oauth/token",
        form=form | {"code": other, "code_verifier": verifier, "redirect_uri": REDIRECT + "2"},
        headers=basic,
    )
    assert moved.json()["error"] == "invalid_grant"
    no_verifier = _authorize(client, verifier=verifier)
    missing = client.post("/oauth/token", form=form | {"code": no_verifier}, headers=basic)
    assert "code_verifier is required" in missing.json()["error_description"]


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_login(
    client: Client, clock: FakeClock
) -> None:
    verifier = secrets.token_urlsafe(48)
    first = _exchange(client, _authorize(client, verifier=verifier), verifier)
    clock.advance(301)
    expired = client.get("/oauth/api/v1/users", headers=_bearer(str(first["access_token"])))
    assert expired.json()["error"] == "invalid_token"
    basic = _basic("crmtpl-sandbox:sandbox-secret")
    refresh = {"grant_type": "refresh_token", "refresh_token": str(first["refresh_token"])}
    second = client.post("/oauth/token", form=refresh, headers=basic)
    assert second.status == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert client.get("/oauth/api/v1/users", headers=_bearer(rotated["access_token"])).status == 200
    reused = client.post("/oauth/token", form=refresh, headers=basic)
    assert (reused.status, reused.json()["error"]) == (400, "invalid_grant")
    assert "already used" in reused.json()["error_description"]
    revoked = client.get("/oauth/api/v1/users", headers=_bearer(rotated["access_token"]))
    assert revoked.json() == {"error": "invalid_token", "message": "the access token was revoked"}
    newest = {"grant_type": "refresh_token", "refresh_token": rotated["refresh_token"]}
    assert (
        client.post("/oauth/token", form=newest, headers=basic).json()["error"] == "invalid_grant"
    )


def test_authorize_deny_and_bad_requests(client: Client) -> None:
    params = {
        "response_type": "code",
        "client_id": "crmtpl-sandbox",
        "redirect_uri": REDIRECT,
        "state": "s1",
    }
    denied = client.post("/oauth/authorize", form=params | {"decision": "deny"})
    assert denied.status == 302
    assert parse_qs(urlsplit(denied.header("location") or "").query)["error"] == ["access_denied"]
    unknown_client = client.get("/oauth/authorize?" + urlencode(params | {"client_id": "x"}))
    assert unknown_client.status == 400
    assert "unknown client_id" in unknown_client.text
    no_redirect = client.get("/oauth/authorize?" + urlencode(params | {"redirect_uri": ""}))
    assert no_redirect.status == 400
    token = client.get("/oauth/authorize?" + urlencode(params | {"response_type": "token"}))
    assert token.status == 302
    assert "unsupported_response_type" in (token.header("location") or "")
    bad_method = client.get(
        "/oauth/authorize?"
        + urlencode(params | {"code_challenge": "a" * 43, "code_challenge_method": "S512"})
    )
    assert "invalid_request" in (bad_method.header("location") or "")


def test_authorize_endpoint_may_carry_client_id_twice_with_one_value(client: Client) -> None:
    query = "client_id=crmtpl-sandbox&" + urlencode(
        {"client_id": "crmtpl-sandbox", "response_type": "code", "redirect_uri": REDIRECT}
    )
    assert client.get(f"/oauth/authorize?{query}").status == 200
