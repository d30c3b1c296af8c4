"""The BottleCRM examples against a real BottleCRM (django-crm 1.35) on 127.0.0.1.

* crmtpl/gallery/bottlecrm.xml: personal access token; users, contact creation then lookup
  (with the Next chain to the detail endpoint), call journal as a call interaction.
* crmtpl/gallery/bottlecrm-cases.xml: the helpdesk side; a case per call, a note on it, and the
  call logged on the case.
* crmtpl/gallery/bottlecrm-orgkey.xml: the read-only organisation key; reads work, writes are
  refused with a clear 403 report (exit 4, not permitted: the key lacks the scope).

Every run goes through ``crmtpl run``; what it claims to have written is then read back
with a direct API call. BottleCRM keeps its data, so each test uses fresh numbers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.example_runs import (
    RunOutcome,
    assert_ok,
    call_file,
    crmtpl_run,
    only_record,
    unique_number,
)
from tests.e2e.peers import PeerLookup, http

CRM = "bottlecrm.xml"
CASES = "bottlecrm-cases.xml"
ORG_KEY = "bottlecrm-orgkey.xml"
CREATED_REMARK = "Created by the Yeastar PBX"


class BottleCrm:
    """The running BottleCRM: its variables, the CLI runs and direct API reads."""

    def __init__(self, values: Mapping[str, str], config_dir: Path) -> None:
        self.url = values["url"]
        self.pat = values["BOTTLECRM_PAT"]
        self.org_key = values["BOTTLECRM_ORG_API_KEY"]
        self.config_dir = config_dir

    def run(self, scenario: str, template: str, *options: str, **overrides: str) -> RunOutcome:
        """``crmtpl run`` with the template's fields set for this server."""
        variables = {"base_url": self.url, "app_url": self.url, **overrides}
        if template == ORG_KEY:
            variables.setdefault("org_api_key", self.org_key)
        else:
            variables.setdefault("api_token", self.pat)
        return crmtpl_run(
            scenario, template, *options, variables=variables, config_dir=self.config_dir
        )

    def get(self, path: str) -> Any:
        """GET an API path with the personal access token; the JSON answer."""
        reply = http("GET", self.url + path, headers={"Authorization": f"Bearer {self.pat}"})
        assert reply.status == 200, reply.body[:300]
        return json.loads(reply.body)

    def create_contact(self, number: str, first: str, last: str | None = None) -> str:
        """Create a contact through crmtpl/gallery/bottlecrm.xml; its id."""
        names = ["--first-name", first] + (["--last-name", last] if last else [])
        outcome = self.run("create-contact", CRM, "--type", "contacts", *names, "--number", number)
        assert_ok(outcome, sent=["contacts"])
        contact_id = only_record(outcome)["ContactId"]
        assert contact_id, outcome.describe()
        return contact_id

    def profile_id(self, email: str) -> str:
        """The profile id of the user with this e-mail (what assigned_to takes)."""
        users = self.get("/api/users/")["active_users"]["active_users"]
        return next(str(u["id"]) for u in users if u["user_details"]["email"] == email)


@pytest.fixture(scope="module")
def crm(peer: PeerLookup, tmp_path_factory: pytest.TempPathFactory) -> BottleCrm:
    """The BottleCRM peer, with an empty credential store for the CLI."""
    return BottleCrm(peer("bottlecrm"), tmp_path_factory.mktemp("crmtpl-config"))


@pytest.fixture(scope="module")
def caller(crm: BottleCrm) -> tuple[str, str]:
    """A contact created by the template for these tests: (number, contact id)."""
    number = unique_number()
    return number, crm.create_contact(number, "Alice", f"Caller{number[-4:]}")


