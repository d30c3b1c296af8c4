"""Origins and the binding check of stored credentials (issue 14, item 1)."""

from __future__ import annotations

import pytest

from crmtpl.creds.binding import CredentialBinding, UnapprovedHostError, origin_of, parse_origin
from crmtpl.errors import ExitCode, UsageError


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://CRM.Example.com/api?x=1", "https://crm.example.com"),
        ("https://crm.example.com:443/api", "https://crm.example.com"),
        ("http://127.0.0.1:8765/none/api", "http://127.0.0.1:8765"),
        ("http://[::1]:8080/x", "http://[::1]:8080"),
        ("https://user:pw@crm.example.com/", "https://crm.example.com"),
        ("<no value>/contacts", None),
        ("ftp://crm.example.com/", None),
        ("/relative/path", None),
        ("http://crm.example.com:99999/", None),
    ],
)
def test_origin_of(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin


def test_parse_origin_accepts_a_bare_host_as_https() -> None:
    assert parse_origin("crm.example.com") == "https://crm.example.com"
    assert parse_origin("http://127.0.0.1:8765/path") == "http://127.0.0.1:8765"
    with pytest.raises(UsageError):
        parse_origin("ftp://x")


def test_the_check_passes_approved_origins_and_refuses_others() -> None:
    binding = CredentialBinding(
        "crm",
        "default",
        frozenset({"https://crm.example.com"}),
        guarding=True,
        approve_command="crmtpl auth approve crm.xml --host {origin}",
    )
    binding.check("https://crm.example.com:443/contacts?phone=1")
    with pytest.raises(UnapprovedHostError) as refused:
        binding.check("https://crm.example.com.evil.test/contacts")
    assert refused.value.exit_code == ExitCode.AUTH
    assert "bound to https://crm.example.com" in str(refused.value)
    assert refused.value.hint is not None
    assert "crmtpl auth approve crm.xml --host https://crm.example.com.evil.test" in (
        refused.value.hint
    )
    with pytest.raises(UnapprovedHostError):
        binding.check("http://crm.example.com/contacts")  # another scheme is another origin


def test_nothing_is_checked_when_no_stored_value_is_in_use() -> None:
    CredentialBinding("crm", "default", frozenset(), guarding=False).check("https://any.test/")
