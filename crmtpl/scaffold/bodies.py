"""JSON request bodies for a template, built from an operation's request schema.

Properties whose name says what they hold (a first name, the call's duration, a ticket's
subject...) get the PBX variable for it; required properties nobody knows get a value of
their type (the first of an enum, the example, the default, an empty one); optional
properties that fit nothing are left out. The result is JSON text with Go template
actions inside strings (or bare, for numbers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from crmtpl.scaffold.fields import _kind, _merged
from crmtpl.scaffold.words import squash

MAX_DEPTH = 5
#: Members that wrap the record itself: ``{"data": [{...}]}``, ``{"properties": {...}}``.
RECORD_WRAPPERS = {
    "data",
    "record",
    "records",
    "items",
    "input",
    "properties",
    "fields",
    "contact",
    "person",
    "ticket",
    "call",
    "activity",
    "engagement",
}
ISO_TIME = "{{TimeFormat .StartTimeUnix `yyyy-MM-ddTHH:mm:ss` `1`}}Z"
ISO_END = "{{TimeFormat .EndTimeUnix `yyyy-MM-ddTHH:mm:ss` `1`}}Z"


class Bare(str):
    """Text written into the JSON as it is (a number from a template action)."""


class IfSet:
    """A member written only when the PBX variable is set (``{{if .CrmId}}...{{end}}``)."""

    def __init__(self, variable: str, value: object) -> None:
        self.variable = variable
        self.value = value


#: A filler: (squashed property name, its schema) -> a value, or None when it does not fit.
Filler = Callable[[str, Mapping[str, Any]], Any]


def _has(name: str, *parts: str) -> bool:
    return any(part in name for part in parts)


def _number_or_string(schema: Mapping[str, Any], action: str) -> Any:
    return Bare(action) if _kind(schema) in ("integer", "number") else action


def _id_value(schema: Mapping[str, Any], variable: str) -> Any:
    if _kind(schema) in ("integer", "number"):
        return IfSet(variable, Bare(f"{{{{.{variable}}}}}"))
    return IfSet(variable, f"{{{{.{variable}}}}}")


#: Contact values that may be objects of their own parts (``name: {firstName, lastName}``,
#: ``phones: {primaryPhoneNumber, ...}``): built from their properties.
_COMPOSITE_CONTACT_VALUES = ("name", "fullname", "phones", "phone", "phonenumbers")


def contact_filler(free_map_keys: Mapping[str, str]) -> Filler:
    """Create-contact bodies: names and the number."""

    def fill(name: str, schema: Mapping[str, Any]) -> Any:
        if name in _COMPOSITE_CONTACT_VALUES and schema.get("properties"):
            built = build_object(schema, fill, depth=1)  # name: {firstName, lastName}
            return built if "{{" in to_json(built) else None
        if name in ("firstname", "givenname", "first"):
            return "{{.FirstName}}"
        if name in ("lastname", "surname", "familyname", "last"):
            return "{{.LastName}}"
        if name in ("name", "fullname", "displayname"):
            return "{{.FirstName}} {{.LastName}}"
        if name in (
            "phone",
            "phonenumber",
            "workphone",
            "telephone",
            "businessphone",
            "primaryphonenumber",
            "primaryphone",
        ):
            return "{{.BusinessNumber}}"
        if name in ("phones", "phonenumbers"):
            return _phone_list(schema)
        if _kind(schema) == "object" and not schema.get("properties") and free_map_keys:
            known = ("FirstName", "LastName", "BusinessNumber")  # what CreateNewContact has
            return {k: f"{{{{.{f}}}}}" for f, k in free_map_keys.items() if f in known}
        return None

    return fill


def _phone_list(schema: Mapping[str, Any]) -> Any:
    items = schema.get("items")
    if not isinstance(items, Mapping):
        return ["{{.BusinessNumber}}"]
    items = _merged(items)
    properties = items.get("properties") or {}
    key = next((k for k in properties if squash(k) in ("value", "number", "phone")), None)
    if key is None:
        return ["{{.BusinessNumber}}"]
    item: dict[str, Any] = {key: "{{.BusinessNumber}}"}
    for other in items.get("required") or []:
        if other != key and other in properties:
            item[other] = sample(properties[other], other)
    if "primary" in properties:
        item["primary"] = True
    return [item]


_OUTCOME = (
    ("ANSWERED", ("answered", "complet", "connect", "success")),
    ("BUSY", ("busy",)),
    ("NO ANSWER", ("noanswer", "no_answer", "missed", "unanswered", "notanswered")),
)


def _enum_template(values: list[str], variable: str, table: Any) -> str:
    """``{{if eq .X `A`}}a{{else if ...}}...{{else}}fallback{{end}}`` over enum values."""
    branches: list[tuple[str, str]] = []
    for pbx_value, hints in table:
        match = next((v for v in values if any(h in squash(v) for h in hints)), None)
        if match is not None:
            branches.append((pbx_value, match))
    if not branches:
        return values[0]
    text = ""
    for number, (pbx_value, value) in enumerate(branches[:-1] if len(branches) > 1 else []):
        text += (
            "{{if" if number == 0 else "{{else if"
        ) + f" eq .{variable} `{pbx_value}`}}}}{value}"
    fallback = branches[-1][1]
    if not text:
        return fallback
    return f"{text}{{{{else}}}}{fallback}{{{{end}}}}"


def call_filler(name: str, schema: Mapping[str, Any]) -> Any:
    """Call-journal bodies: subject, notes, times, duration, direction, outcome, links."""
    values = [str(v) for v in schema.get("enum") or [] if v is not None]
    time_like = schema.get("format") in ("date-time", "date") or _has(name, "time", "date")
    if _has(name, "duration"):
        return _number_or_string(schema, "{{.Talk_Duration_Sec}}")
    if _has(name, "direction"):
        if values:
            return _enum_template(
                values, "Communication_Type", [("Outbound", ("out",)), ("Inbound", ("in",))]
            )
        return "{{.Communication_Type}}"
    if _has(name, "status", "outcome", "disposition", "result"):
        if values:
            return _enum_template(values, "CallDisposition", _OUTCOME)
        return "{{.CallDisposition}}" if _kind(schema) == "string" else None
    if name == "type" or name.endswith("type"):
        call = next((v for v in values if "call" in v.lower()), None)
        return call if call else ("call" if not values and name == "type" else None)
    if _has(name, "subject", "title"):
        return "{{.Subject}}"
    if _has(name, "body", "description", "note", "comment", "content"):
        return "{{.Description}}"
    if _has(name, "from") and _has(name, "number", "phone"):
        return "{{.CallerNumber}}"
    if _has(name, "to") and _has(name, "number", "phone") and "total" not in name:
        return "{{.CalleeNumber}}"
    if time_like and _has(name, "end", "finish"):
        return _time(schema, end=True)
    if time_like or name == "timestamp":
        return _time(schema, end=False)
    return _link_filler(name, schema)


def _time(schema: Mapping[str, Any], *, end: bool) -> Any:
    variable = ".EndTimeUnix" if end else ".StartTimeUnix"
    if _kind(schema) in ("integer", "number"):
        return Bare(f"{{{{{variable}}}}}")
    if schema.get("format") == "date":
        return f"{{{{TimeFormat {variable} `yyyy-MM-dd` `1`}}}}"
    if schema.get("format") == "date-time":
        return ISO_END if end else ISO_TIME
    return (
        f"{{{{ToMillis {variable}}}}}"
        if "timestamp" in str(schema)
        else (ISO_END if end else ISO_TIME)
    )


def _link_filler(name: str, schema: Mapping[str, Any]) -> Any:
    if _kind(schema) not in ("string", "integer", "number"):
        return None
    if name in ("contactid", "personid", "whoid", "customerid", "requesterid", "contact", "person"):
        return _id_value(schema, "ContactId")
    if name in ("parentid", "parentrecordid"):  # a record about its parent: the contact
        return _id_value(schema, "ContactId")
    if name in ("ownerid", "userid", "assigneeid", "agentid", "responsibleuserid"):
        return _id_value(schema, "CrmId")
    return None


def ticket_filler(name: str, schema: Mapping[str, Any]) -> Any:
    """Ticket bodies: subject and description, the caller and the agent."""
    if name in ("subject", "title", "name", "summary", "shortdescription"):
        return "{{.Subject}}"
    if name in ("description", "body", "comment", "content", "details", "text"):
        return "{{.Description}}"
    return _link_filler(name, schema)


#: Members of a search body that filter by the records' own attributes, as a free map.
FREE_FILTERS = ("filter", "filters", "where", "criteria", "conditions")
#: The key guessed for the number in such a filter (the attribute's name is the CRM's).
FILTER_PHONE_KEY = "phone"


def _free_object(schema: Mapping[str, Any]) -> bool:
    """An object whose keys the description does not name (``additionalProperties``)."""
    return (
        _kind(schema) in ("object", "")
        and not schema.get("properties")
        and schema.get("additionalProperties") not in (None, False)
    )


def search_filler(free_map_keys: Mapping[str, str]) -> Filler:
    """POST search bodies: the number in the search text, the fields to return."""

    def fill(name: str, schema: Mapping[str, Any]) -> Any:
        if name in (
            "query",
            "q",
            "term",
            "search",
            "searchterm",
            "phone",
            "phonenumber",
            "keyword",
            "text",
        ):
            return "{{.Phone}}"
        if name in FREE_FILTERS and _free_object(schema):
            return {FILTER_PHONE_KEY: "{{.Phone}}"}  # a filter of the records' own keys
        items = schema.get("items")
        strings = isinstance(items, Mapping) and _kind(items) == "string"
        if name in ("properties", "fields") and strings and free_map_keys:
            return list(free_map_keys.values())
        if name in ("limit", "perpage", "pagesize", "size", "count"):
            return 10
        return None

    return fill


def sample(schema: Mapping[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value of the schema's type for a required property nobody knows."""
    schema = _merged(schema)
    values = schema.get("enum")
    if isinstance(values, list) and values:
        return values[0]
    for key in ("default", "example"):
        value = schema.get(key)
        if value is not None and not isinstance(value, dict | list):
            return value
    kind = _kind(schema)
    if kind == "string":
        return "1970-01-01T00:00:00Z" if schema.get("format") == "date-time" else ""
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "array" or "items" in schema:
        return []
    if depth >= MAX_DEPTH:
        return {}
    return build_object(schema, lambda n, s: None, depth + 1)