def iso_utc(seconds: int) -> str:
    """Unix seconds as BottleCRM prints them: 2026-11-25T09:33:21Z."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def interactions_of(crm: BottleCrm, home: str, record_id: str) -> dict[str, dict[str, Any]]:
    """The interactions logged on a contact or case, by id."""
    found = crm.get(f"/api/interactions/?{home}={record_id}&limit=200")["interactions"]
    return {item["id"]: item for item in found}


# -- crmtpl/gallery/bottlecrm.xml -------------------------------------------------------------


@pytest.mark.parametrize("template", [CRM, CASES, ORG_KEY])
def test_users_are_listed_with_their_profile_ids(crm: BottleCrm, template: str) -> None:
    outcome = crm.run("users", template)
    assert_ok(outcome, sent=["UserAssociation"])
    assert {
        "UserUniqueId": crm.profile_id("agent@peer.test"),
        "FirstName": "Peer Agent",
        "Email": "agent@peer.test",
    } in outcome.records


def test_a_created_contact_is_found_by_lookup_through_the_detail_chain(
    crm: BottleCrm, caller: tuple[str, str]
) -> None:
    number, contact_id = caller
    outcome = crm.run("lookup", CRM, "--phone", number)
    assert_ok(outcome, sent=["contacts", "ContactDetail"])
    record = only_record(outcome)
    assert record["ContactsId"] == contact_id
    assert (record["FirstName"], record["LastName"]) == ("Alice", f"Caller{number[-4:]}")
    assert record["BusinessNumber"] == number
    # Remark is filled by Common > ContactDetail (an empty Path in the search request)
    assert record["Remark"] == CREATED_REMARK
    assert record["ContactSyncType"] == "contacts"
    assert record["ContactUrl"] == f"{crm.url}/contacts/{contact_id}"
    search, detail = outcome.document["requests"]
    # the "+" travels as %2B: a raw "+" would arrive as a space and find nothing
    assert search["url"] == f"{crm.url}/api/contacts/?phone=%2B{number[1:]}"
    assert detail["url"] == f"{crm.url}/api/contacts/{contact_id}/"


def test_lookup_by_the_number_without_its_plus_finds_the_same_contact(
    crm: BottleCrm, caller: tuple[str, str]
) -> None:
    number, contact_id = caller
    outcome = crm.run("lookup", CRM, "--phone", number[1:])
    assert_ok(outcome)
    assert only_record(outcome)["ContactsId"] == contact_id


def test_an_unknown_number_finds_no_contact(crm: BottleCrm) -> None:
    outcome = crm.run("lookup", CRM, "--phone", unique_number())
    assert outcome.exit_code == 1, outcome.describe()
    assert outcome.records == []


def test_a_contact_with_only_a_first_name_gets_a_dash_as_last_name(crm: BottleCrm) -> None:
    # BottleCRM refuses a blank last name; the PBX often knows only one name
    number = unique_number()
    contact_id = crm.create_contact(number, "Mononym")
    stored = crm.get(f"/api/contacts/{contact_id}/")["contact_obj"]
    assert (stored["first_name"], stored["last_name"], stored["phone"]) == ("Mononym", "-", number)


def test_call_journal_logs_a_call_on_the_contact_found_by_the_callers_number(
    crm: BottleCrm, caller: tuple[str, str], tmp_path: Path
) -> None:
    number, contact_id = caller
    started = int(time.time()) - 300
    call = call_file(
        tmp_path,
        "inbound",
        {
            "StartTimeUnix": str(started),
            "EndTimeUnix": str(started + 125),
            "Talk_Duration_Sec": "125",
            "Talk_Duration": "00:02:05",
            "Communication_Type": "Inbound",
            "CallDisposition": "ANSWERED",
            "Call_Log_Status": "Incoming Call",
            "Call_From": f"Alice<{number}>",
            "Call_To": "Peer Agent<1001>",
            "CallerNumber": number,
            "CalleeNumber": "1001",
            "EnableCallRecording": "0",
        },
    )
    outcome = crm.run("call-journal", CRM, "--call", str(call))
    assert_ok(outcome)
    assert outcome.statuses[0][0] == "contacts"  # the PBX looks the caller up first
    assert outcome.statuses[-1][0] == "CallJournal"
    interaction_id = only_record(outcome)["InteractionId"]

    logged = interactions_of(crm, "contact", contact_id)[interaction_id]
    assert (logged["kind"], logged["direction"], logged["outcome"]) == (
        "call",
        "inbound",
        "connected",
    )
    assert logged["duration_seconds"] == 125
    assert logged["occurred_at"] == iso_utc(started)
    assert logged["subject"] == f"Incoming Call from Alice<{number}> to Peer Agent<1001>"


def test_call_journal_for_a_given_contact_skips_the_lookup(
    crm: BottleCrm, caller: tuple[str, str], tmp_path: Path
) -> None:
    _, contact_id = caller
    started = int(time.time()) - 600
    call = call_file(
        tmp_path,
        "outbound",
        {
            "StartTimeUnix": str(started),
            "Talk_Duration_Sec": "0",
            "Communication_Type": "Outbound",
            "CallDisposition": "BUSY",
            "EnableCallRecording": "0",
        },
    )
    outcome = crm.run(
        "call-journal",
        CRM,
        "--call",
        str(call),
        "--contact-id",
        contact_id,
        "--contact-type",
        "contacts",
    )
    assert_ok(outcome, sent=["CallJournal"])
    logged = interactions_of(crm, "contact", contact_id)[only_record(outcome)["InteractionId"]]
    assert (logged["direction"], logged["outcome"], logged["duration_seconds"]) == (
        "outbound",
        "busy",
        0,
    )


def test_a_wrong_token_is_reported_as_an_authentication_failure(crm: BottleCrm) -> None:
    outcome = crm.run("lookup", CRM, "--phone", unique_number(), api_token="bcrm_pat_wrong")
    assert outcome.exit_code == 5, outcome.describe()
    assert "Organization context is required" in outcome.stderr
    assert "Traceback" not in outcome.stderr


# -- crmtpl/gallery/bottlecrm-cases.xml -------------------------------------------------------


def ticket_call(folder: Path, name: str, number: str, agent: str, **extra: str) -> Path:
    """A call file: a missed inbound call from ``number`` to the extension of ``agent``."""
    started = int(time.time()) - 120
    stamp = datetime.fromtimestamp(started, UTC).strftime("%Y/%m/%d %H:%M:%S")
    values = {
        "StartTimeUnix": str(started),
        "Time": stamp,
        "Communication_Type": "Inbound",
        "Call_Status": "Missed",
        "Call_Log_Status": "Missed Call",
        "CallDisposition": "NO ANSWER",
        "Call_From": f"Alice<{number}>",
        "Call_To": "Peer Agent<1001>",
        "CallerNumber": number,
        "ContactNumber": number,
        "CalleeNumber": "1001",
        "Talk_Duration": "00:00:00",
        "Talk_Duration_Sec": "0",
        "CrmId": agent,
        **extra,
    }
    return call_file(folder, name, values)


@pytest.fixture(scope="module")
def ticket(
    crm: BottleCrm, caller: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A case created by crmtpl/gallery/bottlecrm-cases.xml for the caller: (case id, call file)."""
    number, _ = caller
    folder = tmp_path_factory.mktemp("ticket")
    call = ticket_call(folder, "missed", number, crm.profile_id("agent@peer.test"))
    outcome = crm.run("ticket", CASES, "--call", str(call), priority="High")
    assert_ok(outcome)
    assert outcome.statuses[-1][0] == "CreateNewTicket"
    case_id = only_record(outcome)["TicketId"]
    assert case_id, outcome.describe()
    return case_id, call


