"""Smoke tests of the e2e infrastructure: each peer answers and its credentials work.

One real exchange per peer (plus the matching refusal), so that a broken service or
stale credentials show up here rather than as a puzzling failure in a product test.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.peers import PeerLookup, Reply, http

pytestmark = pytest.mark.e2e

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def basic(user: str, password: str) -> dict[str, str]:
    """An ``Authorization: Basic`` header."""
    token = b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def json_of(reply: Reply) -> Any:
    """The reply body as JSON, with the body in the message when it is not."""
    try:
        return json.loads(reply.body)
    except ValueError:
        pytest.fail(f"[{reply.status}] not JSON: {reply.body[:300]!r}")


def test_bottlecrm_personal_access_token_searches_contacts_by_phone(peer: PeerLookup) -> None:
    crm = peer("bottlecrm")
    url = f"{crm['url']}/api/contacts/?phone=15550100"
    reply = http("GET", url, headers={"Authorization": f"Bearer {crm['BOTTLECRM_PAT']}"})
    assert reply.status == 200, reply.body[:300]
    body = json_of(reply)
    assert isinstance(body["results"], list)


def test_bottlecrm_org_api_key_reads_and_no_credentials_is_refused(peer: PeerLookup) -> None:
    crm = peer("bottlecrm")
    url = f"{crm['url']}/api/contacts/?phone=15550100"
    with_key = http("GET", url, headers={"Token": crm["BOTTLECRM_ORG_API_KEY"]})
    assert with_key.status == 200, with_key.body[:300]
    assert http("GET", url).status == 403


def test_rt5_basic_auth_and_token_both_list_queues(peer: PeerLookup) -> None:
    rt = peer("rt5")
    url = f"{rt['url']}/queues/all"
    by_password = http("GET", url, headers=basic(rt["RT_USER"], rt["RT_PASSWORD"]))
    assert by_password.status == 200, by_password.body[:300]
    assert {item["type"] for item in json_of(by_password)["items"]} == {"queue"}
    by_token = http("GET", url, headers={"Authorization": f"token {rt['RT_TOKEN']}"})
    assert by_token.status == 200, by_token.body[:300]
    assert http("GET", url, headers=basic(rt["RT_USER"], "wrong")).status == 401


@dataclass(frozen=True)
class PrismCase:
    """A valid read, and a request the vendor's spec rejects, for one Prism mock."""

    peer: str
    auth: dict[str, str]
    valid_path: str
    invalid_method: str
    invalid_path: str
    invalid_body: dict[str, Any] | None


PRISM_CASES = [
    PrismCase(
        "hubspot",
        {"Authorization": "Bearer pat-na1-test"},
        "/crm/v3/owners?limit=10",
        "POST",
        "/crm/v3/objects/contacts",
        {"props": 1},
    ),
    PrismCase(
        "zoho",
        {"Authorization": "Zoho-oauthtoken 1000.test"},
        "/crm/v8/users?type=ActiveUsers",
        "GET",
        "/crm/v8/users?type=NotAType",
        None,
    ),
    PrismCase(
        "pipedrive",
        {"x-api-token": "0123456789abcdef"},
        "/api/v1/users",
        "POST",
        "/api/v1/callLogs",
        {
            "to_phone_number": "+14155550123",
            "outcome": "connected",
            "start_time": "2026-11-25 07:00:00",
            "end_time": "2026-11-25T07:02:05Z",
        },
    ),
]


def request_violations(reply: Reply) -> list[dict[str, Any]]:
    """The entries of Prism's ``sl-violations`` header that concern the request."""
    violations: list[dict[str, Any]] = json.loads(reply.headers.get("sl-violations", "[]"))
    return [v for v in violations if v["location"][:1] == ["request"]]


