"""Words of paths and names, compared loosely (case, separators, camelCase, plurals)."""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """``callLogs`` -> ``["call", "log"]``; ``/crm/v3/objects/contacts`` -> its words, singular."""
    out = []
    for part in _SPLIT.split(_CAMEL.sub(" ", text)):
        if part:
            out.append(singular(part.lower()))
    return out


def singular(word: str) -> str:
    """A rough singular: ``people`` -> ``person``, ``activities`` -> ``activity``."""
    if word == "people":
        return "person"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def squash(name: str) -> str:
    """``First_Name`` -> ``firstname``: a property name without case or separators."""
    return _SPLIT.sub("", name).lower()


def segments(path: str) -> list[str]:
    """The literal (non-parameter) segments of a path template."""
    return [s for s in path.strip("/").split("/") if s and not s.startswith("{")]


def last_segment_is_parameter(path: str) -> bool:
    """True for ``/contacts/{id}``."""
    parts = [s for s in path.strip("/").split("/") if s]
    return bool(parts) and parts[-1].startswith("{")
