"""The Information feature flags follow exactly the scenarios a scaffold writes: a flag set
without its scenario is CT305 in the template's own strict check."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from crmtpl.scaffold.build import FEATURE_FLAGS, scaffold_from_openapi
from tests.unit.scaffold.helpers import answer, body, crm_paths, load, openapi, strict_problems


def _without_create_schema() -> dict[str, Any]:
    """Contact creation that declares no JSON request body (form data or nothing)."""
    paths = crm_paths()
    del paths["/contacts"]["post"]["requestBody"]
    return paths


def _without_users_and_calls() -> dict[str, Any]:
    paths = crm_paths()
    del paths["/users"], paths["/calls"]
    return paths


def _helpdesk() -> dict[str, Any]:
    paths = copy.deepcopy(crm_paths())
    del paths["/contacts"]["post"]
    ticket = {"type": "object", "properties": {"subject": {"type": "string"}}}
    paths["/tickets"] = {
        "post": {
            "operationId": "createTicket",
            "requestBody": body(ticket),
            "responses": answer({"type": "object", "properties": {"id": {"type": "integer"}}}),
        }
    }
    return paths


def _helpdesk_without_ticket_schema() -> dict[str, Any]:
    paths = _helpdesk()
    del paths["/tickets"]["post"]["requestBody"]
    return paths


CASES = {
    "full": crm_paths,
    "create-without-schema": _without_create_schema,
    "lookup-only": _without_users_and_calls,
    "helpdesk": _helpdesk,
    "helpdesk-ticket-without-schema": _helpdesk_without_ticket_schema,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_flags_follow_the_scenarios_written(tmp_path: Path, case: str) -> None:
    text = scaffold_from_openapi(load(tmp_path, openapi(CASES[case]()))).text
    information = re.search(r"<Information [^>]*>", text)
    assert information is not None
    flags = dict(re.findall(r'(\w+)="([^"]*)"', information.group(0)))
    written = set(re.findall(r'<Scenario Id="(\w+)"', text))
    for flag in FEATURE_FLAGS:
        assert flags[flag] == ("1" if flag in written else "0"), (case, flag)
    assert [p for p in strict_problems(tmp_path, text) if " CT3" in p] == []


def test_a_creation_without_a_body_schema_says_it_wrote_no_scenario(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(_without_create_schema())))
    note = next(c for c in made.choices if c.key == "create-contact.body")
    assert note.picked == "none" and note.ambiguous
    assert "no CreateNewContact scenario" in note.reason
    assert 'CreateNewContact="0"' in made.text
