"""Keyring backends of our own for tests: in memory, blocking (a locked keyring), failing."""

from __future__ import annotations

import threading

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring: what a desktop keyring does, without a desktop."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable for auto-detection: a test installs it explicitly with set_keyring.
        raise RuntimeError("a test backend, installed explicitly")

    def __str__(self) -> str:
        return f"{type(self).__name__} (a test keyring)"

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.writes: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password
        self.writes.append((service, username))

    def delete_password(self, service: str, username: str) -> None:
        if self.values.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class BlockingKeyring(MemoryKeyring):
    """A keyring that never answers (locked, waiting for an unlock dialog nobody sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None


class LockedKeyring(MemoryKeyring):
    """A keyring that refuses every write (locked)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")
