"""crmtpl/gallery/insightly.xml against Prism serving Insightly's OpenAPI description (v3.1).

Every scenario runs through ``crmtpl run``; a recorder in front of Prism keeps what was
sent, so each test checks both what a user sees (records, ids) and that Insightly's
contract accepted every request: 2xx and no request violation in ``sl-violations``.
Insightly's description has schemas but no examples, so Prism answers with values it
builds from the schemas: every string is "string", every id the smallest int64 JSON can
hold exactly (-9007199254740991), every boolean true. The tests assert those, which
shows that each output path leads to the field the schema declares.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "insightly.xml"
API_KEY = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
#: Insightly's API key as HTTP Basic: the key as user name, an empty password.
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
APP_URL = "https://crm.na1.insightly.com"
#: What Prism makes of an int64 id in Insightly's schemas.
SCHEMA_ID = "-9007199254740991"


@pytest.fixture(scope="module")
def insightly(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Insightly mock behind a recorder."""
    with PrismRecorder(peer("gallery-insightly")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/insightly.xml`` aimed at the recorder."""
    recorder.take()
    variables = {"base_url": recorder.url, "app_url": APP_URL, "api_key": API_KEY}
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_active_users_are_listed_as_pbx_users(insightly: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(insightly, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {"UserUniqueId": SCHEMA_ID, "FirstName": "string", "LastName": "string", "Email": "string"}
    ]
    [users] = insightly.take()
    assert_accepted([users], count=1)
    assert (users.method, users.path) == ("GET", "/Users?top=500")
    assert users.headers["authorization"] == BASIC


def test_lookup_searches_the_phone_field_and_reads_every_contact_field(
    insightly: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(insightly, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Contacts"])
    record = only_record(outcome)
    assert record.pop("ContactSyncType") == "Contacts"
    assert record.pop("ContactsId") == SCHEMA_ID
    assert record.pop("ContactUrl") == f"{APP_URL}/details/Contact/{SCHEMA_ID}"
    # every other output found its (string) field in the Contact schema
    assert set(record.values()) == {"string"}
    assert len(record) == 13
    [search] = insightly.take()
    assert_accepted([search], count=1)
    assert (search.method, search.path) == (
        "GET",
        "/Contacts/Search?field_name=PHONE&field_value=%2B14155550123&brief=true&top=10",
    )
    assert search.headers["authorization"] == BASIC


def test_create_contact_sends_names_and_phone(insightly: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        insightly,
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
    assert only_record(outcome) == {"ContactId": SCHEMA_ID}
    [create] = insightly.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/Contacts")
    assert create.json_body == {
        "FIRST_NAME": "Alice",
        "LAST_NAME": "Caller",
        "PHONE": "+14155550123",
    }


def test_call_journal_adds_a_note_to_the_contact(insightly: PrismRecorder, tmp_path: Path) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "Communication_Type": "Outbound",
            "Call_Log_Status": "Answered",
            "Call_From": "Ann<1001>",
            "Call_To": "+14155550123",
            "Talk_Duration": "00:02:05",
        },
    )
    outcome = run(
        insightly,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        "1234567",
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["CallJournal"])
    assert only_record(outcome) == {"CallId": SCHEMA_ID}
    [note] = insightly.take()
    assert_accepted([note], count=1)
    assert (note.method, note.path) == ("POST", "/Contacts/1234567/Notes")
    body = note.json_body
    assert body["TITLE"] == "Outbound call Answered from Ann<1001> to +14155550123"
    assert "talk time 00:02:05" in body["BODY"]
