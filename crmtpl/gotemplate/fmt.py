"""Go's ``fmt`` printing (``Sprint``, ``Sprintln``, ``Sprintf``) for the engine's value types.

Follows Go 1.19's ``fmt`` package: verbs ``v T t d b o O x X c q U e E f F g G s p``, flags
``+ - # space 0``, width and precision (also ``*`` and ``[n]`` argument indexes), and the
error forms ``%!d(string=x)``, ``%!v(MISSING)``, ``%!(EXTRA ...)``, ``%!(NOVERB)``,
``%!(BADWIDTH)``, ``%!(BADPREC)``, ``%!v(BADINDEX)``.

Values are the Python stand-ins of :mod:`crmtpl.gotemplate.values`; ``None`` is a nil
``interface{}``. ``json.Number`` prints as the string it holds (it is a ``fmt.Stringer``) and
differs from a string only in its type name. ``%p`` cannot reproduce Go's addresses: a list
or dict prints a fixed placeholder address.
"""

from __future__ import annotations

from typing import Final

from crmtpl.gotemplate.gostrconv import (
    MAX_RUNE,
    RUNE_ERROR,
    can_backquote,
    format_float,
    is_print,
    quote,
    quote_rune,
    quote_to_ascii,
    valid_rune,
)
from crmtpl.gotemplate.values import (
    Int64,
    JSONNumber,
    StringMap,
    Uint8,
    go_bytes,
    go_type_name,
    sorted_keys,
)

_LDIGITS: Final = "0123456789abcdefx"
_UDIGITS: Final = "0123456789ABCDEFX"
_MASK64: Final = (1 << 64) - 1
_FAKE_POINTER: Final = 0xC000010000


def _rune_text(r: int) -> str:
    """The UTF-8 text of rune r as Go's EncodeRune writes it (invalid runes become U+FFFD)."""
    if not valid_rune(r):
        r = RUNE_ERROR
    return chr(r)


