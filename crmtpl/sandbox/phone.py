"""Phone numbers as a CRM searches them: digits only, international or national.

The PBX looks a caller up with whatever number the trunk delivered: ``5503302``,
``+15551234``, ``004930901820`` or ``030901820``. Stored numbers are written the way
people type them (``+1 555-1234``, ``030 901820``). A search matches when

* the query's digits occur anywhere in the stored number's digits (substring search,
  so ``+15551234`` finds ``+1 555-1234`` and ``3302`` finds ``5503302``), or
* both have a national significant number of at least six digits and the query's
  occurs in the stored one: this lets ``+4930901820`` (E.164) find a number stored
  nationally as ``030 901820`` and the other way round.

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
_MIN_NATIONAL_DIGITS = 6
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
    if not query.digits:
        return False
    if query.digits in stored.digits:
        return True
    if query.country_code is None and stored.country_code is None:
        return False
    if (
        query.country_code is not None
        and stored.country_code is not None
        and query.country_code != stored.country_code
    ):
        return False
    return len(query.national) >= _MIN_NATIONAL_DIGITS and query.national in stored.national
