"""Small synthetic OpenAPI descriptions for the scaffold's unit tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crmtpl.lint.checker import lint_source
from crmtpl.openapi.description import ApiDescription, load_description

CONTACT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "email": {"type": "string"},
        "phone": {"type": "string"},
        "company": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
    },
}


def answer(schema: dict[str, Any]) -> dict[str, Any]:
    """A 200 JSON response of ``schema``."""
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON request body of ``schema``."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def query(name: str, required: bool = False) -> dict[str, Any]:
    """A string query parameter."""
    return {"name": name, "in": "query", "required": required, "schema": {"type": "string"}}


def crm_paths() -> dict[str, Any]:
    """A small CRM: contact search by phone, creation, calls, users."""
    listing = {"type": "object", "properties": {"data": {"type": "array", "items": CONTACT}}}
    users = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "firstName": {"type": "string"},
                "lastName": {"type": "string"},
                "email": {"type": "string"},
            },
        },
    }
    call = {
        "type": "object",
        "required": ["contact_id", "started_at"],
        "properties": {
            "contact_id": {"type": "integer"},
            "subject": {"type": "string"},
            "notes": {"type": "string"},
            "duration": {"type": "integer"},
            "direction": {"type": "string", "enum": ["inbound", "outbound"]},
            "started_at": {"type": "string", "format": "date-time"},
            "id": {"type": "integer", "readOnly": True},
        },
    }
    return {
        "/contacts": {
            "get": {
                "operationId": "listContacts",
                "parameters": [query("phone"), query("page")],
                "responses": answer(listing),
            },
            "post": {
                "operationId": "createContact",
                "requestBody": body(CONTACT),
                "responses": answer(CONTACT),
            },
        },
        "/contacts/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": answer(CONTACT),
            },
        },
        "/calls": {
            "post": {
                "operationId": "logCall",
                "requestBody": body(call),
                "responses": answer({"type": "object", "properties": {"id": {"type": "integer"}}}),
            }
        },
        "/users": {"get": {"operationId": "listUsers", "responses": answer(users)}},
    }


def openapi(
    paths: dict[str, Any],
    *,
    schemes: dict[str, Any] | None = None,
    servers: list[str] | None = None,
) -> dict[str, Any]:
    """An OpenAPI 3 document."""
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Tiny CRM", "version": "1"},
        "servers": [{"url": u} for u in (servers or ["https://api.tiny.example/v2"])],
        "paths": paths,
    }
    if schemes is not None:
        document["components"] = {"securitySchemes": schemes}
    return document


def load(tmp_path: Path, document: dict[str, Any], name: str = "api.json") -> ApiDescription:
    """Write ``document`` and load it."""
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return load_description(path)


def strict_problems(tmp_path: Path, text: str) -> list[str]:
    """What ``crmtpl validate --strict`` finds (errors and warnings) in ``text``."""
    path = tmp_path / "generated.xml"
    path.write_text(text, encoding="utf-8")
    result = lint_source(path)
    return [
        f"{d.line}: {d.rule} {d.message}"
        for d in result.diagnostics
        if d.severity.value in ("error", "warning")
    ]
