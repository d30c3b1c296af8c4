"""crmtpl/gallery/suitecrm.xml against Prism serving SuiteCRM's own API v8 description.

SuiteCRM's description (tests/servers/prism/specs/src/suitecrm/swagger.json) has no
response bodies; our copy adds one example per operation used (PROVENANCE.md), so Prism
answers every collection with the contact b13a39f8-... (Alice Caller) and every creation
with the record 86ee02b3-.... The token comes from SuiteCRM's /Api/access_token, which is
not in the description, so the tests give it as the variable ``AccessToken`` (what
``CRMTPL_VAR_AccessToken`` does); Prism checks that every request carries it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "suitecrm.xml"
ACCESS_TOKEN = "suitecrm-access-token-0123456789"
CONTACT_ID = "b13a39f8-1c24-c5d0-ba0d-5ab123d6e899"
CREATED_ID = "86ee02b3-96d2-47b3-bd6d-9e1035daff3a"
JSON_API = "application/vnd.api+json"


@pytest.fixture(scope="module")
def suitecrm(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The SuiteCRM mock behind a recorder."""
    with PrismRecorder(peer("gallery-suitecrm")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/suitecrm.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "client_id": "pbx-client",
        "client_secret": "pbx-secret",
        "AccessToken": ACCESS_TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_active_users_are_listed_as_pbx_users(suitecrm: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(suitecrm, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {
            "UserUniqueId": CONTACT_ID,
            "FirstName": "Alice",
            "LastName": "Caller",
            "Email": "alice.caller@example.com",
        }
    ]
    [users] = suitecrm.take()
    assert_accepted([users], count=1)
    assert users.method == "GET"
    assert users.bare_path == "/Api/V8/module/Users"
    assert users.query["filter[status][eq]"] == "Active"
    assert users.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert users.headers["accept"] == JSON_API


def test_lookup_filters_work_or_mobile_phone_and_builds_the_popup_url(
    suitecrm: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(suitecrm, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Contacts"])
    record = only_record(outcome)
    assert record["ContactsId"] == CONTACT_ID
    assert (record["FirstName"], record["LastName"]) == ("Alice", "Caller")
    assert record["Company"] == "Acme Ltd"
    assert record["MobileNumber"] == "+14155550199"
    assert record["ZipCode"] == "94105"
    assert record["ContactUrl"] == (
        f"{suitecrm.url}/index.php?module=Contacts&action=DetailView&record={CONTACT_ID}"
    )
    [search] = suitecrm.take()
    assert_accepted([search], count=1)
    assert search.bare_path == "/Api/V8/module/Contacts"
    params = search.query
    assert params["filter[operator]"] == "OR"
    assert params["filter[phone_work][eq]"] == "+14155550123"
    assert params["filter[phone_mobile][eq]"] == "+14155550123"


def test_create_contact_posts_a_json_api_document(suitecrm: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        suitecrm,
        tmp_path,
        "create-contact",
        "--type",
        "Contacts",
        "--first-name",
        "Alice",
        "--last-name",
        "Caller",
        "--number",
        "+14155550123",
    )
    assert_ok(outcome, sent=["Contacts"])
    assert only_record(outcome) == {"ContactId": CREATED_ID}
    [create] = suitecrm.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/Api/V8/module")
    assert create.headers["content-type"] == JSON_API
    assert create.json_body == {
        "data": {
            "type": "Contacts",
            "attributes": {
                "first_name": "Alice",
                "last_name": "Caller",
                "phone_work": "+14155550123",
                "lead_source": "Cold Call",
            },
        }
    }


def test_call_journal_creates_a_call_linked_to_the_contact(
    suitecrm: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "EndTimeUnix": "1764057785",
            "Talk_Duration_Sec": "3785",
            "Talk_Duration": "01:03:05",
            "Communication_Type": "Outbound",
            "CallDisposition": "BUSY",
            "CallerNumber": "1001",
            "CalleeNumber": "+14155550123",
            "CrmId": "seed_sally_id",
            "EnableCallRecording": "0",
        },
    )
    outcome = run(
        suitecrm,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        CONTACT_ID,
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["CallJournal"])
    assert only_record(outcome) == {"CallId": CREATED_ID}
    [logged] = suitecrm.take()
    assert_accepted([logged], count=1)
    assert (logged.method, logged.path) == ("POST", "/Api/V8/module")
    document = logged.json_body["data"]
    assert document["type"] == "Calls"
    attributes = document["attributes"]
    assert attributes["direction"] == "Outbound"
    assert attributes["status"] == "Not Held"
    assert attributes["date_start"] == "2025-11-25 07:00:00"
    assert (attributes["duration_hours"], attributes["duration_minutes"]) == ("01", "03")
    assert attributes["assigned_user_id"] == "seed_sally_id"
    assert (attributes["parent_type"], attributes["parent_id"]) == ("Contacts", CONTACT_ID)
    assert "Recording" not in attributes["description"]