@pytest.mark.parametrize("case", PRISM_CASES, ids=lambda case: case.peer)
def test_prism_checks_auth_and_requests_against_the_vendor_spec(
    peer: PeerLookup, case: PrismCase
) -> None:
    base = peer(case.peer)["url"]
    accepted = http("GET", base + case.valid_path, headers={**JSON_HEADERS, **case.auth})
    assert accepted.status == 200, accepted.body[:300]
    # Prism also reports where the vendor's own example breaks its schema ("response"):
    # only "request" violations are about what was sent
    assert request_violations(accepted) == []
    json_of(accepted)

    no_auth = http("GET", base + case.valid_path, headers=JSON_HEADERS)
    assert no_auth.status == 401
    # with a 401 in the spec Prism sends its example and says why in sl-violations;
    # without one it makes up a problem+json of type ...#UNAUTHORIZED
    why = [v["message"] for v in request_violations(no_auth)]
    problem = json_of(no_auth).get("type", "")
    assert why == ["Invalid security scheme used"] or problem.endswith("#UNAUTHORIZED")

    data = json.dumps(case.invalid_body).encode() if case.invalid_body is not None else None
    rejected = http(
        case.invalid_method,
        base + case.invalid_path,
        headers={**JSON_HEADERS, **case.auth},
        data=data,
    )
    assert 400 <= rejected.status < 500, rejected.body[:300]
    assert request_violations(rejected) != []


def client_credentials_token(oidc: dict[str, str], base: str, secret: str) -> Reply:
    """POST /token with grant_type=client_credentials and client_secret_basic."""
    return http(
        "POST",
        f"{base}/token",
        headers={
            **basic(oidc["OIDC_CLIENT_ID"], secret),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        data=b"grant_type=client_credentials&scope=crm",
    )


@pytest.mark.parametrize("name", ["oidc", "oidc_short"])
def test_oidc_discovery_and_client_credentials(peer: PeerLookup, name: str) -> None:
    oidc = peer(name)
    base = oidc["url"]
    discovery = json_of(http("GET", f"{base}/.well-known/openid-configuration"))
    assert discovery["issuer"] == base
    assert discovery["token_endpoint"] == f"{base}/token"
    assert "authorization_code" in discovery["grant_types_supported"]

    granted = client_credentials_token(oidc, base, oidc["OIDC_CLIENT_SECRET"])
    assert granted.status == 200, granted.body[:300]
    token = json_of(granted)
    assert token["token_type"] == "Bearer"
    assert token["access_token"]
    if name == "oidc_short":
        assert token["expires_in"] == int(oidc["OIDC_SHORT_TTL_SECONDS"])
    else:
        assert token["expires_in"] > 60

    refused = client_credentials_token(oidc, base, "not-the-secret")
    assert refused.status == 401
    assert json_of(refused)["error"] == "invalid_client"


def test_oidc_authorization_code_flow_script_gets_a_code_that_the_token_endpoint_takes(
    peer: PeerLookup, peer_scripts: Path
) -> None:
    oidc = peer("oidc")
    script = peer_scripts / "oidc" / "authcode-flow.sh"
    done = subprocess.run(
        ["bash", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "OIDC_URL": oidc["url"],
            "CLIENT_ID": oidc["OIDC_CLIENT_ID"],
            "REDIRECT_URI": oidc["OIDC_REDIRECT_URI"],
        },
    )
    assert done.returncode == 0, done.stderr
    redirect = urllib.parse.urlsplit(done.stdout.strip())
    assert redirect.geturl().startswith(oidc["OIDC_REDIRECT_URI"])
    code = urllib.parse.parse_qs(redirect.query)["code"][0]

    form = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": oidc["OIDC_REDIRECT_URI"],
        }
    ).encode()
    headers = {
        **basic(oidc["OIDC_CLIENT_ID"], oidc["OIDC_CLIENT_SECRET"]),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    exchanged = http("POST", f"{oidc['url']}/token", headers=headers, data=form)
    assert exchanged.status == 200, exchanged.body[:300]
    tokens = json_of(exchanged)
    assert tokens["access_token"]
    assert tokens["refresh_token"]  # the script asks for offline_access
    replayed = http("POST", f"{oidc['url']}/token", headers=headers, data=form)
    assert replayed.status == 400
    assert json_of(replayed)["error"] == "invalid_grant"
