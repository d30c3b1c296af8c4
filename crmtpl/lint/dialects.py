"""Output paths written in another JSON path dialect (JSONPath), and their GJSON.

Beginners write JSONPath habits into GJSON paths: ``$.data``, ``data[0]``, ``data[*].id``,
``data..id`` and ``data.*.id``. Some are even valid GJSON that means something else (``*`` is
a key-name wildcard), none finds anything in a CRM's answer. :func:`foreign_dialect` names the
first such construct and gives the whole path in GJSON, for the linter (CT707) and, later,
for ``crmtpl run`` when an output matched nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKET = re.compile(r"\[(\*|-?\d+|'[^']*'|\"[^\"]*\")\]")


@dataclass(frozen=True, slots=True)
class ForeignPath:
    """The first foreign construct of a path (``offset``/``length`` in the path), what it
    is in JSONPath, and the whole path in GJSON."""

    offset: int
    length: int
    construct: str
    meaning: str
    translation: str


def _components(path: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of each dot-separated component, honouring ``\\`` escapes."""
    parts: list[tuple[int, str]] = []
    start = 0
    index = 0
    while index < len(path):
        char = path[index]
        if char == "\\":
            index += 2
            continue
        if char in ".|":
            parts.append((start, path[start:index]))
            start = index + 1
        index += 1
    parts.append((start, path[start:]))
    return parts


def _bracket_gjson(match: re.Match[str]) -> str:
    inside = match.group(1)
    if inside == "*":
        return ".#"
    if inside[0] in "'\"":
        return "." + inside[1:-1]
    return "." + inside


def _translate(path: str) -> str:
    text = path
    if text.startswith("$"):
        text = text[1:]
        if text.startswith(".") and not text.startswith(".."):
            text = text[1:]
    text = _BRACKET.sub(_bracket_gjson, text)
    text = re.sub(r"(?<!\\)\.\.+", ".#.", text)
    parts = [("#" if part == "*" else part) for _offset, part in _components(text)]
    return ".".join(parts).strip(".")


def foreign_dialect(path: str) -> ForeignPath | None:
    """The first JSONPath construct of ``path`` with the GJSON of the whole path, or None.

    ``$.data[*].first_name`` -> ``data.#.first_name``; ``data[0].id`` -> ``data.0.id``;
    ``data..id`` -> ``data.#.id``; ``data.*.id`` -> ``data.#.id``. Queries (``#(...)``,
    ``#[...]``), multipaths and modifiers are GJSON and left alone.
    """
    if not path or "{{" in path:
        return None
    found: list[tuple[int, int, str, str]] = []
    if path.startswith("$"):
        length = 2 if path[1:2] == "." else 1
        found.append((0, length, path[:length], "the JSONPath root"))
    for match in _BRACKET.finditer(path):
        before = path[match.start() - 1] if match.start() > 0 else ""
        if before in ("#", ".", "|", "") and match.group(1) != "*":
            continue  # a GJSON query or multipath
        meaning = "every element" if match.group(1) == "*" else "an array index or key"
        found.append((match.start(), len(match.group(0)), match.group(0), meaning))
    double = re.search(r"(?<!\\)\.\.", path)
    if double is not None:
        found.append((double.start(), 2, "..", "recursive descent, which GJSON does not have"))
    for offset, part in _components(path):
        if part == "*":
            found.append((offset, 1, "*", "every element (in GJSON * matches key names)"))
    if not found:
        return None
    offset, length, construct, meaning = min(found)
    return ForeignPath(offset, length, construct, meaning, _translate(path))