def build_object(schema: Mapping[str, Any], fill: Filler, depth: int = 0) -> dict[str, Any]:
    """An object for ``schema``: properties ``fill`` knows, and the required ones."""
    schema = _merged(schema)
    properties = schema.get("properties") or {}
    required = [r for r in schema.get("required") or [] if isinstance(r, str)]
    out: dict[str, Any] = {}
    for key, sub in properties.items():
        if not isinstance(sub, Mapping) or sub.get("readOnly"):
            continue
        value = fill(squash(str(key)), _merged(sub))
        if isinstance(value, Mismatched):  # a text variable where the schema wants a number
            if key not in required:
                continue
            value = str(value)
        wrapper = depth == 0 and squash(str(key)) in RECORD_WRAPPERS
        if value is None and depth < MAX_DEPTH and (wrapper or key in required):
            value = _nested(_merged(sub), fill, depth, key in required)
        if value is None and key in required:
            value = sample(sub, str(key), depth)
        if value is not None:
            out[str(key)] = value
    return out


def _nested(schema: Mapping[str, Any], fill: Filler, depth: int, required: bool) -> Any:
    """An object (or a list of one) built with ``fill``, kept when required or when it
    carries a PBX value (``{"data": [{...the contact...}]}``)."""
    if _kind(schema) == "object" or schema.get("properties"):
        inner: Any = build_object(schema, fill, depth + 1)
    elif isinstance(schema.get("items"), Mapping) and _merged(schema["items"]).get("properties"):
        inner = [build_object(schema["items"], fill, depth + 1)]
    else:
        return None
    return inner if required or "{{" in to_json(inner) else None


