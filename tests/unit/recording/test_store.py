"""Record (redacted before writing) and replay (no socket; a miss names the closest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.http import HttpClient, HttpRequest, HttpResponse
from crmtpl.recording.redaction import placeholder
from crmtpl.recording.store import Player, Recorder, ReplayMissError, file_name

KEY = "live-api-key-123"
URL = f"http://crm.test/api/contacts?phone=5503302&key={KEY}"


def answer(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(
        status, "OK", [("Content-Type", "application/json")], body.encode(), URL, 5.0
    )


def record(folder: Path) -> list[Path]:
    recorder = Recorder(folder, lambda: {"api_key": KEY})
    search = HttpRequest("GET", URL, [("X-Api-Key", KEY)], None, label="SyncContactAuto/contacts")
    recorder.observe(search, answer('{"data":[{"id":1001,"echo":"' + KEY + '"}]}'))
    token = HttpRequest("POST", "http://crm.test/oauth/token", [], b"grant_type=client_credentials")
    recorder.observe(token, answer('{"access_token":"fresh-token-1"}'))
    return recorder.save()


def test_recording_writes_one_named_file_per_exchange_with_no_secret(tmp_path: Path) -> None:
    files = record(tmp_path / "lookup")
    assert [f.name for f in files] == ["01-SyncContactAuto-contacts.json", "02-token.json"]
    text = "".join(f.read_text() for f in files)
    assert KEY not in text
    assert "fresh-token-1" not in text
    assert "{{secret:api_key}}" in text
    assert "{{secret:access_token}}" in text


def test_recording_again_replaces_the_old_files(tmp_path: Path) -> None:
    (tmp_path / "lookup").mkdir()
    (tmp_path / "lookup" / "09-old.json").write_text("{}")
    record(tmp_path / "lookup")
    assert sorted(p.name for p in (tmp_path / "lookup").iterdir()) == [
        "01-SyncContactAuto-contacts.json",
        "02-token.json",
    ]


def test_replay_answers_with_secrets_as_placeholders_and_opens_no_socket(tmp_path: Path) -> None:
    record(tmp_path / "lookup")
    value = placeholder("api_key")
    player = Player(tmp_path / "lookup", lambda: {"api_key": value})
    with HttpClient(responder=player.respond) as http:
        got = http.send(HttpRequest("GET", URL.replace(KEY, value), [("X-Api-Key", value)], None))
        assert http._clients == {}
    assert got.status == 200
    assert got.text == '{"data":[{"id":1001,"echo":"{{secret:api_key}}"}]}'
    assert player.unused() == [str(tmp_path / "lookup" / "02-token.json")]


def test_a_request_nothing_matches_names_the_closest_with_a_diff(tmp_path: Path) -> None:
    record(tmp_path / "lookup")
    player = Player(tmp_path / "lookup", lambda: {"api_key": KEY})
    with pytest.raises(ReplayMissError) as failure:
        player.respond(HttpRequest("GET", URL.replace("5503302", "5500000"), [], None))
    message = str(failure.value)
    assert "01-SyncContactAuto-contacts.json" in message
    assert "-GET http://crm.test/api/contacts?phone=5503302&key={{secret:api_key}}" in message
    assert "+GET http://crm.test/api/contacts?phone=5500000&key={{secret:api_key}}" in message
    assert failure.value.exit_code == 4


def test_json_bodies_match_whatever_their_member_order(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, dict)
    request = HttpRequest("POST", "http://crm.test/calls", [], b'{"a": 1, "b": "x"}', label="j")
    recorder.observe(request, answer("{}", 201))
    recorder.save()
    player = Player(tmp_path, dict)
    again = HttpRequest("post", "http://crm.test/calls", [], b'{"b":"x","a":1}')
    assert player.respond(again).status == 201


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no such recording folder"):
        Player(tmp_path / "none", dict)


def test_file_names_for_requests_outside_the_template() -> None:
    recorder = Recorder(Path("."), dict)
    recorder.observe(HttpRequest("GET", "http://crm.test/api/users/42"), answer("{}"))
    assert file_name(3, recorder._exchanges[0]) == "03-users-42.json"
