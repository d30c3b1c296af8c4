"""End-to-end fixtures: ``peer(name)`` gives a running peer's variables or skips/fails.

Names: bottlecrm, rt5, hubspot, zoho, pipedrive, oidc, oidc_short. The returned dict holds
the peer's environment variables (``BOTTLECRM_PAT``, ``RT_TOKEN``, ``OIDC_CLIENT_ID``...)
plus ``url`` (its base URL without a trailing slash). See ``tests/e2e/peers.py`` for where
they are read from and docs/ci.md for how to start the servers (``tests/servers/``). Every test collected under
``tests/e2e`` carries the ``e2e`` marker (``pytest -m "not e2e"`` leaves them out).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.peers import PeerLookup, servers_dir, unavailable
from tests.e2e.sandbox import sandbox

__all__ = ["sandbox"]  # the session fixture: its own crmtpl sandbox on a free port

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e with ``e2e``."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def peer() -> PeerLookup:
    """``peer("bottlecrm")`` -> its variables; skips locally / fails in CI if it is down."""
    return PeerLookup()


@pytest.fixture(scope="session")
def peer_scripts() -> Path:
    """``$CRMTPL_SERVERS_DIR``: the servers' own scripts (oidc/authcode-flow.sh...)."""
    folder = servers_dir()
    if folder is None or not folder.is_dir():
        unavailable(f"CRMTPL_SERVERS_DIR is not set to the servers' folder (got {folder})")
    return folder