#: ``{{.Name}}`` and nothing else: one PBX variable.
_ONE_VARIABLE = re.compile(r"\{\{\.(\w+)\}\}")


def _number_variable(name: str) -> bool:
    """Whether the catalogue says the PBX variable holds a number (JSON without quotes)."""
    from crmtpl.template.catalogue import catalogue

    spec = catalogue().variable(name)
    return spec is not None and spec.json_number


def _literal_of_kind(text: str, kind: str) -> Any:
    """A literal text as the JSON value of ``kind`` (``"5"`` -> ``5``), or None."""
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return None
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return None


def typed(fill: Filler, mismatches: list[str]) -> Filler:
    """``fill`` with its text values written as the schema types them: a number variable
    (``{{.Talk_Duration_Sec}}``) unquoted where an integer or number is wanted, a literal as
    its number or boolean. A text variable the schema types otherwise (a phone number
    where it wants an integer) cannot be made sound: an optional property is left out, a
    required one stays text; both are told in ``mismatches``."""

    def fill_typed(name: str, schema: Mapping[str, Any]) -> Any:
        value = fill(name, schema)
        kind = _kind(schema)
        if kind not in ("integer", "number", "boolean") or not isinstance(value, str):
            return value
        if isinstance(value, Bare):
            return value
        if "{{" not in value:
            literal = _literal_of_kind(value, kind)
            if literal is not None:
                return literal
        else:
            one = _ONE_VARIABLE.fullmatch(value)
            if one and kind != "boolean" and _number_variable(one.group(1)):
                return Bare(value)
        mismatches.append(f"{name} ({kind}): {value}")
        return Mismatched(value)

    return fill_typed


