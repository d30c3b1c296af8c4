"""The interface every auth method implements, and the behaviour the token methods share."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from crmtpl.creds.settings import AuthSettings
from crmtpl.creds.store import CredentialChain
from crmtpl.creds.tokenbasics import BearerMethod, Clock
from crmtpl.errors import UsageError
from crmtpl.http import HttpClient
from crmtpl.template.catalogue import catalogue
from crmtpl.template.catalogue_entries import AuthMethodSpec
from crmtpl.template.model import Template
from crmtpl.variables import Source, VariableContext

if TYPE_CHECKING:  # the token machinery loads only for the methods that use tokens
    from crmtpl.creds.endpoints import Renderer
    from crmtpl.creds.login import LoginOptions, LoginResult, LoginUi
    from crmtpl.creds.oauth import ClientAuth
    from crmtpl.creds.tokens import TokenManager

#: The variable the token methods put in the Authorization header.
ACCESS_TOKEN = "AccessToken"  # noqa: S105 - a variable name, not a token
#: The lint rules every method is checked by (spec §10): valid, equal, complete, values;
#: and the Authorization header a template must not send itself.
AUTH_RULES = ("CT401", "CT402", "CT403", "CT404", "CT646")
_VARIABLE = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")


@dataclass(frozen=True)
class LoginSession:
    """What ``auth login`` needs besides the settings and the variables."""

    chain: CredentialChain
    http: HttpClient
    ui: LoginUi
    options: LoginOptions


@dataclass(frozen=True)
class TokenRequest:
    """What building a token manager needs besides the settings and the variables."""

    http: HttpClient
    chain: CredentialChain
    login_command: str
    clock: Clock
    #: How oauth2 sends the client credentials (None: what ``auth login`` used, else post).
    client_auth: ClientAuth | None = None
    #: How bearertoken calls TokenEndPoint.
    bearer_method: BearerMethod = BearerMethod.POST
    #: Renders TokenEndPoint and the client fields (None: Go's engine).
    renderer: Renderer | None = None


class AuthStrategy:
    """One auth method: needs, provides, signs requests, obtains tokens, is linted by rules."""

    #: The AuthType / AuthMethod value.
    name: ClassVar[str] = ""
    #: The lint rules that check a template using this method.
    lint_rules: ClassVar[tuple[str, ...]] = AUTH_RULES
    #: True when a login without a refresh token leaves a token that cannot be renewed.
    needs_refresh_token: ClassVar[bool] = False

    @property
    def spec(self) -> AuthMethodSpec:
        """The catalogue's entry for this method (required parameters, header, provides)."""
        found = catalogue().auth_method(self.name)
        if found is None:  # pragma: no cover - the registry test ties the two together
            raise LookupError(f"the catalogue has no auth method {self.name!r}")
        return found

    @property
    def required_parameters(self) -> tuple[str, ...]:
        """AuthMethod parameters that must be present and non-empty."""
        return self.spec.required_parameters

    @property
    def provides(self) -> tuple[str, ...]:
        """Variables this method makes available to the templates."""
        return self.spec.provides

    @property
    def uses_tokens(self) -> bool:
        """True when requests carry an access token obtained from a token endpoint."""
        return ACCESS_TOKEN in self.provides

    def derive_variables(
        self, context: VariableContext, credential: Callable[[], str | None]
    ) -> None:
        """Add the variables this method provides to ``context``; ``credential()`` renders
        the ``Base64EncodedCredential`` parameter for the methods that use it."""

    def authorization_header(
        self, data: Mapping[str, str], template: Template
    ) -> tuple[str, str] | None:
        """The header the PBX adds to every request (the catalogue's ``authorization``)."""
        pattern = self.spec.authorization
        if not pattern:
            return None
        return ("Authorization", _VARIABLE.sub(lambda m: data.get(m.group(1), ""), pattern))

    def token_manager(
        self, settings: AuthSettings, data: Mapping[str, str], request: TokenRequest
    ) -> TokenManager | None:
        """How this method gets and refreshes its token; None when it uses none."""
        return None

    def login(
        self, settings: AuthSettings, data: Mapping[str, str], session: LoginSession
    ) -> LoginResult:
        """``crmtpl auth login``: obtain and store the first token."""
        raise UsageError(
            f"the template uses auth method {self.name!r}: there is nothing to log in to",
            hint="store its fields with crmtpl auth set TEMPLATE",
        )


class TokenStrategy(AuthStrategy):
    """Shared by the methods that send ``Authorization: <TokenType> <AccessToken>``."""

    def derive_variables(
        self, context: VariableContext, credential: Callable[[], str | None]
    ) -> None:
        """A placeholder token for render; run replaces it with a real one."""
        if ACCESS_TOKEN not in context:
            context.set(
                ACCESS_TOKEN,
                f"<{ACCESS_TOKEN}>",
                Source.AUTH,
                "obtained at run time (crmtpl auth login)",
                placeholder=True,
            )
        context.mark_secret(ACCESS_TOKEN)

    def authorization_header(
        self, data: Mapping[str, str], template: Template
    ) -> tuple[str, str] | None:
        """``Bearer`` unless the template's ``TokenType`` names another scheme."""
        auth = template.auth
        scheme = (auth.param_value("TokenType") if auth is not None else None) or "Bearer"
        return ("Authorization", f"{scheme} {data.get(ACCESS_TOKEN, '')}")
