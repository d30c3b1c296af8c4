"""Which operation of a description a request of a template calls.

A template's URL starts with a base URL the administrator fills in (``{{.base_url}}``), so
its path is matched from the end: the operation's path template, behind one of its servers'
base paths, must match the last segments of the request's path. A ``{name}`` in a path
template matches one non-empty segment (or the part of a segment it stands for, as in
``{id}.json``). The best match is the one that explains most of the path, then the one with
most literal segments; a path that some operation matches with another method is told
apart from one no operation has (:func:`operations_on_path`), and :func:`closest_paths`
names the nearest paths for a hint.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from crmtpl.openapi.description import ApiDescription, Operation

_PARAMETER = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class OperationMatch:
    """An operation matched by a request path, and the values of its path parameters."""

    operation: Operation
    path_parameters: dict[str, str]
    matched_template: str  # the full path template that matched (base path + path)
    whole_path: bool  # the template explained the whole request path, not only its end


def path_segments(path: str) -> list[str]:
    """The non-empty segments of a URL path, percent-decoded."""
    return [unquote(s) for s in path.split("/") if s]


@cache
def _segment_pattern(segment: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The literal parts around the parameters of a template segment (one more part than
    names: ``{id}.json`` is ``("", ".json")`` and ``("id",)``); None for a literal one."""
    names = tuple(_PARAMETER.findall(segment))
    if not names:
        return None
    return tuple(_PARAMETER.split(segment)[::2]), names


def _match_segment(parts: tuple[str, ...], actual: str) -> list[str] | None:
    """The values of a segment's parameters (each at least one character, each as short as
    the rest allows), or None. Each literal part is placed where it first fits: a linear
    walk, where a regular expression of many parameters could backtrack for ever."""
    first, middle, last = parts[0], parts[1:-1], parts[-1]
    end = len(actual) - len(last)
    if (
        not actual.startswith(first)
        or not actual.endswith(last)
        or end - len(first) < len(parts) - 1
    ):
        return None
    values: list[str] = []
    at = len(first)
    for literal in middle:
        found = actual.find(literal, at + 1, end) if literal else at + 1
        if found < 0 or found >= end:
            return None
        values.append(actual[at:found])
        at = found + len(literal)
    if end - at < 1:
        return None
    values.append(actual[at:end])
    return values


def segment_matches(template: str, actual: str) -> bool:
    """True when one template segment (``{id}.json``) matches one path segment."""
    pattern = _segment_pattern(template)
    return template == actual if pattern is None else _match_segment(pattern[0], actual) is not None


def _match_tail(template: str, segments: list[str]) -> tuple[dict[str, str], int] | None:
    """Parameters and literal-segment count when ``template`` matches the end of ``segments``."""
    wanted = path_segments(template)
    if not wanted:  # the root path: only the root itself
        return None if segments else ({}, 0)
    if len(wanted) > len(segments):
        return None
    tail = segments[len(segments) - len(wanted) :]
    values: dict[str, str] = {}
    literal = 0
    for expected, actual in zip(wanted, tail, strict=True):
        pattern = _segment_pattern(expected)
        if pattern is None:
            if expected != actual:
                return None
            literal += 1
            continue
        found = _match_segment(pattern[0], actual)
        if found is None:
            return None
        values.update(zip(pattern[1], found, strict=True))
    return values, literal


def _candidates(
    operation: Operation, segments: list[str]
) -> list[tuple[tuple[int, int, int], OperationMatch]]:
    found = []
    for template in dict.fromkeys((*operation.full_paths(), operation.path)):
        matched = _match_tail(template, segments)
        if matched is None:
            continue
        values, literal = matched
        length = len(path_segments(template))
        whole = length == len(segments)
        score = (int(whole), length, literal)
        found.append((score, OperationMatch(operation, values, template, whole)))
    return found


def match_operation(description: ApiDescription, method: str, path: str) -> OperationMatch | None:
    """The operation that ``method path`` calls, or None when none matches."""
    segments = path_segments(path)
    best: tuple[tuple[int, int, int], OperationMatch] | None = None
    for operation in description.operations:
        if operation.method != method.upper():
            continue
        for candidate in _candidates(operation, segments):
            if best is None or candidate[0] > best[0]:
                best = candidate
    return None if best is None else best[1]


def operations_on_path(description: ApiDescription, path: str) -> list[Operation]:
    """Every operation (any method) whose path template matches the end of ``path``."""
    segments = path_segments(path)
    return [op for op in description.operations if _candidates(op, segments)]


def closest_paths(description: ApiDescription, path: str, limit: int = 3) -> list[str]:
    """The description's paths most like the end of ``path`` (``METHOD /path``), best first.

    Each operation is named once, by the way of writing it (behind a server's base path or
    without) that is most like ``path``, so that the few named are different operations.
    """
    segments = path_segments(path)
    scored: dict[tuple[str, str], tuple[float, str]] = {}
    for operation in description.operations:
        key = (operation.method, operation.path)
        for template in dict.fromkeys((*operation.full_paths(), operation.path)):
            wanted = path_segments(template)
            tail = "/" + "/".join(segments[max(0, len(segments) - len(wanted)) :])
            shape = _PARAMETER.sub("{}", template)
            ratio = difflib.SequenceMatcher(None, shape, tail, autojunk=False).ratio()
            label = f"{operation.method} {template}"
            if key not in scored or ratio > scored[key][0]:
                scored[key] = (ratio, label)
    ranked = sorted(
        ((label, ratio) for ratio, label in scored.values()), key=lambda item: (-item[1], item[0])
    )
    return [label for label, ratio in ranked[:limit] if ratio >= 0.5]