class Mismatched(str):
    """A text value where the schema wants another type (see :func:`typed`): written only
    when the property is required."""


def body_text(
    schema: Mapping[str, Any], fill: Filler, mismatches: list[str] | None = None
) -> tuple[str, list[str]]:
    """The JSON body text, and the names of the properties it sets from PBX variables;
    with ``mismatches``, values are typed as the schema says (:func:`typed`) and what
    cannot be is told there."""
    if mismatches is not None:
        fill = typed(fill, mismatches)
    body = build_object(schema, fill)
    filled = [key for key, value in body.items() if "{{" in to_json(value)]
    return to_json(body), filled


def has_bare_action(text: str) -> bool:
    """True when a PBX id is written into the JSON unquoted (the API takes a number)."""
    return bool(re.search(r'(?<!")\{\{\.(ContactId|CrmId)\}\}(?!")', text))


def to_json(value: Any, indent: int = 0) -> str:
    """JSON text, :class:`Bare` values unquoted, two spaces per level."""
    pad = "  " * (indent + 1)
    if isinstance(value, Bare):
        return str(value)
    if isinstance(value, IfSet):
        return to_json(value.value, indent)
    if isinstance(value, dict):
        if not value:
            return "{}"
        always = {k: v for k, v in value.items() if not isinstance(v, IfSet)}
        if not always:  # nothing to put the last comma before: write them all
            always, optional = value, {}
        else:
            optional = {k: v for k, v in value.items() if isinstance(v, IfSet)}
        head = "".join(
            f"{{{{if .{v.variable}}}}}{pad}{json.dumps(k)}: {to_json(v, indent + 1)},\n{{{{end}}}}"
            for k, v in optional.items()
        )
        inner = ",\n".join(
            f"{pad}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in always.items()
        )
        return "{\n" + head + inner + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + ", ".join(to_json(v, indent + 1) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