class _Printer:
    """One ``pp`` of Go's fmt: an output buffer and the flags of the verb being printed."""

    __slots__ = (
        "buf",
        "erroring",
        "minus",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "sharp",
        "sharp_v",
        "space",
        "wid",
        "wid_present",
        "zero",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.erroring = False
        self.clear_flags()
        self.wid = 0
        self.prec = 0

    def clear_flags(self) -> None:
        self.plus = self.minus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.wid_present = self.prec_present = False

    # --- padding -------------------------------------------------------------------------

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.zero else " ") * n)

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    def truncate(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    # --- the per-type formatters -----------------------------------------------------------

    def fmt_bool(self, v: bool, verb: str, value: object) -> None:
        if verb in "tv":
            self.pad("true" if v else "false")
        else:
            self.bad_verb(verb, value)

    def fmt_integer(self, v: int, signed: bool, verb: str, value: object) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                self.integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "d":
            self.integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self.integer(v, 2, signed, verb, _LDIGITS)
        elif verb in "oO":
            self.integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self.integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self.integer(v, 16, signed, verb, _UDIGITS)
        elif verb == "c":
            self.pad(_rune_text(self._rune_of(v)))
        elif verb == "q":
            r = self._rune_of(v)
            self.pad(quote_rune(r, ascii_only=self.plus))
        elif verb == "U":
            self.fmt_unicode(v & _MASK64)
        else:
            self.bad_verb(verb, value)

    @staticmethod
    def _rune_of(v: int) -> int:
        u = v & _MASK64
        if u > MAX_RUNE:
            return RUNE_ERROR
        return u

    def fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp = self.sharp
        self.sharp = leading0x
        self.integer(v & _MASK64, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    def integer(self, v: int, base: int, signed: bool, verb: str, digits: str) -> None:
        negative = signed and v < 0
        u = -v if negative else v
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old_zero = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            text = str(u)
        elif base == 16:
            text = format(u, "x")
            if digits is _UDIGITS:
                text = text.upper()
        elif base == 8:
            text = format(u, "o")
        else:
            text = format(u, "b")
        if len(text) < prec:
            text = "0" * (prec - len(text)) + text
        if self.sharp:
            if base == 2:
                text = "0b" + text
            elif base == 8:
                if text[0] != "0":
                    text = "0" + text
            elif base == 16:
                text = "0" + digits[16] + text
        if verb == "O":
            text = "0o" + text
        if negative:
            text = "-" + text
        elif self.plus:
            text = "+" + text
        elif self.space:
            text = " " + text
        old_zero = self.zero
        self.zero = False
        self.pad(text)
        self.zero = old_zero

    def fmt_unicode(self, u: int) -> None:
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        text = format(u, "X")
        if len(text) < prec:
            text = "0" * (prec - len(text)) + text
        text = "U+" + text
        if self.sharp and u <= MAX_RUNE and is_print(u):
            text += " '" + chr(u) + "'"
        old_zero = self.zero
        self.zero = False
        self.pad(text)
        self.zero = old_zero

    def fmt_float(self, v: float, verb: str, value: object) -> None:
        if verb == "v":
            self.float_(v, "g", -1)
        elif verb in "bgGxX":
            self.float_(v, verb, -1)
        elif verb in "feE":
            self.float_(v, verb, 6)
        elif verb == "F":
            self.float_(v, "f", 6)
        else:
            self.bad_verb(verb, value)

    def float_(self, v: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        num = format_float(v, verb, prec)
        num = num if num[0] in "+-" else "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            old_zero = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num)
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            digits = 0
            if verb in "vgGx":
                digits = prec
                if digits == -1:
                    digits = 6
            tail = ""
            has_point = False
            saw_nonzero = False
            i = 1
            while i < len(num):
                c = num[i]
                if c == ".":
                    has_point = True
                elif c in "pP" or (c in "eE" and verb not in "xX"):
                    tail = num[i:]
                    num = num[:i]
                    break
                else:
                    if c != "0":
                        saw_nonzero = True
                    if saw_nonzero:
                        digits -= 1
                i += 1
            if not has_point:
                if len(num) == 2 and num[1] == "0":
                    digits -= 1
                num += "."
            if digits > 0:
                num += "0" * digits
            num += tail
        if self.plus or num[0] != "+":
            if self.zero and self.wid_present and self.wid > len(num):
                self.buf.append(num[0])
                self.write_padding(self.wid - len(num))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    def fmt_complex(self, v: complex, verb: str, value: object) -> None:
        if verb in "vbgGxXfFeE":
            old_plus = self.plus
            self.buf.append("(")
            self.fmt_float(v.real, verb, value)
            self.plus = True
            self.fmt_float(v.imag, verb, value)
            self.buf.append("i)")
            self.plus = old_plus
        else:
            self.bad_verb(verb, value)

    def fmt_string(self, s: str, verb: str, value: object) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(s)
            else:
                self.pad(self.truncate(s))
        elif verb == "s":
            self.pad(self.truncate(s))
        elif verb == "x":
            self.fmt_sx(s, _LDIGITS)
        elif verb == "X":
            self.fmt_sx(s, _UDIGITS)
        elif verb == "q":
            self.fmt_q(s)
        else:
            self.bad_verb(verb, value)

    def fmt_q(self, s: str) -> None:
        s = self.truncate(s)
        if self.sharp and can_backquote(s):
            self.pad("`" + s + "`")
            return
        self.pad(quote_to_ascii(s) if self.plus else quote(s))

    def fmt_sx(self, s: str, digits: str) -> None:
        data = go_bytes(s)
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out: list[str] = []
        if self.sharp:
            out.append("0" + digits[16])
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append("0" + digits[16])
            c = data[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_pointer(self, value: object) -> None:
        """``%p``: Go prints the address of a map or slice, which cannot be reproduced."""
        if isinstance(value, (list, dict)):
            self.fmt_0x64(_FAKE_POINTER, not self.sharp)
        else:
            self.bad_verb("p", value)

    def bad_verb(self, verb: str, value: object) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if value is None:
            self.buf.append("<nil>")
        else:
            self.buf.append(go_type_name(value) + "=")
            self.print_arg(value, "v")
        self.buf.append(")")
        self.erroring = False

    # --- dispatch ------------------------------------------------------------------------

    def print_arg(self, arg: object, verb: str) -> None:
        """Go's ``printArg``: format one operand (None is a nil interface)."""
        if arg is None:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb, None)
            return
        if verb == "T":
            self.pad(self.truncate(go_type_name(arg)))
            return
        if verb == "p":
            self.fmt_pointer(arg)
            return
        if verb == "w":  # %w is only valid in fmt.Errorf: always a bad verb here
            self.bad_verb(verb, arg)
            return
        self.print_value(arg, verb, 0)

    def print_value(self, value: object, verb: str, depth: int) -> None:
        """Go's ``printValue`` for a concrete (non-nil) value."""
        t = type(value)
        if t is str or t is JSONNumber:
            self.fmt_string(value, verb, value)  # type: ignore[arg-type]
        elif t is bool:
            self.fmt_bool(value, verb, value)  # type: ignore[arg-type]
        elif t is int or t is Int64:
            self.fmt_integer(value, True, verb, value)  # type: ignore[arg-type]
        elif t is Uint8:
            self.fmt_integer(value, False, verb, value)  # type: ignore[arg-type]
        elif t is float:
            self.fmt_float(value, verb, value)  # type: ignore[arg-type]
        elif t is complex:
            self.fmt_complex(value, verb, value)  # type: ignore[arg-type]
        elif isinstance(value, list):
            self.print_list(value, verb, depth)
        elif isinstance(value, dict):
            self.print_map(value, verb, depth)
        elif isinstance(value, bool):
            self.fmt_bool(value, verb, value)
        elif isinstance(value, str):
            self.fmt_string(value, verb, value)
        elif isinstance(value, int):
            self.fmt_integer(value, not isinstance(value, Uint8), verb, value)
        elif isinstance(value, float):
            self.fmt_float(value, verb, value)
        else:
            raise TypeError(f"a value of type {t.__name__} cannot be passed to a Go template")

    def print_elem(self, elem: object, verb: str, depth: int) -> None:
        """An element held in an ``interface{}`` slot."""
        if elem is None:
            if self.sharp_v:
                self.buf.append("interface {}(nil)")
            else:
                self.buf.append("<nil>")
        else:
            self.print_value(elem, verb, depth + 1)

    def print_list(self, value: list[object], verb: str, depth: int) -> None:
        if self.sharp_v:
            self.buf.append(go_type_name(value) + "{")
            for i, elem in enumerate(value):
                if i:
                    self.buf.append(", ")
                self.print_elem(elem, verb, depth + 1)
            self.buf.append("}")
            return
        self.buf.append("[")
        for i, elem in enumerate(value):
            if i:
                self.buf.append(" ")
            self.print_elem(elem, verb, depth + 1)
        self.buf.append("]")

    def print_map(self, value: dict[str, object], verb: str, depth: int) -> None:
        string_map = isinstance(value, StringMap)
        if self.sharp_v:
            self.buf.append(go_type_name(value) + "{")
        else:
            self.buf.append("map[")
        for i, key in enumerate(sorted_keys(value)):
            if i:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_value(key, verb, depth + 1)
            self.buf.append(":")
            if string_map:
                self.print_value(value[key], verb, depth + 1)
            else:
                self.print_elem(value[key], verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def result(self) -> str:
        return "".join(self.buf)


# --- Sprint, Sprintln, Sprintf ---------------------------------------------------------------


def _is_string_kind(arg: object) -> bool:
    return isinstance(arg, str)


def format_value(value: object) -> str:
    """``fmt.Sprint(value)`` for one operand, with fast paths for the common scalars."""
    t = type(value)
    if t is str:
        return value  # type: ignore[return-value]
    if t is JSONNumber:
        return str.__str__(value)
    if t is int:
        return str(value)
    if t is bool:
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    p = _Printer()
    p.print_arg(value, "v")
    return p.result()


def sprint(args: list[object]) -> str:
    """``fmt.Sprint``: operands printed with %v, a space between two non-strings."""
    if len(args) == 1:
        return format_value(args[0])
    p = _Printer()
    prev_string = False
    for i, arg in enumerate(args):
        is_string = _is_string_kind(arg)
        if i > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(arg, "v")
        prev_string = is_string
    return p.result()


def sprintln(args: list[object]) -> str:
    """``fmt.Sprintln``: operands printed with %v, separated by spaces, then a newline."""
    p = _Printer()
    for i, arg in enumerate(args):
        if i > 0:
            p.buf.append(" ")
        p.print_arg(arg, "v")
    p.buf.append("\n")
    return p.result()


def _parse_num(s: str, start: int, end: int) -> tuple[int, bool, int]:
    """Go's ``parsenum``: (number, found, new index)."""
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if num > 1_000_000:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: str) -> tuple[int, int, bool]:
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == "]":
            width, ok, newi = _parse_num(fmt, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _int_from_arg(args: list[object], arg_num: int) -> tuple[int, bool, int]:
    num = 0
    is_int = False
    new_arg_num = arg_num
    if arg_num < len(args):
        arg = args[arg_num]
        if (
            isinstance(arg, int)
            and not isinstance(arg, bool)
            and (type(arg) is Uint8 or -(1 << 63) <= arg < (1 << 63))
        ):
            num = arg
            is_int = True
        new_arg_num = arg_num + 1
        if num > 1_000_000 or num < -1_000_000:
            num = 0
            is_int = False
    return num, is_int, new_arg_num


class _FormatState:
    """The argument bookkeeping of one ``doPrintf`` run."""

    __slots__ = ("arg_num", "good_arg_num", "reordered")

    def __init__(self) -> None:
        self.arg_num = 0
        self.good_arg_num = True
        self.reordered = False

    def arg_number(self, fmt: str, i: int, num_args: int) -> tuple[int, bool]:
        if len(fmt) <= i or fmt[i] != "[":
            return i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(fmt[i:])
        if ok and 0 <= index < num_args:
            self.arg_num = index
            return i + wid, True
        self.good_arg_num = False
        return i + wid, ok


def sprintf(fmt: str, args: list[object]) -> str:
    """``fmt.Sprintf`` with Go's verbs, flags and error forms."""
    p = _Printer()
    st = _FormatState()
    end = len(fmt)
    i = 0
    after_index = False
    while i < end:
        st.good_arg_num = True
        lasti = i
        while i < end and fmt[i] != "%":
            i += 1
        if i > lasti:
            p.buf.append(fmt[lasti:i])
        if i >= end:
            break
        i += 1
        p.clear_flags()
        fast_done = False
        while i < end:
            c = fmt[i]
            if c == "#":
                p.sharp = True
            elif c == "0":
                p.zero = not p.minus
            elif c == "+":
                p.plus = True
            elif c == "-":
                p.minus = True
                p.zero = False
            elif c == " ":
                p.space = True
            else:
                if "a" <= c <= "z" and st.arg_num < len(args):
                    if c == "v":
                        p.sharp_v = p.sharp
                        p.sharp = False
                        p.plus_v = p.plus
                        p.plus = False
                    p.print_arg(args[st.arg_num], c)
                    st.arg_num += 1
                    i += 1
                    fast_done = True
                break
            i += 1
        if fast_done:
            continue

        i, after_index = st.arg_number(fmt, i, len(args))

        if i < end and fmt[i] == "*":
            i += 1
            p.wid, p.wid_present, st.arg_num = _int_from_arg(args, st.arg_num)
            if not p.wid_present:
                p.buf.append("%!(BADWIDTH)")
            if p.wid < 0:
                p.wid = -p.wid
                p.minus = True
                p.zero = False
            after_index = False
        else:
            p.wid, p.wid_present, i = _parse_num(fmt, i, end)
            if after_index and p.wid_present:
                st.good_arg_num = False

        if i + 1 < end and fmt[i] == ".":
            i += 1
            if after_index:
                st.good_arg_num = False
            i, after_index = st.arg_number(fmt, i, len(args))
            if i < end and fmt[i] == "*":
                i += 1
                p.prec, p.prec_present, st.arg_num = _int_from_arg(args, st.arg_num)
                if p.prec < 0:
                    p.prec = 0
                    p.prec_present = False
                if not p.prec_present:
                    p.buf.append("%!(BADPREC)")
                after_index = False
            else:
                p.prec, p.prec_present, i = _parse_num(fmt, i, end)
                if not p.prec_present:
                    p.prec = 0
                    p.prec_present = True

        if not after_index:
            i, after_index = st.arg_number(fmt, i, len(args))

        if i >= end:
            p.buf.append("%!(NOVERB)")
            break

        verb = fmt[i]
        if "\udc80" <= verb <= "\udcff":
            verb = "\ufffd"
        i += 1

        if verb == "%":
            p.buf.append("%")
        elif not st.good_arg_num:
            p.buf.append("%!" + verb + "(BADINDEX)")
        elif st.arg_num >= len(args):
            p.buf.append("%!" + verb + "(MISSING)")
        else:
            if verb == "v":
                p.sharp_v = p.sharp
                p.sharp = False
                p.plus_v = p.plus
                p.plus = False
            p.print_arg(args[st.arg_num], verb)
            st.arg_num += 1

    if not st.reordered and st.arg_num < len(args):
        p.clear_flags()
        p.buf.append("%!(EXTRA ")
        for j, arg in enumerate(args[st.arg_num :]):
            if j > 0:
                p.buf.append(", ")
            if arg is None:
                p.buf.append("<nil>")
            else:
                p.buf.append(go_type_name(arg) + "=")
                p.print_arg(arg, "v")
        p.buf.append(")")
    return p.result()


__all__ = ["format_value", "sprint", "sprintf", "sprintln"]
