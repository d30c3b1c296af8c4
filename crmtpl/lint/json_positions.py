"""Where each value of a JSON text is: JSON pointer to the offsets of its key and value.

For pointing a finding about a part of a rendered body (``/properties/phone``) at the text
that wrote it. The text must be valid JSON (decode it first); a duplicate key keeps its
first position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Place:
    """Offsets in the JSON text: the member's key (with its quotes) and the value."""

    key_start: int | None
    key_end: int | None
    value_start: int


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _step(name: str | int) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")


def json_places(text: str) -> dict[str, Place]:
    """Every value's :class:`Place`, by JSON pointer (``""`` is the whole document)."""
    places: dict[str, Place] = {}
    start = _skip(text, 0)
    _value(text, start, "", places, None, None)
    return places


def _value(
    text: str,
    index: int,
    pointer: str,
    places: dict[str, Place],
    key_start: int | None,
    key_end: int | None,
) -> int:
    """Record the value at ``index`` (and its members); return the offset after it."""
    places.setdefault(pointer, Place(key_start, key_end, index))
    char = text[index] if index < len(text) else ""
    if char == "{":
        index = _skip(text, index + 1)
        if text[index] == "}":
            return index + 1
        while True:
            key, after = _DECODER.raw_decode(text, index)
            start, end = index, after
            index = _skip(text, after)
            index = _skip(text, index + 1)  # the colon
            index = _value(text, index, f"{pointer}/{_step(key)}", places, start, end)
            index = _skip(text, index)
            if text[index] == "}":
                return index + 1
            index = _skip(text, index + 1)  # the comma
    if char == "[":
        index = _skip(text, index + 1)
        if text[index] == "]":
            return index + 1
        number = 0
        while True:
            index = _value(text, index, f"{pointer}/{number}", places, None, None)
            number += 1
            index = _skip(text, index)
            if text[index] == "]":
                return index + 1
            index = _skip(text, index + 1)
    _decoded, after = _DECODER.raw_decode(text, index)
    return int(after)
