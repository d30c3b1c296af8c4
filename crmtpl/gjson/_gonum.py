"""Go's number conversions as gjson uses them: ``strconv.ParseFloat``, ``FormatFloat``, int64.

gjson parses every number with ``strconv.ParseFloat(raw, 64)`` (ignoring the error, so a
syntax error gives 0 and an overflow gives ±Inf), prints computed numbers with
``FormatFloat(f, 'f', -1, 64)`` and converts to integers with Go's wrapping int64 arithmetic.
Python's ``float()`` accepts a different syntax (spaces, ``infinity`` with a sign, ``nan`` with a
sign, no ``0x`` forms), so the Go grammar is checked here first.
"""

from __future__ import annotations

import math
import re

_INT64_MIN = -(1 << 63)
_UINT64 = 1 << 64

# Go's decimal literal: digits with optional "_" separators (checked by _underscores_ok),
# an optional fraction and exponent; at least one digit in the mantissa.
_DECIMAL = re.compile(r"[+-]?(?=\.?[0-9_])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?")
# Go's hexadecimal float: the "p" exponent is mandatory.
_HEX = re.compile(
    r"[+-]?0[xX](?=[0-9a-fA-F_.])([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9][0-9_]*)"
)


def _underscores_ok(text: str) -> bool:
    """strconv.underscoreOK: each "_" sits between digits (or after a base prefix)."""
    if text[:1] in ("+", "-"):
        text = text[1:]
    saw = "^"
    i = 0
    hexa = False
    if len(text) >= 2 and text[0] == "0" and text[1] in "bBoOxX":
        i = 2
        saw = "0"
        hexa = text[1] in "xX"
    for ch in text[i:]:
        if "0" <= ch <= "9" or (hexa and ch in "abcdefABCDEF"):
            saw = "0"
            continue
        if ch == "_":
            if saw != "0":
                return False
            saw = "_"
            continue
        if saw == "_":
            return False
        saw = "!"
    return saw != "_"


def _special(text: str) -> float | None:
    """strconv's special(): inf, infinity (signed) and nan (unsigned), any case."""
    lower = text.lower()
    body = lower[1:] if lower[:1] in ("+", "-") else lower
    if body in ("inf", "infinity"):
        return -math.inf if lower[0] == "-" else math.inf
    if lower == "nan":
        return math.nan
    return None


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` with the error ignored, as gjson calls it."""
    special = _special(text)
    if special is not None:
        return special
    if _DECIMAL.fullmatch(text):
        if "_" in text:
            if not _underscores_ok(text):
                return 0.0
            text = text.replace("_", "")
        return float(text)
    hexa = _HEX.fullmatch(text)
    if hexa is None or not hexa.group(1) + (hexa.group(2) or ""):
        return 0.0
    if "_" in text:
        if not _underscores_ok(text):
            return 0.0
        text = text.replace("_", "")
    try:
        return float.fromhex(text)
    except OverflowError:
        return -math.inf if text.startswith("-") else math.inf


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-tripping decimal digits of abs(value) and the decimal point position."""
    text = repr(abs(value))
    exponent = 0
    if "e" in text:
        text, exp_text = text.split("e")
        exponent = int(exp_text)
    whole, _, frac = text.partition(".")
    digits = whole + frac
    point = len(whole) + exponent
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return "", 0
    return digits, point


def _fixed(digits: str, point: int, decimals: int) -> str:
    whole = (digits[:point] + "0" * (point - len(digits))) if point > 0 else "0"
    if decimals <= 0:
        return whole
    frac = "".join(
        digits[point + k] if 0 <= point + k < len(digits) else "0" for k in range(decimals)
    )
    return whole + "." + frac


def _special_text(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return None


def format_float_f(value: float) -> str:
    """``strconv.FormatFloat(value, 'f', -1, 64)``: shortest digits, never an exponent."""
    special = _special_text(value)
    if special is not None:
        return special
    if value.is_integer() and abs(value) < 1e16:
        text = str(int(value))
        return "-0" if math.copysign(1.0, value) < 0 and value == 0 else text
    digits, point = _shortest_digits(value)
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    return sign + _fixed(digits, point, max(len(digits) - point, 0))


def format_float_g(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 64)``: shortest digits, %e form when the decimal
    exponent is below -4 or at least 6 (Go's rule for the shortest precision)."""
    special = _special_text(value)
    if special is not None:
        return special
    digits, point = _shortest_digits(value)
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    exponent = point - 1
    if digits and (exponent < -4 or exponent >= 6):
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if exponent < 0 else "+"
        return f"{sign}{mantissa}e{exp_sign}{abs(exponent):02d}"
    return sign + _fixed(digits, point, max(len(digits) - point, 0))


def wrap_int64(value: int) -> int:
    """Reduce an integer to Go's int64 range the way two's complement overflow does."""
    value %= _UINT64
    return value - _UINT64 if value >= 1 << 63 else value


def float_to_int64(value: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation, and MinInt64 for NaN or out of range."""
    if math.isnan(value) or math.isinf(value) or not -(2.0**63) <= value < 2.0**63:
        return _INT64_MIN
    return int(value)


def parse_int(text: str) -> tuple[int, bool]:
    """gjson's own parseInt: optional "-", decimal digits, wrapping on overflow."""
    body = text[1:] if text[:1] == "-" else text
    if not body or not body.isascii() or not body.isdigit():
        return 0, False
    value = wrap_int64(int(body))
    return (wrap_int64(-value) if text[:1] == "-" else value), True


def parse_uint(text: str) -> tuple[int, bool]:
    """gjson's own parseUint: decimal digits only, wrapping modulo 2**64."""
    if not text or not text.isascii() or not text.isdigit():
        return 0, False
    return int(text) % _UINT64, True
