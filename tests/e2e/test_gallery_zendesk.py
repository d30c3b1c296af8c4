"""crmtpl/gallery/zendesk.xml against Prism serving Zendesk Support's OpenAPI description.

Every scenario runs through ``crmtpl run``; a recorder in front of Prism keeps what was
sent, so each test checks both what a user sees (records, ticket ids) and that Zendesk's
contract accepted every request: 2xx and no request violation in ``sl-violations``.
Prism is stateless and answers with the description's examples: the phone search finds
Robert Jones (35436, notes "sigil issue") and Terry Gilliam (9873843), a created user is
9873843, the agents are Johnny Agent (223443) and James A. Rosen (8678530), and a created
or updated ticket is 35436.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "zendesk.xml"
EMAIL = "agent@example.com"
API_TOKEN = "zd-token-0123456789abcdef0123456789abcdef"
#: Zendesk's API-token form of HTTP Basic: "<e-mail>/token:<token>".
BASIC = "Basic " + base64.b64encode(f"{EMAIL}/token:{API_TOKEN}".encode()).decode()


@pytest.fixture(scope="module")
def zendesk(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Zendesk mock behind a recorder."""
    with PrismRecorder(peer("gallery-zendesk")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/zendesk.xml`` aimed at the recorder."""
    recorder.take()
    variables = {"base_url": recorder.url, "email": EMAIL, "api_token": API_TOKEN}
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_agents_and_admins_are_listed_as_pbx_users(zendesk: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(zendesk, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert [(r["UserUniqueId"], r["FirstName"]) for r in outcome.records] == [
        ("223443", "Johnny Agent"),
        ("8678530", "James A. Rosen"),
    ]
    [users] = zendesk.take()
    assert_accepted([users], count=1)
    assert (users.method, users.path) == (
        "GET",
        "/api/v2/users?role%5B%5D=agent&role%5B%5D=admin&per_page=100",
    )
    assert users.headers["authorization"] == BASIC


def test_lookup_searches_users_by_phone_and_opens_the_agent_page(
    zendesk: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(zendesk, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Users"])
    first, second = outcome.records
    assert (first["ContactsId"], first["FirstName"], first["Remark"]) == (
        "35436",
        "Robert Jones",
        "sigil issue",
    )
    assert first["ContactSyncType"] == "Users"
    assert first["ContactUrl"] == f"{zendesk.url}/agent/users/35436"
    assert (second["ContactsId"], second["FirstName"]) == ("9873843", "Terry Gilliam")

    [search] = zendesk.take()
    assert_accepted([search], count=1)
    assert (search.method, search.path) == (
        "GET",
        "/api/v2/users/search?query=phone:%2B14155550123",
    )
    assert search.headers["authorization"] == BASIC


def test_create_contact_makes_an_end_user_with_the_number(
    zendesk: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        zendesk,
        tmp_path,
        "create-contact",
        "--type",
        "Users",
        "--first-name",
        "Alice",
        "--last-name",
        "Caller",
        "--number",
        "+14155550123",
    )
    assert_ok(outcome, sent=["Users"])
    assert only_record(outcome) == {"ContactId": "9873843"}
    [create] = zendesk.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/api/v2/users")
    assert create.json_body == {
        "user": {"name": "Alice Caller", "phone": "+14155550123", "role": "end-user"}
    }


def test_a_ticket_is_opened_for_the_caller_and_assigned_to_the_bound_agent(
    zendesk: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "Communication_Type": "Inbound",
            "Call_Status": "Missed",
            "Call_From": "Robert Jones<+14155550123>",
            "Call_To": "Johnny Agent<1001>",
            "CrmId": "223443",
        },
    )
    outcome = run(
        zendesk,
        tmp_path,
        "ticket",
        "--call",
        str(call),
        "--contact-id",
        "35436",
        "--contact-type",
        "Users",
    )
    assert_ok(outcome, sent=["CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": "35436"}
    [created] = zendesk.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/api/v2/tickets")
    ticket = created.json_body["ticket"]
    assert (
        ticket["subject"]
        == "Inbound Missed - from Robert Jones<+14155550123> to Johnny Agent<1001>"
    )
    assert ticket["requester_id"] == 35436
    assert ticket["assignee_id"] == 223443
    assert ticket["tags"] == ["pbx_call"]
    assert ticket["comment"]["public"] is False
    assert "Inbound Missed" in ticket["comment"]["body"]


def test_an_unbound_extension_and_unknown_caller_leave_out_the_ids(
    zendesk: PrismRecorder, tmp_path: Path
) -> None:
    # --var wins over the lookup: the PBX found no contact and the extension has no agent
    outcome = run(zendesk, tmp_path, "ticket", "--var", "ContactId=", "--var", "CrmId=")
    assert_ok(outcome, sent=["Users", "CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": "35436"}
    search, created = zendesk.take()
    assert_accepted([search, created], count=2)
    assert (created.method, created.path) == ("POST", "/api/v2/tickets")
    ticket = created.json_body["ticket"]
    assert "requester_id" not in ticket and "assignee_id" not in ticket


def test_update_ticket_adds_the_call_as_an_internal_note(
    zendesk: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(tmp_path, "call", {"Call_Status": "Answered", "CrmId": "223443"})
    outcome = run(
        zendesk,
        tmp_path,
        "ticket",
        "--call",
        str(call),
        "--ticket-id",
        "35436",
        "--contact-id",
        "35436",
        "--contact-type",
        "Users",
    )
    assert_ok(outcome, sent=["UpdateTicket"])
    [updated] = zendesk.take()
    assert_accepted([updated], count=1)
    assert (updated.method, updated.path) == ("PUT", "/api/v2/tickets/35436")
    comment = updated.json_body["ticket"]["comment"]
    assert comment["public"] is False
    assert "Answered" in comment["body"]