def test_a_ticket_is_a_case_for_the_caller_assigned_to_the_bound_agent(
    crm: BottleCrm, caller: tuple[str, str], ticket: tuple[str, Path]
) -> None:
    number, contact_id = caller
    case_id, call = ticket
    stamp = json.loads(call.read_text())["Time"]
    case = crm.get(f"/api/cases/{case_id}/")["cases_obj"]
    # short and unique per call: BottleCRM caps case names at 64 characters and
    # refuses a name another of the agent's tickets already has
    assert case["name"] == f"Inbound Missed call {number} {stamp}"
    assert (case["status"], case["priority"]) == ("New", "High")
    assert [c["id"] for c in case["contacts"]] == [contact_id]
    assert [a["id"] for a in case["assigned_to"]] == [crm.profile_id("agent@peer.test")]


def test_update_ticket_adds_the_call_as_an_internal_note(
    crm: BottleCrm, ticket: tuple[str, Path]
) -> None:
    case_id, call = ticket
    outcome = crm.run("ticket", CASES, "--call", str(call), "--ticket-id", case_id)
    assert_ok(outcome)
    assert outcome.statuses[-1][0] == "UpdateTicket"
    notes = [note["comment"] for note in crm.get(f"/api/cases/{case_id}/")["internal_notes"]]
    stamp = json.loads(call.read_text())["Time"]
    assert f"{stamp} Inbound Missed - from Alice<" in "\n".join(notes)


