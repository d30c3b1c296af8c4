"""Keys as GJSON path components (``gjson.Escape``)."""

from __future__ import annotations


def is_safe_key_char(char: str) -> bool:
    """gjson's ``isSafePathKeyChar``: letters, digits, ``_ - :``, spaces, controls, non-ASCII."""
    return (char.isascii() and char.isalnum()) or char in "_-:" or not " " < char <= "~"


def escape(key: str) -> str:
    """``key`` as one path component: every character gjson's ``Escape`` escapes (``.``,
    ``*``, ``?``, ``|``, ``#``, ``@``, ``\\``, ``!``, brackets...) behind a backslash."""
    return "".join(c if is_safe_key_char(c) else "\\" + c for c in key)
