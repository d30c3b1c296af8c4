"""Bodies typed as the request schema says, and ``new`` judging its template with the
description it was built from (``new`` and ``validate --openapi`` never disagree)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from crmtpl.cli import run
from crmtpl.scaffold.bodies import Bare, body_text, call_filler, typed
from crmtpl.scaffold.build import scaffold_from_openapi
from tests.unit.scaffold.helpers import crm_paths, load, openapi


def _integer_phone(*, required: bool) -> dict[str, Any]:
    """A CRM whose new contact's ``phone`` the description types as an integer."""
    paths = copy.deepcopy(crm_paths())
    schema = paths["/contacts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema["properties"]["phone"] = {"type": "integer"}
    if required:
        schema["required"] = ["phone"]
    return openapi(paths)


def _new_and_validate(
    tmp_path: Path, document: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any], int, str]:
    """``new --format json`` then ``validate --strict --openapi`` of what it wrote: their
    exit codes, new's report and validate's output."""
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    output = tmp_path / "crm.xml"
    new_code = run(["new", str(output), "--openapi", str(spec), "--no-input", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    validate_code = run(["validate", "--strict", "--openapi", str(spec), str(output)])
    return new_code, report, validate_code, capsys.readouterr().out


def test_an_optional_integer_phone_is_left_out_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_code, report, validate_code, _ = _new_and_validate(
        tmp_path, _integer_phone(required=False), capsys
    )
    assert new_code == 0 and report["clean"]
    types = next(c for c in report["choices"] if c["key"] == "create-contact.types")
    assert types["ambiguous"] and "phone (integer)" in types["picked"]
    assert validate_code == 0
    created = (tmp_path / "crm.xml").read_text(encoding="utf-8").split('Id="CreateNewContact"')[1]
    assert "&quot;phone&quot;" not in created.split("</Scenario>")[0]


def test_new_reports_what_validate_openapi_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A required integer phone stays text: both say CT977 and both exit 1."""
    new_code, report, validate_code, validated = _new_and_validate(
        tmp_path, _integer_phone(required=True), capsys
    )
    assert new_code == 1 and any(" CT977 " in finding for finding in report["findings"])
    assert validate_code == 1 and "CT977" in validated


def test_values_are_written_as_the_schema_types_them() -> None:
    mismatches: list[str] = []

    def fill(name: str, schema: Any) -> Any:
        return {
            "duration": "{{.Talk_Duration_Sec}}",
            "priority": "5",
            "private": "true",
            "phone": "{{.CallerNumber}}",
        }.get(name)

    schema = {
        "type": "object",
        "properties": {
            "duration": {"type": "integer"},
            "priority": {"type": "integer"},
            "private": {"type": "boolean"},
            "phone": {"type": "number"},
        },
    }
    text, _ = body_text(schema, fill, mismatches)
    assert json.loads(text.replace("{{.Talk_Duration_Sec}}", "7")) == {
        "duration": 7,
        "priority": 5,
        "private": True,
    }
    assert mismatches == ["phone (number): {{.CallerNumber}}"]
    assert isinstance(typed(call_filler, [])("duration", {"type": "number"}), Bare)


def test_a_crm_with_well_typed_bodies_gets_no_type_choice(tmp_path: Path) -> None:
    made = scaffold_from_openapi(load(tmp_path, openapi(crm_paths())))
    assert not [c for c in made.choices if c.key.endswith(".types")]
