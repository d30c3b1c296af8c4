"""OAuth2 on the wire: the authorization URL, PKCE, the redirect, token exchange and refresh."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest
from pytest_httpx import HTTPXMock

from crmtpl.creds.bearer import fetch_bearer_token
from crmtpl.creds.oauth import (
    AuthorizationRequest,
    ClientAuth,
    OAuthClient,
    TokenEndpoint,
    build_authorization_request,
    check_authorization_url,
    code_from_redirect,
    new_pkce,
    pkce_challenge,
)
from crmtpl.creds.tokenbasics import BearerMethod
from crmtpl.errors import AuthError, ExitCode, NetworkError
from crmtpl.http import HttpClient, HttpSettings
from crmtpl.secrets import redact_url

AUTH = "https://login.example.test/authorize"
TOKEN = "https://login.example.test/token"
REDIRECT = "http://127.0.0.1:9999/callback"
SECRET = "client-secret-0123456789"


def http() -> HttpClient:
    return HttpClient(HttpSettings(max_retries=0), sleep=lambda _: None)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def form(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode()))


# -- the authorization URL -----------------------------------------------------------------


def test_pkce_challenge_is_the_rfc_7636_example() -> None:
    # RFC 7636 appendix B
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    pair = new_pkce()
    assert 43 <= len(pair.verifier) <= 128
    digest = hashlib.sha256(pair.verifier.encode()).digest()
    assert pair.challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert pair.verifier not in repr(pair)


def test_authorization_url_has_the_standard_parameters() -> None:
    request = build_authorization_request(
        AUTH, client_id="cid", redirect_uri=REDIRECT, scope="contacts.read,contacts.write"
    )
    params = query(request.url)
    assert request.url.startswith(AUTH + "?")
    assert params["response_type"] == ["code"]
    assert params["client_id"] == ["cid"]
    assert params["redirect_uri"] == [REDIRECT]
    assert params["scope"] == ["contacts.read,contacts.write"]  # as written in the template
    assert params["state"] == [request.state] and len(request.state) >= 32
    assert params["code_challenge_method"] == ["S256"]
    assert request.code_verifier is not None
    assert params["code_challenge"] == [pkce_challenge(request.code_verifier)]
    assert "%20" not in request.url
    spaced = build_authorization_request(AUTH, client_id="c", redirect_uri=REDIRECT, scope="a b")
    assert "scope=a%20b" in spaced.url


def test_each_login_gets_a_fresh_state_and_verifier() -> None:
    one = build_authorization_request(AUTH, client_id="c", redirect_uri=REDIRECT)
    two = build_authorization_request(AUTH, client_id="c", redirect_uri=REDIRECT)
    assert one.state != two.state and one.code_verifier != two.code_verifier


def test_parameters_the_template_carries_are_not_added_twice() -> None:
    request = build_authorization_request(
        AUTH + "?client_id=from-endpoint&prompt=consent",
        client_id="from-field",
        redirect_uri=REDIRECT,
        scope="crm",
        additional_query=f"redirect_uri={REDIRECT}&access_type=offline&scope=other",
    )
    pairs = parse_qsl(urlsplit(request.url).query)
    names = [name for name, _ in pairs]
    assert names.count("client_id") == 1 and names.count("redirect_uri") == 1
    assert names.count("scope") == 1
    params = dict(pairs)
    assert params["client_id"] == "from-endpoint"
    assert request.client_id == "from-endpoint"
    assert params["scope"] == "other"
    assert params["access_type"] == "offline" and params["prompt"] == "consent"
    assert request.template_redirect_uri == REDIRECT


def test_no_pkce_on_request_and_no_client_id_is_an_error() -> None:
    plain = build_authorization_request(AUTH, client_id="c", redirect_uri=REDIRECT, use_pkce=False)
    assert "code_challenge" not in plain.url and plain.code_verifier is None
    with pytest.raises(AuthError, match="no OAuth2 client id"):
        build_authorization_request(AUTH, client_id=None, redirect_uri=REDIRECT)
    with pytest.raises(AuthError, match="does not render to an http"):
        build_authorization_request("<no value>/auth", client_id="c", redirect_uri=REDIRECT)


# -- the redirect --------------------------------------------------------------------------


def test_code_from_redirect_checks_the_state() -> None:
    url = f"{REDIRECT}?code=abc&state=st-1&iss=https%3A%2F%2Flogin"
    assert code_from_redirect(url, "st-1") == "abc"
    assert code_from_redirect("?code=abc&state=st-1", "st-1") == "abc"
    assert code_from_redirect("code=abc&state=st-1", "st-1") == "abc"
    with pytest.raises(AuthError, match="state mismatch") as caught:
        code_from_redirect(f"{REDIRECT}?code=abc&state=forged", "st-1")
    assert caught.value.exit_code == ExitCode.AUTH
    with pytest.raises(AuthError, match="no state"):
        code_from_redirect(f"{REDIRECT}?code=abc", "st-1")
    with pytest.raises(AuthError, match="no authorization code"):
        code_from_redirect(f"{REDIRECT}?state=st-1", "st-1")


def test_an_error_redirect_says_what_the_server_said() -> None:
    with pytest.raises(AuthError) as caught:
        code_from_redirect(
            f"{REDIRECT}?error=access_denied&error_description=User+declined&state=s", "s"
        )
    assert "access_denied: User declined" in caught.value.message
    assert "approve" in (caught.value.hint or "")


# -- the token endpoint --------------------------------------------------------------------

TOKENS = {
    "access_token": "at-abcdef123456",
    "refresh_token": "rt-abcdef123456",
    "expires_in": 3600,
    "token_type": "bearer",
    "scope": "crm",
}


def exchange(client_auth: ClientAuth, url: str = TOKEN) -> OAuthClient:
    return OAuthClient(TokenEndpoint(url, "cid", SECRET, client_auth), http(), clock=lambda: 1000.0)


def test_code_exchange_posts_the_rfc_6749_form_with_client_secret_post(
    httpx_mock: HTTPXMock,
) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json=TOKENS)
    tokens = exchange(ClientAuth.POST).exchange_code(
        "the-code", redirect_uri=REDIRECT, code_verifier="the-verifier"
    )
    sent = httpx_mock.get_request()
    assert sent is not None
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in sent.headers
    assert form(sent) == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": REDIRECT,
        "code_verifier": "the-verifier",
        "client_id": "cid",
        "client_secret": SECRET,
    }
    assert tokens.access_token == "at-abcdef123456"
    assert tokens.refresh_token == "rt-abcdef123456"
    assert tokens.expires_at == 4600.0 and tokens.obtained_at == 1000.0
    assert tokens.token_type == "Bearer" and tokens.scope == "crm"


def test_client_secret_basic(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json=TOKENS)
    exchange(ClientAuth.BASIC).refresh("rt-old")
    sent = httpx_mock.get_request()
    assert sent is not None
    expected = base64.b64encode(f"cid:{SECRET}".encode()).decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"
    assert form(sent) == {"grant_type": "refresh_token", "refresh_token": "rt-old"}


def test_client_credentials_in_the_query_as_the_spec_example_writes_them(
    httpx_mock: HTTPXMock,
) -> None:
    httpx_mock.add_response(method="POST", json=TOKENS)
    exchange(ClientAuth.QUERY, TOKEN + "?client_id=cid").refresh("rt-old")
    sent = httpx_mock.get_request()
    assert sent is not None
    params = query(str(sent.url))
    assert params == {"client_id": ["cid"], "client_secret": [SECRET]}
    assert form(sent) == {"grant_type": "refresh_token", "refresh_token": "rt-old"}


def test_a_public_client_only_names_itself(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json=TOKENS)
    OAuthClient(TokenEndpoint(TOKEN, "cid", None, ClientAuth.BASIC), http()).refresh("rt")
    sent = httpx_mock.get_request()
    assert sent is not None and "Authorization" not in sent.headers
    assert form(sent)["client_id"] == "cid"


def secrets_absent(problem: BaseException, *values: str) -> None:
    text = str(problem) + " " + str(getattr(problem, "hint", ""))
    for value in values:
        assert value not in text


def test_invalid_client_is_exit_5_naming_the_client_auth_mode(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST",
        url=TOKEN,
        status_code=401,
        json={"error": "invalid_client", "error_description": "client authentication failed"},
    )
    with pytest.raises(AuthError) as caught:
        exchange(ClientAuth.POST).exchange_code("the-code-xyz", redirect_uri=REDIRECT)
    problem = caught.value
    assert problem.exit_code == ExitCode.AUTH
    assert "rejected the client credentials" in problem.message
    assert "invalid_client, client authentication failed" in problem.message
    assert "--client-auth post" in (problem.hint or "")
    secrets_absent(problem, SECRET, "the-code-xyz")


def test_replayed_code_and_reused_refresh_token_say_login_again(httpx_mock: HTTPXMock) -> None:
    refused = {"error": "invalid_grant", "error_description": "grant request is invalid"}
    httpx_mock.add_response(method="POST", url=TOKEN, status_code=400, json=refused)
    httpx_mock.add_response(method="POST", url=TOKEN, status_code=400, json=refused)
    client = exchange(ClientAuth.POST)
    client.login_command = "crmtpl auth login crm.xml"
    with pytest.raises(AuthError) as code_problem:
        client.exchange_code("used-code-123", redirect_uri=REDIRECT)
    assert "authorization code was rejected" in code_problem.value.message
    assert code_problem.value.hint == "run crmtpl auth login crm.xml again"
    with pytest.raises(AuthError) as refresh_problem:
        client.refresh("rt-rotated-away")
    assert "refresh token was rejected" in refresh_problem.value.message
    assert "used already" in refresh_problem.value.message
    assert refresh_problem.value.hint == "run crmtpl auth login crm.xml again"
    secrets_absent(refresh_problem.value, "rt-rotated-away", SECRET)


def test_redirect_uri_mismatch_at_the_token_endpoint(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST",
        url=TOKEN,
        status_code=400,
        json={"error": "redirect_uri_mismatch", "error_description": "bad redirect"},
    )
    with pytest.raises(AuthError, match="rejected the redirect URI") as caught:
        exchange(ClientAuth.POST).exchange_code("c0de-1234", redirect_uri=REDIRECT)
    assert "--redirect-uri" in (caught.value.hint or "")


def test_a_token_endpoint_answering_html_is_a_clear_auth_error(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST",
        url=TOKEN + "?client_secret=" + SECRET,
        status_code=200,
        html="<html><body>Sign in to continue</body></html>",
    )
    with pytest.raises(AuthError) as caught:
        exchange(ClientAuth.POST, TOKEN + "?client_secret=" + SECRET).refresh("rt-123456")
    problem = caught.value
    assert "not JSON" in problem.message and "text/html" in problem.message
    assert "Sign in to continue" in problem.message
    assert "client_secret=********" in problem.message
    secrets_absent(problem, SECRET, "rt-123456")


def test_an_answer_without_an_access_token_lists_field_names_only(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN, json={"jwt": "eyJ-secret", "ok": True})
    with pytest.raises(AuthError, match=r"fields in the answer: jwt, ok") as caught:
        exchange(ClientAuth.POST).refresh("rt-123456")
    secrets_absent(caught.value, "eyJ-secret")


def test_a_network_failure_does_not_print_the_secret_in_the_url(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("connection refused"))
    with pytest.raises(NetworkError) as caught:
        exchange(ClientAuth.QUERY).refresh("rt-123456")
    assert caught.value.exit_code == ExitCode.NETWORK
    assert "client_secret=********" in caught.value.message
    secrets_absent(caught.value, SECRET)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_form_encoded_token_answers_are_accepted(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST",
        url=TOKEN,
        text="access_token=at-form-123&token_type=bearer",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert exchange(ClientAuth.POST).refresh("rt").access_token == "at-form-123"


# -- bearer tokens ---------------------------------------------------------------------------


def test_bearer_token_is_posted_to_the_rendered_url_as_is(httpx_mock: HTTPXMock) -> None:
    url = f"{TOKEN}?client_id=cid&client_secret={SECRET}&grant_type=client_credentials"
    httpx_mock.add_response(method="POST", url=url, json={"accessToken": "bt-123456"})
    tokens = fetch_bearer_token(url, http=http(), refresh_interval_minutes=25, clock=lambda: 0.0)
    sent = httpx_mock.get_request()
    assert sent is not None and sent.content == b""
    assert tokens.access_token == "bt-123456"
    assert tokens.expires_at == 25 * 60  # TokenRefreshInterval minutes, no expires_in
    assert tokens.method == "bearertoken"


def test_bearer_token_by_get_and_expires_in_wins(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", url=TOKEN, json={"token": "bt-1", "expires_in": "90"})
    tokens = fetch_bearer_token(
        TOKEN, http=http(), method=BearerMethod.GET, refresh_interval_minutes=25, clock=lambda: 0
    )
    assert tokens.access_token == "bt-1" and tokens.expires_at == 90


def test_bearer_token_refusal_masks_the_url_secret(httpx_mock: HTTPXMock) -> None:
    url = f"{TOKEN}?key={SECRET}"
    httpx_mock.add_response(method="POST", url=url, status_code=403, json={"message": "nope"})
    with pytest.raises(AuthError, match="refused to issue a bearer token") as caught:
        fetch_bearer_token(url, http=http(), secrets=[SECRET])
    secrets_absent(caught.value, SECRET)


# -- the pre-check of the authorization URL ----------------------------------------------------


def test_precheck_reports_an_unregistered_redirect_uri(httpx_mock: HTTPXMock) -> None:
    page = (
        "<html><head><style>h1{x:y}</style></head><body><h1>oops! something went wrong</h1>"
        "<pre><strong>error</strong>: invalid_redirect_uri</pre><pre><strong>"
        "error_description</strong>: redirect_uri did not match any of the client&#39;s "
        "registered redirect_uris</pre><pre><strong>iss</strong>: https://x</pre></body></html>"
    )
    request = build_authorization_request(AUTH, client_id="c", redirect_uri=REDIRECT)
    httpx_mock.add_response(url=request.url, status_code=400, html=page)
    with pytest.raises(AuthError) as caught:
        check_authorization_url(request, http())
    message = caught.value.message
    assert "refused the login request (HTTP 400" in message
    assert "invalid_redirect_uri" in message
    assert "client's registered redirect_uris" in message
    assert f"register {REDIRECT}" in (caught.value.hint or "")


def test_precheck_lets_a_login_page_and_network_trouble_pass(httpx_mock: HTTPXMock) -> None:
    request = AuthorizationRequest(AUTH + "?x=1", "st", REDIRECT, "c")
    httpx_mock.add_response(url=request.url, html="<form>login</form>")
    check_authorization_url(request, http())
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=request.url)
    check_authorization_url(request, http())


def test_redact_url_masks_credentials_only() -> None:
    url = "https://u:pw@x.test/t?client_id=abc&client_secret=s3&code=c0&refresh_token=r&a=1"
    assert redact_url(url) == (
        "https://u:********@x.test/t?client_id=abc&client_secret=********&code=********"
        "&refresh_token=********&a=1"
    )
    assert json.dumps(redact_url("https://x.test/")) == '"https://x.test/"'
