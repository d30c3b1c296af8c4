"""Bearer-token templates: the PBX calls TokenEndPoint itself (spec §10.4).

What the request looks like is undocumented (spec §18 U10). crmtpl's choice: ``POST`` to
the rendered TokenEndPoint with its query exactly as rendered and an empty form body
(``Content-Type: application/x-www-form-urlencoded``, ``Accept: application/json``), the
way the spec's example URL (``...?client_id=..&client_secret=..&grant_type=client_credentials``)
reads; ``GET`` on request (``--bearer-method GET``). The token is read from
``access_token`` (then ``token``, ``accessToken``); its lifetime from ``expires_in``,
else ``TokenRefreshInterval`` minutes, else unknown (kept until a TokenErrorMap match).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from crmtpl.creds.oauth import parse_token_response, send_token_request
from crmtpl.creds.tokenbasics import BearerMethod, Clock
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import AuthError
from crmtpl.http import HttpClient, HttpRequest
from crmtpl.secrets import masker_for, redact_url


def fetch_bearer_token(
    token_endpoint_url: str,
    *,
    http: HttpClient,
    method: BearerMethod = BearerMethod.POST,
    refresh_interval_minutes: float | None = None,
    secrets: Iterable[str | None] = (),
    clock: Clock = time.time,
) -> TokenSet:
    """Ask a rendered TokenEndPoint for a token; AuthError (exit 5) when it refuses.

    ``secrets`` are the values to keep out of messages (the custom fields rendered into
    the URL); credential-looking query parameters are masked anyway.
    """
    url = token_endpoint_url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise AuthError(
            f"TokenEndPoint does not render to an http(s) URL: {redact_url(url)!r}",
            hint="check the TokenEndPoint parameter and the custom fields it uses",
        )
    secret_values = list(secrets)
    headers = [("Accept", "application/json")]
    body: bytes | None = None
    if method is BearerMethod.POST:
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        body = b""
    request = HttpRequest(method.value, url, headers, body)
    response = send_token_request(http, request, masker_for(secret_values))
    return parse_token_response(
        response,
        grant="bearer",
        now=clock(),
        secrets=secret_values,
        refresh_interval_minutes=refresh_interval_minutes,
    )
