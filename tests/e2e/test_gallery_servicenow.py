"""crmtpl/gallery/servicenow.xml against Prism serving ServiceNow's Table API description.

The description (ServiceNow REST API, Quebec, as vendored by ballerina-platform/
openapi-connectors) declares its Table API answers as bare objects; our copy adds one
example to each operation used (PROVENANCE.md), so Prism answers every table query with
the user Abel Tuter (sys_id 6282...) and every insert or update with incident INC0010001
(sys_id 9d38...). The API takes bearer tokens only; the tests give the token as the
variable ``AccessToken`` (the OAuth login is crmtpl's own, tested elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "servicenow.xml"
ACCESS_TOKEN = "servicenow-access-token-0123456789"
ABEL = "62826bf03710200044e0bfc8bcbe5df1"
INCIDENT = "9d385017c611228701d22104cc95c371"
AGENT = "46d44a23a9fe19810012d100cca80666"


@pytest.fixture(scope="module")
def servicenow(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The ServiceNow mock behind a recorder."""
    with PrismRecorder(peer("gallery-servicenow")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/servicenow.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "client_id": "servicenow-client",
        "client_secret": "servicenow-secret",
        "AccessToken": ACCESS_TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def a_call(tmp_path: Path) -> Path:
    """An answered inbound call from +14155550123 to the agent's extension."""
    return call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "Communication_Type": "Inbound",
            "Call_Status": "Answered",
            "Call_From": "+14155550123",
            "Call_To": "1001",
            "Talk_Duration": "00:02:05",
            "CallerNumber": "+14155550123",
            "CalleeNumber": "1001",
            "CrmId": AGENT,
        },
    )


def test_itil_users_are_listed_as_pbx_users(servicenow: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(servicenow, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {
            "UserUniqueId": ABEL,
            "FirstName": "Abel",
            "LastName": "Tuter",
            "Email": "abel.tuter@example.com",
        }
    ]
    [users] = servicenow.take()
    assert_accepted([users], count=1)
    assert users.bare_path == "/api/now/table/sys_user"
    assert users.query["sysparm_query"] == "active=true^roles=itil"
    assert users.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_lookup_queries_business_and_mobile_phone(
    servicenow: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(servicenow, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Users"])
    record = only_record(outcome)
    assert record["ContactsId"] == ABEL
    assert (record["FirstName"], record["LastName"]) == ("Abel", "Tuter")
    assert record["Company"] == "ACME North America"
    assert record["MobileNumber"] == "+14155550199"
    assert record["ContactUrl"] == f"{servicenow.url}/sys_user.do?sys_id={ABEL}"
    [search] = servicenow.take()
    assert_accepted([search], count=1)
    params = search.query
    assert params["sysparm_query"] == "phone=+14155550123^ORmobile_phone=+14155550123"
    assert params["sysparm_exclude_reference_link"] == "true"


def test_create_contact_inserts_a_user(servicenow: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        servicenow,
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
    assert only_record(outcome) == {"ContactId": INCIDENT}  # Prism's one insert example
    [create] = servicenow.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/api/now/table/sys_user")
    assert create.json_body == {
        "first_name": "Alice",
        "last_name": "Caller",
        "phone": "+14155550123",
    }


def test_an_incident_is_opened_for_the_caller(servicenow: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        servicenow,
        tmp_path,
        "ticket",
        "--call",
        str(a_call(tmp_path)),
        "--contact-id",
        ABEL,
        "--contact-type",
        "Users",
    )
    assert_ok(outcome, sent=["CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": INCIDENT}
    [created] = servicenow.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/api/now/table/incident")
    assert created.json_body == {
        "caller_id": ABEL,
        "assigned_to": AGENT,
        "contact_type": "phone",
        "short_description": "Inbound Answered - from +14155550123 to 1001",
        "description": "2023/01/01 07:59:59 Inbound Answered - from +14155550123 to 1001 00:02:05",
    }


def test_update_ticket_adds_a_work_note(servicenow: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        servicenow, tmp_path, "ticket", "--call", str(a_call(tmp_path)), "--ticket-id", INCIDENT
    )
    # NeedSyncContact: the caller is looked up first, as the PBX does
    assert_ok(outcome, sent=["Users", "UpdateTicket"])
    lookup, note = servicenow.take()
    assert_accepted([lookup, note], count=2)
    assert (note.method, note.path) == ("PATCH", f"/api/now/table/incident/{INCIDENT}")
    assert note.json_body == {
        "work_notes": "2023/01/01 07:59:59 Inbound Answered - from +14155550123 to 1001 00:02:05"
    }
