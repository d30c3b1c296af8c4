"""Where the real peer servers of the end-to-end tests are, and whether they answer.

``.ci/services.sh start WORK`` starts every peer on 127.0.0.1 and writes
``WORK/services.env``; CI loads it into the environment before pytest (docs/ci.md).
``find_peer(name)`` reads a peer's variables from, in order:

1. the environment (the variables ``services.env`` sets);
2. ``$CRMTPL_SERVERS_DIR/<folder>/state/credentials.env``, for a developer who started
   a server by hand with ``tests/servers/<folder>/start.sh`` (BottleCRM and Request Tracker
   write such a file; Prism and oidc-provider have no credentials and use their default
   ports);

then checks that the server answers on loopback. A peer that is missing or silent makes
the test skip on a developer's machine (with the command that starts it) and fail under
CI, like ``tests.support.require``. Only the standard library is used, and never a proxy.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from tests.support import in_ci

START_COMMAND = (
    ".ci/services.sh start /tmp/crmtpl-services && "
    "set -a && . /tmp/crmtpl-services/services.env && set +a"
)
PROBE_TIMEOUT_SECONDS = 3.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

OIDC_CLIENT_DEFAULTS = {
    "OIDC_CLIENT_ID": "crmtpl",
    "OIDC_CLIENT_SECRET": "crmtpl-secret",
    "OIDC_REDIRECT_URI": "http://127.0.0.1:9999/callback",
}


@dataclass(frozen=True)
class PeerSpec:
    """How to find one peer: its variables, its folder, and a path that proves it answers."""

    folder: str
    url_var: str
    names: tuple[str, ...]
    probe_path: str
    defaults: Mapping[str, str] = field(default_factory=dict)


PEERS: dict[str, PeerSpec] = {
    "bottlecrm": PeerSpec(
        folder="bottlecrm",
        url_var="BOTTLECRM_URL",
        names=(
            "BOTTLECRM_URL",
            "BOTTLECRM_PAT",
            "BOTTLECRM_ORG_API_KEY",
            "BOTTLECRM_ORG_ID",
            "BOTTLECRM_ADMIN_EMAIL",
            "BOTTLECRM_JWT",
            "BOTTLECRM_JWT_REFRESH",
        ),
        probe_path="/healthz/",
    ),
    "rt5": PeerSpec(
        folder="rt5",
        url_var="RT_URL",
        names=(
            "RT_URL",
            "RT_TOKEN",
            "RT_USER",
            "RT_PASSWORD",
            "RT_AGENT_USER",
            "RT_AGENT_PASSWORD",
        ),
        probe_path="/",
    ),
    "hubspot": PeerSpec(
        folder="prism",
        url_var="HUBSPOT_URL",
        names=("HUBSPOT_URL",),
        probe_path="/",
        defaults={"HUBSPOT_URL": "http://127.0.0.1:8314"},
    ),
    "zoho": PeerSpec(
        folder="prism",
        url_var="ZOHO_URL",
        names=("ZOHO_URL",),
        probe_path="/",
        defaults={"ZOHO_URL": "http://127.0.0.1:8315"},
    ),
    "pipedrive": PeerSpec(
        folder="prism",
        url_var="PIPEDRIVE_URL",
        names=("PIPEDRIVE_URL",),
        probe_path="/",
        defaults={"PIPEDRIVE_URL": "http://127.0.0.1:8316"},
    ),
    "oidc": PeerSpec(
        folder="oidc",
        url_var="OIDC_URL",
        names=("OIDC_URL", *OIDC_CLIENT_DEFAULTS),
        probe_path="/.well-known/openid-configuration",
        defaults={"OIDC_URL": "http://127.0.0.1:8317", **OIDC_CLIENT_DEFAULTS},
    ),
    "oidc_short": PeerSpec(
        folder="oidc",
        url_var="OIDC_SHORT_TTL_URL",
        names=("OIDC_SHORT_TTL_URL", "OIDC_SHORT_TTL_SECONDS", *OIDC_CLIENT_DEFAULTS),
        probe_path="/.well-known/openid-configuration",
        defaults={
            "OIDC_SHORT_TTL_URL": "http://127.0.0.1:8318",
            "OIDC_SHORT_TTL_SECONDS": "5",
            **OIDC_CLIENT_DEFAULTS,
        },
    ),
}


GALLERY_MOCKS = Path(__file__).resolve().parents[1] / "servers" / "prism" / "gallery.tsv"


def gallery_peers() -> dict[str, PeerSpec]:
    """``gallery-NAME`` for each Prism mock of tests/servers/prism/gallery.tsv: its URL in
    ``GALLERY_<NAME>_URL`` (as .ci/services.sh writes it), else its port there."""
    peers = {}
    for line in GALLERY_MOCKS.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        name, port = words[0], words[1]
        url_var = f"GALLERY_{name.upper().replace('-', '_')}_URL"
        peers[f"gallery-{name}"] = PeerSpec(
            folder="prism",
            url_var=url_var,
            names=(url_var,),
            probe_path="/",
            defaults={url_var: f"http://127.0.0.1:{port}"},
        )
    return peers


PEERS.update(gallery_peers())


class PeerUnavailable(Exception):
    """A peer is not configured or does not answer; the message says why."""


def unavailable(reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere, with the command that starts the peers."""
    if in_ci():
        pytest.fail(f"{reason} (CI must provide it: .ci/run starts it with .ci/services.sh)")
    pytest.skip(f"{reason}; start the servers with: {START_COMMAND}")


