"""RenderedRequest: one HTTP request exactly as the PBX would send it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class JsonProblem:
    """Where a body stops being valid JSON (1-based line and column inside the body)."""

    message: str
    line: int
    column: int
    offset: int


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def check_json(text: str) -> JsonProblem | None:
    """None if ``text`` is valid JSON as Go's encoding/json reads it; else where it breaks."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as problem:
        return JsonProblem(problem.msg, problem.lineno, problem.colno, problem.pos)
    except ValueError as problem:
        return JsonProblem(str(problem), 1, 1, 0)
    return None


@dataclass
class RenderedRequest:
    """A request after every ``{{...}}`` was filled in: what goes on the wire.

    ``headers`` keep their order: the AuthMethod scenario's global headers, then the
    request's own, then the ``Authorization`` header the auth method implies.
    """

    scenario: str
    name: str
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    response_type: str = "application/json"

    def header(self, name: str) -> str | None:
        """The last header of that name (case-insensitive), or None."""
        wanted = name.lower()
        found = None
        for key, value in self.headers:
            if key.lower() == wanted:
                found = value
        return found

    @property
    def body_is_json(self) -> bool:
        """True when the body is declared JSON (Content-Type) or, undeclared, parses as JSON."""
        if self.body is None or self.body == "":
            return False
        content_type = (self.header("Content-Type") or "").lower()
        if content_type:
            return "json" in content_type
        return check_json(self.body) is None

    def body_json_problem(self) -> JsonProblem | None:
        """Where a body declared as JSON is not valid JSON, or None."""
        if self.body is None or self.body == "":
            return None
        content_type = (self.header("Content-Type") or "").lower()
        declared_json = "json" in content_type or (
            not content_type and self.body.lstrip()[:1] in ("{", "[")
        )
        return check_json(self.body) if declared_json else None
