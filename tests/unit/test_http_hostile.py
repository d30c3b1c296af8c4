"""crmtpl.http against hostile servers on 127.0.0.1 (issue 14, items 2, 3 and 14).

Each test fails without its fix: custom credential headers followed an off-host redirect,
a trickled body or silent retries outran --timeout, and dot segments were removed from
the path.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest

from crmtpl.errors import Interrupted, NetworkError
from crmtpl.gotarget import go_path
from crmtpl.http import HttpClient, HttpRequest, HttpResponse, HttpSettings
from tests.hostile import HostileServer, RawRequest, answer, serving

SECRET = "s3cr3t-api-key-0042"


def _ok(request: RawRequest, sock: socket.socket) -> None:
    answer(sock, "200 OK", b'{"ok":true}', "Content-Type: application/json\r\n")


# -- item 2: secrets never follow a redirect to another origin ---------------------------


def _credential_headers() -> list[tuple[str, str]]:
    return [
        ("Accept", "application/json"),
        ("X-Api-Key", SECRET),
        ("Authorization", "Bearer tok-0123456789"),
        ("X-Tenant", f"tenant;key={SECRET}"),  # an ordinary name, a secret in the value
    ]


class Collected(logging.Handler):
    """The crmtpl.http log records (the CLI's logging setup stops their propagation)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_an_off_host_redirect_carries_no_header_with_a_secret() -> None:
    logger = logging.getLogger("crmtpl.http")
    collected = Collected()
    logger.addHandler(collected)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        response, crm, elsewhere = _redirect_off_host()
    finally:
        logger.removeHandler(collected)
        logger.setLevel(level)
    assert response.status == 200
    assert crm.requests[0].header("X-Api-Key") == SECRET
    received = elsewhere.requests[0]
    assert received.header("Accept") == "application/json"
    for name in ("X-Api-Key", "Authorization", "X-Tenant"):
        assert received.header(name) is None, name
    assert SECRET not in repr(received.headers)
    hop = response.hops[0]
    assert hop.left_origin
    assert hop.dropped_headers == ["X-Api-Key", "Authorization", "X-Tenant"]
    # Go drops Authorization for another domain, but forwards custom headers.
    assert hop.go_would_forward == ["X-Api-Key", "X-Tenant"]
    assert any("left" in m and "X-Api-Key" in m for m in collected.messages)


def _redirect_off_host() -> tuple[HttpResponse, HostileServer, HostileServer]:
    with serving(_ok) as elsewhere:
        landing = f"http://localhost:{elsewhere.port}/landing"

        def bounce(request: RawRequest, sock: socket.socket) -> None:
            answer(sock, "302 Found", headers=f"Location: {landing}\r\n")

        with serving(bounce) as crm, HttpClient() as http:
            response = http.send(
                HttpRequest(
                    "GET", f"{crm.url}/api/contacts", _credential_headers(), secrets=[SECRET]
                )
            )
    return response, crm, elsewhere


def test_a_redirect_to_another_port_of_the_same_host_is_another_origin() -> None:
    with serving(_ok) as elsewhere:

        def bounce(request: RawRequest, sock: socket.socket) -> None:
            answer(sock, "307 Temporary Redirect", headers=f"Location: {elsewhere.url}/x\r\n")

        with serving(bounce) as crm, HttpClient() as http:
            response = http.send(
                HttpRequest("POST", f"{crm.url}/api", _credential_headers(), b"{}", [SECRET])
            )
    received = elsewhere.requests[0]
    assert received.method == "POST" and received.body == b"{}"  # 307 keeps method and body
    assert received.header("X-Api-Key") is None
    # Go compares host names only: it would send all three to another port.
    assert response.hops[0].go_would_forward == ["X-Api-Key", "Authorization", "X-Tenant"]


def test_a_same_origin_redirect_keeps_the_credentials() -> None:
    def script(request: RawRequest, sock: socket.socket) -> None:
        if request.target == "/old":
            answer(sock, "301 Moved Permanently", headers="Location: /new\r\n")
        else:
            _ok(request, sock)

    with serving(script) as crm, HttpClient() as http:
        response = http.send(
            HttpRequest("GET", f"{crm.url}/old", _credential_headers(), secrets=[SECRET])
        )
    assert crm.requests[1].target == "/new"
    assert crm.requests[1].header("X-Api-Key") == SECRET
    assert not response.hops[0].left_origin
    assert response.redirects == [f"{crm.url}/old"]


# -- item 3: one budget per request, retries inside it, cancellation ---------------------


def _trickle(request: RawRequest, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n")
    for _ in range(100):
        time.sleep(0.5)
        sock.sendall(b"x")


def _silent(request: RawRequest, sock: socket.socket) -> None:
    time.sleep(20)


def test_a_body_trickled_byte_by_byte_ends_at_the_timeout() -> None:
    with serving(_trickle) as crm, HttpClient(HttpSettings(read_timeout=2)) as http:
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            http.send(HttpRequest("GET", f"{crm.url}/slow"))
        elapsed = time.monotonic() - started
    assert elapsed < 3.5
    assert "did not complete within 2 s" in str(caught.value)
    assert len(crm.requests) == 1  # no retry once the budget is spent


def test_retries_live_inside_the_timeout() -> None:
    with serving(_silent) as crm, HttpClient(HttpSettings(read_timeout=2)) as http:
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            http.send(HttpRequest("GET", f"{crm.url}/silent"))
        elapsed = time.monotonic() - started
    assert elapsed < 3.5  # before: 3 attempts of 2 s and pauses of 1 s and 2 s, 9 s and more
    assert "--timeout" in str(caught.value)
    assert len(crm.requests) == 1


def test_a_retry_that_fits_in_the_budget_is_still_made() -> None:
    def flaky(request: RawRequest, sock: socket.socket) -> None:
        if len(crm.requests) == 1:
            answer(sock, "503 Service Unavailable", headers="Retry-After: 0\r\n")
        else:
            _ok(request, sock)

    with serving(flaky) as crm, HttpClient(HttpSettings(read_timeout=5)) as http:
        response = http.send(HttpRequest("GET", f"{crm.url}/x"))
    assert response.status == 200
    assert response.attempts == 2


def test_nothing_is_sent_after_cancel() -> None:
    with serving(_ok) as crm, HttpClient() as http:
        http.cancel()
        with pytest.raises(Interrupted):
            http.send(HttpRequest("GET", f"{crm.url}/x"))
    assert crm.requests == []


# -- item 14: the path goes on the wire as written, as Go sends it -----------------------


def test_dot_segments_reach_the_server_as_written() -> None:
    with serving(_ok) as crm, HttpClient() as http:
        http.send(HttpRequest("GET", f"{crm.url}/api/contacts/../../admin/users?phone=1%202"))
        http.send(HttpRequest("GET", f"{crm.url}/api/contacts/./a b/ü"))
    assert crm.requests[0].target == "/api/contacts/../../admin/users?phone=1%202"
    assert crm.requests[1].target == "/api/contacts/./a%20b/%C3%BC"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("http://h/api/../x", "/api/../x"),
        ("http://h", "/"),
        ("http://h/a%2Fb/c", "/a%2Fb/c"),  # valid escapes are kept as written
        ("http://h/a b/(c)", "/a%20b/%28c%29"),  # not valid as written: Go escapes the path
        ("http://h/it's;v=1", "/it's;v=1"),
    ],
)
def test_go_path_follows_net_url(url: str, path: str) -> None:
    assert go_path(url) == path