def servers_dir() -> Path | None:
    """``$CRMTPL_SERVERS_DIR``: the folder the servers run from (copies of tests/servers/*).

    ``.ci/services.sh`` sets it to ``WORK/servers``; a developer who runs the scripts in
    place may set it to ``tests/servers``.
    """
    value = os.environ.get("CRMTPL_SERVERS_DIR")
    return Path(value) if value else None


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines (comments and blanks ignored, one level of quotes removed)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def peer_sources(spec: PeerSpec) -> list[tuple[str, Mapping[str, str]]]:
    """Where the peer's variables may come from, in order of preference."""
    sources: list[tuple[str, Mapping[str, str]]] = [("the environment", os.environ)]
    folder = servers_dir()
    if folder is not None:
        credentials = folder / spec.folder / "state" / "credentials.env"
        if credentials.is_file():
            sources.append((str(credentials), read_env_file(credentials)))
    if spec.url_var in spec.defaults:
        sources.append(("the default port", spec.defaults))
    return sources


def resolve(name: str) -> dict[str, str]:
    """The peer's variables (plus ``url``), from the first source that names its URL."""
    spec = PEERS.get(name)
    if spec is None:
        raise PeerUnavailable(f"unknown peer {name!r}; known: {', '.join(sorted(PEERS))}")
    for _where, values in peer_sources(spec):
        if values.get(spec.url_var):
            found = {var: values[var] for var in spec.names if values.get(var)}
            for var, default in spec.defaults.items():
                found.setdefault(var, default)
            found["url"] = found[spec.url_var].rstrip("/")
            return found
    raise PeerUnavailable(
        f"peer {name}: {spec.url_var} is not set and "
        f"$CRMTPL_SERVERS_DIR/{spec.folder}/state/credentials.env was not found"
    )


def check_loopback(url: str) -> None:
    """Refuse any peer URL that is not on this machine: tests never leave it."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise PeerUnavailable(
            f"peer URL {url} is not on 127.0.0.1; tests never contact other hosts"
        )


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def answers(url: str, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
    """True when an HTTP server answers ``url`` at all, whatever the status."""
    try:
        with OPENER.open(url, timeout=timeout):
            return True
    except urllib.error.HTTPError as error:
        error.close()
        return True
    except (urllib.error.URLError, OSError):
        return False


def find_peer(name: str) -> dict[str, str]:
    """The variables of a running peer; raises PeerUnavailable if it is absent or silent."""
    values = resolve(name)
    check_loopback(values["url"])
    probe = values["url"] + PEERS[name].probe_path
    if not answers(probe):
        raise PeerUnavailable(f"peer {name} does not answer at {probe}")
    return values


class PeerLookup:
    """``peer(name)``: a peer's variables, or skip/fail; each peer is probed once a session."""

    def __init__(self) -> None:
        self.found: dict[str, dict[str, str] | str] = {}

    def __call__(self, name: str) -> dict[str, str]:
        if name not in self.found:
            try:
                self.found[name] = find_peer(name)
            except PeerUnavailable as problem:
                self.found[name] = str(problem)
        result = self.found[name]
        if isinstance(result, str):
            unavailable(result)
        return dict(result)


def lower_keys(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header names in lower case (HTTP header names are case-insensitive)."""
    return {name.lower(): value for name, value in items}


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as the smoke tests need it."""

    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes


def http(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    timeout: float = 30.0,
) -> Reply:
    """One request to a loopback peer; 4xx/5xx are returned, not raised."""
    check_loopback(url)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return Reply(response.status, lower_keys(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, lower_keys(error.headers.items()), error.read())
