"""A small hostile HTTP server on 127.0.0.1 for tests: it records each raw request and
answers as a test's script says (redirect elsewhere, trickle a body, never answer).

Plain sockets, so that the request line is seen exactly as it came off the wire.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class RawRequest:
    """One request as received: request line pieces, headers (as sent), body."""

    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


Script = Callable[[RawRequest, socket.socket], None]


def answer(sock: socket.socket, status: str, body: bytes = b"", headers: str = "") -> None:
    """Write a complete response and let the connection close."""
    sock.sendall(
        f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        f"{headers}\r\n".encode()
        + body
    )


def _read_request(sock: socket.socket) -> RawRequest | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = [tuple(line.split(": ", 1)) for line in lines[1:] if ": " in line]
    request = RawRequest(method, target, [(k, v) for k, v in headers])
    length = int(request.header("content-length") or 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    request.body = body
    return request


class HostileServer:
    """``with HostileServer(script) as server:`` serves ``server.url`` until the block ends."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[RawRequest] = []
        self.stop = threading.Event()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(30)
                try:
                    received = _read_request(self.request)
                    if received is None:
                        return
                    owner.requests.append(received)
                    owner.script(received, self.request)
                except OSError:
                    return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            block_on_close = False
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving(script: Script) -> Iterator[HostileServer]:
    """A :class:`HostileServer` running ``script`` for the duration of the block."""
    with HostileServer(script) as server:
        yield server
