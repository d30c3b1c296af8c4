"""Go's ``time.Unix(sec, 0).In(zone).Format(layout)``, as Go 1.19 computes it.

The layout language is Go's (reference time ``Mon Jan 2 15:04:05 MST 2006``): the layout
is cut into chunks exactly like ``time.nextStdChunk`` and each chunk is printed like
``time.appendFormat``. Dates come from Go's own absolute-time arithmetic, with its 64-bit
wrap-around, so even absurd timestamps print what Go prints (in UTC; for other zones the
zone offset of instants outside Python's year range 1..9999 is taken from the same
instant 400·k years away, where the Gregorian calendar and the zone rules repeat).

Time zones come from the system's IANA database through :mod:`zoneinfo`, as Go reads it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import lru_cache
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_MASK64: Final = (1 << 64) - 1
_SECONDS_PER_DAY: Final = 86400
_SECONDS_PER_WEEK: Final = 7 * _SECONDS_PER_DAY
_DAYS_PER_400_YEARS: Final = 365 * 400 + 97
_DAYS_PER_100_YEARS: Final = 365 * 100 + 24
_DAYS_PER_4_YEARS: Final = 365 * 4 + 1
_ABSOLUTE_ZERO_YEAR: Final = -292277022399
_UNIX_TO_INTERNAL: Final = (1969 * 365 + 1969 // 4 - 1969 // 100 + 1969 // 400) * _SECONDS_PER_DAY
_ABSOLUTE_TO_INTERNAL: Final = -730692556 * 146097 * _SECONDS_PER_DAY  # Go's constant, exactly
_UNIX_TO_ABSOLUTE: Final = _UNIX_TO_INTERNAL - _ABSOLUTE_TO_INTERNAL
_DAYS_BEFORE: Final = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS: Final = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_CYCLE_SECONDS: Final = _DAYS_PER_400_YEARS * _SECONDS_PER_DAY
_PY_MIN: Final = -62135596800 + 2 * _SECONDS_PER_DAY  # 0001-01-03, safe for any offset
_PY_MAX: Final = 253402300799 - 2 * _SECONDS_PER_DAY  # 9999-12-29


class UnknownZoneError(ValueError):
    """``time.LoadLocation`` failed; ``str()`` is Go's text."""


def _int64(x: int) -> int:
    x &= _MASK64
    return x - (1 << 64) if x >= 1 << 63 else x


@lru_cache(maxsize=64)
def load_location(name: str) -> ZoneInfo | None:
    """Go's ``time.LoadLocation``: None stands for UTC; raises UnknownZoneError."""
    if name in ("", "UTC", "Local"):
        return None
    if ".." in name or name[0] in "/\\":
        raise UnknownZoneError("time: invalid location name")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZoneError(f"unknown time zone {name}") from None


