"""Fixtures for the credential tests: our own keyring backends and a private config dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from crmtpl.creds import backends
from tests.unit.creds.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own CRMTPL_CONFIG_DIR (the insecure file lives there) and its
    own cache folder (where templates known to have nothing in the keyring are listed)."""
    folder = tmp_path / "config"
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(folder))
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CRMTPL_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def use_keyring() -> Iterator[type[None]]:
    """Restore the process's keyring after a test replaced it."""
    previous = keyring.get_keyring()
    yield type(None)
    keyring.set_keyring(previous)
    stuck = backends._stuck_probe  # a blocking test keyring was released: let it finish
    if stuck is not None:
        stuck.join(5)


@pytest.fixture
def memory_keyring(use_keyring: object) -> MemoryKeyring:
    """An in-memory keyring installed as the process's keyring."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_keyring(use_keyring: object) -> KeyringBackend:
    """The ``fail`` backend: what a headless server or CI has."""
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    return backend
