"""Checking request bodies the way a strict CRM does, with messages a template author can act on.

A body must be a JSON object whose fields are all known and well typed. Unknown fields are
refused rather than ignored: a typo such as ``frist_name`` in a template's body then shows
up at once instead of as a silently empty field. So is a value holding Go's ``<no value>``,
the trace of a variable that was missing when the template was rendered. References to
records the PBX names (contact, agent, ticket ids) are kept even when nothing here has that
id; the answer says which record, if any, they link to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

FieldKind = Literal["text", "id", "ref", "count", "bool", "choice"]
"""``id``: a positive number (or digit string) naming a record that must exist; ``ref``: an
id as the PBX passes it, which need not exist here (a digit string becomes a number, other
text such as a sample ``u-7788`` is kept)."""


@dataclass(frozen=True)
class FieldRule:
    """What one body field may hold."""

    kind: FieldKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a body."""

    field: str
    message: str


class InvalidBody(Exception):
    """The body cannot be stored; ``problems`` say why (HTTP 400 or 422)."""

    def __init__(self, summary: str, problems: list[Problem], *, status: int = 422) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems
        self.status = status


_PERSON = {
    "first_name": FieldRule(),
    "last_name": FieldRule(),
    "company": FieldRule(),
    "email": FieldRule(),
    "phone": FieldRule(required=True),
    "mobile": FieldRule(),
    "title": FieldRule(),
    "notes": FieldRule(),
    "source": FieldRule(),
    "owner_id": FieldRule("id"),
}
_CONTACT_TYPES = ("contacts", "leads")
CONTACT_FIELDS = dict(_PERSON)
LEAD_FIELDS = dict(_PERSON)
CALL_FIELDS = {
    "subject": FieldRule(),
    "description": FieldRule(),
    "direction": FieldRule(),
    "status": FieldRule(),
    "disposition": FieldRule(),
    "from": FieldRule(),
    "from_name": FieldRule(),
    "to": FieldRule(),
    "to_name": FieldRule(),
    "started_at": FieldRule(),
    "ended_at": FieldRule(),
    "duration_seconds": FieldRule("count"),
    "talk_seconds": FieldRule("count"),
    "contact_type": FieldRule("choice", choices=_CONTACT_TYPES),
    "contact_id": FieldRule("ref"),
    "contact_number": FieldRule(),
    "agent_id": FieldRule("ref"),
    "agent_email": FieldRule(),
    "ticket_id": FieldRule("ref"),
    "recording_url": FieldRule(),
}
TICKET_FIELDS = {
    "subject": FieldRule(required=True),
    "description": FieldRule(),
    "status": FieldRule("choice", choices=("open", "pending", "solved")),
    "priority": FieldRule("choice", choices=("low", "normal", "high", "urgent")),
    "channel": FieldRule(),
    "department_id": FieldRule("id"),
    "requester_type": FieldRule("choice", choices=_CONTACT_TYPES),
    "requester_id": FieldRule("ref"),
    "assignee_id": FieldRule("ref"),
    "phone": FieldRule(),
}
COMMENT_FIELDS = {
    "body": FieldRule(required=True),
    "public": FieldRule("bool"),
    "author_id": FieldRule("ref"),
}


_MISSING_VARIABLE = "<no value>"
MAX_ID = 2**63 - 1
"""The largest id: SQLite integers have 64 bits."""
_MAX_NUMBER_DIGITS = 30


def _bounded_int(text: str) -> int:
    """``json.loads``'s integer parser, refusing numbers no field here could hold."""
    digits = text.lstrip("-")
    if len(digits) > _MAX_NUMBER_DIGITS:
        raise ValueError(f"a number in the body has {len(digits)} digits; the limit is 30")
    return int(text)


def load_json(text: str | bytes) -> Any:
    """``json.loads`` for untrusted bodies: huge numbers and deep nesting are ValueErrors.

    A 5000-digit number or an array nested 100 000 levels deep is refused with a sentence
    instead of Python's own limits surfacing as an internal error.
    """
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise ValueError("the JSON nests arrays or objects too deeply") from None


def is_storable_id(value: int) -> bool:
    """Whether a number fits the database's 64-bit integers."""
    return -MAX_ID - 1 <= value <= MAX_ID


