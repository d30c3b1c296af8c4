"""Users, account info, the call journal and tickets with comments."""

from __future__ import annotations

from tests.unit.sandbox.conftest import Client

API = "/none/api/v1"


def test_users_have_ids_names_and_emails(client: Client) -> None:
    body = client.get(f"{API}/users").json()
    assert body["total"] == len(body["data"]) >= 3
    alice = body["data"][0]
    assert {k: alice[k] for k in ("id", "first_name", "last_name", "email")} == {
        "id": 11,
        "first_name": "Alice",
        "last_name": "Lee",
        "email": "alice@example.com",
    }


def test_account_gives_a_default_department_for_global_info(client: Client) -> None:
    account = client.get(f"{API}/account").json()["data"]
    default = [d for d in account["departments"] if d["is_default"]]
    assert [d["id"] for d in default] == [account["default_department_id"]] == [2200000001]
    assert account["default_owner_id"] == 11


def test_journal_entry_is_listed_afterwards(client: Client) -> None:
    entry = {
        "subject": "Extension Call",
        "description": "Call: 2023/01/01 07:59:59 Incoming Call from William Smith<5503302>",
        "direction": "inbound",
        "contact_type": "contacts",
        "contact_id": "1001",
        "agent_id": "11",
        "duration_seconds": 69,
    }
    reply = client.post(f"{API}/calls", json_body=entry)
    assert reply.status == 201
    created = reply.json()["data"]
    assert created["contact_id"] == 1001
    assert created["id"] >= 30001
    everything = client.get(f"{API}/calls").json()
    assert everything["data"][0]["id"] == created["id"]
    assert everything["data"][0]["description"] == entry["description"]
    of_william = client.get(f"{API}/contacts/1001/calls").json()
    assert [c["id"] for c in of_william["data"]] == [created["id"]]
    assert client.get(f"{API}/contacts/1002/calls").json()["total"] == 0
    page = client.get("/app/contacts/1001")
    assert page.status == 200
    assert "Incoming Call from William Smith" in page.text


def test_journal_keeps_ids_the_pbx_sends_and_says_what_they_link_to(client: Client) -> None:
    linked = client.post(f"{API}/calls", json_body={"contact_id": "1001", "agent_id": "11"})
    assert linked.json()["data"]["contact"] == {
        "type": "contacts",
        "id": 1001,
        "name": "William Smith",
    }
    sample = client.post(
        f"{API}/calls",
        json_body={
            "contact_type": "Contacts",
            "contact_id": "3477061000000419001",
            "agent_id": "u-7788",
        },
    )
    assert sample.status == 201
    entry = sample.json()["data"]
    assert (entry["contact"], entry["agent_id"], entry["contact_type"]) == (
        None,
        "u-7788",
        "contacts",
    )


def test_journal_refuses_quoted_durations_and_unrendered_variables(client: Client) -> None:
    reply = client.post(
        f"{API}/calls", json_body={"duration_seconds": "69", "description": "from <no value>"}
    )
    assert reply.status == 422
    problems = {p["field"]: p["message"] for p in reply.json()["problems"]}
    assert "without quotes" in problems["duration_seconds"]
    assert "a template variable had no value" in problems["description"]
    assert client.get(f"{API}/calls").json()["total"] == 0


def test_ticket_create_comment_and_read_back(client: Client) -> None:
    created = client.post(
        f"{API}/tickets",
        json_body={
            "subject": "Inbound Missed - from 5503302 to 1001",
            "description": "Missed call",
            "priority": "high",
            "department_id": "2200000001",
            "requester_id": "1001",
            "assignee_id": "11",
            "phone": "5503302",
        },
    )
    assert created.status == 201
    ticket_id = created.json()["data"]["id"]
    assert ticket_id >= 70001
    comment = client.post(
        f"{API}/tickets/{ticket_id}/comments", json_body={"body": "Called back", "public": False}
    )
    assert comment.status == 201
    assert comment.json()["data"]["ticket_id"] == ticket_id
    ticket = client.get(f"{API}/tickets/{ticket_id}").json()["data"]
    assert ticket["priority"] == "high"
    assert ticket["requester"] == {"type": "contacts", "id": 1001, "name": "William Smith"}
    assert [c["body"] for c in ticket["comments"]] == ["Called back"]
    assert ticket_id in [t["id"] for t in client.get(f"{API}/tickets").json()["data"]]


def test_ticket_errors(client: Client) -> None:
    assert client.post(f"{API}/tickets", json_body={"description": "x"}).status == 422
    department = client.post(f"{API}/tickets", json_body={"subject": "s", "department_id": 7})
    assert "there is no department 7" in department.json()["message"]
    bad_priority = client.post(f"{API}/tickets", json_body={"subject": "s", "priority": "meh"})
    assert "one of low, normal, high, urgent" in bad_priority.json()["message"]
    missing = client.post(f"{API}/tickets/1/comments", json_body={"body": "x"})
    assert missing.status == 404
    assert client.get(f"{API}/tickets/1").status == 404
