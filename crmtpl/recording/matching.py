"""Which recording answers a request: method, URL and body, secrets as placeholders.

Both sides are compared after redaction (:mod:`.redaction`), so a recording made with the
real API key matches a replay that only has the ``{{secret:api_key}}`` placeholder. The
method is compared case-insensitively, the URL exactly (query order included), a JSON body
as JSON (member order and whitespace do not matter), any other body as text. Headers are
not compared: they carry tokens, dates and user agents that change between runs.
"""

from __future__ import annotations

import contextlib
import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MatchKey:
    """What two requests must share for a recording to answer one of them."""

    method: str
    url: str
    body: str

    def lines(self) -> list[str]:
        """The key as lines for a diff: the request line, then the body pretty-printed."""
        body = self.body
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        return [f"{self.method} {self.url}", *(body.splitlines() if body else [])]


def match_key(method: str, url: str, body: str | None) -> MatchKey:
    """The key of an already redacted request."""
    return MatchKey(method.upper(), url, _normal_body(body))


def _normal_body(body: str | None) -> str:
    if body is None or not body.strip():
        return ""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def closest(wanted: MatchKey, candidates: Sequence[tuple[str, MatchKey]]) -> tuple[str, MatchKey]:
    """The recorded request most like ``wanted`` (same method first, then text similarity)."""

    def score(candidate: tuple[str, MatchKey]) -> tuple[bool, float]:
        key = candidate[1]
        ratio = difflib.SequenceMatcher(
            None, "\n".join(wanted.lines()), "\n".join(key.lines()), autojunk=False
        ).ratio()
        return key.method == wanted.method, ratio

    return max(candidates, key=score)


def describe_difference(wanted: MatchKey, recorded: MatchKey, origin: str) -> str:
    """A unified diff from the recorded request to the one being sent."""
    return "\n".join(
        difflib.unified_diff(
            recorded.lines(), wanted.lines(), fromfile=origin, tofile="this request", lineterm=""
        )
    )
