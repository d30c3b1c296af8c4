"""The remembered storage choice: profiles whose credentials go to the plain-text file.

A user on a machine without an OS keyring passes ``--insecure-storage`` to the first
``auth set`` or ``auth login`` of a profile; from then on that profile uses the file store
without the flag. The choice is kept in ``storage.json`` next to the credential file
(mode 0600) and forgotten when ``auth logout`` removes the profile's last entry from the
file. The file holds profile names only, never a value.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from crmtpl.creds.backends import InsecureFileStore
from crmtpl.creds.paths import insecure_file_path
from crmtpl.creds.store import normalize_profile
from crmtpl.errors import AuthError

log = logging.getLogger(__name__)

STORAGE_SETTINGS_NAME = "storage.json"
_KEY = "insecure_storage_profiles"


@dataclass(frozen=True)
class StorageChoice:
    """Where a profile's credentials are written, and why."""

    insecure: bool
    #: True when the file store comes from the remembered choice, not from the flag.
    remembered: bool = False


def settings_path(insecure_path: Path | None = None) -> Path:
    """``storage.json`` in the folder of the credential file."""
    return (insecure_path or insecure_file_path()).with_name(STORAGE_SETTINGS_NAME)


def remembered_profiles(insecure_path: Path | None = None) -> frozenset[str]:
    """The profiles remembered to use the plain-text file (empty when none or unreadable)."""
    path = settings_path(insecure_path)
    if not path.is_file():
        return frozenset()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
        log.warning("ignoring %s: %s", path, type(problem).__name__)
        return frozenset()
    names = document.get(_KEY) if isinstance(document, dict) else None
    if not isinstance(names, list):
        return frozenset()
    return frozenset(name for name in names if isinstance(name, str))


def choose_storage(
    profile: str | None, *, flag: bool, insecure_path: Path | None = None
) -> StorageChoice:
    """The flag when given, else the profile's remembered choice."""
    if flag:
        return StorageChoice(insecure=True)
    if normalize_profile(profile) in remembered_profiles(insecure_path):
        return StorageChoice(insecure=True, remembered=True)
    return StorageChoice(insecure=False)


def remember_insecure(profile: str | None, insecure_path: Path | None = None) -> bool:
    """Remember that ``profile`` uses the plain-text file; True when it is new."""
    name = normalize_profile(profile)
    known = remembered_profiles(insecure_path)
    if name in known:
        return False
    _write(settings_path(insecure_path), known | {name})
    return True


def forget_if_unused(profile: str | None, insecure_path: Path | None = None) -> bool:
    """Forget the choice of ``profile`` once the file holds none of its entries.

    True when a remembered choice was forgotten.
    """
    name = normalize_profile(profile)
    known = remembered_profiles(insecure_path)
    if name not in known:
        return False
    store = InsecureFileStore(insecure_path or insecure_file_path())
    if any(service.endswith(f"/{name}") for service in store.services()):
        return False
    _write(settings_path(insecure_path), known - {name})
    return True


def _write(path: Path, profiles: frozenset[str]) -> None:
    """Replace the settings file atomically (mode 0600, folder 0700); gone when empty."""
    try:
        if not profiles:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({_KEY: sorted(profiles)}, indent=2) + "\n"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, path)
    except OSError as problem:
        raise AuthError(
            f"cannot write {path}: {problem.strerror or problem}",
            hint=f"check that {path.parent} is writable, or set CRMTPL_CONFIG_DIR",
        ) from None
