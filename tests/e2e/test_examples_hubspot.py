"""crmtpl/gallery/hubspot.xml against Prism serving HubSpot's own CRM v3 OpenAPI specs.

Every scenario runs through ``crmtpl run``; a recorder in front of Prism keeps what was
sent, so each test checks both what a user sees (records, exit code) and that HubSpot's
contract accepted every request: 2xx and no request violation in ``sl-violations``.
Prism is stateless and answers with the spec's examples (contact and call id 512,
owner 6166860 John Smith).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "hubspot.xml"
TOKEN = "pat-na1-00000000-1111-2222-3333-444444444444"
PORTAL_ID = "9876543"
APP_URL = "https://app.hubspot.com"


@pytest.fixture(scope="module")
def hubspot(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The HubSpot mock behind a recorder."""
    with PrismRecorder(peer("hubspot")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/hubspot.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "app_url": APP_URL,
        "portal_id": PORTAL_ID,
        "access_token": TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_owners_are_listed_as_pbx_users(hubspot: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(hubspot, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {
            "UserUniqueId": "6166860",
            "FirstName": "John",
            "LastName": "Smith",
            "Email": "jsmith@example.com",
        }
    ]
    [owners] = hubspot.take()
    assert_accepted([owners], count=1)
    assert (owners.method, owners.path) == ("GET", "/crm/v3/owners?limit=100&archived=false")
    assert owners.headers["authorization"] == f"Bearer {TOKEN}"


def test_lookup_posts_a_search_hubspot_accepts_and_builds_the_popup_url(
    hubspot: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(hubspot, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["contacts"])
    record = only_record(outcome)
    assert record["ContactsId"] == "512"
    assert record["ContactSyncType"] == "contacts"
    assert record["ContactUrl"] == f"{APP_URL}/contacts/{PORTAL_ID}/record/0-1/512"

    [search] = hubspot.take()
    assert_accepted([search], count=1)
    assert (search.method, search.path) == ("POST", "/crm/v3/objects/contacts/search")
    body = search.json_body
    searched = [
        (f["propertyName"], f["operator"], f["value"])
        for group in body["filterGroups"]
        for f in group["filters"]
    ]
    assert searched == [("phone", "EQ", "+14155550123"), ("mobilephone", "EQ", "+14155550123")]
    assert {"firstname", "lastname", "phone", "mobilephone"} <= set(body["properties"])


def test_create_contact_sends_the_caller_as_properties(
    hubspot: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        hubspot,
        tmp_path,
        "create-contact",
        "--type",
        "contacts",
        "--first-name",
        "Alice",
        "--last-name",
        "Caller",
        "--number",
        "+14155550123",
    )
    assert_ok(outcome, sent=["contacts"])
    assert only_record(outcome) == {"ContactId": "512"}
    [create] = hubspot.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/crm/v3/objects/contacts")
    assert create.json_body == {
        "properties": {"firstname": "Alice", "lastname": "Caller", "phone": "+14155550123"}
    }


def test_call_journal_logs_a_call_engagement_on_the_contact(
    hubspot: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "EndTimeUnix": "1764054125",
            "Talk_Duration_Sec": "125",
            "Talk_Duration": "00:02:05",
            "Communication_Type": "Outbound",
            "CallDisposition": "BUSY",
            "CallerNumber": "1001",
            "CalleeNumber": "+14155550123",
            "CrmId": "6166860",
            "EnableCallRecording": "0",
        },
    )
    outcome = run(
        hubspot,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        "512",
        "--contact-type",
        "contacts",
    )
    assert_ok(outcome, sent=["CallJournal"])
    assert only_record(outcome) == {"CallId": "512"}
    [logged] = hubspot.take()
    assert_accepted([logged], count=1)
    assert (logged.method, logged.path) == ("POST", "/crm/v3/objects/calls")
    body = logged.json_body
    properties = body["properties"]
    assert properties["hs_timestamp"] == "1764054000000"
    assert properties["hs_call_duration"] == "125000"
    assert properties["hs_call_direction"] == "OUTBOUND"
    assert properties["hs_call_status"] == "BUSY"
    assert properties["hs_call_to_number"] == "+14155550123"
    assert properties["hubspot_owner_id"] == "6166860"
    assert "hs_call_recording_url" not in properties
    assert body["associations"] == [
        {
            "to": {"id": "512"},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}],
        }
    ]
