"""crmtpl/gallery/halopsa.xml against Prism serving the Halo API description.

The description (tests/servers/prism/specs/src/halopsa/swagger.json, the operations the
template uses) declares no response bodies; our copy adds one example per operation
(PROVENANCE.md): user 42 (Alice Caller), agent 7 (Sally Agent), ticket 1001, call log 55.
The token comes from Halo's authorisation server, which is not in the description, so the
tests give it as the variable ``AccessToken``; Prism checks that every request carries it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "halopsa.xml"
ACCESS_TOKEN = "halo-access-token-0123456789"


@pytest.fixture(scope="module")
def halo(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Halo mock behind a recorder."""
    with PrismRecorder(peer("gallery-halopsa")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/halopsa.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "auth_url": f"{recorder.url}/auth",
        "client_id": "pbx-client",
        "client_secret": "pbx-secret",
        "site_id": "18",
        "tickettype_id": "3",
        "action_outcome": "Phone Call",
        "AccessToken": ACCESS_TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def a_call(tmp_path: Path) -> Path:
    """An answered inbound call of 2 min 5 s from +14155550123 to extension 1001 (agent 7)."""
    return call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "EndTimeUnix": "1764054125",
            "Talk_Duration_Sec": "125",
            "Talk_Duration": "00:02:05",
            "Communication_Type": "Inbound",
            "Call_Status": "Answered",
            "CallDisposition": "ANSWERED",
            "CallerNumber": "+14155550123",
            "CalleeNumber": "1001",
            "CrmId": "7",
            "EnableCallRecording": "0",
        },
    )


def test_enabled_agents_are_listed_as_pbx_users(halo: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(halo, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {
            "UserUniqueId": "7",
            "FirstName": "Sally",
            "LastName": "Agent",
            "Email": "sally@example.com",
        }
    ]
    [agents] = halo.take()
    assert_accepted([agents], count=1)
    assert (agents.method, agents.bare_path) == ("GET", "/api/Agent")
    assert agents.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_lookup_searches_phone_numbers_and_builds_the_popup_url(
    halo: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(halo, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Users"])
    record = only_record(outcome)
    assert record["ContactsId"] == "42"
    assert (record["FirstName"], record["LastName"]) == ("Alice", "Caller")
    assert record["Company"] == "Acme Ltd"
    assert record["MobileNumber"] == "+14155550199"
    assert record["ContactUrl"] == f"{halo.url}/customers?userid=42"
    [search] = halo.take()
    assert_accepted([search], count=1)
    assert search.bare_path == "/api/Users"
    params = search.query
    assert params["search"] == "+14155550123"
    assert params["search_phonenumbers"] == "true"


def test_create_contact_posts_a_user_on_the_configured_site(
    halo: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        halo,
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
    assert only_record(outcome) == {"ContactId": "42"}
    [create] = halo.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/api/Users")
    assert create.json_body == [
        {
            "name": "Alice Caller",
            "firstname": "Alice",
            "surname": "Caller",
            "phonenumber": "+14155550123",
            "site_id": 18,
        }
    ]


def test_call_journal_writes_halos_call_log(halo: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        halo,
        tmp_path,
        "call-journal",
        "--call",
        str(a_call(tmp_path)),
        "--contact-id",
        "42",
        "--contact-type",
        "Users",
    )
    assert_ok(outcome, sent=["CallJournal"])
    assert only_record(outcome) == {"CallId": "55"}
    [logged] = halo.take()
    assert_accepted([logged], count=1)
    assert (logged.method, logged.path) == ("POST", "/api/CallLog")
    [entry] = logged.json_body
    assert (entry["start_date"], entry["end_date"]) == (
        "2025-11-25T07:00:00Z",
        "2025-11-25T07:02:05Z",
    )
    assert (entry["agent_id"], entry["user_id"]) == (7, 42)
    assert (entry["callerid"], entry["diallednumber"]) == ("+14155550123", "1001")


def test_a_ticket_is_opened_for_the_caller_and_the_bound_agent(
    halo: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        halo,
        tmp_path,
        "ticket",
        "--call",
        str(a_call(tmp_path)),
        "--contact-id",
        "42",
        "--contact-type",
        "Users",
    )
    assert_ok(outcome, sent=["CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": "1001"}
    [created] = halo.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/api/Tickets")
    [ticket] = created.json_body
    assert (ticket["user_id"], ticket["agent_id"], ticket["tickettype_id"]) == (42, 7, 3)
    assert ticket["summary"].startswith("Inbound Answered")


def test_update_ticket_adds_a_hidden_action(halo: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(halo, tmp_path, "ticket", "--call", str(a_call(tmp_path)), "--ticket-id", "1001")
    # NeedSyncContact: the caller is looked up first, as the PBX does
    assert_ok(outcome, sent=["Users", "UpdateTicket"])
    lookup, action = halo.take()
    assert_accepted([lookup, action], count=2)
    assert (action.method, action.path) == ("POST", "/api/Actions")
    [body] = action.json_body
    assert (body["ticket_id"], body["who_agentid"]) == (1001, 7)
    assert body["outcome"] == "Phone Call"
    assert body["hiddenfromuser"] is True
