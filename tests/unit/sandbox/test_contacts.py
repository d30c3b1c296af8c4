"""Contact and lead search, detail, listing and creation over HTTP."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import quote

import pytest

from crmtpl.sandbox import SandboxServer
from tests.unit.sandbox.conftest import Client

API = "/none/api/v1"


def _names(client: Client, kind: str, phone: str) -> list[str]:
    reply = client.get(f"{API}/{kind}/search?phone={quote(phone, safe='')}")
    assert reply.status == 200
    body = reply.json()
    assert body["total"] == len(body["data"])
    return [person["name"] for person in body["data"]]


def test_yeastar_docs_number_finds_william_smith_with_urllib(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}{API}/contacts/search?phone=5503302"
    with urllib.request.urlopen(url) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("application/json")
        body = json.loads(answer.read())
    assert body["total"] == 1
    william = body["data"][0]
    assert (william["first_name"], william["last_name"], william["phone"]) == (
        "William",
        "Smith",
        "5503302",
    )
    assert william["company"] == "Acme Logistics"
    assert william["url"] == f"{sandbox.url}/app/contacts/{william['id']}"


@pytest.mark.parametrize(
    ("phone", "name"),
    [
        ("4155550142", "William Smith"),
        ("+15551234", "Noah Williams"),
        ("+4930901820", "Lukas Müller"),
        ("004930901820", "Lukas Müller"),
        ("+447700900123", "Emma Johnson"),
        ("+1 (416) 555-0199", "Noah Williams"),
    ],
)
def test_search_matches_substrings_and_international_forms(
    client: Client, phone: str, name: str
) -> None:
    assert _names(client, "contacts", phone) == [name]


def test_search_without_a_match_is_an_empty_list(client: Client) -> None:
    assert _names(client, "contacts", "+999 000 000 000") == []


@pytest.mark.parametrize("phone", ["3302", "000111", "01", "555"])
def test_short_fragments_of_a_number_find_nothing(client: Client, phone: str) -> None:
    assert _names(client, "contacts", phone) == []
    assert _names(client, "leads", phone) == []


def test_one_shared_number_finds_every_lead_that_has_it(client: Client) -> None:
    assert _names(client, "leads", "+18005550199") == ["Mia Fischer", "Ethan Clark", "Aisha Khan"]


def test_contacts_and_leads_are_separate_types(client: Client) -> None:
    assert _names(client, "leads", "+4315350123") == ["Mia Fischer"]
    assert _names(client, "contacts", "+4315350123") == []
    lead = client.get(f"{API}/leads/search?phone=5550166").json()["data"][0]
    assert lead["type"] == "lead"
    assert lead["status"] == "contacted"


def test_search_needs_a_phone_with_digits(client: Client) -> None:
    missing = client.get(f"{API}/contacts/search")
    assert missing.status == 400
    assert missing.json()["error"] == "invalid_request"
    unrendered = client.get(f"{API}/contacts/search?phone=%3Cno%20value%3E")
    assert unrendered.status == 400
    assert "<no value>" in unrendered.json()["message"]


def test_detail_has_every_number_for_a_next_chain(client: Client) -> None:
    reply = client.get(f"{API}/contacts/1001")
    assert reply.status == 200
    william = reply.json()["data"]
    numbers = {(p["type"], p["number"]) for p in william["phones"]}
    assert ("mobile", "+1 415-555-0142") in numbers
    assert ("work", "+1 415-555-0100") in numbers
    assert william["address"]["city"] == "San Francisco"
    assert client.get(f"{API}/contacts/999").status == 404
    assert client.get(f"{API}/leads/5003").json()["data"]["company"] == "Dune Interiors"


def test_created_contact_is_found_by_a_later_search(client: Client) -> None:
    reply = client.post(
        f"{API}/contacts",
        json_body={"first_name": "Grace", "last_name": "Hopper", "phone": "+1 202 555 0111"},
    )
    assert reply.status == 201
    created = reply.json()["data"]
    assert created["id"] > 1012
    assert created["created_via"] == "none"
    assert reply.header("location") == f"{client.base_url}{API}/contacts/{created['id']}"
    found = client.get(f"{API}/contacts/search?phone=%2B12025550111").json()["data"]
    assert [c["id"] for c in found] == [created["id"]]
    listed = client.get(f"{API}/contacts").json()
    assert created["id"] in [c["id"] for c in listed["data"]]


def test_created_lead_gets_status_new(client: Client) -> None:
    reply = client.post(f"{API}/leads", json_body={"last_name": "Lovelace", "phone": "0201234567"})
    assert reply.status == 201
    assert reply.json()["data"]["status"] == "new"
    assert _names(client, "leads", "0201234567") == ["Lovelace"]


def test_create_refuses_unknown_fields_missing_phone_and_bad_json(client: Client) -> None:
    typo = client.post(f"{API}/contacts", json_body={"frist_name": "Ann", "phone": "1"})
    assert typo.status == 422
    body = typo.json()
    assert body["error"] == "validation_failed"
    assert {p["field"] for p in body["problems"]} == {"frist_name", "first_name"}
    no_phone = client.post(f"{API}/contacts", json_body={"first_name": "Ann"})
    assert no_phone.status == 422
    assert "phone" in no_phone.json()["message"]
    broken = client.post(f"{API}/contacts", raw=b'{"first_name": "Ann",}')
    assert broken.status == 400
    assert broken.json()["error"] == "invalid_json"
    assert "line 1 column" in broken.json()["message"]


def test_unknown_paths_and_methods_say_what_exists(client: Client) -> None:
    nowhere = client.get(f"{API}/opportunities")
    assert nowhere.status == 404
    assert nowhere.json()["error"] == "not_found"
    wrong_method = client.request("DELETE", f"{API}/contacts")
    assert wrong_method.status == 405
    assert wrong_method.header("allow") == "GET, POST"
    assert client.get("/nope/api/v1/contacts").status == 404
