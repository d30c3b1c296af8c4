"""One recorded exchange and its file: readable JSON, bodies pretty-printed in place.

```json
{
  "request": {"name": "SearchContact", "method": "GET", "url": "...",
              "headers": ["Accept: application/json"], "body_format": "none", "body": null},
  "response": {"status": 200, "reason": "OK", "headers": [...], "elapsed_ms": 3.2,
               "body_format": "json", "body": {...the answer, pretty...}}
}
```

``body_format`` is ``json`` (the body is embedded as JSON, pretty-printed by the GJSON
engine so numbers keep their exact text), ``text`` (a JSON string) or ``none``. A JSON body
is replayed in its compact form (``@ugly``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from crmtpl import gjson
from crmtpl.errors import UsageError

_MARKER = "\u0000body:{}\u0000"


@dataclass(frozen=True)
class RecordedMessage:
    """The parts of a request or a response a recording keeps."""

    headers: list[tuple[str, str]]
    body: str | None


@dataclass(frozen=True)
class RecordedExchange:
    """A request as sent (secrets replaced) and the answer it got."""

    name: str
    method: str
    url: str
    request: RecordedMessage
    status: int
    reason: str
    response: RecordedMessage
    elapsed_ms: float = 0.0


def body_format(body: str | None) -> str:
    """``none``, ``json`` (a valid, non-empty JSON document) or ``text``."""
    if body is None:
        return "none"
    if body.strip() and gjson.valid(body):
        return "json"
    return "text"


def _pretty(body: str) -> str:
    return gjson.get(body, "@pretty").raw.rstrip("\n")


def _compact(body: str) -> str:
    return gjson.get(body, "@ugly").raw


def to_file_text(exchange: RecordedExchange) -> str:
    """The file contents for one exchange."""
    bodies: dict[str, str] = {}

    def part(key: str, message: RecordedMessage) -> dict[str, Any]:
        fmt = body_format(message.body)
        value: Any = message.body
        if fmt == "json" and message.body is not None:
            value = _MARKER.format(key)
            bodies[json.dumps(value)] = _pretty(message.body)
        return {
            "headers": [f"{name}: {val}" for name, val in message.headers],
            "body_format": fmt,
            "body": value,
        }

    document = {
        "request": {"name": exchange.name, "method": exchange.method, "url": exchange.url}
        | part("request", exchange.request),
        "response": {
            "status": exchange.status,
            "reason": exchange.reason,
            "elapsed_ms": round(exchange.elapsed_ms, 1),
        }
        | part("response", exchange.response),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    for marker, pretty in bodies.items():
        indent = re.search(r"\n( *)\"body\": " + re.escape(marker), text)
        pad = indent.group(1) if indent else ""
        text = text.replace(marker, pretty.replace("\n", "\n" + pad), 1)
    return text + "\n"


def from_file_text(text: str, origin: str) -> RecordedExchange:
    """Read one exchange file; a usage error naming the file when it is not one."""
    if not gjson.valid(text):
        raise UsageError(
            f"{origin}: not a recording (not valid JSON)",
            hint="recordings are written by crmtpl run lookup TEMPLATE ... --record DIR",
        )
    try:
        document = json.loads(text)
        request, response = document["request"], document["response"]
        return RecordedExchange(
            name=str(request.get("name", "")),
            method=str(request["method"]),
            url=str(request["url"]),
            request=_message(text, "request", request),
            status=int(response["status"]),
            reason=str(response.get("reason", "")),
            response=_message(text, "response", response),
            elapsed_ms=float(response.get("elapsed_ms", 0.0)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        raise UsageError(
            f"{origin}: not a recording (missing or wrong {problem})",
            hint="re-record it with crmtpl run lookup TEMPLATE ... --record DIR",
        ) from problem


def _header(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name.strip(), value.strip()


def _message(text: str, key: str, part: dict[str, Any]) -> RecordedMessage:
    headers = [_header(str(line)) for line in part.get("headers", [])]
    fmt = part.get("body_format", "text")
    if fmt == "none" or part.get("body") is None:
        return RecordedMessage(headers, None)
    if fmt == "json":
        return RecordedMessage(headers, _compact(gjson.get(text, f"{key}.body").raw))
    return RecordedMessage(headers, str(part["body"]))
