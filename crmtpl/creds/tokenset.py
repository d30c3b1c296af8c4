"""TokenSet: the tokens of one template and profile, stored as one entry."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from crmtpl.errors import AuthError

#: The proactive refresh margin: a token this close to its expiry is refreshed first.
DEFAULT_REFRESH_MARGIN = 60.0
#: The usual token type (``Authorization: Bearer <token>``); not a secret.
BEARER = "Bearer"


@dataclass(frozen=True)
class TokenSet:
    """An access token and what came with it. Secrets are left out of ``repr``.

    ``expires_at`` and ``obtained_at`` are Unix timestamps (seconds); ``expires_at`` is
    None when the server did not say. ``method`` is ``oauth2`` or ``bearertoken``;
    ``client_auth`` remembers how ``auth login`` authenticated the client at the token
    endpoint so that refreshes during ``run`` do the same.
    """

    access_token: str = field(repr=False)
    token_type: str = BEARER
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    obtained_at: float | None = None
    scope: str | None = None
    method: str = "oauth2"
    client_auth: str | None = None

    def seconds_left(self, now: float) -> float | None:
        """Seconds until expiry (negative when expired); None when the expiry is unknown."""
        return None if self.expires_at is None else self.expires_at - now

    def is_expired(self, now: float) -> bool:
        """True when the expiry is known and has passed."""
        left = self.seconds_left(now)
        return left is not None and left <= 0

    def refresh_margin(self, maximum: float = DEFAULT_REFRESH_MARGIN) -> float:
        """How long before expiry to refresh: ``maximum``, or a tenth of a short lifetime.

        A 5-second token is refreshed half a second early, not 60 s early (which would
        mean refreshing it on every use).
        """
        if self.expires_at is None or self.obtained_at is None:
            return maximum
        lifetime = max(0.0, self.expires_at - self.obtained_at)
        return min(maximum, lifetime / 10)

    def needs_refresh(self, now: float, maximum_margin: float = DEFAULT_REFRESH_MARGIN) -> bool:
        """True when the token has expired or expires within the refresh margin."""
        left = self.seconds_left(now)
        return left is not None and left <= self.refresh_margin(maximum_margin)

    def with_rotation(self, previous: TokenSet) -> TokenSet:
        """This (fresh) set, keeping the previous refresh token when none was issued."""
        if self.refresh_token or not previous.refresh_token:
            return self
        return TokenSet(
            access_token=self.access_token,
            token_type=self.token_type,
            refresh_token=previous.refresh_token,
            expires_at=self.expires_at,
            obtained_at=self.obtained_at,
            scope=self.scope if self.scope is not None else previous.scope,
            method=self.method,
            client_auth=self.client_auth or previous.client_auth,
        )

    def with_client_auth(self, client_auth: str | None) -> TokenSet:
        """A copy that remembers how the client authenticated."""
        data = asdict(self)
        data["client_auth"] = client_auth
        return TokenSet(**data)

    def secrets(self) -> list[str]:
        """The values to mask in any output."""
        return [value for value in (self.access_token, self.refresh_token) if value]

    def to_json(self) -> str:
        """The stored form (one keyring entry or file value)."""
        return json.dumps({"version": 1, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str) -> TokenSet:
        """Read the stored form; ``where`` names the store in the error message."""
        try:
            data: Any = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
                raise ValueError("no access_token")
            return cls(
                access_token=data["access_token"],
                token_type=str(data.get("token_type") or BEARER),
                refresh_token=_optional_str(data.get("refresh_token")),
                expires_at=_optional_float(data.get("expires_at")),
                obtained_at=_optional_float(data.get("obtained_at")),
                scope=_optional_str(data.get("scope")),
                method=str(data.get("method") or "oauth2"),
                client_auth=_optional_str(data.get("client_auth")),
            )
        except (ValueError, TypeError):
            raise AuthError(
                f"the stored tokens in the {where} are damaged",
                hint="remove them with crmtpl auth logout, then crmtpl auth login again",
            ) from None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _optional_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
