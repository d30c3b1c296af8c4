"""The HTTP rules: timeouts, safe retries only, bounded bodies, redirects, clear failures."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from pytest_httpx import HTTPXMock

from crmtpl.errors import ExitCode, NetworkError
from crmtpl.http import HttpClient, HttpRequest, HttpResponse, HttpSettings, format_http_date

URL = "https://crm.example.test/api/contacts?phone=5503302"


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client(sleeps: Sleeps | None = None, **settings: object) -> HttpClient:
    return HttpClient(HttpSettings(**settings), sleep=sleeps or Sleeps())  # type: ignore[arg-type]


def test_success_returns_status_headers_and_body(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, json={"data": []}, headers={"X-Req": "1"})
    with client() as http:
        answer = http.send(HttpRequest("GET", URL, [("Accept", "application/json")]))
    assert answer.status == 200
    assert answer.text == '{"data":[]}'
    assert answer.header("x-req") == "1"
    assert answer.content_type == "application/json"
    assert answer.attempts == 1
    sent = httpx_mock.get_request()
    assert sent is not None
    assert sent.headers["Accept"] == "application/json"


def test_get_is_retried_on_503_honouring_retry_after(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "3"})
    httpx_mock.add_response(url=URL, json={"ok": True})
    sleeps = Sleeps()
    with client(sleeps) as http:
        answer = http.send(HttpRequest("GET", URL))
    assert answer.status == 200
    assert answer.attempts == 2
    assert sleeps.calls == [3.0]


def test_429_with_an_http_date_retry_after(httpx_mock: HTTPXMock) -> None:
    later = format_http_date(time.time() + 5)
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": later})
    httpx_mock.add_response(url=URL, json={})
    sleeps = Sleeps()
    with client(sleeps) as http:
        assert http.send(HttpRequest("GET", URL)).status == 200
    assert len(sleeps.calls) == 1
    assert 3.0 <= sleeps.calls[0] <= 5.0


def test_get_gives_up_after_two_retries_and_returns_the_last_answer(
    httpx_mock: HTTPXMock,
) -> None:
    for _ in range(3):
        httpx_mock.add_response(url=URL, status_code=502)
    with client() as http:
        answer = http.send(HttpRequest("GET", URL))
    assert answer.status == 502
    assert answer.attempts == 3


def test_a_retry_after_longer_than_we_wait_ends_the_retries(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "3600"})
    sleeps = Sleeps()
    with client(sleeps) as http:
        answer = http.send(HttpRequest("GET", URL))
    assert answer.status == 429
    assert sleeps.calls == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_writes_are_never_retried_on_503(httpx_mock: HTTPXMock, method: str) -> None:
    httpx_mock.add_response(url=URL, method=method, status_code=503)
    with client() as http:
        answer = http.send(HttpRequest(method, URL, body=b"{}"))
    assert answer.status == 503
    assert answer.attempts == 1
    assert len(httpx_mock.get_requests()) == 1


def test_a_post_that_times_out_is_not_resent(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=URL, method="POST")
    with client() as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("POST", URL, body=b"{}"))
    assert "no answer within 30 s" in str(caught.value)
    assert caught.value.hint is not None and "never retried" in caught.value.hint
    assert caught.value.exit_code == ExitCode.NETWORK
    assert len(httpx_mock.get_requests()) == 1


def test_get_connect_error_is_retried_then_reported(httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ConnectError("refused"), url=URL)
    sleeps = Sleeps()
    with client(sleeps) as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", URL))
    assert "cannot connect" in str(caught.value)
    assert sleeps.calls == [1.0, 2.0]


def test_refused_connection_on_a_real_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with client(max_retries=0) as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", f"http://127.0.0.1:{port}/api"))
    assert "cannot connect" in str(caught.value)
    assert caught.value.hint is not None


def test_a_body_over_the_limit_is_refused(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, content=b"x" * 2048)
    with client(max_response_bytes=1024) as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", URL))
    assert "larger than 1024 bytes" in str(caught.value)


def test_redirects_are_followed_and_recorded(httpx_mock: HTTPXMock) -> None:
    target = "https://crm.example.test/v2/contacts?phone=5503302"
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": target})
    httpx_mock.add_response(url=target, json={"data": [1]})
    with client() as http:
        answer = http.send(HttpRequest("GET", URL))
    assert answer.status == 200
    assert answer.url == target
    assert answer.redirects == [URL]


def test_error_statuses_are_returned_not_raised(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=401, json={"error": "invalid_token"})
    with client() as http:
        answer = http.send(HttpRequest("GET", URL))
    assert answer.status == 401
    assert not answer.ok
    assert "invalid_token" in answer.text


def test_a_missing_ca_bundle_is_a_clear_error(tmp_path: object) -> None:
    from pathlib import Path

    missing = Path(str(tmp_path)) / "nope.pem"
    with client(ca_bundle=missing) as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", URL))
    assert "does not exist" in str(caught.value)


def test_a_url_that_is_not_http_is_a_clear_error() -> None:
    with client() as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", "ftp://crm.example.test/x"))
    assert "not an http:// or https:// URL" in str(caught.value)


def test_the_observer_sees_the_final_answer_and_the_responder_replaces_the_network(
    httpx_mock: HTTPXMock,
) -> None:
    httpx_mock.add_response(url=URL, status_code=503)
    httpx_mock.add_response(url=URL, json={"data": []})
    seen: list[tuple[str, int]] = []
    http = HttpClient(sleep=Sleeps(), observer=lambda q, a: seen.append((q.label, a.status)))
    with http:
        http.send(HttpRequest("GET", URL, label="SyncContactAuto/contacts"))
    assert seen == [("SyncContactAuto/contacts", 200)]

    def answer(request: HttpRequest) -> HttpResponse:
        return HttpResponse(201, "Created", [], b"{}", request.url, 0.0)

    with HttpClient(responder=answer) as offline:
        assert offline.send(HttpRequest("POST", URL)).status == 201
        assert offline._clients == {}
