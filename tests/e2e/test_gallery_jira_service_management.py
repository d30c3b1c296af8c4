"""crmtpl/gallery/jira-service-management.xml against Prism serving JSM's description.

The description is Atlassian's Service Management REST API as vendored by
ballerina-platform/openapi-connectors; its examples are JSON text, which
``normalize_spec.py`` turns into the documents they spell, so Prism answers with
Atlassian's own examples: requests HELPDESK-1, HELPDESK-2 and SIMPLEDESK-6 reported by
Fred F. User, and HELPDESK-1 for a new request. Every operation is OAuth2-only; the tests
give the access token as the variable ``AccessToken`` (the OAuth login is crmtpl's own,
tested against a real OIDC provider elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "jira-service-management.xml"
ACCESS_TOKEN = "atlassian-access-token-0123456789"
SITE_URL = "https://acme.atlassian.net"
FRED = "qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b"


@pytest.fixture(scope="module")
def jsm(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Jira Service Management mock behind a recorder."""
    with PrismRecorder(peer("gallery-jira-service-management")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/jira-service-management.xml`` at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "site_url": SITE_URL,
        "service_desk_id": "10",
        "request_type_id": "25",
        "client_id": "atlassian-client",
        "client_secret": "atlassian-secret",
        "AccessToken": ACCESS_TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def a_call(tmp_path: Path) -> Path:
    """A missed inbound call from +14155550123."""
    return call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "Communication_Type": "Inbound",
            "Call_Status": "Missed",
            "Call_From": "+14155550123",
            "Call_To": "1001",
            "Talk_Duration": "00:00:00",
            "CallerNumber": "+14155550123",
            "CalleeNumber": "1001",
        },
    )


def test_callers_are_found_through_their_requests(jsm: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(jsm, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Customers"])
    first = outcome.records[0]
    assert first["ContactsId"] == FRED
    assert (first["FirstName"], first["Email"]) == ("Fred F. User", "fred@example.com")
    assert first["Remark"] == "Request JSD help via REST"
    assert first["CustomValue"] == "HELPDESK-1"
    assert first["ContactUrl"] == f"{SITE_URL}/browse/HELPDESK-1"
    [search] = jsm.take()
    assert_accepted([search], count=1)
    assert search.bare_path == "/rest/servicedeskapi/request"
    params = search.query
    assert params["searchTerm"] == "+14155550123"
    assert (params["requestOwnership"], params["serviceDeskId"]) == ("ALL_REQUESTS", "10")
    assert search.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_a_request_is_raised_on_behalf_of_the_caller(jsm: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        jsm,
        tmp_path,
        "ticket",
        "--call",
        str(a_call(tmp_path)),
        "--contact-id",
        FRED,
        "--contact-type",
        "Customers",
    )
    assert_ok(outcome, sent=["CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": "HELPDESK-1"}
    [created] = jsm.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/rest/servicedeskapi/request")
    body = created.json_body
    assert (body["serviceDeskId"], body["requestTypeId"]) == ("10", "25")
    assert body["raiseOnBehalfOf"] == FRED
    summary = body["requestFieldValues"]["summary"]
    assert summary == "Inbound Missed - from +14155550123 to 1001"


def test_update_ticket_adds_an_internal_comment(jsm: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        jsm, tmp_path, "ticket", "--call", str(a_call(tmp_path)), "--ticket-id", "HELPDESK-1"
    )
    # NeedSyncContact: the caller is looked up first, as the PBX does
    assert_ok(outcome, sent=["Customers", "UpdateTicket"])
    lookup, comment = jsm.take()
    assert_accepted([lookup, comment], count=2)
    assert (comment.method, comment.path) == (
        "POST",
        "/rest/servicedeskapi/request/HELPDESK-1/comment",
    )
    assert comment.json_body["public"] is False
    assert comment.json_body["body"].endswith("Inbound Missed - from +14155550123 to 1001 00:00:00")
