"""An independent XML reference decoder for the tests (not the scanner's code)."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def xml_unescape(raw: str) -> str:
    """Replace the predefined entities and character references of an XML value."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in _NAMED:
            return _NAMED[key]
        return chr(int(key[2:], 16) if key[1] == "x" else int(key[1:]))

    return _REFERENCE.sub(replace, raw)
