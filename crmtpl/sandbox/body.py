"""Reading a request body strictly: Content-Length or chunked, never more than the limit.

The framing is checked before a byte of the body is buffered: a Content-Length must be
plain digits, a chunk size plain hex digits (RFC 9112 §7.1), and a size that would take the
body past the limit is refused at once (413) instead of being read first. A request with
both framings, or with a transfer coding other than ``chunked``, is refused (400/501): a
server that guesses there is how requests get smuggled.
"""

from __future__ import annotations

import re
from typing import Protocol

MAX_BODY = 1024 * 1024
"""The largest body the sandbox accepts (1 MiB)."""

_DIGITS = re.compile(rb"[0-9]{1,19}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
_MAX_LINE = 4096


class ByteStream(Protocol):
    """What the reader needs of the connection: ``read`` and ``readline`` with a limit."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int | None = -1, /) -> bytes: ...


class BodyProblem(Exception):
    """The body cannot be read; ``status`` is the HTTP answer (400, 413 or 501)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def read_body(
    stream: ByteStream,
    content_length: str | None,
    transfer_encoding: str | None,
    limit: int = MAX_BODY,
) -> bytes:
    """The body that follows the headers on ``stream``, or :class:`BodyProblem`."""
    if transfer_encoding is not None:
        if content_length is not None:
            raise BodyProblem(400, "send Content-Length or Transfer-Encoding, not both")
        if transfer_encoding.strip().lower() != "chunked":
            raise BodyProblem(501, "the only transfer coding the sandbox reads is chunked")
        return _read_chunked(stream, limit)
    if content_length is None or not content_length.strip():
        return b""
    if not _DIGITS.fullmatch(content_length.strip().encode("ascii", "replace")):
        raise BodyProblem(400, "Content-Length must be a number of bytes (digits only)")
    length = int(content_length.strip())
    if length > limit:
        raise BodyProblem(413, _too_large(limit))
    return _read_exactly(stream, length)


def _read_chunked(stream: ByteStream, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size = _chunk_size(stream.readline(_MAX_LINE))
        if size == 0:
            _skip_trailers(stream)
            return b"".join(chunks)
        total += size
        if total > limit:
            raise BodyProblem(413, _too_large(limit))
        chunks.append(_read_exactly(stream, size))
        if stream.readline(3) not in (b"\r\n", b"\n"):
            raise BodyProblem(400, "malformed chunked body: a chunk does not end with CRLF")


def _chunk_size(line: bytes) -> int:
    found = _CHUNK_SIZE.fullmatch(line)
    if found is None:
        raise BodyProblem(400, "malformed chunked body: a chunk size must be hex digits")
    return int(found.group(1), 16)


def _skip_trailers(stream: ByteStream) -> None:
    for _ in range(100):
        line = stream.readline(_MAX_LINE)
        if line in (b"\r\n", b"\n", b""):
            return
        if not line.endswith(b"\n"):
            raise BodyProblem(400, "malformed chunked body: a trailer line is too long")
    raise BodyProblem(400, "malformed chunked body: too many trailer lines")


def _read_exactly(stream: ByteStream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise BodyProblem(400, "the body ended before the length the request announced")
    return data


def _too_large(limit: int) -> str:
    return f"the body must be at most {limit} bytes"
