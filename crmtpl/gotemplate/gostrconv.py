"""Go's ``strconv`` as the template engine needs it: quoting, unquoting, number parsing and
float formatting, with Go's exact rules and error texts (Go 1.19)."""

from __future__ import annotations

import math
import re
import struct
from typing import Final

from crmtpl.gotemplate.values import go_bytes, go_str

MAX_RUNE: Final = 0x10FFFF
RUNE_ERROR: Final = 0xFFFD
_LOWERHEX: Final = "0123456789abcdef"


class StrconvError(ValueError):
    """A ``*strconv.NumError`` or ``strconv.ErrSyntax``: ``str()`` is Go's text."""


ERR_SYNTAX: Final = "invalid syntax"


def _num_error(func: str, text: str, err: str) -> StrconvError:
    return StrconvError(f"strconv.{func}: parsing {quote(text)}: {err}")


# --- runes --------------------------------------------------------------------------------


def is_print(r: int) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space."""
    if r < 0 or r > MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        return False
    return chr(r).isprintable()


def valid_rune(r: int) -> bool:
    """``utf8.ValidRune``."""
    return 0 <= r <= MAX_RUNE and not 0xD800 <= r <= 0xDFFF


def _escaped_rune(r: int, quote_char: str, ascii_only: bool) -> str:
    if r == ord(quote_char) or r == 0x5C:
        return "\\" + chr(r)
    if ascii_only:
        if r < 0x80 and is_print(r):
            return chr(r)
    elif is_print(r):
        return chr(r)
    simple = _SIMPLE_ESCAPES.get(r)
    if simple is not None:
        return simple
    if r < 0x20 or r == 0x7F:
        return "\\x" + format(r, "02x")
    if not valid_rune(r):
        r = RUNE_ERROR
    if r < 0x10000:
        return "\\u" + format(r, "04x")
    return "\\U" + format(r, "08x")


_SIMPLE_ESCAPES: Final = {
    0x07: "\\a",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x0B: "\\v",
}


def _quote_with(s: str, quote_char: str, ascii_only: bool) -> str:
    out = [quote_char]
    for ch in s:
        r = ord(ch)
        if 0xDC80 <= r <= 0xDCFF:  # an invalid byte carried as a surrogate escape
            out.append("\\x" + format(r - 0xDC00, "02x"))
        elif r < 0x80 and 0x20 <= r != 0x7F and ch != quote_char and ch != "\\":
            out.append(ch)
        else:
            out.append(_escaped_rune(r, quote_char, ascii_only))
    out.append(quote_char)
    return "".join(out)


def quote(s: str) -> str:
    """``strconv.Quote``."""
    return _quote_with(s, '"', False)


def quote_to_ascii(s: str) -> str:
    """``strconv.QuoteToASCII``."""
    return _quote_with(s, '"', True)


def quote_rune(r: int, *, ascii_only: bool = False) -> str:
    """``strconv.QuoteRune`` / ``QuoteRuneToASCII`` (an invalid rune becomes U+FFFD)."""
    if not valid_rune(r):
        r = RUNE_ERROR
    return "'" + _escaped_rune(r, "'", ascii_only) + "'"


def can_backquote(s: str) -> bool:
    """``strconv.CanBackquote``."""
    for ch in s:
        r = ord(ch)
        if r >= 0x80:
            if r == 0xFEFF or 0xDC80 <= r <= 0xDCFF:
                return False
            continue
        if (r < 0x20 and r != 0x09) or r == 0x60 or r == 0x7F:
            return False
    return True


# --- unquoting ----------------------------------------------------------------------------


def unquote_char(s: str, quote_char: str) -> tuple[int, bool, str]:
    """``strconv.UnquoteChar``: (value, multibyte, tail); raises StrconvError(invalid syntax).

    ``s`` is Python text; a ``\\x``/octal escape yields a byte value (multibyte False).
    """
    if not s:
        raise StrconvError(ERR_SYNTAX)
    c = s[0]
    if c == quote_char and quote_char in "'\"":
        raise StrconvError(ERR_SYNTAX)
    if ord(c) >= 0x80:
        return ord(c), True, s[1:]
    if c != "\\":
        return ord(c), False, s[1:]
    if len(s) <= 1:
        raise StrconvError(ERR_SYNTAX)
    c = s[1]
    s = s[2:]
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}.get(c)
    if simple is not None:
        return simple, False, s
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        if len(s) < n:
            raise StrconvError(ERR_SYNTAX)
        v = 0
        for j in range(n):
            d = _unhex(s[j])
            if d < 0:
                raise StrconvError(ERR_SYNTAX)
            v = (v << 4) | d
        s = s[n:]
        if c == "x":
            return v, False, s
        if not valid_rune(v):
            raise StrconvError(ERR_SYNTAX)
        return v, True, s
    if "0" <= c <= "7":
        v = ord(c) - 48
        if len(s) < 2:
            raise StrconvError(ERR_SYNTAX)
        for j in range(2):
            x = ord(s[j]) - 48
            if x < 0 or x > 7:
                raise StrconvError(ERR_SYNTAX)
            v = (v << 3) | x
        s = s[2:]
        if v > 255:
            raise StrconvError(ERR_SYNTAX)
        return v, False, s
    if c == "\\":
        return 0x5C, False, s
    if c in "'\"":
        if c != quote_char:
            raise StrconvError(ERR_SYNTAX)
        return ord(c), False, s
    raise StrconvError(ERR_SYNTAX)


def _unhex(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "a" <= c <= "f":
        return ord(c) - 87
    if "A" <= c <= "F":
        return ord(c) - 55
    return -1


def unquote(s: str) -> str:
    """``strconv.Unquote`` for the "...", `...` and '...' forms; raises StrconvError."""
    if len(s) < 2:
        raise StrconvError(ERR_SYNTAX)
    q = s[0]
    if q == "`":
        if s.find("`", 1) != len(s) - 1:
            raise StrconvError(ERR_SYNTAX)
        return s[1:-1].replace("\r", "")
    if q not in "\"'":
        raise StrconvError(ERR_SYNTAX)
    end = s.find(q, 1)
    if end < 0:
        raise StrconvError(ERR_SYNTAX)
    head = s[1:end]
    simple = "\\" not in head and "\n" not in head and not _has_escaped_bytes(head)
    if simple and (q == '"' or len(head) == 1):
        if end != len(s) - 1:
            raise StrconvError(ERR_SYNTAX)
        return head
    out = bytearray()
    rest = s[1:]
    while rest and rest[0] != q:
        if rest[0] == "\n":
            raise StrconvError(ERR_SYNTAX)
        value, multibyte, rest = unquote_char(rest, q)
        if value < 0x80 or not multibyte:
            out.append(value)
        else:
            out += chr(value).encode("utf-8", "surrogateescape")
        if q == "'":
            break
    if not rest or rest[0] != q or len(rest) != 1:
        raise StrconvError(ERR_SYNTAX)
    return go_str(bytes(out))


def _has_escaped_bytes(s: str) -> bool:
    return not s.isascii() and any("\udc80" <= c <= "\udcff" for c in s)


# --- integers and floats in Go syntax ---------------------------------------------------


def _underscore_ok(s: str) -> bool:
    saw = "^"
    i = 0
    if s and s[0] in "+-":
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexa = s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= c.lower() <= "f"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(s: str, base: int = 0, bits: int = 64) -> int:
    """``strconv.ParseUint(s, base, bits)`` (base 0: Go literal syntax with underscores)."""
    func = "ParseUint"
    if not s:
        raise _num_error(func, s, ERR_SYNTAX)
    base0 = base == 0
    s0 = s
    digits = s
    if base == 0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1].lower() == "b":
                base, digits = 2, s[2:]
            elif len(s) >= 3 and s[1].lower() == "o":
                base, digits = 8, s[2:]
            elif len(s) >= 3 and s[1].lower() == "x":
                base, digits = 16, s[2:]
            else:
                base, digits = 8, s[1:]
    max_val = (1 << bits) - 1
    n = 0
    underscores = False
    for c in digits:
        if c == "_" and base0:
            underscores = True
            continue
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c.lower() <= "z" and c.isascii():
            d = ord(c.lower()) - 87
        else:
            raise _num_error(func, s0, ERR_SYNTAX)
        if d >= base:
            raise _num_error(func, s0, ERR_SYNTAX)
        n = n * base + d
        if n > max_val:
            raise _num_error(func, s0, "value out of range")
    if underscores and not _underscore_ok(s0):
        raise _num_error(func, s0, ERR_SYNTAX)
    return n


def parse_int(s: str, base: int = 0, bits: int = 64) -> int:
    """``strconv.ParseInt(s, base, bits)``."""
    func = "ParseInt"
    if not s:
        raise _num_error(func, s, ERR_SYNTAX)
    s0 = s
    neg = False
    if s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    try:
        un = parse_uint(s, base, bits)
    except StrconvError as exc:
        if "out of range" in str(exc):
            raise _num_error(func, s0, "value out of range") from None
        raise _num_error(func, s0, ERR_SYNTAX) from None
    cutoff = 1 << (bits - 1)
    if (not neg and un >= cutoff) or (neg and un > cutoff):
        raise _num_error(func, s0, "value out of range")
    return -un if neg else un


_DEC_FLOAT: Final = re.compile(
    r"[+-]?(?:[0-9_]*[0-9][0-9_]*\.?[0-9_]*|[0-9_]*\.[0-9_]*[0-9][0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?"
)
_HEX_FLOAT: Final = re.compile(
    r"([+-]?)0[xX]((?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+))[pP]([+-]?[0-9][0-9_]*)"
)
_SPECIAL_FLOATS: Final = {
    "inf": math.inf,
    "+inf": math.inf,
    "-inf": -math.inf,
    "infinity": math.inf,
    "+infinity": math.inf,
    "-infinity": -math.inf,
    "nan": math.nan,
}


def parse_float(s: str) -> float:
    """``strconv.ParseFloat(s, 64)``: decimal or hex (``0x1p-2``) syntax, Go underscores."""
    func = "ParseFloat"
    special = _SPECIAL_FLOATS.get(s.lower())
    if special is not None:
        return special
    if _DEC_FLOAT.fullmatch(s):
        if "_" in s and not _underscore_ok(s):
            raise _num_error(func, s, ERR_SYNTAX)
        value = float(s.replace("_", ""))
        if math.isinf(value):
            raise _num_error(func, s, "value out of range")
        return value
    m = _HEX_FLOAT.fullmatch(s)
    if m and any(c not in "._" for c in m.group(2)):
        if "_" in s and not _underscore_ok(s):
            raise _num_error(func, s, ERR_SYNTAX)
        sign, mant, exp = m.group(1), m.group(2).replace("_", ""), m.group(3).replace("_", "")
        try:
            value = float.fromhex(f"{sign}0x{mant}p{exp}")
        except OverflowError:
            raise _num_error(func, s, "value out of range") from None
        return value
    raise _num_error(func, s, ERR_SYNTAX)


# --- float formatting (strconv.FormatFloat) -----------------------------------------------


def _shortest_digits(f: float) -> tuple[str, int]:
    """Shortest round-tripping decimal digits of abs(f) and the decimal point position."""
    text = repr(abs(f))
    mantissa, _, exponent = text.partition("e")
    intpart, _, frac = mantissa.partition(".")
    digits = (intpart + frac).lstrip("0")
    dp = len(intpart) + (int(exponent) if exponent else 0)
    if not digits:
        return "", 0
    lead = len(intpart + frac) - len((intpart + frac).lstrip("0"))
    dp -= lead
    return digits.rstrip("0"), dp


def _fixed_digits(f: float, ndigits: int) -> tuple[str, int]:
    """abs(f) correctly rounded to ``ndigits`` significant digits (trailing zeros trimmed)."""
    if f == 0:
        return "", 0
    text = "%.*e" % (ndigits - 1, abs(f))  # noqa: UP031 - '*' precision has no f-string form
    mantissa, _, exponent = text.partition("e")
    digits = mantissa.replace(".", "")
    return digits.rstrip("0"), int(exponent) + 1


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, verb: str) -> str:
    out = ["-"] if neg else []
    out.append(digits[0] if digits else "0")
    if prec > 0:
        out.append(".")
        frac = digits[1 : prec + 1]
        out.append(frac + "0" * (prec - len(frac)))
    out.append(verb)
    exp = dp - 1 if digits else 0
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = ["-"] if neg else []
    if dp > 0:
        head = digits[:dp]
        out.append(head + "0" * (dp - len(head)))
    else:
        out.append("0")
    if prec > 0:
        out.append(".")
        frac = []
        for i in range(1, prec + 1):
            j = dp + i - 1
            frac.append(digits[j] if 0 <= j < len(digits) else "0")
        out.append("".join(frac))
    return "".join(out)


def _float_bits(f: float) -> tuple[bool, int, int]:
    bits = struct.unpack("<Q", struct.pack("<d", f))[0]
    neg = bits >> 63 != 0
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    return neg, exp, mant


def _fmt_b(f: float) -> str:
    neg, exp, mant = _float_bits(f)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << 52
    exp += -1023 - 52
    return ("-" if neg else "") + f"{mant}p" + ("+" if exp >= 0 else "") + str(exp)


def _fmt_x(f: float, prec: int, verb: str) -> str:
    neg, exp, mant = _float_bits(f)
    mask = (1 << 64) - 1
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << 52
    exp -= 1023
    if mant == 0:
        exp = 0
    mant = (mant << (60 - 52)) & mask
    while mant != 0 and mant & (1 << 60) == 0:
        mant = (mant << 1) & mask
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant = (mant << (60 - shift)) & mask
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = _LOWERHEX if verb == "x" else _LOWERHEX.upper()
    out = ["-"] if neg else []
    out.append("0" + verb + str((mant >> 60) & 1))
    mant = (mant << 4) & mask
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & mask
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & mask
    out.append("p" if verb == "x" else "P")
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def format_float(f: float, verb: str, prec: int) -> str:
    """``strconv.FormatFloat(f, verb, prec, 64)`` for verbs b e E f g G x X."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if verb == "b":
        return _fmt_b(f)
    if verb in "xX":
        return _fmt_x(f, prec, verb)
    neg = math.copysign(1.0, f) < 0
    shortest = prec < 0
    if shortest:
        digits, dp = _shortest_digits(f)
        if verb in "eE":
            prec = max(len(digits) - 1, 0)
        elif verb == "f":
            prec = max(len(digits) - dp, 0)
        else:
            prec = len(digits)
    elif verb in "eE":
        digits, dp = _fixed_digits(f, prec + 1)
    elif verb == "f":
        text = "%.*f" % (prec, abs(f))  # noqa: UP031 - '*' precision has no f-string form
        return ("-" if neg else "") + text
    else:
        if prec == 0:
            prec = 1
        digits, dp = _fixed_digits(f, prec)
    if verb in "eE":
        return _fmt_e(neg, digits, dp, prec, verb)
    if verb == "f":
        return _fmt_f(neg, digits, dp, prec)
    # %g / %G
    eprec = prec
    if eprec > len(digits) and len(digits) >= dp:
        eprec = len(digits)
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        if prec > len(digits):
            prec = len(digits)
        return _fmt_e(neg, digits, dp, prec - 1, "e" if verb == "g" else "E")
    if prec > dp:
        prec = len(digits)
    return _fmt_f(neg, digits, dp, max(prec - dp, 0))


__all__ = [
    "ERR_SYNTAX",
    "StrconvError",
    "can_backquote",
    "format_float",
    "go_bytes",
    "is_print",
    "parse_float",
    "parse_int",
    "parse_uint",
    "quote",
    "quote_rune",
    "quote_to_ascii",
    "unquote",
    "unquote_char",
]