def id_from_text(text: str) -> int | None:
    """A string of ASCII digits as an id, or None when it is not one or is too large."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def shown_id(text: str) -> str:
    """An id as text for a message, shortened when absurdly long."""
    return text if len(text) <= 24 else f"{text[:20]}… ({len(text)} digits)"


def parse_json_body(raw: bytes) -> Any:
    """Decode a request body as JSON, or raise :class:`InvalidBody` (HTTP 400) saying where."""
    if not raw.strip():
        raise InvalidBody(
            "the request has no body; send a JSON object",
            [Problem("", "empty body")],
            status=400,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise InvalidBody(
            f"the body is not UTF-8 (byte {bad.start})", [Problem("", "not UTF-8")], status=400
        ) from None
    try:
        return load_json(text)
    except json.JSONDecodeError as bad:
        message = f"the body is not valid JSON: {bad.msg} at line {bad.lineno} column {bad.colno}"
        raise InvalidBody(message, [Problem("", message)], status=400) from None
    except ValueError as bad:
        message = f"the body is not accepted: {bad}"
        raise InvalidBody(message, [Problem("", message)], status=400) from None


def check_body(
    body: Any, rules: dict[str, FieldRule], what: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Check a decoded body against ``rules``: the normalised fields and the problems found.

    Ids may be JSON numbers or digit strings (templates usually quote them) and become
    ints; empty strings and ``null`` mean "not given". A body that is not an object raises
    :class:`InvalidBody` at once; other problems are returned so that the caller can add
    its own (an id that does not exist) and report them all together with :func:`reject`.
    """
    if not isinstance(body, dict):
        raise InvalidBody(
            f"the body of a {what} must be a JSON object, not {_json_type(body)}",
            [Problem("", "not an object")],
        )
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for name, value in body.items():
        rule = rules.get(name)
        if rule is None:
            allowed = ", ".join(rules)
            problems.append(Problem(name, f'unknown field "{name}" (allowed: {allowed})'))
            continue
        normalised, problem = _check(name, value, rule)
        if problem:
            problems.append(Problem(name, problem))
        elif normalised is not None:
            fields[name] = normalised
    for name, rule in rules.items():
        if rule.required and name not in fields and name not in {p.field for p in problems}:
            problems.append(Problem(name, f'"{name}" is required and must not be empty'))
    return fields, problems


def reject(problems: list[Problem], what: str) -> None:
    """Raise :class:`InvalidBody` (HTTP 422) listing ``problems``, if there are any."""
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        summary = f"the {what} was not stored, {count}: " + "; ".join(p.message for p in problems)
        raise InvalidBody(summary, problems)


def _check(name: str, value: Any, rule: FieldRule) -> tuple[Any, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, str) and _MISSING_VARIABLE in value:
        return None, (
            f'"{name}" contains "{_MISSING_VARIABLE}": a template variable had no value when'
            " the body was rendered"
        )
    if rule.kind == "text":
        if isinstance(value, str):
            return value, None
        return None, f'"{name}" must be a string, not {_json_type(value)}'
    if isinstance(value, str) and len(value) > _MAX_TEXT:
        return None, f'"{name}" is {len(value)} characters long; the limit is {_MAX_TEXT}'
    number = _as_number(value)
    if isinstance(value, int) and number is not None and not is_storable_id(number):
        return None, f'"{name}" is too large: numbers here fit in 64 bits (at most {MAX_ID})'
    if rule.kind == "ref":
        if isinstance(value, str) or number is not None:  # a long digit string stays text
            return (number if number is not None else value), None
        return None, f'"{name}" must be an id (a string or a number), not {_json_type(value)}'
    if rule.kind == "id":
        if number is not None and number > 0:
            return number, None
        return None, f'"{name}" must be an id such as 1001, not {_shown_json(value)}'
    if rule.kind == "count":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value, None
        return None, (
            f'"{name}" must be a whole number of seconds written without quotes (69),'
            f" not {_shown_json(value)}"
        )
    if rule.kind == "bool":
        if isinstance(value, bool):
            return value, None
        return None, f'"{name}" must be true or false, not {_shown_json(value)}'
    if isinstance(value, str) and value.lower() in rule.choices:
        return value.lower(), None
    return None, f'"{name}" must be one of {", ".join(rule.choices)}, not {_shown_json(value)}'


_MAX_TEXT = 100_000


def _as_number(value: Any) -> int | None:
    """An int, or a string of digits that fits 64 bits as an int; otherwise None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return id_from_text(value)
    return None


def _shown_json(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a number"
