"""What a hostile web page or client sends the sandbox, over a real socket (issue 14).

Header injection through ``redirect_uri``, DNS rebinding through ``Host``, cross-origin
writes, chunked bodies that try to get past the 1 MiB limit, ids and JSON bodies that used
to end in a 500 with Python's exception text.
"""

from __future__ import annotations

import json
import socket
from urllib.parse import quote

import pytest

from crmtpl.sandbox import SandboxServer
from tests.unit.sandbox.conftest import Client

API = "/none/api/v1"
AUTHORIZE = "/oauth/authorize?client_id=crmtpl-sandbox&state=s1"
INJECTED = "http://127.0.0.1:9999/callback\r\nSet-Cookie: stolen=1\r\nX-Injected: 1"


def _exchange(sandbox: SandboxServer, raw: bytes, *, wait: float = 5.0) -> bytes:
    """Send raw bytes, return everything the sandbox answers until it closes or goes idle."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=wait) as conn:
        conn.sendall(raw)
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except TimeoutError:
            pass
    return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


def _status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


def _header_lines(answer: bytes) -> list[bytes]:
    return answer.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]


def _request(method: str, target: str, port: int, *extra: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", *extra]
    if body and not any(h.lower().startswith("transfer-encoding") for h in extra):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# -- 7: header injection through /oauth/authorize ------------------------------------------


@pytest.mark.parametrize("response_type", ["", "&response_type=token", "&response_type=code"])
def test_a_line_break_in_redirect_uri_never_becomes_a_header(
    sandbox: SandboxServer, response_type: str
) -> None:
    target = f"{AUTHORIZE}&redirect_uri={quote(INJECTED, safe='')}{response_type}"
    answer = _exchange(sandbox, _request("GET", target, sandbox.port))
    assert _status(answer) == 400
    names = [line.split(b":")[0].lower() for line in _header_lines(answer)]
    assert b"set-cookie" not in names
    assert b"x-injected" not in names
    assert b"location" not in names
    assert b"visible ASCII" in answer


def test_a_line_break_in_redirect_uri_is_refused_on_approval_too(client: Client) -> None:
    approved = client.post(
        "/oauth/authorize",
        form={
            "response_type": "code",
            "client_id": "crmtpl-sandbox",
            "redirect_uri": INJECTED,
            "decision": "approve",
        },
    )
    assert approved.status == 400
    assert approved.header("set-cookie") is None
    assert approved.header("location") is None


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:9999/cb\nX: 1",
        "http://127.0.0.1:9999/cb x",
        "http://127.0.0.1:9999/cb\x00",
        "http:\\\\attacker.example/cb",
        "http://user:pw@127.0.0.1:9999/cb",
        "http://127.0.0.1:99999/cb",
        "javascript:alert(1)",
        "http://127.0.0.1:9999/cb#frag",
    ],
)
def test_redirect_uri_is_checked_strictly(client: Client, redirect_uri: str) -> None:
    shown = client.get(
        f"{AUTHORIZE}&response_type=code&redirect_uri={quote(redirect_uri, safe='')}"
    )
    assert shown.status == 400
    assert shown.header("location") is None


def test_a_plain_redirect_uri_still_works(client: Client) -> None:
    uri = "http://127.0.0.1:9999/callback?x=1"
    denied = client.get(f"{AUTHORIZE}&redirect_uri={quote(uri, safe='')}&response_type=token")
    assert denied.status == 302
    assert denied.header("location") == (
        uri + "&error=unsupported_response_type&error_description=response_type+must+be+code"
        "&state=s1"
    )


# -- 9: Host, Origin, content types, /health -----------------------------------------------


def test_a_foreign_host_is_misdirected_and_never_echoed(sandbox: SandboxServer) -> None:
    raw = b"GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n"
    answer = _exchange(sandbox, raw)
    assert _status(answer) == 421
    assert b"attacker.example" not in answer
    other_port = f"127.0.0.1:{sandbox.port + 1}".encode()
    answer = _exchange(sandbox, b"GET / HTTP/1.1\r\nHost: " + other_port + b"\r\n\r\n")
    assert _status(answer) == 421


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_the_sandbox_own_names_are_answered_and_used_in_links(
    sandbox: SandboxServer, name: str
) -> None:
    host = f"{name}:{sandbox.port}"
    raw = f"GET {API}/contacts/1001 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    answer = _exchange(sandbox, raw)
    assert _status(answer) == 200
    url = json.loads(answer.partition(b"\r\n\r\n")[2])["data"]["url"]
    assert url == f"http://{host.lower()}/app/contacts/1001"


def test_a_request_without_or_with_two_host_headers_is_refused(sandbox: SandboxServer) -> None:
    assert _status(_exchange(sandbox, b"GET / HTTP/1.1\r\n\r\n")) == 400
    host = f"Host: 127.0.0.1:{sandbox.port}\r\n".encode()
    assert _status(_exchange(sandbox, b"GET / HTTP/1.1\r\n" + host + host + b"\r\n")) == 400


def test_cross_origin_writes_are_refused(client: Client) -> None:
    before = client.get(f"{API}/contacts").json()["total"]
    body = {"first_name": "Mallory", "phone": "5550000001"}
    for headers in (
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = client.post(f"{API}/contacts", json_body=body, headers=headers)
        assert refused.status == 403, headers
        assert refused.json()["error"] == "cross_origin_write"
    assert client.get(f"{API}/contacts").json()["total"] == before
    own = client.post(f"{API}/contacts", json_body=body, headers={"Origin": client.base_url})
    assert own.status == 201


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_api_writes_must_be_json(client: Client, content_type: str) -> None:
    before = client.get(f"{API}/contacts").json()["total"]
    sent = client.post(
        f"{API}/contacts",
        raw=b'{"first_name": "Mallory", "phone": "5550000001"}',
        headers={"Content-Type": content_type},
    )
    assert sent.status == 415
    assert "application/json" in sent.json()["message"]
    assert client.get(f"{API}/contacts").json()["total"] == before


def test_the_consent_page_form_still_posts_from_the_sandbox_itself(client: Client) -> None:
    approved = client.post(
        "/oauth/authorize",
        form={
            "response_type": "code",
            "client_id": "crmtpl-sandbox",
            "redirect_uri": "http://127.0.0.1:9999/callback",
            "decision": "approve",
        },
        headers={"Origin": client.base_url},
    )
    assert approved.status == 302


def test_health_keeps_pid_and_data_dir_to_itself(sandbox: SandboxServer, client: Client) -> None:
    health = client.get("/health").json()
    assert health == {"status": "ok", "service": "crmtpl-sandbox"}
    assert str(sandbox.data_dir) not in client.get("/health").text
    wrong = client.get("/health", headers={"X-Crmtpl-Sandbox-Instance": "guess"}).json()
    assert "pid" not in wrong
    known = client.get("/health", headers={"X-Crmtpl-Sandbox-Instance": sandbox.instance_id})
    assert set(known.json()) == {"status", "service", "pid", "data_dir"}


# -- 10: chunked bodies and the 1 MiB limit ------------------------------------------------


@pytest.mark.parametrize("size", [b"-1", b"-10000", b"+5", b"0x10", b"1_0", b" 5", b"zz"])
def test_a_malformed_chunk_size_is_refused_before_reading_on(
    sandbox: SandboxServer, size: bytes
) -> None:
    head = _request("POST", f"{API}/contacts", sandbox.port, "Transfer-Encoding: chunked")
    # The connection stays open: a reader that trusted the size would wait for more.
    answer = _exchange(sandbox, head + size + b"\r\n" + b"x" * 1000, wait=5)
    assert answer, "no answer within 5 s: the sandbox kept reading"
    assert _status(answer) == 400
    assert b"chunk" in answer


def test_a_huge_chunk_size_is_413_at_once(sandbox: SandboxServer) -> None:
    head = _request("POST", f"{API}/contacts", sandbox.port, "Transfer-Encoding: chunked")
    answer = _exchange(sandbox, head + b"FFFFFFFFFFFF\r\n" + b"x" * 1000, wait=5)
    assert answer, "no answer within 5 s: the sandbox kept reading"
    assert _status(answer) == 413


def test_chunks_adding_up_past_one_mib_are_413(sandbox: SandboxServer) -> None:
    head = _request("POST", f"{API}/contacts", sandbox.port, "Transfer-Encoding: chunked")
    chunk = b"80000\r\n" + b"x" * 0x80000 + b"\r\n"  # 512 KiB
    answer = _exchange(sandbox, head + chunk + chunk + b"1\r\nx\r\n0\r\n\r\n")
    assert _status(answer) == 413


def test_a_wellformed_chunked_body_is_read(sandbox: SandboxServer) -> None:
    body = json.dumps({"first_name": "Chunky", "phone": "5550000002"}).encode()
    framed = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    head = _request(
        "POST",
        f"{API}/contacts",
        sandbox.port,
        "Transfer-Encoding: chunked",
        "Content-Type: application/json",
    )
    assert _status(_exchange(sandbox, head + framed)) == 201


@pytest.mark.parametrize(
    "framing",
    [
        ["Content-Length: +5"],
        ["Content-Length: 1_0"],
        ["Content-Length: -1"],
        ["Content-Length: 5", "Content-Length: 7"],
        ["Content-Length: 5", "Transfer-Encoding: chunked"],
    ],
)
def test_ambiguous_or_malformed_framing_is_refused(
    sandbox: SandboxServer, framing: list[str]
) -> None:
    head = _request("POST", f"{API}/contacts", sandbox.port, *framing)
    answer = _exchange(sandbox, head + b"{}\r\n\r\n")
    assert _status(answer) == 400


def test_a_content_length_over_the_limit_is_413(sandbox: SandboxServer) -> None:
    head = _request("POST", f"{API}/contacts", sandbox.port, "Content-Length: 5000000")
    assert _status(_exchange(sandbox, head)) == 413


# -- 12: huge ids and deep JSON are 4xx with a reason, never an exception's text -----------


def _no_exception_text(text: str) -> None:
    for leak in ("Traceback", "Error:", "OverflowError", "ValueError", "RecursionError"):
        assert leak not in text


@pytest.mark.parametrize("digits", [30, 5000])
def test_absurd_ids_in_paths_are_404_with_a_reason(client: Client, digits: int) -> None:
    big = "9" * digits
    for path in (
        f"{API}/contacts/{big}",
        f"{API}/leads/{big}/calls",
        f"{API}/tickets/{big}",
        f"/app/contacts/{big}",
    ):
        answer = client.get(path)
        assert answer.status == 404, path
        _no_exception_text(answer.text)
    missing = client.get(f"{API}/contacts/{big}").json()["message"]
    assert "there is no contact with id 9999" in missing
    assert len(missing) < 200
    comment = client.post(f"{API}/tickets/{big}/comments", json_body={"body": "hi"})
    assert comment.status == 404


def test_absurd_ids_in_bodies_are_422_with_a_reason(client: Client) -> None:
    for body in (
        {"first_name": "Big", "phone": "5550000003", "owner_id": "9" * 30},
        {"first_name": "Big", "phone": "5550000003", "owner_id": 10**25},
    ):
        answer = client.post(f"{API}/contacts", json_body=body)
        assert answer.status == 422
        assert answer.json()["problems"][0]["field"] == "owner_id"
        _no_exception_text(answer.text)
    call = client.post(f"{API}/calls", json_body={"contact_id": 10**25})
    assert call.status == 422
    kept_as_text = client.post(f"{API}/calls", json_body={"contact_id": "9" * 30})
    assert kept_as_text.status == 201


def test_a_5000_digit_number_in_a_body_is_400(client: Client) -> None:
    raw = b'{"first_name": "Big", "phone": "1", "owner_id": ' + b"9" * 5000 + b"}"
    answer = client.post(f"{API}/contacts", raw=raw, headers={"Content-Type": "application/json"})
    assert answer.status == 400
    assert "5000 digits" in answer.json()["message"]
    _no_exception_text(answer.text)


@pytest.mark.parametrize("path", [f"{API}/contacts", f"{API}/calls", "/bearer/oauth/token"])
def test_a_100k_deep_json_body_is_400(client: Client, path: str) -> None:
    raw = b"[" * 100_000 + b"]" * 100_000
    answer = client.post(path, raw=raw, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status < 500
    _no_exception_text(answer.text)
    if path.startswith(API):
        assert "too deeply" in answer.json()["message"]
