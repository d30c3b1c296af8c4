"""crmtpl/gallery/front.xml against Prism serving Front's own Core API OpenAPI description.

Every scenario runs through ``crmtpl run``; a recorder in front of Prism keeps what was
sent, so each test checks both what a user sees (records, ids) and that Front's contract
accepted every request: 2xx and no request violation in ``sl-violations`` (Front's own
examples break some of its response schemas; those are response violations, not ours).
Prism answers with the description's examples: the contact is Dwight Schrute
(crd_3cgz4ge, whose only handle is a twitter one), the teammate Michael Scott
(tea_6r55a), a conversation cnv_yo1kg5q.
"""

from __future__ import annotations

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
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted

TEMPLATE = "front.xml"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.front-api-token.signature"
APP_URL = "https://app.frontapp.com"
CONTACT = "crd_3cgz4ge"
TEAMMATE = "tea_6r55a"
DEFAULT_AUTHOR = "tea_default1"


@pytest.fixture(scope="module")
def front(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Front mock behind a recorder."""
    with PrismRecorder(peer("gallery-front")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/front.xml`` aimed at the recorder."""
    recorder.take()
    variables = {
        "base_url": recorder.url,
        "app_url": APP_URL,
        "api_token": TOKEN,
        "inbox_id": "inb_55c8c149",
        "author_id": DEFAULT_AUTHOR,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def test_teammates_are_listed_as_pbx_users(front: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(front, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {
            "UserUniqueId": TEAMMATE,
            "FirstName": "Michael",
            "LastName": "Scott",
            "Email": "michael.scott@dundermifflin.com",
        }
    ]
    [teammates] = front.take()
    assert_accepted([teammates], count=1)
    assert (teammates.method, teammates.path) == ("GET", "/teammates")
    assert teammates.headers["authorization"] == f"Bearer {TOKEN}"


def test_lookup_finds_the_contact_by_its_phone_handle_alias(
    front: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(front, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome, sent=["Contacts"])
    assert only_record(outcome) == {
        "ContactSyncType": "Contacts",
        "ContactsId": CONTACT,
        "FirstName": "Dwight Schrute",
        "Email": "",  # the example's only handle is a twitter one
        "BusinessNumber": "",
        "Remark": "Assistant to the regional manager",
        "ContactUrl": f"{APP_URL}/open/{CONTACT}",
    }
    [lookup] = front.take()
    assert_accepted([lookup], count=1)
    assert (lookup.method, lookup.path) == ("GET", "/contacts/alt:phone:%2B14155550123")


def test_the_handle_paths_pick_the_email_and_phone_handles(tmp_path: Path) -> None:
    # The example contact has no email or phone handle, so the two handle paths are
    # applied with `crmtpl extract` to that contact with Front's two handle kinds added.
    answer = tmp_path / "contact.json"
    answer.write_text(
        '{"id": "crd_3cgz4ge", "name": "Dwight Schrute", "description": "",'
        ' "handles": [{"handle": "dwight@limitlesspaper.com", "source": "email"},'
        ' {"handle": "+14155550123", "source": "phone"}]}'
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "crmtpl", "extract", "lookup", str(GALLERY_DIR / TEMPLATE)),
            *("--response", str(answer)),
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dwight@limitlesspaper.com" in done.stdout
    assert "+14155550123" in done.stdout


def test_create_contact_sends_a_phone_handle(front: PrismRecorder, tmp_path: Path) -> None:
    outcome = run(
        front,
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
    [create] = front.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", "/contacts")
    assert create.json_body == {
        "name": "Alice Caller",
        "handles": [{"source": "phone", "handle": "+14155550123"}],
    }


def test_call_journal_is_a_note_by_the_bound_teammate(front: PrismRecorder, tmp_path: Path) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "Communication_Type": "Inbound",
            "Call_Log_Status": "Answered",
            "Call_From": "+14155550123",
            "Call_To": "Michael<1001>",
            "Talk_Duration": "00:02:05",
            "CrmId": TEAMMATE,
        },
    )
    outcome = run(
        front,
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
    [note] = front.take()
    assert_accepted([note], count=1)
    assert (note.method, note.path) == ("POST", f"/contacts/{CONTACT}/notes")
    assert note.json_body["author_id"] == TEAMMATE
    subject, description = note.json_body["body"].split("\n")
    assert subject == "Inbound call Answered from +14155550123 to Michael<1001>"
    assert description.endswith("Answered, talk time 00:02:05")


def test_a_ticket_is_a_discussion_in_the_inbox(front: PrismRecorder, tmp_path: Path) -> None:
    call = call_file(tmp_path, "call", {"Call_Status": "Missed", "CrmId": ""})
    outcome = run(
        front,
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
    assert only_record(outcome) == {"TicketId": "cnv_yo1kg5q"}
    [created] = front.take()
    assert_accepted([created], count=1)
    assert (created.method, created.path) == ("POST", "/conversations")
    body = created.json_body
    assert (body["type"], body["inbox_id"]) == ("discussion", "inb_55c8c149")
    assert "Missed" in body["subject"]
    # no teammate bound to the extension: the default author writes
    assert body["comment"]["author_id"] == DEFAULT_AUTHOR
    assert body["comment"]["body"].endswith(f"\nContact: {CONTACT}")


def test_update_ticket_adds_a_comment(front: PrismRecorder, tmp_path: Path) -> None:
    call = call_file(tmp_path, "call", {"Call_Status": "Answered", "CrmId": TEAMMATE})
    outcome = run(
        front,
        tmp_path,
        "ticket",
        "--call",
        str(call),
        "--ticket-id",
        "cnv_yo1kg5q",
        "--contact-id",
        CONTACT,
        "--contact-type",
        "Contacts",
    )
    assert_ok(outcome, sent=["UpdateTicket"])
    [comment] = front.take()
    assert_accepted([comment], count=1)
    assert (comment.method, comment.path) == ("POST", "/conversations/cnv_yo1kg5q/comments")
    assert comment.json_body["author_id"] == TEAMMATE
    assert "Answered" in comment.json_body["body"]
