"""All HTTP that crmtpl sends goes through this module (the only one that imports httpx).

The rules a PBX integrator can rely on:

* **Timeouts everywhere**: a connect and a read timeout on every request.
* **TLS is verified** against the system trust store (or ``--ca-bundle``); never silently off.
* **Retries only where they are safe**: GET/HEAD/OPTIONS are retried at most twice on a
  connection error or a 429/502/503/504 answer, honouring ``Retry-After``. POST, PUT, PATCH
  and DELETE are never retried, so a contact, a journal entry or a ticket is never created twice.
* **Bounded responses**: a body larger than ``max_response_bytes`` is refused.
* **Redirects are followed** as Go's ``net/http`` client (which the PBX uses) follows them,
  at most 10; ``Authorization`` is dropped when a redirect leaves the origin.
* Proxies come from the environment (``HTTPS_PROXY``...), except for loopback addresses,
  which Go never proxies either.

Failures raise :class:`crmtpl.errors.NetworkError` with a sentence a user can act on.
"""

from __future__ import annotations

import email.utils
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from crmtpl.errors import NetworkError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
MAX_REDIRECTS = 10
#: Longest ``Retry-After`` we are willing to wait; longer answers end the retries.
MAX_RETRY_AFTER_SECONDS = 30.0


@dataclass(frozen=True)
class HttpSettings:
    """How requests are sent. The CLI fills it from ``--timeout``, ``--ca-bundle``..."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    ca_bundle: Path | None = None
    max_response_bytes: int = 10 * 1024 * 1024
    max_retries: int = 2
    user_agent: str = "crmtpl"


@dataclass(frozen=True)
class HttpRequest:
    """One request to send: what render produced, ready for the wire."""

    method: str
    url: str
    headers: Sequence[tuple[str, str]] = ()
    body: bytes | None = None
    #: Which template request this is (``SearchContact``...), for recordings; not sent.
    label: str = ""


@dataclass
class HttpResponse:
    """A complete response, read into memory (bounded by ``max_response_bytes``)."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    content: bytes
    url: str
    elapsed_ms: float
    attempts: int = 1
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header, or ``""``."""
        return self.header("content-type") or ""

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced), as the PBX's Go code sees it."""
        return self.content.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300


