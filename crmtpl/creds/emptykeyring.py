"""Remembers which templates have nothing in the OS keyring, so render and run skip it.

Opening the OS keyring costs more than a whole lookup against a local CRM: the ``keyring``
package finds its backend by importing every one it knows, then asks the keyring daemon
over D-Bus (which may even wait for an unlock). A template with custom fields must look
there before using a field's default, yet most templates never had anything stored.

So when render or run opened the keyring for a template and profile and found nothing
stored there (no field, no token, no approved origin), or found no keyring backend at all
(none installed, or the null one configured; never when a keyring failed or did not
answer), the service name is remembered here; the next render or run of that template
reads only ``--var``, the environment and the insecure file, as it would have found
nothing in the keyring anyway. Every write
crmtpl makes to the keyring forgets the service first (:func:`forget`), so a value stored
with ``crmtpl auth set`` or ``auth login`` is found on the next run. ``auth status``,
``auth set`` and ``auth login`` always open the keyring.

An entry holds only service names (``crmtpl/<key>/<profile>``), never a value, and is
tied to the keyring configuration in force (``PYTHON_KEYRING_BACKEND``): another backend
is looked at again. The file lives in crmtpl's cache folder (``$CRMTPL_CACHE_DIR``, else
the XDG cache folder); deleting it, or ``CRMTPL_NO_CACHE=1``, only costs the look.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from crmtpl.template.tomlcache import cache_dir

_FILE_NAME = "keyring-empty-v1.json"


def _enabled() -> bool:
    return os.environ.get("CRMTPL_NO_CACHE") != "1"


def _path() -> Path:
    return cache_dir() / _FILE_NAME


def _configuration() -> str:
    """What decides which keyring backend is used, as far as crmtpl can tell cheaply."""
    return os.environ.get("PYTHON_KEYRING_BACKEND", "")


def _read() -> tuple[str | None, set[str]]:
    """The configuration the file was written under, and its services."""
    try:
        raw = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, set()
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), list):
        return None, set()
    configuration = raw.get("configuration")
    services = {s for s in raw["services"] if isinstance(s, str)}
    return (configuration if isinstance(configuration, str) else None), services


def _services() -> set[str]:
    """The services known empty under the keyring configuration in force."""
    configuration, services = _read()
    return services if configuration == _configuration() else set()


def _write(services: set[str], configuration: str | None = None) -> None:
    path = _path()
    data = {"configuration": configuration or _configuration(), "services": sorted(services)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return  # a cache that cannot be written only costs the next look


def known_empty(service: str) -> bool:
    """True when nothing was stored in the keyring for ``service`` when crmtpl last looked."""
    return _enabled() and service in _services()


def remember_empty(service: str) -> None:
    """Record that the keyring holds nothing for ``service``."""
    if _enabled():
        services = _services()
        if service not in services:
            _write(services | {service})


def forget(service: str) -> None:
    """Forget ``service`` (before anything is written to the keyring for it), whatever
    configuration it was remembered under."""
    configuration, services = _read()
    if service in services:
        _write(services - {service}, configuration)
