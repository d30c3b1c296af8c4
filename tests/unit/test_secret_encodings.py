"""Issue 14 item 6: a secret is masked in every encoding a message can carry."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode, NetworkError
from crmtpl.secrets import MASK, Masker, mask_error
from tests.templates import api_key_template

KEY = 'v1/ct+m k=y"é&z'
USER = "agent@example.test"


@pytest.mark.parametrize(
    ("encoding", "form"),
    [
        ("raw", KEY),
        ("quote", quote(KEY)),
        ("quote safe=''", quote(KEY, safe="")),
        ("quote_plus", quote_plus(KEY)),
        ("lower-case percent escapes", quote(KEY, safe="").lower()),
        ("JSON-escaped", json.dumps(KEY)[1:-1]),
        ("JSON-escaped, non-ASCII kept", json.dumps(KEY, ensure_ascii=False)[1:-1]),
        ("JSON-escaped slash", json.dumps(KEY)[1:-1].replace("/", "\\/")),
        ("Base64 of the key", base64.b64encode(KEY.encode()).decode()),
        ("Basic auth user:pass", base64.b64encode(f"{USER}:{KEY}".encode()).decode()),
        ("URL-safe Base64", base64.urlsafe_b64encode(f"{USER}:{KEY}".encode()).decode()),
    ],
)
def test_every_encoding_is_masked(encoding: str, form: str) -> None:
    masked = Masker([KEY]).text(f"before {form} after")
    assert masked == f"before {MASK} after", encoding


def test_basic_auth_header_is_masked_by_value_under_any_header_name() -> None:
    header = "Basic " + base64.b64encode(f"{USER}:{KEY}".encode()).decode()
    assert Masker([KEY]).header("X-Forward", header) == f"Basic {MASK}"


def test_ordinary_text_and_short_values_are_left_alone() -> None:
    masker = Masker([KEY, "abc"])
    text = "Contacts Authorization abc ZGVmYXVsdA== 200 OK"
    assert masker.text(text) == text


def test_a_disabled_masker_shows_everything() -> None:
    assert Masker([KEY], enabled=False).text(quote(KEY)) == quote(KEY)


def test_mask_error_keeps_class_and_retryable() -> None:
    failure = NetworkError(f"GET http://h/x?k={quote_plus(KEY)}: refused", hint=f"try {KEY}")
    failure.retryable = True
    masked = mask_error(failure, Masker([KEY]))
    assert isinstance(masked, NetworkError) and masked.retryable
    assert KEY not in str(masked) and quote_plus(KEY) not in str(masked)
    assert masked.hint == f"try {MASK}"


def _query_key_template(base: str) -> str:
    """A template that sends the API key in the query string (``k=...``)."""
    return api_key_template(
        base, name="Query key", key="query_key_crm", query="k={{UrlEncode .api_key}}&amp;"
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_key_in_the_query_string_of_a_connection_error_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRMTPL_VAR_api_key", KEY)
    template = tmp_path / "query.xml"
    template.write_text(_query_key_template(f"http://127.0.0.1:{_closed_port()}"))
    code = run(["-vv", "run", "lookup", str(template), "--phone", "+15550100"])
    captured = capsys.readouterr()
    assert code == ExitCode.NETWORK
    assert "cannot connect" in captured.err
    output = captured.out + captured.err
    for form in (KEY, quote(KEY, safe=""), quote_plus(KEY), quote(KEY)):
        assert form not in output
    assert f"k={MASK}" in output


def test_curl_output_masks_the_url_encoded_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRMTPL_VAR_api_key", KEY)
    template = tmp_path / "query.xml"
    template.write_text(_query_key_template("https://crm.example.test"))
    for fmt in ("curl", "http", "json"):
        assert run(["render", "lookup", str(template), "--format", fmt]) == 0
        output = capsys.readouterr().out
        assert quote_plus(KEY) not in output and quote(KEY, safe="") not in output, fmt
        assert MASK in output, fmt
