"""Phone numbers as a CRM matches them: digits only, equal or a long enough suffix.

The PBX looks a caller up with whatever number the trunk delivered: ``5503302``,
``+15551234``, ``004930901820`` or ``030901820``. Stored numbers are written the way
people type them (``+1 555-1234``, ``030 901820``). Like the phone matching of real CRMs,
a search compares digits only (spaces, dashes, brackets, ``+`` and a ``(0)`` do not
count, ``00`` counts as ``+``) and matches when

* both numbers have the same digits, or
* one is a suffix of the other and the shorter has at least 7 digits: ``5551234`` finds
  ``+1 555-1234``, but ``3302`` does not find ``5503302`` and ``000111`` finds nothing;
* an international number (``+`` or ``00``) is also compared in its national form, with
  the trunk ``0``, against a number stored without country code: ``+4930901820`` finds
  ``030 901820``. Two international numbers must have the same digits, so a different
  country code never matches.

A raw ``+`` in a query string arrives as a space: the number then has no ``+``, and it is
compared by its digits only. It still finds numbers stored internationally, not ones
stored nationally (tutorial step 1).

Country codes are read by their ITU prefix structure (``1`` and ``7`` are one digit, a
fixed list of two-digit codes, every other code three digits), which needs no table of
numbering plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Two-digit ITU-T E.164 country codes; ``1`` and ``7`` are the one-digit ones and every
#: other code has three digits.
_TWO_DIGIT_COUNTRY_CODES = frozenset(
    {20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54}
    | {55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98}
)
MIN_SUFFIX_DIGITS = 7
"""The fewest digits a number may have to find a longer one ending in them."""
_NON_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True)
class PhoneNumber:
    """A number reduced to what matching needs."""

    digits: str
    """The digits as written, without an ``00`` international prefix (``+1 555-1234`` →
    ``15551234``)."""
    country_code: str | None
    """The country code when the number is international (``+`` or ``00``), else None."""
    national: str
    """The national significant number: no country code, no trunk ``0``."""


def parse_phone(text: str) -> PhoneNumber:
    """Reduce a number as written to digits, country code and national number."""
    cleaned = text.strip().replace("(0)", "")
    digits = _NON_DIGITS.sub("", cleaned)
    if cleaned.startswith("+"):
        return _international(digits)
    if cleaned.startswith("00") and len(digits) > 4:
        return _international(digits[2:])
    national = digits[1:] if digits.startswith("0") else digits
    return PhoneNumber(digits=digits, country_code=None, national=national)


def _international(digits: str) -> PhoneNumber:
    if digits[:1] in ("1", "7"):
        code = digits[:1]
    elif len(digits) >= 2 and int(digits[:2]) in _TWO_DIGIT_COUNTRY_CODES:
        code = digits[:2]
    else:
        code = digits[:3]
    national = digits[len(code) :]
    return PhoneNumber(digits=digits, country_code=code, national=national)


def phone_matches(query: PhoneNumber, stored: PhoneNumber) -> bool:
    """Whether a searched number finds a stored one (see the module docstring)."""
    if not query.digits or not stored.digits:
        return False
    if query.country_code is not None and stored.country_code is not None:
        return query.digits == stored.digits
    return any(_same_or_suffix(asked, kept) for asked in _forms(query) for kept in _forms(stored))


def _forms(number: PhoneNumber) -> tuple[str, ...]:
    """The digits, and for an international number also its national trunk form."""
    if number.country_code is None or not number.national:
        return (number.digits,)
    return (number.digits, "0" + number.national)


def _same_or_suffix(one: str, other: str) -> bool:
    shorter, longer = sorted((one, other), key=len)
    if shorter == longer:
        return True
    return len(shorter) >= MIN_SUFFIX_DIGITS and longer.endswith(shorter)
