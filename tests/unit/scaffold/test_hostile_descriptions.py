"""Descriptions are downloaded from the internet: their strings must come out of
``crmtpl new`` as literal text, never as Go template actions, GJSON syntax, XML markup or
terminal control sequences."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl import gjson
from crmtpl.cli import run
from crmtpl.gotemplate import render
from crmtpl.scaffold.fields import leaves
from crmtpl.scaffold.literal import defuse, go_literal
from crmtpl.scaffold.xmltext import attr, comment
from tests.unit.scaffold.helpers import crm_paths

EVIL = "{{.api_key}}"
_NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(name=_NAMES)
def test_any_property_name_round_trips_through_its_gjson_path(name: str) -> None:
    schema = {"type": "object", "properties": {name: {"type": "string"}}}
    (leaf,) = leaves(schema)
    assert gjson.get(json.dumps({name: "found"}), leaf.path).str == "found"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30))
def test_go_literal_renders_to_the_text_itself(text: str) -> None:
    assert render(go_literal(text), {}) == text
    assert "{{" not in go_literal(text).replace("{{`{{`}}", "")


def test_defuse_keeps_shared_and_recursive_nodes() -> None:
    shared: dict[str, Any] = {"type": "string", "enum": ["a{{b"]}
    node: dict[str, Any] = {"properties": {"x{{": shared, "y": shared}}
    node["properties"]["self"] = node
    out = defuse(node)
    assert out["properties"]["x{{`{{`}}"] is out["properties"]["y"]
    assert out["properties"]["self"] is out
    assert out["properties"]["y"]["enum"] == ["a{{`{{`}}b"]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_xml_text_is_always_well_formed(text: str) -> None:
    from xml.etree import ElementTree

    document = f'<a b="{attr(text)}"><!-- {comment(text)} --></a>'
    parsed = ElementTree.fromstring(document)  # noqa: S314 - text made here
    if not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", text):
        assert parsed.get("b") == text


def _hostile(tmp_path: Path) -> Path:
    paths = crm_paths()
    listing = paths["/contacts"]["get"]
    listing["parameters"].append(
        {"name": f"q{EVIL}\x1b[31m", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    listing["summary"] = f"find {EVIL} --> ]]> \x1b[2J"
    record = listing["responses"]["200"]["content"]["application/json"]["schema"]
    record["properties"]["data"]["items"]["properties"][f"email{EVIL}"] = {"type": "string"}
    paths[f"/contacts{EVIL}"] = paths.pop("/contacts")
    document = {
        "openapi": "3.0.0",
        "info": {"title": f"T{EVIL}\x1b]0;x\x07", "version": "1"},
        "servers": [{"url": f"https://crm.example/api{EVIL}"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                f"k{EVIL}\x1b[31m": {"type": "apiKey", "in": "query", "name": f"key{EVIL}"}
            }
        },
        "security": [{f"k{EVIL}\x1b[31m": []}],
    }
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def test_description_strings_never_become_actions_or_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _hostile(tmp_path)
    output = tmp_path / "crm.xml"
    label = "GET /api{{`{{`}}.api_key}}/contacts{{`{{`}}.api_key}}"
    code = run(["new", str(output), "--openapi", str(spec), "--no-input", "--choose",
                f"lookup={label}"])  # fmt: skip
    shown = capsys.readouterr()
    assert code == 0, shown
    assert "\x1b" not in shown.out + shown.err
    text = output.read_text(encoding="utf-8")
    assert "\x1b" not in text
    outside_comments = re.sub("<!--.*?-->", "", text, flags=re.S)
    assert EVIL not in outside_comments
    assert "{{`{{`}}.api_key}}" in outside_comments


def test_odd_servers_and_schemes_are_passed_over(tmp_path: Path) -> None:
    from crmtpl.openapi.description import load_description
    from crmtpl.scaffold.build import scaffold_from_openapi

    swagger = {"swagger": "2.0", "host": "crm.example", "schemes": 5, "basePath": 3,
               "paths": crm_paths()}  # fmt: skip
    openapi = {"openapi": "3.0.0", "paths": crm_paths(),
               "servers": [{"url": "https://{x}.example", "variables": [1]}]}  # fmt: skip
    openapi_dict = {"openapi": "3.0.0", "paths": crm_paths(), "servers": True}
    for number, document in enumerate((swagger, openapi, openapi_dict)):
        spec = tmp_path / f"api{number}.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        made = scaffold_from_openapi(load_description(spec))
        assert "<Information" in made.text
