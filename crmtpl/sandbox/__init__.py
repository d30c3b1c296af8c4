"""A small, real CRM and helpdesk on 127.0.0.1 for trying templates: ``crmtpl sandbox``.

Standard library only (``http.server``, ``sqlite3``). Data lives in an SQLite file in a data
directory and survives restarts. Every auth method a template can use is served under its
own path prefix (``/none``, ``/basic``, ``/apikey``, ``/bearer``, ``/oauth``), all on the
same data. See docs/sandbox.md.

>>> with SandboxServer(port=0, data_dir=tmp) as sandbox:   # doctest: +SKIP
...     urlopen(f"{sandbox.url}/none/api/v1/contacts/search?phone=5503302")
"""

from __future__ import annotations

from crmtpl.sandbox.server import PortInUseError, RequestRecord, SandboxServer
from crmtpl.sandbox.settings import (
    AUTH_PREFIXES,
    CREDENTIALS,
    DEFAULT_PORT,
    DEFAULT_TOKEN_TTL,
    SandboxCredentials,
    default_data_dir,
)

__all__ = [
    "AUTH_PREFIXES",
    "CREDENTIALS",
    "DEFAULT_PORT",
    "DEFAULT_TOKEN_TTL",
    "PortInUseError",
    "RequestRecord",
    "SandboxCredentials",
    "SandboxServer",
    "default_data_dir",
]
