"""Walking oidc-provider's login and consent pages over HTTP, as a browser would.

``walk_to_redirect(url)`` follows an authorization URL through the dev login form and the
consent form (like ``tests/servers/oidc/authcode-flow.sh``) and returns the URL
the server redirects to (``redirect_uri?code=...&state=...``), without requesting it.
Run as a program (``python -m tests.e2e.oidc_flow URL``) it is a fake *browser*: it walks
the flow and then requests the redirect, which reaches crmtpl's loopback receiver.
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

LOGIN_FORM_MARK = 'name="prompt" value="login"'


def walk_to_redirect(url: str, login: str = "agent", *, redirect_uri: str | None = None) -> str:
    """The redirect the authorization server answers with after login and consent."""
    stop_at = redirect_uri or parse_qs(urlsplit(url).query)["redirect_uri"][0]
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=15) as client:
        current = url
        for _ in range(12):
            if current.startswith(stop_at):
                return current
            if "/interaction/" in current:
                page = client.get(current)
                if LOGIN_FORM_MARK in page.text:
                    form = {"prompt": "login", "login": login, "password": "x"}
                else:
                    form = {"prompt": "consent"}
                answer = client.post(current, data=form)
            else:
                answer = client.get(current)
            location = answer.headers.get("location")
            if not location:
                raise AssertionError(
                    f"no redirect from {current}: HTTP {answer.status_code} {answer.text[:300]}"
                )
            current = urljoin(current, location)
    raise AssertionError(f"the flow did not reach {stop_at} (last: {current})")


def main(argv: list[str]) -> int:
    """Fake browser: walk the flow, then deliver the redirect to the loopback receiver."""
    redirect = walk_to_redirect(argv[1])
    with httpx.Client(trust_env=False, timeout=15) as client:
        answer = client.get(redirect)
    return 0 if answer.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
