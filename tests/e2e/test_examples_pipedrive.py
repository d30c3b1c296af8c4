"""crmtpl/gallery/pipedrive.xml against Prism serving Pipedrive's own v1 + v2 OpenAPI specs.

Every scenario runs through ``crmtpl run`` with a recorder in front of Prism: the tests
check what the user gets and that Pipedrive's contract accepted every request (2xx, no
request violation). Pipedrive's spec is strict about types and formats: integers for
ids, RFC 3339 date-times for the call log. Prism answers with the spec's examples
(person 1 "Person Name", users 1 John Doe and 2 Jane Doe).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup, http
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "pipedrive.xml"
TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def pipedrive(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Pipedrive mock behind a recorder."""
    with PrismRecorder(peer("pipedrive")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/pipedrive.xml`` aimed at the recorder."""
    recorder.take()
    variables = {"base_url": recorder.url, "api_token": TOKEN}
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_active_users_are_listed_as_pbx_users(pipedrive: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(pipedrive, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    [listing] = pipedrive.take()
    assert_accepted([listing], count=1)
    assert (listing.method, listing.path) == ("GET", "/api/v1/users")
    assert listing.headers["x-api-token"] == TOKEN
    users = pipedrive_users(pipedrive)
    expected = [
        {"UserUniqueId": str(user["id"]), "FirstName": user["name"], "Email": user["email"]}
        for user in users
        if user["active_flag"] is True
    ]
    assert expected, "Prism's example has no active user"
    assert outcome.records == expected


def pipedrive_users(recorder: PrismRecorder) -> list[dict[str, object]]:
    """Prism's example user list, fetched directly (to know what the filter must keep)."""
    reply = http("GET", recorder.upstream + "/api/v1/users", headers={"x-api-token": TOKEN})
    users: list[dict[str, object]] = json.loads(reply.body)["data"]
    return users


def test_lookup_finds_the_person_and_loads_the_details_by_a_next_chain(
    pipedrive: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(pipedrive, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["persons", "GetPerson"])
    record = only_record(outcome)
    assert record["ContactsId"] == "1"
    # first and last name, labelled phones and the address come from GET /persons/1
    assert (record["FirstName"], record["LastName"]) == ("Person", "Name")
    assert record["Email"] == "email1@email.com"
    assert (record["BusinessNumber"], record["HomeNumber"]) == ("12345", "54321")
    assert (record["City"], record["ZipCode"], record["Country"]) == ("Sunnyvale", "94085", "USA")
    assert record["ContactUrl"] == f"{pipedrive.url}/person/1"

    search, detail = pipedrive.take()
    assert_accepted([search, detail], count=2)
    assert search.path == "/api/v2/persons/search?term=%2B14155550123&fields=phone&limit=10"
    assert detail.path == "/api/v2/persons/1"


def test_create_contact_adds_a_person_with_a_work_phone(
    pipedrive: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        pipedrive,
        tmp_path,
        "create-contact",
        "--type",
        "persons",
        "--first-name",
        "Alice",
        "--last-name",
        "Caller",
        "--number",
        "+14155550123",
    )
    assert_ok(outcome, sent=["persons"])
    assert only_record(outcome) == {"ContactId": "1"}
    [create] = pipedrive.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/api/v2/persons")
    assert create.json_body == {
        "name": "Alice Caller",
        "phones": [{"value": "+14155550123", "primary": True, "label": "work"}],
    }


def test_call_journal_writes_a_call_log_pipedrive_accepts(
    pipedrive: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "EndTimeUnix": "1764054125",
            "Talk_Duration_Sec": "125",
            "Talk_Duration": "00:02:05",
            "Communication_Type": "Inbound",
            "CallDisposition": "ANSWERED",
            "Call_Log_Status": "Incoming Call",
            "Call_From": "Alice Caller<+14155550123>",
            "Call_To": "Agent<1001>",
            "CallerNumber": "+14155550123",
            "CalleeNumber": "1001",
            "CrmId": "2",
        },
    )
    outcome = run(
        pipedrive,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        "1",
        "--contact-type",
        "persons",
    )
    assert_ok(outcome, sent=["CallJournal"])
    [logged] = pipedrive.take()
    assert_accepted([logged], count=1)
    assert (logged.method, logged.path) == ("POST", "/api/v1/callLogs")
    body = logged.json_body
    assert (body["person_id"], body["user_id"]) == (1, 2)
    assert (body["start_time"], body["end_time"]) == (
        "2025-11-25T07:00:00Z",
        "2025-11-25T07:02:05Z",
    )
    assert (body["duration"], body["outcome"]) == ("125", "connected")
    # the note is HTML: the display name's <number> must arrive escaped, not as a tag
    assert "Alice Caller&lt;+14155550123&gt;" in body["note"]


def test_the_recorder_sees_what_the_contract_refuses(pipedrive: PrismRecorder) -> None:
    """Control: a call log with a space-separated time (what Pipedrive's prose shows,
    not what its schema allows) is refused and reported as a request violation."""
    pipedrive.take()
    bad = {
        "to_phone_number": "+14155550123",
        "outcome": "connected",
        "start_time": "2025-11-25 07:00:00",
        "end_time": "2025-11-25T07:02:05Z",
    }
    exchange, _ = pipedrive.forward(
        "POST",
        "/api/v1/callLogs",
        {"x-api-token": TOKEN, "content-type": "application/json"},
        json.dumps(bad).encode(),
    )
    assert 400 <= exchange.status < 500
    assert [v["location"] for v in exchange.request_violations] == [
        ["request", "body", "start_time"]
    ]
