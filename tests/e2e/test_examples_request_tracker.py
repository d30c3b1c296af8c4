"""The Request Tracker examples against a real Request Tracker 5 (REST2) on 127.0.0.1.

* crmtpl/gallery/request-tracker.xml: basic auth; requestors found by listing users and
  filtering by work phone in the GJSON path (RT's user search ignores a phone filter),
  contact creation, a ticket per call, the call added as a comment, users.
* crmtpl/gallery/request-tracker-token.xml: RT auth token (``Authorization: token ...``);
  requestors found by TicketSQL on their phones, the pop-up opening their newest ticket.

Every run goes through ``crmtpl run``; tickets and comments are read back from RT.
RT keeps its data, so each test uses fresh numbers.
"""

from __future__ import annotations

import json
import time
from base64 import b64encode
from collections.abc import Mapping
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

BASIC = "request-tracker.xml"
TOKEN = "request-tracker-token.xml"
CREATED_REMARK = "Created by the Yeastar PBX"


class RequestTracker:
    """The running RT: its variables, the CLI runs and direct REST2 reads."""

    def __init__(self, values: Mapping[str, str], config_dir: Path) -> None:
        self.api = values["url"]  # .../REST/2.0
        self.web = self.api.removesuffix("/REST/2.0")
        self.user = values["RT_USER"]
        self.password = values["RT_PASSWORD"]
        self.token = values["RT_TOKEN"]
        self.config_dir = config_dir

    def run(self, scenario: str, template: str, *options: str, **overrides: str) -> RunOutcome:
        """``crmtpl run`` with the template's fields set for this RT."""
        variables = {"base_url": self.web, "queue": "General"}
        if template == TOKEN:
            variables["rt_token"] = self.token
        else:
            variables.update(username=self.user, password=self.password)
        variables.update(overrides)
        return crmtpl_run(
            scenario, template, *options, variables=variables, config_dir=self.config_dir
        )

    def get(self, path: str) -> Any:
        """GET a REST2 path (token auth); the JSON answer."""
        reply = http("GET", self.api + path, headers={"Authorization": f"token {self.token}"})
        assert reply.status == 200, reply.body[:300]
        return json.loads(reply.body)

    def create_contact(self, template: str, number: str, first: str, last: str) -> str:
        """Create a requestor through a template; its user name."""
        outcome = self.run(
            "create-contact",
            template,
            "--type",
            "Requestors",
            "--first-name",
            first,
            "--last-name",
            last,
            "--number",
            number,
        )
        assert_ok(outcome, sent=["Requestors"])
        return only_record(outcome)["ContactId"]

    def comments(self, ticket_id: str) -> list[str]:
        """The Data (subject line) of every Comment transaction of a ticket."""
        history = self.get(f"/ticket/{ticket_id}/history?fields=Type,Data&per_page=100")
        return [item["Data"] for item in history["items"] if item["Type"] == "Comment"]


@pytest.fixture(scope="module")
def rt(peer: PeerLookup, tmp_path_factory: pytest.TempPathFactory) -> RequestTracker:
    """The RT peer, with an empty credential store for the CLI."""
    return RequestTracker(peer("rt5"), tmp_path_factory.mktemp("crmtpl-config"))


def missed_call(folder: Path, name: str, number: str, **extra: str) -> Path:
    """A call file: a missed inbound call from ``number`` to the agent's extension."""
    values = {
        "StartTimeUnix": str(int(time.time()) - 60),
        "Communication_Type": "Inbound",
        "Call_Status": "Missed",
        "Call_From": f"Dan<{number}>",
        "Call_To": "Peer Agent<1001>",
        "CallerNumber": number,
        "CalleeNumber": "1001",
        "Talk_Duration": "00:00:00",
        "Talk_Duration_Sec": "0",
        "CrmId": "agent",
        **extra,
    }
    return call_file(folder, name, values)


# -- crmtpl/gallery/request-tracker.xml (basic auth) -------------------------------------------


@pytest.mark.parametrize("template", [BASIC, TOKEN])
def test_users_with_an_email_are_listed_and_rts_system_users_are_not(
    rt: RequestTracker, template: str
) -> None:
    outcome = rt.run("users", template)
    assert_ok(outcome, sent=["UserAssociation"])
    assert {
        "UserUniqueId": "agent",
        "FirstName": "Peer Agent",
        "Email": "agent@peer.test",
    } in outcome.records
    ids = {record["UserUniqueId"] for record in outcome.records}
    assert not ids & {"Nobody", "RT_System"}


@pytest.fixture(scope="module")
def requestor(rt: RequestTracker) -> str:
    """A requestor created through crmtpl/gallery/request-tracker.xml; its number (= user name)."""
    number = unique_number()
    assert rt.create_contact(BASIC, number, "Dan", "Dialer") == number
    return number


