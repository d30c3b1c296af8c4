"""What the description says about the whole API: its server URL and how it authenticates.

:class:`crmtpl.openapi.description.ApiDescription` keeps operations only, so these are read
from the root documents themselves (``servers``/``host``, ``securitySchemes``/
``securityDefinitions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crmtpl.openapi.description import ApiDescription, read_document
from crmtpl.scaffold.literal import defuse


@dataclass(frozen=True)
class Scheme:
    """One security scheme: ``kind`` is basic, bearer, apikey-header, apikey-query or oauth2."""

    name: str
    kind: str
    header: str = ""  # apikey-header: the header name; apikey-query: the parameter name
    authorization_url: str = ""
    token_url: str = ""
    scopes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the choice list shows it."""
        detail = f" ({self.header})" if self.header else ""
        return f"{self.name}: {self.kind}{detail}"


#: Preference among schemes a template can express: a static header is simplest for a PBX.
SCHEME_PREFERENCE = {
    "bearer": 5.0,
    "apikey-header": 4.0,
    "basic": 3.0,
    "oauth2": 2.0,
    "apikey-query": 1.0,
}


def _roots(description: ApiDescription) -> list[Mapping[str, Any]]:
    roots = []
    for file in description.files:
        document = read_document(file)
        if isinstance(document, Mapping):
            roots.append(defuse(document))
    return roots


def _list(value: Any) -> list[Any]:
    """``value`` when the description has a list there, else an empty list."""
    return value if isinstance(value, list) else []


def server_urls(description: ApiDescription) -> list[str]:
    """Absolute server URLs of the description (variables at their defaults), in order."""
    urls: list[str] = []
    for document in _roots(description):
        if "swagger" in document:
            host = document.get("host")
            if isinstance(host, str) and host:
                schemes = _list(document.get("schemes")) or ["https"]
                scheme = "https" if "https" in schemes else str(schemes[0])
                base = document.get("basePath")
                urls.append(f"{scheme}://{host}{base if isinstance(base, str) else ''}".rstrip("/"))
            continue
        for server in _list(document.get("servers")):
            if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
                continue
            url = server["url"]
            variables = server.get("variables")
            for name, variable in (variables if isinstance(variables, Mapping) else {}).items():
                if isinstance(variable, Mapping) and "default" in variable:
                    url = url.replace("{" + str(name) + "}", str(variable["default"]))
            if "://" in url and url.rstrip("/") not in urls:
                urls.append(url.rstrip("/"))
    return urls


def origin(url: str) -> str:
    """``https://api.example.com/v1`` -> ``https://api.example.com``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def security_schemes(description: ApiDescription) -> list[Scheme]:
    """The security schemes a template can use, in the documents' order."""
    schemes: list[Scheme] = []
    for document in _roots(description):
        components = document.get("components")
        raw = (components or {}).get("securitySchemes") if isinstance(components, Mapping) else None
        raw = raw or document.get("securityDefinitions") or {}
        for name, scheme in raw.items() if isinstance(raw, Mapping) else ():
            parsed = _scheme(str(name), scheme) if isinstance(scheme, Mapping) else None
            if parsed is not None and all(s.name != parsed.name for s in schemes):
                schemes.append(parsed)
    return schemes


def _scheme(name: str, raw: Mapping[str, Any]) -> Scheme | None:
    kind = str(raw.get("type", "")).lower()
    if kind == "basic" or (kind == "http" and str(raw.get("scheme", "")).lower() == "basic"):
        return Scheme(name, "basic")
    if kind == "http" and str(raw.get("scheme", "")).lower() == "bearer":
        return Scheme(name, "bearer")
    if kind == "apikey":
        where = str(raw.get("in", "")).lower()
        if where in ("header", "query") and isinstance(raw.get("name"), str):
            if where == "header" and raw["name"].lower() == "authorization":
                return Scheme(name, "bearer")
            return Scheme(name, f"apikey-{where}", header=raw["name"])
        return None
    if kind == "oauth2":
        return _oauth2(name, raw)
    return None


def _oauth2(name: str, raw: Mapping[str, Any]) -> Scheme | None:
    flows = raw.get("flows")
    if isinstance(flows, Mapping):  # OpenAPI 3
        flow = flows.get("authorizationCode")
    elif raw.get("flow") in ("accessCode", "authorizationCode"):  # Swagger 2
        flow = raw
    else:
        flow = None
    if not isinstance(flow, Mapping):
        return None
    scopes = flow.get("scopes")
    return Scheme(
        name,
        "oauth2",
        authorization_url=str(flow.get("authorizationUrl") or ""),
        token_url=str(flow.get("tokenUrl") or ""),
        scopes=tuple(str(s) for s in scopes) if isinstance(scopes, Mapping) else (),
    )


def accepted_schemes(description: ApiDescription) -> dict[tuple[str, str], set[str]]:
    """For each (METHOD, path) with a ``security`` requirement (its own or the document's),
    the names of the schemes it accepts. Operations behind a ``$ref``ed path item, and
    those with no requirement, are left out (anything goes)."""
    accepted: dict[tuple[str, str], set[str]] = {}
    for document in _roots(description):
        default = document.get("security")
        paths = document.get("paths")
        for path, item in paths.items() if isinstance(paths, Mapping) else ():
            if not isinstance(item, Mapping):
                continue
            for method, operation in item.items():
                if not isinstance(operation, Mapping) or str(method).startswith("x-"):
                    continue
                requirement = operation.get("security", default)
                if isinstance(requirement, list) and requirement:
                    names = {str(n) for r in requirement if isinstance(r, Mapping) for n in r}
                    accepted[(str(method).upper(), str(path))] = names
    return accepted