def _zone_at(zone: ZoneInfo, sec: int) -> tuple[str, int]:
    """(abbreviation, offset in seconds) of ``zone`` at Unix time ``sec``."""
    shift = 0
    if sec < _PY_MIN:
        shift = -((_PY_MIN - sec) // -_CYCLE_SECONDS) * _CYCLE_SECONDS
    elif sec > _PY_MAX:
        shift = -((sec - _PY_MAX) // -_CYCLE_SECONDS) * -_CYCLE_SECONDS
    moment = _dt.datetime.fromtimestamp(sec + shift, _dt.UTC).astimezone(zone)
    offset = moment.utcoffset()
    name = moment.tzname() or ""
    return name, int(offset.total_seconds()) if offset is not None else 0


def _abs_date(abs_: int) -> tuple[int, int, int, int]:
    """Go's ``absDate``: (year, month, day, yday) from absolute seconds (uint64)."""
    d = abs_ // _SECONDS_PER_DAY
    n = d // _DAYS_PER_400_YEARS
    y = 400 * n
    d -= _DAYS_PER_400_YEARS * n
    n = d // _DAYS_PER_100_YEARS
    n -= n >> 2
    y += 100 * n
    d -= _DAYS_PER_100_YEARS * n
    n = d // _DAYS_PER_4_YEARS
    y += 4 * n
    d -= _DAYS_PER_4_YEARS * n
    n = d // 365
    n -= n >> 2
    y += n
    d -= 365 * n
    year = _int64(y) + _ABSOLUTE_ZERO_YEAR
    yday = d
    day = yday
    if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        if day > 31 + 29 - 1:
            day -= 1
        elif day == 31 + 29 - 1:
            return year, 2, 29, yday
    month = day // 31
    end = _DAYS_BEFORE[month + 1]
    if day >= end:
        month += 1
        begin = end
    else:
        begin = _DAYS_BEFORE[month]
    return year, month + 1, day - begin + 1, yday


# --- layout chunks (Go's std* codes) ---------------------------------------------------------

_STD_0X: Final = ("zero_month", "zero_day", "zero_hour12", "zero_minute", "zero_second", "year")


def _starts_with_lower(s: str) -> bool:
    return bool(s) and "a" <= s[0] <= "z"


def _next_chunk(layout: str) -> tuple[str, str, int, str, str]:
    """Go's ``nextStdChunk``: (prefix, std code, fraction digits, separator, suffix)."""
    n = len(layout)
    i = 0
    while i < n:
        c = layout[i]
        if c == "J" and layout.startswith("Jan", i):
            if layout.startswith("January", i):
                return layout[:i], "long_month", 0, "", layout[i + 7 :]
            if not _starts_with_lower(layout[i + 3 :]):
                return layout[:i], "month", 0, "", layout[i + 3 :]
        elif c == "M" and n >= i + 3:
            if layout.startswith("Mon", i):
                if layout.startswith("Monday", i):
                    return layout[:i], "long_weekday", 0, "", layout[i + 6 :]
                if not _starts_with_lower(layout[i + 3 :]):
                    return layout[:i], "weekday", 0, "", layout[i + 3 :]
            if layout.startswith("MST", i):
                return layout[:i], "tz", 0, "", layout[i + 3 :]
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return layout[:i], _STD_0X[ord(layout[i + 1]) - 49], 0, "", layout[i + 2 :]
            if n >= i + 3 and layout[i + 1] == "0" and layout[i + 2] == "2":
                return layout[:i], "zero_yday", 0, "", layout[i + 3 :]
        elif c == "1":
            if n >= i + 2 and layout[i + 1] == "5":
                return layout[:i], "hour", 0, "", layout[i + 2 :]
            return layout[:i], "num_month", 0, "", layout[i + 1 :]
        elif c == "2":
            if layout.startswith("2006", i):
                return layout[:i], "long_year", 0, "", layout[i + 4 :]
            return layout[:i], "day", 0, "", layout[i + 1 :]
        elif c == "_":
            if n >= i + 2 and layout[i + 1] == "2":
                if layout.startswith("2006", i + 1):
                    return layout[: i + 1], "long_year", 0, "", layout[i + 5 :]
                return layout[:i], "under_day", 0, "", layout[i + 2 :]
            if n >= i + 3 and layout[i + 1] == "_" and layout[i + 2] == "2":
                return layout[:i], "under_yday", 0, "", layout[i + 3 :]
        elif c in "345":
            code = {"3": "hour12", "4": "minute", "5": "second"}[c]
            return layout[:i], code, 0, "", layout[i + 1 :]
        elif c == "P" and n >= i + 2 and layout[i + 1] == "M":
            return layout[:i], "PM", 0, "", layout[i + 2 :]
        elif c == "p" and n >= i + 2 and layout[i + 1] == "m":
            return layout[:i], "pm", 0, "", layout[i + 2 :]
        elif c == "-":
            for token, code in _NUM_TZ:
                if layout.startswith(token, i):
                    return layout[:i], code, 0, "", layout[i + len(token) :]
        elif c == "Z":
            for token, code in _ISO_TZ:
                if layout.startswith(token, i):
                    return layout[:i], code, 0, "", layout[i + len(token) :]
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            if not (j < n and "0" <= layout[j] <= "9"):
                code = "frac0" if ch == "0" else "frac9"
                return layout[:i], code, j - (i + 1), c, layout[j:]
        i += 1
    return layout, "", 0, "", ""


_NUM_TZ: Final = (
    ("-070000", "num_seconds_tz"),
    ("-07:00:00", "num_colon_seconds_tz"),
    ("-0700", "num_tz"),
    ("-07:00", "num_colon_tz"),
    ("-07", "num_short_tz"),
)
_ISO_TZ: Final = (
    ("Z070000", "iso_seconds_tz"),
    ("Z07:00:00", "iso_colon_seconds_tz"),
    ("Z0700", "iso_tz"),
    ("Z07:00", "iso_colon_tz"),
    ("Z07", "iso_short_tz"),
)


def _append_int(x: int, width: int) -> str:
    text = str(abs(x))
    if len(text) < width:
        text = "0" * (width - len(text)) + text
    return "-" + text if x < 0 else text


def _format_zone(code: str, offset: int) -> str:
    if offset == 0 and code.startswith("iso"):
        return "Z"
    zone = int(offset / 60)  # Go's integer division truncates toward zero
    absoffset = offset
    if zone < 0:
        sign = "-"
        zone = -zone
        absoffset = -absoffset
    else:
        sign = "+"
    text = sign + _append_int(zone // 60, 2)
    if "colon" in code:
        text += ":"
    if "short" not in code:
        text += _append_int(zone % 60, 2)
    if "seconds" in code:
        if "colon" in code:
            text += ":"
        text += _append_int(absoffset % 60, 2)
    return text


class _Moment(NamedTuple):
    """The calendar fields of one instant in one zone, as Go's Format computes them."""

    year: int
    month: int
    day: int
    yday: int
    hour: int
    minute: int
    second: int
    weekday: int
    zone_name: str
    offset: int


def _tz_name(m: _Moment) -> str:
    if m.zone_name:
        return m.zone_name
    minutes = int(m.offset / 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return sign + _append_int(minutes // 60, 2) + _append_int(minutes % 60, 2)


def _yday_under(m: _Moment) -> str:
    pad = "  " if m.yday < 10 else " " if m.yday < 100 else ""
    return pad + str(m.yday)


_FORMATTERS: Final[dict[str, Callable[[_Moment], str]]] = {
    "year": lambda m: f"{abs(m.year) % 100:02d}",
    "long_year": lambda m: _append_int(m.year, 4),
    "month": lambda m: _MONTHS[m.month - 1][:3],
    "long_month": lambda m: _MONTHS[m.month - 1],
    "num_month": lambda m: str(m.month),
    "zero_month": lambda m: f"{m.month:02d}",
    "weekday": lambda m: _WEEKDAYS[m.weekday][:3],
    "long_weekday": lambda m: _WEEKDAYS[m.weekday],
    "day": lambda m: str(m.day),
    "under_day": lambda m: f"{m.day:2d}",
    "zero_day": lambda m: f"{m.day:02d}",
    "under_yday": _yday_under,
    "zero_yday": lambda m: f"{m.yday:03d}",
    "hour": lambda m: f"{m.hour:02d}",
    "hour12": lambda m: str(m.hour % 12 or 12),
    "zero_hour12": lambda m: f"{m.hour % 12 or 12:02d}",
    "minute": lambda m: str(m.minute),
    "zero_minute": lambda m: f"{m.minute:02d}",
    "second": lambda m: str(m.second),
    "zero_second": lambda m: f"{m.second:02d}",
    "PM": lambda m: "PM" if m.hour >= 12 else "AM",
    "pm": lambda m: "pm" if m.hour >= 12 else "am",
    "tz": _tz_name,
    "frac9": lambda m: "",  # whole seconds: a trimmed fraction prints nothing
}  # fmt: skip


@lru_cache(maxsize=256)
def _layout_chunks(layout: str) -> tuple[tuple[str, str, int, str], ...]:
    """The layout cut into (literal prefix, std code, fraction digits, separator) chunks."""
    chunks = []
    while layout:
        prefix, code, digits, sep, layout = _next_chunk(layout)
        chunks.append((prefix, code, digits, sep))
        if not code:
            break
    return tuple(chunks)


def _moment(sec: int, zone: ZoneInfo | None) -> _Moment:
    if zone is None:
        name, offset = "UTC", 0
    else:
        name, offset = _zone_at(zone, sec)
    local = _int64(sec + offset)
    abs_ = (local + _UNIX_TO_ABSOLUTE) & _MASK64
    year, month, day, yday = _abs_date(abs_)
    hour, rest = divmod(abs_ % _SECONDS_PER_DAY, 3600)
    minute, second = divmod(rest, 60)
    weekday = ((abs_ + _SECONDS_PER_DAY) & _MASK64) % _SECONDS_PER_WEEK // _SECONDS_PER_DAY
    return _Moment(year, month, day, yday + 1, hour, minute, second, weekday, name, offset)


def format_unix(sec: int, zone: ZoneInfo | None, layout: str) -> str:
    """``time.Unix(sec, 0).In(zone).Format(layout)``; ``zone`` None is UTC."""
    moment = _moment(sec, zone)
    out: list[str] = []
    for prefix, code, digits, sep in _layout_chunks(layout):
        out.append(prefix)
        if not code:
            break
        formatter = _FORMATTERS.get(code)
        if formatter is not None:
            out.append(formatter(moment))
        elif code == "frac0":
            out.append(sep + "0" * min(digits, 9))
        else:  # the numeric and ISO 8601 zone offsets
            out.append(_format_zone(code, moment.offset))
    return "".join(out)
