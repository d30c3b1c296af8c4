"""crmtpl/gallery/zoho.xml against Prism serving Zoho's own CRM v8 OpenAPI specs.

The template authenticates with OAuth2 against Zoho Accounts; here the access token is
given directly as the variable ``AccessToken`` (what ``--var AccessToken=...`` does), so
no consent page is involved. Zoho wants it as ``Authorization: Zoho-oauthtoken <token>``,
which the template's TokenType provides: the recorder checks that exact header, since
Prism itself only checks that an Authorization header is there. Zoho's spec is loose
about bodies, so the tests also check the bodies' shape themselves. Prism answers with
the spec's example values ("string" ids and names).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RunOutcome, assert_ok, call_file, crmtpl_run, only_record
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import Exchange, PrismRecorder, assert_accepted

TEMPLATE = "zoho.xml"
ACCESS_TOKEN = "1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef"
ORG_ID = "org60012345"


@pytest.fixture(scope="module")
def zoho(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The Zoho mock behind a recorder."""
    with PrismRecorder(peer("zoho")["url"]) as recorder:
        yield recorder


def run(recorder: PrismRecorder, tmp_path: Path, scenario: str, *options: str) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/zoho.xml`` aimed at the recorder, EU data centre."""
    recorder.take()
    variables = {
        "api_domain": recorder.url,
        "dc": "eu",
        "org_id": ORG_ID,
        "client_id": "1000.CLIENTID",
        "client_secret": "client-secret",
        "AccessToken": ACCESS_TOKEN,
    }
    return crmtpl_run(scenario, TEMPLATE, *options, variables=variables, config_dir=tmp_path)


def assert_zoho_auth(exchanges: list[Exchange]) -> None:
    """Every request carried Zoho's own scheme, not Bearer."""
    for exchange in exchanges:
        assert exchange.headers["authorization"] == f"Zoho-oauthtoken {ACCESS_TOKEN}"


def test_active_users_are_listed_with_the_zoho_oauthtoken_scheme(
    zoho: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(zoho, tmp_path, "users")
    assert_ok(outcome, sent=["UserAssociation"])
    assert outcome.records == [
        {"UserUniqueId": "string", "FirstName": "string", "LastName": "string", "Email": "string"}
    ]
    exchanges = zoho.take()
    assert_accepted(exchanges, count=1)
    assert exchanges[0].path == "/crm/v8/users?type=ActiveConfirmedUsers&per_page=200"
    assert_zoho_auth(exchanges)


def test_lookup_searches_contacts_and_leads_with_their_own_popup_urls(
    zoho: PrismRecorder, tmp_path: Path
) -> None:
    outcome = run(zoho, tmp_path, "lookup", "--phone", "+14155550123")
    assert_ok(outcome)
    assert sorted(name for name, _ in outcome.statuses) == ["Contacts", "Leads"]
    by_type = {record["ContactSyncType"]: record for record in outcome.records}
    assert sorted(by_type) == ["Contacts", "Leads"]
    for module, record in by_type.items():
        assert record["ContactsId"] == "string"
        assert record["ContactUrl"] == f"https://crm.zoho.eu/crm/{ORG_ID}/tab/{module}/string"

    exchanges = zoho.take()
    assert_accepted(exchanges, count=2)
    paths = sorted(exchange.path.split("&", 1)[0] for exchange in exchanges)
    assert paths == [
        "/crm/v8/Contacts/search?phone=%2B14155550123",
        "/crm/v8/Leads/search?phone=%2B14155550123",
    ]
    assert_zoho_auth(exchanges)


@pytest.mark.parametrize(
    ("contact_type", "expected"),
    [
        ("Contacts", {"First_Name": "Alice", "Last_Name": "Alice", "Phone": "+14155550123"}),
        (
            "Leads",
            {
                "First_Name": "Alice",
                "Last_Name": "Alice",
                "Company": "Alice",
                "Phone": "+14155550123",
            },
        ),
    ],
)
def test_create_contact_posts_to_the_module_of_the_chosen_type(
    zoho: PrismRecorder, tmp_path: Path, contact_type: str, expected: dict[str, str]
) -> None:
    # only a first name, as from a Linkus pop-up: Zoho requires Last_Name (and a
    # Company for a lead), which the template fills from what it has
    outcome = run(
        zoho,
        tmp_path,
        "create-contact",
        "--type",
        contact_type,
        "--first-name",
        "Alice",
        "--number",
        "+14155550123",
    )
    assert_ok(outcome, sent=[contact_type])
    assert only_record(outcome) == {"ContactId": "string"}
    [create] = zoho.take()
    assert_accepted([create], count=1)
    assert (create.method, create.path) == ("POST", f"/crm/v8/{contact_type}")
    assert create.json_body == {"data": [expected]}


@pytest.mark.parametrize(
    ("contact_type", "link"),
    [
        ("Contacts", {"Who_Id": {"id": "3477061000000419001"}}),
        ("Leads", {"What_Id": {"id": "3477061000000419001"}, "$se_module": "Leads"}),
    ],
)
def test_call_journal_links_the_call_to_a_contact_or_a_lead(
    zoho: PrismRecorder, tmp_path: Path, contact_type: str, link: dict[str, object]
) -> None:
    call = call_file(
        tmp_path,
        "call",
        {
            "StartTimeUnix": "1764054000",
            "Talk_Duration": "00:02:05",
            "Talk_Duration_Sec": "125",
            "Communication_Type": "Inbound",
            "Call_Status": "Missed",
            "CrmId": "4150868000000225013",
            "EnableCallRecording": "0",
        },
    )
    outcome = run(
        zoho,
        tmp_path,
        "call-journal",
        "--call",
        str(call),
        "--contact-id",
        "3477061000000419001",
        "--contact-type",
        contact_type,
    )
    assert_ok(outcome, sent=["CallJournal"])
    [logged] = zoho.take()
    assert_accepted([logged], count=1)
    assert (logged.method, logged.path) == ("POST", "/crm/v8/Calls")
    [call_record] = logged.json_body["data"]
    assert call_record["Call_Type"] == "Missed"
    assert call_record["Call_Start_Time"] == "2025-11-25T07:00:00+00:00"
    assert call_record["Call_Duration"] == "02:05"
    assert call_record["Owner"] == {"id": "4150868000000225013"}
    linked = {k: v for k, v in call_record.items() if k in ("Who_Id", "What_Id", "$se_module")}
    assert linked == link
