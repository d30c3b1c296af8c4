"""Stored credentials are bound to the hosts they were stored for (issue 14, item 1).

Credentials are stored under a template's ``Key``. Any template can claim any Key, so the
Key alone must not decide where a stored API key, password, client secret or token may
go. As ``gh`` and ``git credential`` bind a secret to a host, crmtpl records with the
stored values the *origins* (scheme, host, port) of the template they were stored for
(``@origins``, next to ``@fields`` and ``@tokens``), and refuses to send any request to
another origin while stored credentials are in use: header, URL, body, token endpoint,
refresh alike. The user approves a new host explicitly with ``crmtpl auth approve``.

What is bound: values read from the keyring or the insecure file. Values the user gives
for one run (``--var``, ``CRMTPL_VAR_*``) are not stored and not bound.

Entries stored before this binding existed have no ``@origins``: they are bound to no
host, so the first run asks for one approval (the safe choice: binding them to whatever
template happens to run first would hand them to a hostile template that runs first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from crmtpl.errors import AuthError, UsageError
from crmtpl.http import (
    HttpClient,
    HttpRequest,
    HttpResponse,
    HttpSettings,
    Observer,
    Responder,
    RetryListener,
    Sleeper,
)

ORIGINS_ENTRY = "@origins"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL (lower case, default port left
    out), or None when the URL has no scheme or host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or any(c in host for c in "<>{} "):
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def parse_origin(text: str) -> str:
    """The origin a user typed for ``auth approve --host`` (a URL or ``host[:port]``)."""
    candidate = text if "://" in text else f"https://{text}"
    origin = origin_of(candidate)
    if origin is None:
        raise UsageError(
            f"--host {text!r} is not an http(s) origin",
            hint="write the scheme, host and port the template sends to, e.g. "
            "--host https://crm.example.com or --host http://127.0.0.1:8765",
        )
    return origin


class UnapprovedHostError(AuthError):
    """A request would carry stored credentials to a host they are not bound to (exit 5)."""


@dataclass(frozen=True)
class CredentialBinding:
    """Where the stored credentials of one template Key and profile may be sent.

    ``guarding`` is True when this command uses stored credentials (a stored field is a
    variable of the run, or stored tokens are in play); only then is a request checked.
    ``approve_command`` is the command to approve one origin, with ``{origin}`` in it.
    """

    template_key: str
    profile: str
    approved: frozenset[str]
    guarding: bool
    approve_command: str = "crmtpl auth approve TEMPLATE --host {origin}"

    def check(self, url: str) -> None:
        """Raise :class:`UnapprovedHostError` when ``url`` may not receive the credentials."""
        if not self.guarding:
            return
        origin = origin_of(url)
        if origin is not None and origin in self.approved:
            return
        where = origin or "a URL without an http(s) host"
        if self.approved:
            stored = "are bound to " + ", ".join(sorted(self.approved))
        else:
            stored = "are not bound to any host yet (they were stored before crmtpl bound "
            stored += "credentials to hosts)"
        command = self.approve_command.format(origin=origin or "https://HOST")
        raise UnapprovedHostError(
            f"refusing to send the stored credentials of {self.template_key!r} (profile "
            f"{self.profile}) to {where}: they {stored}; nothing was sent",
            hint=f"if you trust this template to send them there, approve the host with: "
            f"{command} (a template that reuses another template's Key would otherwise get "
            "its secrets)",
        )


class BoundHttpClient(HttpClient):
    """An :class:`~crmtpl.http.HttpClient` that checks every request against a binding
    before it is sent (requests of the run, token requests, refreshes, logins)."""

    def __init__(
        self,
        settings: HttpSettings | None,
        binding: CredentialBinding,
        *,
        sleep: Sleeper | None = None,
        responder: Responder | None = None,
        observer: Observer | None = None,
        on_retry: RetryListener | None = None,
    ) -> None:
        super().__init__(
            settings, sleep=sleep, responder=responder, observer=observer, on_retry=on_retry
        )
        self.binding = binding

    def send(self, request: HttpRequest) -> HttpResponse:
        """Check the request's origin against the binding, then send it."""
        self.binding.check(request.url)
        return super().send(request)


def merge_origins(current: Iterable[str], added: Iterable[str]) -> list[str]:
    """The sorted union of two origin lists (what ``@origins`` holds)."""
    return sorted({*current, *added})
