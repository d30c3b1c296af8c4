"""The few names every auth method shares, in a module that loads nothing else.

``crmtpl.auth`` builds its strategies from these at import time; the OAuth2 and bearer
token machinery (``creds.oauth``, ``creds.bearer``, ``creds.login``, ``creds.tokens``)
loads only when a template's auth method needs tokens, so a run without them does not
pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

#: What the messages tell a user to run when a token is missing (the template's path
#: replaces TEMPLATE where it is known).
DEFAULT_LOGIN_COMMAND = "crmtpl auth login TEMPLATE"
#: The clock token expiry is measured with (time.time; tests pass their own).
Clock = Callable[[], float]


class BearerMethod(StrEnum):
    """The HTTP method of the bearer-token request (``--bearer-method``)."""

    POST = "POST"
    GET = "GET"