Sleeper = Callable[[float], None]
#: Answers a request instead of the network (``run --replay``); see crmtpl.recording.
Responder = Callable[[HttpRequest], HttpResponse]
#: Sees every exchange that went over the network (``run --record``).
Observer = Callable[[HttpRequest, HttpResponse], None]


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    """Parse ``Retry-After`` (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def describe_body_start(content: bytes, limit: int = 120) -> str:
    """The first bytes of a body as a short, printable snippet for error messages."""
    snippet = content[:limit].decode("utf-8", errors="replace")
    snippet = " ".join(snippet.split())
    return snippet + ("..." if len(content) > limit else "")


class HttpClient:
    """Sends :class:`HttpRequest` s with crmtpl's safety rules. Use as a context manager."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        sleep: Sleeper = time.sleep,
        responder: Responder | None = None,
        observer: Observer | None = None,
    ):
        self.settings = settings or HttpSettings()
        self._sleep = sleep
        #: When set, every request is answered by it and no socket is ever opened.
        self.responder = responder
        #: When set, it is given every request and its final answer.
        self.observer = observer
        self._clients: dict[bool, httpx.Client] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pools."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def _ssl_context(self) -> ssl.SSLContext:
        bundle = self.settings.ca_bundle
        if bundle is not None and not bundle.is_file():
            raise NetworkError(
                f"CA bundle {bundle} does not exist",
                hint="pass a PEM file with --ca-bundle, or leave it out to use the system store",
            )
        try:
            return ssl.create_default_context(cafile=str(bundle) if bundle else None)
        except ssl.SSLError as problem:
            raise NetworkError(f"cannot read CA bundle {bundle}: {problem}") from problem

    def _client(self, url: str) -> httpx.Client:
        use_env = not _is_loopback(url)
        with self._lock:
            return self._clients.get(use_env) or self._new_client(use_env)

    def _new_client(self, use_env: bool) -> httpx.Client:
        settings = self.settings
        client = httpx.Client(
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            verify=self._ssl_context(),
            trust_env=use_env,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": settings.user_agent},
        )
        self._clients[use_env] = client
        return client

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send a request, retrying only where safe; raise NetworkError on failure.

        An HTTP error status (4xx/5xx) is *returned*, not raised: the caller decides what a
        401 means (a TokenErrorMap match, an auth failure) and how to report it.
        """
        if self.responder is not None:
            return self.responder(request)
        response = self._send_with_retries(request)
        if self.observer is not None:
            self.observer(request, response)
        return response

    def _send_with_retries(self, request: HttpRequest) -> HttpResponse:
        method = request.method.upper()
        retryable = method in IDEMPOTENT_METHODS
        attempts = 0
        while True:
            attempts += 1
            try:
                response = self._send_once(method, request)
            except NetworkError as failure:
                if retryable and failure.retryable and attempts <= self.settings.max_retries:
                    self._sleep(min(2.0 ** (attempts - 1), MAX_RETRY_AFTER_SECONDS))
                    continue
                if not retryable and failure.retryable:
                    failure.hint = (
                        f"{method} requests are never retried automatically, so nothing is "
                        "created twice; check the CRM before sending it again"
                    )
                raise
            response.attempts = attempts
            if (
                retryable
                and response.status in RETRYABLE_STATUSES
                and attempts <= self.settings.max_retries
            ):
                wait = _retry_after_seconds(response.header("retry-after"), time.time())
                if wait is None:
                    wait = 2.0 ** (attempts - 1)
                if wait <= MAX_RETRY_AFTER_SECONDS:
                    self._sleep(wait)
                    continue
            return response

    def _send_once(self, method: str, request: HttpRequest) -> HttpResponse:
        client = self._client(request.url)
        limit = self.settings.max_response_bytes
        started = time.perf_counter()
        try:
            with client.stream(
                method, request.url, headers=list(request.headers), content=request.body
            ) as answer:
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise NetworkError(
                            f"{method} {request.url}: response is larger than {limit} bytes",
                            hint="raise the limit with --max-response-bytes if this is expected",
                        )
                    chunks.append(chunk)
                return HttpResponse(
                    status=answer.status_code,
                    reason=answer.reason_phrase,
                    headers=[(k, v) for k, v in answer.headers.multi_items()],
                    content=b"".join(chunks),
                    url=str(answer.url),
                    elapsed_ms=(time.perf_counter() - started) * 1000,
                    redirects=[str(r.url) for r in answer.history],
                )
        except httpx.TooManyRedirects as problem:
            raise NetworkError(
                f"{method} {request.url}: more than {MAX_REDIRECTS} redirects",
                hint="check the URL; the server redirects in a loop",
            ) from problem
        except httpx.ConnectTimeout as problem:
            raise _retryable(
                f"{method} {request.url}: could not connect within "
                f"{self.settings.connect_timeout:g} s",
                "check the host and port, or raise --connect-timeout",
            ) from problem
        except httpx.ReadTimeout as problem:
            raise _retryable(
                f"{method} {request.url}: no answer within {self.settings.read_timeout:g} s",
                "the server is slow or stuck; raise --timeout if it is expected",
            ) from problem
        except httpx.ConnectError as problem:
            if _is_tls_failure(problem):
                raise NetworkError(
                    f"{method} {request.url}: TLS verification failed ({problem})",
                    hint="pass the server's CA certificate with --ca-bundle FILE.pem",
                ) from problem
            raise _retryable(
                f"{method} {request.url}: cannot connect ({problem or 'connection refused'})",
                "is the server running, and are the host and port right?",
            ) from problem
        except httpx.UnsupportedProtocol as problem:
            raise NetworkError(
                f"{method} {request.url}: not an http:// or https:// URL",
                hint="the template's URLFormat must render to a full URL",
            ) from problem
        except httpx.InvalidURL as problem:
            raise NetworkError(f"{method} {request.url}: invalid URL ({problem})") from problem
        except httpx.TransportError as problem:
            raise _retryable(
                f"{method} {request.url}: connection failed ({type(problem).__name__}: {problem})",
                "retry later; if it persists, check the server",
            ) from problem


def _retryable(message: str, hint: str) -> NetworkError:
    failure = NetworkError(message, hint=hint)
    failure.retryable = True
    return failure


def _is_tls_failure(problem: Exception) -> bool:
    cause: BaseException | None = problem
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(problem)


def format_http_date(timestamp: float) -> str:
    """An RFC 7231 date, for tests and Retry-After answers."""
    return email.utils.format_datetime(datetime.fromtimestamp(timestamp, tz=UTC), usegmt=True)
