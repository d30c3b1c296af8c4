"""crmtpl/gallery/intercom.xml against Prism serving Intercom's own OpenAPI description (2.14).

Every scenario runs through ``crmtpl run``; a recorder in front of Prism keeps what was
sent, so each test checks both what a user sees (records, ids) and that Intercom's
contract accepted every request: 2xx and no request violation in ``sl-violations``.
Prism is stateless and answers with the description's examples: the contact search
finds nobody (Intercom's example is an empty list), a created contact is
6762f0dd1bb69f9f2193bb83, a note is 31, a ticket's id is 626, the only admin is
Ciaran7 Lee (991267466).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import (
    GALLERY_DIR,
    RUN_TIMEOUT_SECONDS,
    RunOutcome,
    assert_ok,
    call_file,
    crmtpl_run,
    only_record,
)
from tests.e2e.peers import PeerLookup, http
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "intercom.xml"
TOKEN = "dG9rOjAwMDAwMDAwLTExMTEtMjIyMi0zMzMzLTQ0NDQ0NDQ0NDQ0NA=="
CONTACT = "6762f0dd1bb69f9f2193bb83"
ADMIN = "991267466"


@pytest.fixture(scope="module")
def intercom(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Intercom mock behind a recorder."""
    with PrismRecorder(peer("gallery-intercom")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/intercom.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "app_url": "https://app.intercom.com",
        "workspace_id": "abc123de",
        "access_token": TOKEN,
        "ticket_type_id": "88",
        "admin_id": "991267583",
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def assert_intercom_headers(headers: dict[str, str]) -> None:
    """The token as a bearer token and the pinned API version."""
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["intercom-version"] == "2.14"


def test_admins_are_listed_as_pbx_users(intercom: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(intercom, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {"UserUniqueId": ADMIN, "FirstName": "Ciaran7 Lee", "Email": "admin7@email.com"}
    ]
    [admins] = intercom.take()
    assert_accepted([admins], count=1)
    assert (admins.method, admins.path) == ("GET", "/admins")
    assert_intercom_headers(admins.headers)


def test_lookup_posts_a_phone_search_intercom_accepts(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(intercom, tmp_path, "lookup", "--phone", "+14155550123")
    # Intercom's example answer is an empty list: no contact, which `run lookup` exits 1 for
    assert outcome.exit_code == 1, outcome.describe()
    assert outcome.statuses == [("Contacts", 200)]
    assert outcome.records == []
    [search] = intercom.take()
    assert_accepted([search], count=1)
    assert (search.method, search.path) == ("POST", "/contacts/search")
    assert search.json_body == {
        "query": {"field": "phone", "operator": "=", "value": "+14155550123"},
        "pagination": {"per_page": 10},
    }
    assert_intercom_headers(search.headers)


def test_create_contact_makes_a_lead_with_the_number(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(
        intercom,
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
    assert only_record(outcome) == {"ContactId": CONTACT}
    [create] = intercom.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/contacts")
    assert create.json_body == {"role": "lead", "name": "Alice Caller", "phone": "+14155550123"}


def test_call_journal_is_a_note_on_the_contact_by_the_bound_admin(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "Communication_Type": "Inbound",
            "Call_Log_Status": "Answered",
            "Call_From": "Alice Caller<+14155550123>",
            "Call_To": "Ciaran<1001>",
            "Talk_Duration": "00:02:05",
            "CrmId": ADMIN,
        },
    )
    outcome = run(
        intercom,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        CONTACT,
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["CallJournal"])
    assert only_record(outcome) == {"CallId": "31"}
    [note] = intercom.take()
    assert_accepted([note], count=1)
    assert (note.method, note.path) == ("POST", f"/contacts/{CONTACT}/notes")
    body = note.json_body
    assert body["admin_id"] == ADMIN
    # HTML-escaped, so that Intercom shows the numbers in angle brackets
    assert body["body"].startswith(
        "Inbound call Answered from Alice Caller&lt;+14155550123&gt; to Ciaran&lt;1001&gt;<br>"
    )
    assert "talk time 00:02:05" in body["body"]


def test_a_ticket_is_opened_for_the_contact_and_assigned_to_the_bound_admin(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    call = call_file(tmp_path, "call", {"Call_Status": "Missed", "CrmId": ADMIN})
    outcome = run(
        intercom,
        tmp_path,
        "ticket",
        "--call",
        str(call),
        "--contact-id",
        CONTACT,
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["CreateNewTicket"])
    assert only_record(outcome) == {"TicketId": "626"}
    [created] = intercom.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/tickets")
    body = created.json_body
    assert body["ticket_type_id"] == "88"
    assert body["contacts"] == [{"id": CONTACT}]
    assert body["assignment"] == {"admin_assignee_id": ADMIN}
    assert "Missed" in body["ticket_attributes"]["_default_title_"]


def test_update_ticket_replies_with_an_internal_note(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    # no admin bound to the extension: the admin_id field is the note's author
    call = call_file(tmp_path, "call", {"Call_Status": "Answered", "CrmId": ""})
    outcome = run(
        intercom,
        tmp_path,
        "ticket",
        "--call",
        str(call),
        "--ticket-id",
        "626",
        "--contact-id",
        CONTACT,
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["UpdateTicket"])
    [reply] = intercom.take()
    assert_accepted([reply], count=1)
    assert (reply.method, reply.path) == ("POST", "/tickets/626/reply")
    body = reply.json_body
    assert (body["message_type"], body["type"], body["admin_id"]) == ("note", "admin", "991267583")
    assert "Answered" in body["body"]


def test_the_lookup_paths_read_a_contact_as_intercom_describes_it(
    intercom: PrismRecorder, tmp_path: Path
) -> None:
    # The search example is empty, so the lookup's output paths are applied with
    # `crmtpl extract` to a contact_list holding the contact Intercom's example returns.
    reply = http(
        "GET",
        f"{intercom.upstream}/contacts/{CONTACT}",
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
    )
    assert reply.status == 200
    contact = json.loads(reply.body)
    answer = tmp_path / "search-answer.json"
    answer.write_text(json.dumps({"type": "list", "data": [contact], "total_count": 1}))
    done = subprocess.run(
        [
            *(sys.executable, "-m", "crmtpl", "extract", "lookup", str(GALLERY_DIR / TEMPLATE)),
            *("--response", str(answer), "--format", "json"),
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout)
    assert [r["name"] for r in results if not r["exists"]] == []  # every path leads somewhere
    values = {r["name"]: json.loads(r["value"]) for r in results}
    assert values["ContactsId"] == [contact["id"]]
    assert values["Email"] == [contact["email"]]
    assert len(values) == 7
