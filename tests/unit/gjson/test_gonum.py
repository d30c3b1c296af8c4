"""Go number semantics: strconv.ParseFloat, FormatFloat 'f' and 'g', int64 wrapping."""

from __future__ import annotations

import math

import pytest

from crmtpl.gjson._gonum import (
    float_to_int64,
    format_float_f,
    format_float_g,
    parse_float,
    parse_int,
    parse_uint,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", 1.5),
        ("-0", -0.0),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.", 1.0),
        ("1_000", 1000.0),
        ("0x1p-2", 0.25),
        ("+Inf", math.inf),
        ("-infinity", -math.inf),
        ("1e400", math.inf),
        ("", 0.0),
        (" 1", 0.0),
        ("1_", 0.0),
        ("0x10", 0.0),
        ("+nan", 0.0),
        ("infin", 0.0),
        ("1e", 0.0),
    ],
)
def test_parse_float(text: str, value: float) -> None:
    assert parse_float(text) == value
    assert math.copysign(1, parse_float(text)) == math.copysign(1, value)


def test_parse_float_nan() -> None:
    assert math.isnan(parse_float("NaN"))


@pytest.mark.parametrize(
    ("value", "f_form", "g_form"),
    [
        (1000.0, "1000", "1000"),
        (1.5, "1.5", "1.5"),
        (-0.0, "-0", "-0"),
        (6.02e23, "602000000000000000000000", "6.02e+23"),
        (-1.5e-7, "-0.00000015", "-1.5e-07"),
        (1234567.0, "1234567", "1.234567e+06"),
        (100000.0, "100000", "100000"),
        (0.0001, "0.0001", "0.0001"),
        (0.00001, "0.00001", "1e-05"),
        (math.inf, "+Inf", "+Inf"),
        (-math.inf, "-Inf", "-Inf"),
        (math.nan, "NaN", "NaN"),
    ],
)
def test_format_float(value: float, f_form: str, g_form: str) -> None:
    assert format_float_f(value) == f_form
    assert format_float_g(value) == g_form


def test_integers_wrap_like_int64() -> None:
    assert parse_int("9223372036854775808") == (-(2**63), True)
    assert parse_int("-12") == (-12, True)
    assert parse_int("-") == (0, False)
    assert parse_int("1.0") == (0, False)
    assert parse_uint("18446744073709551617") == (1, True)
    assert float_to_int64(math.nan) == -(2**63)
    assert float_to_int64(-2.9) == -2
