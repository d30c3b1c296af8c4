"""Secrets become placeholders in every encoding, by value, header name and field name."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from crmtpl.recording.redaction import Redactor, encodings, is_placeholder, placeholder

SECRET = 's3cr3t/key+with space&"quote'


def test_placeholder_names_the_secret() -> None:
    assert placeholder("api_key") == "{{secret:api_key}}"
    assert is_placeholder("{{secret:api_key}}")
    assert not is_placeholder("Bearer {{secret:api_key}}")


def test_every_encoding_of_a_known_secret_is_replaced() -> None:
    redactor = Redactor({"api_key": SECRET})
    forms = [
        SECRET,
        quote(SECRET, safe=""),
        quote_plus(SECRET),
        json.dumps(SECRET)[1:-1],
        base64.b64encode(SECRET.encode()).decode(),
    ]
    for form in forms:
        assert redactor.text(f"before {form} after") == "before {{secret:api_key}} after"
        assert redactor.leaks(form)
    assert not redactor.leaks(redactor.text(" ".join(forms)))


def test_secrets_too_short_to_mask_are_left_to_the_header_rule() -> None:
    assert Redactor({"pin": "abc"}).text("abc YWJj") == "abc YWJj"
    assert "abcd" in encodings("abcd")


def test_credential_headers_keep_only_their_scheme() -> None:
    redactor = Redactor({})
    assert redactor.header("Authorization", "Bearer eyJabc") == "Bearer {{secret:authorization}}"
    assert redactor.header("X-Api-Key", "k-123456") == "{{secret:x-api-key}}"
    assert redactor.header("Accept", "application/json") == "application/json"


def test_a_known_secret_in_a_header_keeps_its_variable_name() -> None:
    redactor = Redactor({"api_key": "k-123456"})
    assert redactor.header("X-Api-Key", "k-123456") == "{{secret:api_key}}"


def test_token_endpoint_answer_is_redacted_by_member_name() -> None:
    answer = (
        '{"access_token":"at-1","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600}'
    )
    redacted = json.loads(Redactor({}).body(answer))
    assert redacted == {
        "access_token": "{{secret:access_token}}",
        "refresh_token": "{{secret:refresh_token}}",
        "token_type": "Bearer",
        "expires_in": 3600,
    }


def test_form_bodies_and_query_parameters_are_redacted_by_name() -> None:
    redactor = Redactor({})
    body = "grant_type=refresh_token&client_secret=cs-99&refresh_token=rt-1"
    assert redactor.body(body) == (
        "grant_type=refresh_token&client_secret={{secret:client_secret}}"
        "&refresh_token={{secret:refresh_token}}"
    )
    assert redactor.url("https://crm.test/a?phone=5503302&api_key=abcd") == (
        "https://crm.test/a?phone=5503302&api_key={{secret:api_key}}"
    )


def test_a_placeholder_given_as_replay_value_reads_back_as_itself() -> None:
    value = placeholder("api_key")
    redactor = Redactor({"api_key": value})
    assert redactor.url(f"https://crm.test/a?k={quote(value, safe='')}") == (
        "https://crm.test/a?k={{secret:api_key}}"
    )
