"""A keyring backend kept in a JSON file, for end-to-end tests of the keyring path.

The CLI runs in a subprocess, where the in-memory test keyring cannot be shared; this
backend is selected there with ``PYTHON_KEYRING_BACKEND=tests.e2e.file_keyring.JsonFileKeyring``
and ``KEYRING_PROPERTY_FILE_PATH=<file>`` (keyring's own mechanism for backend settings).
It is viable only when selected that way, so auto-detection never picks it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND_NAME = f"{__name__}.JsonFileKeyring"


class JsonFileKeyring(KeyringBackend):
    """Entries in ``file_path`` as ``{"service": {"username": "value"}}``."""

    file_path = ""

    @properties.classproperty
    def priority(cls) -> float:
        if os.environ.get("PYTHON_KEYRING_BACKEND") != BACKEND_NAME:
            raise RuntimeError("only when selected with PYTHON_KEYRING_BACKEND")
        return 0.001

    def _read(self) -> dict[str, dict[str, str]]:
        path = Path(self.file_path)
        return json.loads(path.read_text()) if path.is_file() else {}

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        Path(self.file_path).write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data.setdefault(service, {})[username] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.get(service, {}).pop(username, None) is None:
            raise PasswordDeleteError("not found")
        self._write(data)
