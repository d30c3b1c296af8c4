"""Suggestions for misspelt names: the known name ("did you mean …?") meant most probably."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate equal to ``name`` but for case, else the closest spelling, or None."""
    options = [c for c in dict.fromkeys(candidates) if c and c != name]
    lowered = name.lower()
    for option in options:
        if option.lower() == lowered:
            return option
    matches = difflib.get_close_matches(name, options, n=1, cutoff=0.75)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """``did you mean X?`` for the closest candidate, or None when nothing is close."""
    found = closest(name, candidates)
    return None if found is None else f"did you mean {found}?"
