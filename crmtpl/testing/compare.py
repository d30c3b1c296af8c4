"""Expected records and requests against what a run produced; each failure names a field.

Records: ``exact`` wants the same records (in any order) with the same fields; ``subset``
wants every expected record to be found, fields given equal, among the records (extra
records and fields are fine). Requests: each expected request must have been sent (method,
URL, JSON body), ``{{any}}`` matching any value and secrets compared as placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from crmtpl.testing.spec import ExpectedRequest

ANY = "{{any}}"


def _render(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _closest(expected: dict[str, str], actual: Sequence[dict[str, str]]) -> dict[str, str] | None:
    def agreeing(record: dict[str, str]) -> int:
        return sum(1 for key, value in expected.items() if record.get(key) == value)

    return max(actual, key=agreeing, default=None)


def _field_differences(
    number: int, expected: dict[str, str], actual: dict[str, str] | None, exact: bool
) -> list[str]:
    if actual is None:
        return [f"records[{number}]: expected a record, the run produced none"]
    problems = []
    for key, value in expected.items():
        if key not in actual:
            problems.append(f"records[{number}].{key}: expected {_render(value)}, field absent")
        elif actual[key] != value:
            problems.append(
                f"records[{number}].{key}: expected {_render(value)}, got {_render(actual[key])}"
            )
    if exact:
        for key in sorted(actual.keys() - expected.keys()):
            problems.append(f"records[{number}].{key}: not expected, got {_render(actual[key])}")
    return problems


def compare_records(
    expected: Sequence[dict[str, str]], actual: Sequence[dict[str, str]], match: str
) -> list[str]:
    """What differs, one line per field; empty when the records are as expected."""
    exact = match == "exact"
    problems: list[str] = []
    remaining = list(actual)
    for number, record in enumerate(expected):
        best = _closest(record, remaining)
        differences = _field_differences(number, record, best, exact)
        problems.extend(differences)
        if best is not None and not differences:
            remaining.remove(best)
    if exact and len(actual) != len(expected):
        problems.append(f"records: expected {len(expected)}, the run produced {len(actual)}")
    return problems


def _pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected.split(ANY)), re.DOTALL)


def _json_matches(expected: Any, actual: Any) -> bool:
    if expected == ANY:
        return True
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and all(
                key in actual and _json_matches(value, actual[key])
                for key, value in expected.items()
            )
            and set(actual) <= set(expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_json_matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, str) and isinstance(actual, str):
        return bool(_pattern(expected).fullmatch(actual))
    return bool(expected == actual)


def request_matches(expected: ExpectedRequest, method: str, url: str, body: str | None) -> bool:
    """True when a sent (redacted) request is the expected one."""
    if expected.method.upper() != method.upper() or not _pattern(expected.url).fullmatch(url):
        return False
    if expected.body is None:
        return True
    try:
        parsed = json.loads(body or "")
    except ValueError:
        return isinstance(expected.body, str) and bool(
            _pattern(expected.body).fullmatch(body or "")
        )
    return _json_matches(expected.body, parsed)


def compare_requests(
    expected: Sequence[ExpectedRequest], sent: Sequence[tuple[str, str, str | None]]
) -> list[str]:
    """One line per expected request that was not sent, with what was."""
    problems = []
    for number, wanted in enumerate(expected):
        if any(request_matches(wanted, *request) for request in sent):
            continue
        seen = "; ".join(f"{method} {url}" for method, url, _ in sent) or "none"
        problems.append(
            f"requests[{number}]: {wanted.method} {wanted.url} was not sent (sent: {seen})"
        )
    return problems
