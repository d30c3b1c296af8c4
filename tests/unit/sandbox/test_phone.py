"""Phone matching: equal digits or a suffix of at least 7, E.164 against national numbers."""

from __future__ import annotations

import pytest

from crmtpl.sandbox.phone import parse_phone, phone_matches


def test_parse_reads_country_code_and_national_number() -> None:
    number = parse_phone("+49 (0)30 901820")
    assert (number.digits, number.country_code, number.national) == ("4930901820", "49", "30901820")
    assert parse_phone("+1 555-1234").country_code == "1"
    assert parse_phone("+971 4 123 4567").country_code == "971"
    assert parse_phone("0049 30 901820").country_code == "49"
    national = parse_phone("030 901820")
    assert (national.country_code, national.national) == (None, "30901820")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("5503302", "5503302"),
        ("+15551234", "+1 555-1234"),
        ("5551234", "+1 555-1234"),
        ("4155550142", "+1 415-555-0142"),
        (" 4930901820", "+49 30 901820"),
        ("15551234", "+1 555-1234"),
        ("+4930901820", "030 901820"),
        ("004930901820", "030 901820"),
        ("030901820", "+49 30 901820"),
        ("+44 20 7946 0018", "+44 (0)20 7946 0018"),
    ],
)
def test_numbers_that_match(query: str, stored: str) -> None:
    assert phone_matches(parse_phone(query), parse_phone(stored))


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("5503303", "5503302"),
        ("+3330901820", "+49 30 901820"),
        ("", "5503302"),
        ("+49", "030 901820"),
        ("3302", "5503302"),
        ("000111", "+34 912 345 678"),
        ("555123", "+1 555-1234"),
        ("+431535012", "+43 1 5350 123"),
        (" 4930901820", "030 901820"),
        ("+15551234", "+44 15551234"),
    ],
)
def test_numbers_that_do_not_match(query: str, stored: str) -> None:
    assert not phone_matches(parse_phone(query), parse_phone(stored))