def test_call_journal_logs_the_call_on_its_ticket_or_else_on_the_contact(
    crm: BottleCrm, caller: tuple[str, str], ticket: tuple[str, Path], tmp_path: Path
) -> None:
    number, contact_id = caller
    case_id, _ = ticket
    agent = crm.profile_id("agent@peer.test")

    with_ticket = ticket_call(tmp_path, "with-ticket", number, agent, TicketId=case_id)
    on_ticket = crm.run("call-journal", CASES, "--call", str(with_ticket))
    assert_ok(on_ticket)
    logged = interactions_of(crm, "case", case_id)[only_record(on_ticket)["InteractionId"]]
    assert (logged["kind"], logged["home"]) == ("call", "case")

    # no ticket for this call: the interaction goes to the contact
    no_ticket = ticket_call(tmp_path, "no-ticket", number, agent, TicketId="")
    on_contact = crm.run("call-journal", CASES, "--call", str(no_ticket))
    assert_ok(on_contact)
    logged = interactions_of(crm, "contact", contact_id)[only_record(on_contact)["InteractionId"]]
    assert (logged["kind"], logged["home"]) == ("call", "contact")


# -- crmtpl/gallery/bottlecrm-orgkey.xml ------------------------------------------------------


@pytest.mark.parametrize("template", [CASES, ORG_KEY])
def test_the_templates_without_a_chain_find_the_caller_in_one_request(
    crm: BottleCrm, caller: tuple[str, str], template: str
) -> None:
    number, contact_id = caller
    outcome = crm.run("lookup", template, "--phone", number)
    assert_ok(outcome, sent=["contacts"])
    record = only_record(outcome)
    assert (record["ContactsId"], record["FirstName"]) == (contact_id, "Alice")
    assert record["ContactUrl"] == f"{crm.url}/contacts/{contact_id}"
    if template == ORG_KEY:
        assert record["Remark"] == CREATED_REMARK  # read from the search row


WRITES = [
    (
        "create-contact",
        ("--type", "contacts", "--first-name", "Readonly", "--number", "+14155550000"),
        "contacts:write",
    ),
    (
        "call-journal",
        ("--contact-id", "00000000-0000-4000-8000-000000000000", "--contact-type", "contacts"),
        "interactions:write",
    ),
]


@pytest.mark.parametrize(("scenario", "options", "scope"), WRITES, ids=[w[0] for w in WRITES])
def test_a_write_with_the_read_only_org_key_is_a_clear_403(
    crm: BottleCrm, scenario: str, options: tuple[str, ...], scope: str
) -> None:
    outcome = crm.run(scenario, ORG_KEY, *options)
    # 403: the key is valid but may not write: "not permitted", exit 4 (docs/run.md)
    assert outcome.exit_code == 4, outcome.describe()
    assert "not permitted" in outcome.stderr, outcome.describe()
    assert "403" in outcome.stderr, outcome.describe()
    assert f"It needs the {scope} scope" in outcome.stderr, outcome.describe()
    assert "Traceback" not in outcome.stderr + outcome.stdout
