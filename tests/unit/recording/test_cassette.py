"""One readable JSON file per exchange; bodies pretty in place and read back exactly."""

from __future__ import annotations

import json

import pytest

from crmtpl.errors import UsageError
from crmtpl.recording.cassette import (
    RecordedExchange,
    RecordedMessage,
    body_format,
    from_file_text,
    to_file_text,
)

ANSWER = '{"data":[{"id":1001,"score":1.50,"name":"William"}],"total":1}'


def exchange(request_body: str | None = None, answer: str = ANSWER) -> RecordedExchange:
    return RecordedExchange(
        name="SyncContactAuto/contacts",
        method="POST" if request_body else "GET",
        url="https://crm.test/api/contacts?phone=5503302",
        request=RecordedMessage([("Accept", "application/json")], request_body),
        status=200,
        reason="OK",
        response=RecordedMessage([("Content-Type", "application/json")], answer),
        elapsed_ms=12.34,
    )


def test_file_is_pretty_json_with_the_body_embedded() -> None:
    text = to_file_text(exchange())
    document = json.loads(text)
    assert document["request"]["headers"] == ["Accept: application/json"]
    assert document["response"]["body_format"] == "json"
    assert document["response"]["body"]["data"][0]["name"] == "William"
    assert '\n      "total": 1\n' in text


def test_round_trip_keeps_number_text_and_every_part() -> None:
    original = exchange('{"phone": "5503302"}')
    back = from_file_text(to_file_text(original), "f.json")
    assert back.response.body == ANSWER
    assert back.request.body == '{"phone":"5503302"}'
    assert (back.method, back.url, back.status, back.reason) == (
        original.method,
        original.url,
        200,
        "OK",
    )
    assert back.request.headers == [("Accept", "application/json")]
    assert back.elapsed_ms == 12.3


def test_text_and_missing_bodies() -> None:
    assert body_format(None) == "none"
    assert body_format("") == "text"
    assert body_format("<html>") == "text"
    back = from_file_text(to_file_text(exchange(answer="<html>oops</html>")), "f.json")
    assert back.response.body == "<html>oops</html>"
    assert back.request.body is None


def test_a_file_that_is_not_a_recording_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match=r"f\.json: not a recording"):
        from_file_text("{nope", "f.json")
    with pytest.raises(UsageError, match=r"f\.json: not a recording"):
        from_file_text('{"request": {}}', "f.json")
