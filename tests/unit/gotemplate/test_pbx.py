"""The PBX functions, as the reference program defines them (inferred semantics)."""

from __future__ import annotations

import pytest

from crmtpl.gotemplate import PBX_FUNCTIONS, StringMap, render
from crmtpl.gotemplate.gotime import load_location
from crmtpl.gotemplate.pbx import capitalize, time_format, to_millis, url_encode


def test_function_names_and_arities() -> None:
    assert PBX_FUNCTIONS == {"TimeFormat": 3, "ToMillis": 1, "Capitalize": 1, "UrlEncode": 1}


def test_documented_examples() -> None:
    data = StringMap(StartTimeUnix="1672531199", variable="hello world!")
    text = '{{ TimeFormat .StartTimeUnix "yyyy-MM-ddTHH:mm:ss.000Zz" "1" }}'
    assert render(text, data) == "2022-12-31T23:59:59.000Z"  # the doc claims 00:59:59
    assert render("{{ToMillis .StartTimeUnix}}", data) == "1672531199000"
    assert render('{{Capitalize "hello world"}}', data) == "Hello world"
    assert render("{{ UrlEncode .variable}}", data) == "hello%20world%21"


@pytest.mark.parametrize(
    ("ts", "layout", "utc", "zone", "expected"),
    [
        ("1672531199", "yyyy-MM-ddTHH:mm:ss-z", "1", None, "2022-12-31T23:59:59+00:00"),
        ("1672531199", "yyyy-MM-ddTHH:mm:ss-z", "0", "Asia/Kolkata", "2023-01-01T05:29:59+05:30"),
        ("1672531199", "HH:mm:ss 1 2", "1", None, "23:59:59 12 31"),
        ("1672531199", "Mon Jan _2 MST", "0", "America/New_York", "Sat Dec 31 EST"),
        ("-1", "yyyy", "1", None, "1969"),
        ("abc", "yyyy", "1", None, ""),
        ("1.5", "yyyy", "1", None, ""),
    ],
)
def test_time_format(ts: str, layout: str, utc: str, zone: str | None, expected: str) -> None:
    local = load_location(zone) if zone else None
    assert time_format(ts, layout, utc, local) == expected


def test_to_millis_wraps_like_int64() -> None:
    assert to_millis("9223372036854775807") == "-1000"
    assert to_millis("+5") == "5000"
    assert to_millis(" 1") == ""


def test_capitalize_uses_the_simple_upper_case_mapping() -> None:
    assert capitalize("élan") == "Élan"
    assert capitalize("ßeta") == "ßeta"
    assert capitalize("ǆ") == "Ǆ"
    assert capitalize("") == ""


def test_url_encode_escapes_every_reserved_byte() -> None:
    assert url_encode("+1 555 & é") == "%2B1%20555%20%26%20%C3%A9"
    assert url_encode("a-b_c.d~") == "a-b_c.d~"
