"""All HTTP that crmtpl sends goes through this module (the only one that imports httpx).

The rules a PBX integrator can rely on:

* **One time budget per request**: ``read_timeout`` (``--timeout``) bounds the whole
  request: connecting (also bounded by ``connect_timeout``), waiting, retries and their
  pauses, redirects and reading the body, even from a server that sends one byte a second.
* **Cancellable**: :meth:`HttpClient.cancel` (Ctrl-C) stops every request in flight at its
  next step; nothing is sent after it.
* **TLS is verified** against the system trust store (or ``--ca-bundle``); never silently off.
* **Retries only where they are safe**: GET/HEAD/OPTIONS are retried at most twice on a
  connection error or a 429/502/503/504 answer, honouring ``Retry-After``, and only when the
  retry fits in the budget. POST, PUT, PATCH and DELETE are never retried, so a contact, a
  journal entry or a ticket is never created twice.
* **Bounded responses**: a body larger than ``max_response_bytes`` is refused.
* **Redirects are followed** as Go's ``net/http`` client (which the PBX uses) follows them,
  at most 10, except that a header carrying a secret never goes to another origin
  (:mod:`crmtpl.redirects`); each hop is recorded in :attr:`HttpResponse.hops`.
* **The path is sent as written**, dot segments included, as Go sends it
  (:mod:`crmtpl.gotarget`); httpx alone would remove them.
* Proxies come from the environment (``HTTPS_PROXY``...), except for loopback addresses,
  which Go never proxies either.

Failures raise :class:`crmtpl.errors.NetworkError` with a sentence a user can act on.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from crmtpl.controlchars import make_visible
from crmtpl.errors import Interrupted, NetworkError
from crmtpl.gotarget import go_request_target
from crmtpl.redirects import REDIRECT_STATUSES, RedirectHop, next_hop_headers, redirect_method
from crmtpl.secrets import Masker, redact_url
from crmtpl.tlscontext import system_trust_context

log = logging.getLogger("crmtpl.http")

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
    #: The budget of the whole command (``--total-timeout``): every request, retry and
    #: redirect of the run must end within it; None: no limit beyond each request's own.
    total_timeout: float | None = None


@dataclass(frozen=True)
class HttpRequest:
    """One request to send: what render produced, ready for the wire."""

    method: str
    url: str
    headers: Sequence[tuple[str, str]] = ()
    body: bytes | None = None
    #: Secret values (the secrecy policy's): a header containing one never leaves its origin.
    secrets: Sequence[str] = ()
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
    #: Each redirect followed, with the headers left behind (:mod:`crmtpl.redirects`).
    hops: list[RedirectHop] = field(default_factory=list)

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
#: Told before each retry: (the request, which retry this is, how many may come, the wait).
RetryListener = Callable[["HttpRequest", int, int, float], None]


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
    """Sends :class:`HttpRequest` s with crmtpl's safety rules. Use as a context manager.

    :meth:`cancel` (Ctrl-C) stops everything: no request, retry or redirect is sent after
    it, and a body being read is abandoned at its next chunk.
    """

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        sleep: Sleeper | None = None,
        responder: Responder | None = None,
        observer: Observer | None = None,
        on_retry: RetryListener | None = None,
    ):
        self.settings = settings or HttpSettings()
        total = self.settings.total_timeout
        self._command_end = None if total is None else time.monotonic() + total
        self._cancelled = threading.Event()
        self._sleep: Sleeper = sleep or self._wait_unless_cancelled
        #: When set, every request is answered by it and no socket is ever opened.
        self.responder = responder
        #: When set, it is given every request and its final answer.
        self.observer = observer
        #: When set, it is told before each retry (the CLI says "retrying (1/2)…").
        self.on_retry = on_retry
        self._clients: dict[bool, httpx.Client] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Send nothing more: every later or pending send raises :class:`Interrupted`."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancelled.is_set()

    def close(self) -> None:
        """Close the connection pools; nothing is sent after this."""
        self._cancelled.set()
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        for client in clients:
            client.close()

    def _wait_unless_cancelled(self, seconds: float) -> None:
        self._cancelled.wait(seconds)

    def _check_cancelled(self, method: str, url: str) -> None:
        if self._cancelled.is_set():
            raise Interrupted(f"{method} {redact_url(url)}: not sent, the command was interrupted")

    def _ssl_context(self) -> ssl.SSLContext:
        bundle = self.settings.ca_bundle
        if bundle is not None and not bundle.is_file():
            raise NetworkError(
                f"CA bundle {bundle} does not exist",
                hint="pass a PEM file with --ca-bundle, or leave it out to use the system store",
            )
        if bundle is None:
            return system_trust_context()
        try:
            return ssl.create_default_context(cafile=str(bundle))
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
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
        )
        self._clients[use_env] = client
        return client

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send a request, retrying only where safe; raise NetworkError on failure.

        The whole request (connect, retries and their waits, redirects, the body) must end
        within ``read_timeout`` seconds (``--timeout``); a retry that would not fit is not
        tried. An HTTP error status (4xx/5xx) is *returned*, not raised: the caller decides
        what a 401 means (a TokenErrorMap match, an auth failure) and how to report it.
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
        deadline = _Deadline(
            self.settings.read_timeout, self._command_end, self.settings.total_timeout
        )
        attempts = 0
        while True:
            attempts += 1
            try:
                response = self._follow(method, request, deadline)
            except NetworkError as failure:
                if retryable and failure.retryable and attempts <= self.settings.max_retries:
                    wait = min(2.0 ** (attempts - 1), MAX_RETRY_AFTER_SECONDS)
                    if deadline.fits(wait):
                        self._pause(wait, request, attempts)
                        continue
                    failure.message += (
                        f" (after {attempts} attempt{'s' if attempts > 1 else ''}; "
                        f"another would pass the {deadline.budget:g} s of --timeout)"
                    )
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
                asked = _retry_after_seconds(response.header("retry-after"), time.time())
                pause = 2.0 ** (attempts - 1) if asked is None else asked
                if pause <= MAX_RETRY_AFTER_SECONDS and deadline.fits(pause):
                    self._pause(pause, request, attempts)
                    continue
            return response

    def _pause(self, seconds: float, request: HttpRequest, attempts: int) -> None:
        method, url = request.method.upper(), request.url
        shown = Masker(request.secrets).text(redact_url(url))
        log.info("%s %s: retrying in %g s", method, make_visible(shown, one_line=True), seconds)
        if self.on_retry is not None:
            self.on_retry(request, attempts, self.settings.max_retries, seconds)
        self._sleep(seconds)
        self._check_cancelled(method, url)

    def _follow(self, method: str, request: HttpRequest, deadline: _Deadline) -> HttpResponse:
        """One attempt: send, then follow redirects as Go does, keeping secrets on their
        origin (:mod:`crmtpl.redirects`)."""
        masker = Masker(request.secrets)
        url, headers, body = request.url, list(request.headers), request.body
        hops: list[RedirectHop] = []
        while True:
            response = self._send_once(method, url, headers, body, deadline, first=not hops)
            location = response.header("location")
            if response.status not in REDIRECT_STATUSES or not location:
                break
            if len(hops) >= MAX_REDIRECTS:
                raise NetworkError(
                    f"{method} {redact_url(request.url)}: more than {MAX_REDIRECTS} redirects",
                    hint="check the URL; the server redirects in a loop",
                )
            next_url = _resolve(url, location, method)
            method, keep_body = redirect_method(response.status, method)
            headers, hop = next_hop_headers(
                headers,
                initial_url=request.url,
                from_url=url,
                to_url=next_url,
                status=response.status,
                keep_body=keep_body,
                masker=masker,
            )
            _log_hop(hop, masker)
            hops.append(hop)
            url, body = next_url, (body if keep_body else None)
        response.hops = hops
        response.redirects = [hop.from_url for hop in hops]
        return response

    def _send_once(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        deadline: _Deadline,
        *,
        first: bool,
    ) -> HttpResponse:
        self._check_cancelled(method, url)
        remaining = deadline.remaining()
        if remaining <= 0:
            raise deadline.exceeded(method, url)
        settings = self.settings
        limit = settings.max_response_bytes
        started = time.perf_counter()
        try:
            client = self._client(url)
            outgoing = client.build_request(
                method,
                url,
                headers=headers,
                content=body,
                timeout=httpx.Timeout(
                    min(settings.read_timeout, remaining),
                    connect=min(settings.connect_timeout, remaining),
                ),
            )
            if first:  # the path as written, dot segments included, as Go sends it
                query = outgoing.url.query.decode("ascii")
                outgoing.extensions["target"] = go_request_target(url, query)
            answer = client.send(outgoing, stream=True)
            try:
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_bytes():
                    self._check_cancelled(method, url)
                    if deadline.remaining() <= 0:
                        raise deadline.exceeded(method, url, slow_body=True)
                    size += len(chunk)
                    if size > limit:
                        raise NetworkError(
                            f"{method} {redact_url(url)}: response is larger than {limit} bytes",
                            hint="raise the limit with --max-response-bytes if this is expected",
                        )
                    chunks.append(chunk)
            finally:
                answer.close()
            return HttpResponse(
                status=answer.status_code,
                reason=answer.reason_phrase,
                headers=[(k, v) for k, v in answer.headers.multi_items()],
                content=b"".join(chunks),
                url=url,
                elapsed_ms=(time.perf_counter() - started) * 1000,
            )
        except httpx.ConnectTimeout as problem:
            if deadline.remaining() <= 0:
                raise deadline.exceeded(method, url) from problem
            raise _retryable(
                f"{method} {url}: could not connect within {settings.connect_timeout:g} s",
                "check the host and port, or raise --connect-timeout",
            ) from problem
        except httpx.ReadTimeout as problem:
            raise _retryable(
                f"{method} {url}: no answer within {min(settings.read_timeout, remaining):g} s",
                "the server is slow or stuck; raise --timeout if it is expected",
            ) from problem
        except httpx.ConnectError as problem:
            if _is_tls_failure(problem):
                raise NetworkError(
                    f"{method} {url}: TLS verification failed ({problem})",
                    hint="pass the server's CA certificate with --ca-bundle FILE.pem",
                ) from problem
            raise _retryable(
                f"{method} {url}: cannot connect ({problem or 'connection refused'})",
                "is the server running, and are the host and port right?",
            ) from problem
        except httpx.UnsupportedProtocol as problem:
            raise NetworkError(
                f"{method} {url}: not an http:// or https:// URL",
                hint="the template's URLFormat must render to a full URL",
            ) from problem
        except httpx.InvalidURL as problem:
            raise NetworkError(f"{method} {url}: invalid URL ({problem})") from problem
        except httpx.TransportError as problem:
            raise _retryable(
                f"{method} {url}: connection failed ({type(problem).__name__}: {problem})",
                "retry later; if it persists, check the server",
            ) from problem


class _Deadline:
    """The time budget of one request (``--timeout``): retries and redirects live inside.
    It ends earlier when the command's own budget (``--total-timeout``) ends first."""

    def __init__(
        self, budget: float, command_end: float | None = None, command_budget: float | None = None
    ) -> None:
        self.budget = budget
        own_end = time.monotonic() + budget
        self._by_command = command_end is not None and command_end < own_end
        self._end = command_end if command_end is not None and self._by_command else own_end
        self._command_budget = command_budget

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def fits(self, wait: float) -> bool:
        """True when waiting ``wait`` seconds still leaves time for another attempt."""
        return wait < self.remaining()

    def exceeded(self, method: str, url: str, *, slow_body: bool = False) -> NetworkError:
        what = "the answer did not complete" if slow_body else "no complete answer"
        if self._by_command:
            return NetworkError(
                f"{method} {redact_url(url)}: {what} before the run's time limit of "
                f"{self._command_budget:g} s (--total-timeout) ran out",
                hint="the server is slow or stuck; raise --total-timeout if it is expected",
            )
        return NetworkError(
            f"{method} {redact_url(url)}: {what} within {self.budget:g} s (--timeout)",
            hint="the server is slow or stuck; raise --timeout if it is expected",
        )


def _resolve(url: str, location: str, method: str) -> str:
    """The absolute URL a ``Location`` header points to (relative ones resolved)."""
    try:
        return str(httpx.URL(url).join(location))
    except httpx.InvalidURL as problem:
        raise NetworkError(
            f"{method} {redact_url(url)}: the server redirects to an invalid URL "
            f"{make_visible(location, one_line=True)!r}"
        ) from problem


def _log_hop(hop: RedirectHop, masker: Masker) -> None:
    def shown(url: str) -> str:
        return make_visible(masker.text(redact_url(url)), one_line=True)

    target = shown(hop.to_url)
    if not hop.left_origin:
        log.debug("redirect %s to %s", hop.status, target)
        return
    dropped = ", ".join(hop.dropped_headers) or "none"
    log.info(
        "redirect %s left %s for another host, %s; headers with secrets not sent there: %s",
        hop.status,
        shown(hop.from_url),
        target,
        dropped,
    )


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
