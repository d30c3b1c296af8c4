"""Rendering the AuthMethod parameters with the variables, as the PBX does.

``AuthEndPoint``, ``TokenEndPoint``, ``AdditionalQueryString`` and ``Scope`` are Go
templates over the same variables as every request (custom fields, ``redirect_uri``...).
The OAuth2 client id and secret are found in the rendered endpoints' queries
(``client_id=``, ``client_secret=``) or in custom fields named like them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crmtpl.creds.settings import AuthSettings
from crmtpl.errors import UsageError

#: ``render(parameter_name, template_text, variables) -> text``
Renderer = Callable[[str, str, Mapping[str, str]], str]

_CLIENT_ID_NAMES = frozenset({"clientid", "appid", "applicationid", "consumerkey"})
_CLIENT_SECRET_NAMES = frozenset(
    {"clientsecret", "appsecret", "applicationsecret", "consumersecret", "secret"}
)


def render_go_template(name: str, text: str, data: Mapping[str, str]) -> str:
    """Render one AuthMethod parameter with crmtpl's Go text/template engine (PBX functions)."""
    if "{{" not in text:
        return text
    from crmtpl import gotemplate

    try:
        rendered: str = gotemplate.parse(text).execute(gotemplate.StringMap(dict(data)))
    except gotemplate.GoTemplateError as problem:
        raise UsageError(
            f"the template's {name} cannot be rendered: {problem}",
            hint="crmtpl validate TEMPLATE shows where",
        ) from None
    return rendered


@dataclass(frozen=True)
class RenderedAuth:
    """The AuthMethod parameters after rendering, and the client they name."""

    auth_endpoint: str
    token_endpoint: str
    additional_query: str
    scope: str
    client_id: str | None
    client_secret: str | None = field(repr=False)


def _normalized(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _field_value(data: Mapping[str, str], names: frozenset[str]) -> str | None:
    for key, value in data.items():
        if _normalized(key) in names and value:
            return value
    return None


def _query_value(url_or_query: str, name: str) -> str | None:
    query = urlsplit(url_or_query).query if "://" in url_or_query else url_or_query
    for key, value in parse_qsl(query.lstrip("?&"), keep_blank_values=True):
        if key == name and value:
            return value
    return None


def render_auth(
    settings: AuthSettings, data: Mapping[str, str], renderer: Renderer | None = None
) -> RenderedAuth:
    """Render the AuthMethod parameters and find the client id and secret."""
    render = renderer or render_go_template
    auth_endpoint = render("AuthEndPoint", settings.auth_endpoint, data).strip()
    token_endpoint = render("TokenEndPoint", settings.token_endpoint, data).strip()
    additional = render("AdditionalQueryString", settings.additional_query, data).strip()
    scope = render("Scope", settings.scope, data).strip()
    client_id = (
        _query_value(auth_endpoint, "client_id")
        or _query_value(additional, "client_id")
        or _query_value(token_endpoint, "client_id")
        or _field_value(data, _CLIENT_ID_NAMES)
    )
    client_secret = _query_value(token_endpoint, "client_secret") or _field_value(
        data, _CLIENT_SECRET_NAMES
    )
    return RenderedAuth(auth_endpoint, token_endpoint, additional, scope, client_id, client_secret)