def test_a_created_requestor_is_found_although_rt_returns_every_user(
    rt: RequestTracker, requestor: str
) -> None:
    everyone = rt.get("/users?per_page=100")["items"]
    assert len(everyone) > 1  # the phone is not in RT's search: the path does the filtering
    outcome = rt.run("lookup", BASIC, "--phone", requestor)
    assert_ok(outcome, sent=["Requestors"])
    record = only_record(outcome)
    assert (record["ContactsId"], record["FirstName"]) == (requestor, "Dan Dialer")
    assert record["BusinessNumber"] == requestor
    assert record["Remark"] == CREATED_REMARK
    assert record["ContactUrl"] == f"{rt.web}/User/Summary.html?id=%2B{requestor[1:]}"


def test_an_unknown_number_finds_no_requestor(rt: RequestTracker) -> None:
    outcome = rt.run("lookup", BASIC, "--phone", unique_number())
    assert outcome.exit_code == 1, outcome.describe()
    assert outcome.records == []


@pytest.fixture(scope="module")
def ticket(
    rt: RequestTracker, requestor: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A ticket created through crmtpl/gallery/request-tracker.xml: (ticket id, call file)."""
    call = missed_call(tmp_path_factory.mktemp("ticket"), "missed", requestor)
    outcome = rt.run("ticket", BASIC, "--call", str(call))
    assert_ok(outcome, sent=["Requestors", "CreateNewTicket"])  # lookup, then create
    ticket_id = only_record(outcome)["TicketId"]
    assert ticket_id.isdigit(), outcome.describe()
    return ticket_id, call


def test_a_ticket_is_opened_for_the_caller_and_owned_by_the_bound_agent(
    rt: RequestTracker, requestor: str, ticket: tuple[str, Path]
) -> None:
    ticket_id, _ = ticket
    stored = rt.get(f"/ticket/{ticket_id}")
    assert [r["id"] for r in stored["Requestor"]] == [requestor]
    assert stored["Owner"]["id"] == "agent"
    assert stored["Queue"]["id"] == "1"  # General
    assert stored["Subject"] == f"Inbound Missed - from Dan<{requestor}> to Peer Agent<1001>"


def test_update_ticket_adds_the_call_as_a_comment(
    rt: RequestTracker, requestor: str, ticket: tuple[str, Path]
) -> None:
    ticket_id, call = ticket
    outcome = rt.run("ticket", BASIC, "--call", str(call), "--ticket-id", ticket_id)
    assert_ok(outcome, sent=["Requestors", "UpdateTicket"])
    subject = f"Inbound Missed - from Dan<{requestor}> to Peer Agent<1001>"
    assert subject in [line.strip() for line in rt.comments(ticket_id)]


def test_a_wrong_password_is_an_authentication_failure(rt: RequestTracker) -> None:
    outcome = rt.run("users", BASIC, password="not-the-password")
    assert outcome.exit_code == 5, outcome.describe()
    assert "401" in outcome.stderr, outcome.describe()
    assert "Traceback" not in outcome.stderr
    token = b64encode(f"{rt.user}:not-the-password".encode()).decode()
    assert token not in outcome.stderr + outcome.stdout  # the credential is not echoed


# -- crmtpl/gallery/request-tracker-token.xml (auth token, TicketSQL lookup) ------------------


def test_ticketsql_finds_a_requestor_once_a_ticket_names_them(
    rt: RequestTracker, tmp_path: Path
) -> None:
    number = unique_number()
    assert rt.create_contact(TOKEN, number, "Tia", "Token") == number

    # no ticket yet: TicketSQL searches tickets, so the new requestor is not found
    before = rt.run("lookup", TOKEN, "--phone", number)
    assert before.exit_code == 1, before.describe()

    call = missed_call(tmp_path, "missed", number, Call_From=f"Tia<{number}>")
    created = rt.run(
        "ticket", TOKEN, "--call", str(call), "--contact-id", number, "--contact-type", "Requestors"
    )
    assert_ok(created, sent=["CreateNewTicket"])
    ticket_id = only_record(created)["TicketId"]

    outcome = rt.run("lookup", TOKEN, "--phone", number)
    assert_ok(outcome, sent=["Requestors"])
    record = only_record(outcome)
    assert (record["ContactsId"], record["FirstName"]) == (number, "Tia Token")
    assert record["BusinessNumber"] == number
    # the newest ticket: its subject as the remark, its page as the pop-up
    assert record["Remark"] == f"Inbound Missed - from Tia<{number}> to Peer Agent<1001>"
    assert record["CustomValue"] == ticket_id
    assert record["ContactUrl"] == f"{rt.web}/Ticket/Display.html?id={ticket_id}"
    [search] = outcome.document["requests"]
    assert f"Requestor.WorkPhone%20LIKE%20%27%2B{number[1:]}%27" in search["url"]

    # the next call from the same number updates that ticket
    updated = rt.run("ticket", TOKEN, "--call", str(call), "--ticket-id", ticket_id)
    assert_ok(updated)
    assert updated.statuses[-1][0] == "UpdateTicket"
    assert f"Inbound Missed - from Tia<{number}> to Peer Agent<1001>" in [
        line.strip() for line in rt.comments(ticket_id)
    ]


def test_a_wrong_token_is_an_authentication_failure(rt: RequestTracker) -> None:
    outcome = rt.run("users", TOKEN, rt_token="1-1-not-a-token")
    assert outcome.exit_code == 5, outcome.describe()
    assert "Traceback" not in outcome.stderr
