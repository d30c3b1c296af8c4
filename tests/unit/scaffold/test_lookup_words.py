"""Which operation is the contact search: collections spelt other ways (``parties``,
``customer-profiles``, ``customerProfiles``, ``end_users``), a parameter whose description
speaks of phone numbers, and listings with no parameter that can carry the number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crmtpl.scaffold.build import ScaffoldError, scaffold_from_openapi
from crmtpl.scaffold.operations import candidates
from tests.unit.scaffold.helpers import CONTACT, answer, load, openapi, query, strict_problems

LISTING = {"type": "object", "properties": {"data": {"type": "array", "items": CONTACT}}}


def _get(*parameters: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"parameters": list(parameters), "responses": answer(LISTING)}}


def _described(name: str, text: str) -> dict[str, Any]:
    return {**query(name), "description": text}


@pytest.mark.parametrize(
    "path",
    ["/parties/search", "/customer-profiles", "/customerProfiles", "/end_users", "/clientRecords"],
)
def test_collections_of_contacts_spelt_other_ways(tmp_path: Path, path: str) -> None:
    description = load(tmp_path, openapi({path: _get(query("phoneNumber"))}))
    found = candidates(description, "lookup")
    assert [c.operation.path for c in found] == [path]
    made = scaffold_from_openapi(description)
    assert f"{path}?phoneNumber={{{{UrlEncode .Phone}}}}" in made.text
    assert strict_problems(tmp_path, made.text) == []


def test_a_parameter_described_as_searching_phone_numbers_wins(tmp_path: Path) -> None:
    paths = {
        "/parties/search": _get(
            _described("q", "A name, a postcode or a phone number to search for"),
            _described("email", "An e-mail address"),
        )
    }
    found = candidates(load(tmp_path, openapi(paths)), "lookup")
    assert found[0].phone_parameter is not None and found[0].phone_parameter.name == "q"
    assert "its description speaks of phone numbers" in found[0].reasons


def test_the_description_decides_between_two_search_texts(tmp_path: Path) -> None:
    paths = {
        "/contacts": _get(
            _described("keyword", "Matches the name"),
            _described("value", "The telephone number of the contact"),
        )
    }
    found = candidates(load(tmp_path, openapi(paths)), "lookup")
    assert found[0].phone_parameter is not None and found[0].phone_parameter.name == "value"


def test_paging_parameters_never_carry_the_number(tmp_path: Path) -> None:
    """``GET /contacts?pageNumber=&pageSize=`` lists every contact: not a lookup."""
    paths = {"/contacts": _get(query("pageNumber"), query("page_size"), query("sortOrder"))}
    description = load(tmp_path, openapi(paths))
    assert candidates(description, "lookup") == []
    with pytest.raises(ScaffoldError) as raised:
        scaffold_from_openapi(description)
    assert raised.value.hint is not None and "--choose" in raised.value.hint


def test_a_listing_without_parameters_is_no_lookup(tmp_path: Path) -> None:
    description = load(tmp_path, openapi({"/api/Contact": _get()}))
    assert candidates(description, "lookup") == []


def test_a_search_body_without_a_place_for_the_number_says_it_lists_everything(
    tmp_path: Path,
) -> None:
    search = {
        "post": {
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"limit": {"type": "integer"}}}
                    }
                }
            },
            "responses": answer(LISTING),
        }
    }
    made = scaffold_from_openapi(load(tmp_path, openapi({"/contacts/search": search})))
    note = next(c for c in made.choices if c.key == "lookup.body")
    assert note.ambiguous and note.picked == "nowhere"
    assert "lists everything" in note.reason
