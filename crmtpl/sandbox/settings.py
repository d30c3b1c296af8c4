"""The sandbox's fixed, public credentials, its auth prefixes and its defaults.

Every credential here is a documented demo value (docs/sandbox.md): the sandbox listens on
127.0.0.1 only and holds made-up data, so there is nothing to protect.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 8765
DEFAULT_TOKEN_TTL = 300
"""Seconds an access token lives (bearer and OAuth2 alike); ``--token-ttl`` changes it."""
REFRESH_TOKEN_TTL = 30 * 24 * 3600
AUTHORIZATION_CODE_TTL = 600
HOST = "127.0.0.1"
API_PATH = "/api/v1"
SERVICE_NAME = "crmtpl-sandbox"
INSTANCE_HEADER = "X-Crmtpl-Sandbox-Instance"
"""The header with which ``crmtpl sandbox status`` proves it read the state file."""


@dataclass(frozen=True)
class SandboxCredentials:
    """The one set of credentials the sandbox accepts."""

    username: str = "demo"
    password: str = "demo-password"  # noqa: S105 - a documented public demo value
    api_key: str = "sandbox-api-key"
    client_id: str = "crmtpl-sandbox"
    client_secret: str = "sandbox-secret"  # noqa: S105 - a documented public demo value


CREDENTIALS = SandboxCredentials()


@dataclass(frozen=True)
class AuthPrefix:
    """One path prefix and the credential every API request under it must carry."""

    name: str
    template_auth: str
    """The template ``AuthMethod`` that fits this prefix."""
    credential: str
    """How to authenticate, in one line for people."""
    example_template: str


AUTH_PREFIXES: tuple[AuthPrefix, ...] = (
    AuthPrefix("none", "none", "no credentials", "examples/sandbox.xml"),
    AuthPrefix(
        "basic",
        "basic",
        f"Authorization: Basic of {CREDENTIALS.username}:{CREDENTIALS.password}"
        f" (or of the API key {CREDENTIALS.api_key})",
        "examples/sandbox-basic.xml, examples/sandbox-helpdesk.xml",
    ),
    AuthPrefix(
        "apikey",
        "none",
        f"header X-Api-Key: {CREDENTIALS.api_key}",
        "examples/sandbox-apikey.xml",
    ),
    AuthPrefix(
        "bearer",
        "bearertoken",
        "Authorization: Bearer <token> from /bearer/oauth/token (grant_type=client_credentials,"
        f" client {CREDENTIALS.client_id} / {CREDENTIALS.client_secret})",
        "examples/sandbox-bearer.xml",
    ),
    AuthPrefix(
        "oauth",
        "oauth2",
        "Authorization: Bearer <token> from the authorization code flow"
        " (/oauth/authorize, then /oauth/token)",
        "examples/sandbox-oauth2.xml",
    ),
)
AUTH_PREFIX_NAMES = frozenset(prefix.name for prefix in AUTH_PREFIXES)


def default_data_dir() -> Path:
    """The per-user directory the sandbox keeps its database in unless ``--data`` says.

    ``$XDG_DATA_HOME/crmtpl/sandbox`` (default ``~/.local/share/crmtpl/sandbox``); on
    Windows ``%LOCALAPPDATA%\\crmtpl\\sandbox``.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "crmtpl" / "sandbox"
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "crmtpl" / "sandbox"


@dataclass(frozen=True)
class Endpoint:
    """One API endpoint under ``/<prefix>/api/v1``, for the index page and the docs."""

    method: str
    path: str
    what: str


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET", "/contacts/search?phone=NUMBER", "contacts with a matching number"),
    Endpoint("GET", "/leads/search?phone=NUMBER", "leads with a matching number"),
    Endpoint("GET", "/contacts", "every contact"),
    Endpoint("GET", "/contacts/{id}", "one contact with all numbers and the address"),
    Endpoint("POST", "/contacts", "create a contact (phone required)"),
    Endpoint("GET", "/leads", "every lead"),
    Endpoint("GET", "/leads/{id}", "one lead with all numbers"),
    Endpoint("POST", "/leads", "create a lead (phone required)"),
    Endpoint("GET", "/contacts/{id}/calls", "call journal of one contact (also /leads/{id}/calls)"),
    Endpoint("GET", "/users", "CRM users (agents), for user association"),
    Endpoint("GET", "/account", "account info: default department and owner (GetGlobalInfo)"),
    Endpoint("POST", "/calls", "write a call journal entry"),
    Endpoint("GET", "/calls", "every call journal entry, newest first"),
    Endpoint("POST", "/tickets", "create a ticket"),
    Endpoint("GET", "/tickets", "every ticket, newest first"),
    Endpoint("GET", "/tickets/{id}", "one ticket with its comments"),
    Endpoint("POST", "/tickets/{id}/comments", "add a comment to a ticket (UpdateTicket)"),
)
