"""Text from outside (CRM answers, templates, OAuth callbacks) made safe for a terminal.

A CRM answer is untrusted: a contact name can hold ``ESC ] 52`` (write the clipboard),
``ESC ] 8`` (a hyperlink to ``file:///etc/passwd``), ``ESC ] 0`` (the window title) or
``ESC [ 2 J`` (clear the screen), and a terminal obeys them when they are printed raw.
:func:`make_visible` turns every control character into a visible escape (``\\x1b``,
``\\r``, ``\\u202e``) so that the user sees what the server sent and the terminal obeys
nothing. Every human-readable output uses it; ``--format json`` does not need it (JSON
escapes control characters itself).
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, and the Unicode format characters that
#: reorder or hide text (bidi overrides and isolates, zero-width joiners are left alone).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
#: The same, with tab and newline too: for one-line fields (a table cell, a header value).
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def make_visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``).

    Tab and newline are kept unless ``one_line`` (a table cell, a header value, a status
    line), where they are shown as ``\\t`` and ``\\n`` too.
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def has_control_characters(text: str) -> bool:
    """True when :func:`make_visible` would change ``text`` (newlines and tabs allowed)."""
    return _UNSAFE.search(text) is not None
