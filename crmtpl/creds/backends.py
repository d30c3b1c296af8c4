"""Where secrets are kept: the OS keyring, or (opt-in) a plain-text file with mode 0600.

Both backends speak the same small interface, :class:`SecretBackend`: a value is addressed
by a *service* (``crmtpl/<template key>/<profile>``) and a *username* (the field name, or
``@tokens``). :mod:`crmtpl.creds.store` builds the per-template view on top.

The keyring is *probed* before use: the first keyring call runs in a worker thread with
a timeout, because a locked keyring (or a D-Bus session that never answers) would
otherwise hang the CLI. The ``fail`` and ``null`` backends the ``keyring`` package falls
back to on a headless machine mean "no keyring here"; the user gets the exact remedy.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from crmtpl.errors import AuthError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger("crmtpl.creds")

DEFAULT_PROBE_TIMEOUT = 3.0
PROBE_SERVICE = "crmtpl/probe"
PROBE_USERNAME = "probe"
INSECURE_LABEL = "INSECURE plain-text file"
_FILE_FORMAT_VERSION = 1
#: How long a writer waits for another crmtpl process to finish its read-modify-write.
FILE_LOCK_TIMEOUT = 10.0
_FILE_NOTICE = (
    "INSECURE: plain-text secrets written by `crmtpl auth ... --insecure-storage`. "
    "Anyone who can read this file can use them. Remove them with `crmtpl auth logout`."
)


class SecretBackend(Protocol):
    """A place that keeps string secrets addressed by (service, username)."""

    @property
    def kind(self) -> str:
        """``keyring`` or ``file``."""
        ...

    @property
    def description(self) -> str:
        """Where the values are, for messages: ``OS keyring (SecretService)``, a path..."""
        ...

    def get(self, service: str, username: str) -> str | None:
        """The stored value, or None."""
        ...

    def set(self, service: str, username: str, value: str) -> None:
        """Store a value, replacing any earlier one."""
        ...

    def delete(self, service: str, username: str) -> bool:
        """Remove a value; False when there was none."""
        ...


def no_keyring_hint(insecure_path: Path | None = None) -> str:
    """The remedy for "no usable keyring", in one sentence a user can act on."""
    where = f" (mode 0600, {insecure_path})" if insecure_path else " (mode 0600)"
    return (
        "store the values in a plain-text file instead with --insecure-storage"
        f"{where}; or give them per run as environment variables CRMTPL_VAR_<FIELD> "
        "(not --var: every local user can read a command line); or install or unlock a keyring "
        "backend (Secret Service: GNOME Keyring or KWallet; macOS Keychain; Windows "
        "Credential Locker), choosing one explicitly with PYTHON_KEYRING_BACKEND if needed"
    )


class KeyringUnavailableError(AuthError):
    """No usable OS keyring: none installed, disabled, locked, or not answering."""


@dataclass(frozen=True)
class KeyringStatus:
    """The result of probing the OS keyring: a usable backend, or why there is none."""

    backend: KeyringBackend | None
    reason: str | None = None
    name: str = ""
    timed_out: bool = False
    #: No backend is configured or installed (not a keyring that failed or did not answer).
    absent: bool = False

    @property
    def available(self) -> bool:
        """True when secrets can be read and written."""
        return self.backend is not None


def _unusable_reason(backend: Any) -> str | None:
    module = type(backend).__module__
    if module == "keyring.backends.fail":
        return "no keyring backend is installed or usable on this machine"
    if module == "keyring.backends.null":
        return "the keyring is switched off (the null backend is configured)"
    inner = getattr(backend, "backends", None)
    if module == "keyring.backends.chainer" and not inner:
        return "no keyring backend is installed or usable on this machine"
    return None


def probe_keyring(timeout: float = DEFAULT_PROBE_TIMEOUT) -> KeyringStatus:
    """Find the OS keyring and check that it answers within ``timeout`` seconds.

    Never raises and never blocks longer than ``timeout``: a keyring that does not answer
    is abandoned in its (daemon) worker thread and reported as unavailable.
    """
    global _stuck_probe
    if _stuck_probe is not None and _stuck_probe.is_alive():
        # an earlier probe still waits for the keyring: asking again would only wait again
        return KeyringStatus(None, _timeout_reason(timeout), timed_out=True)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            import keyring

            backend = keyring.get_keyring()
            outcome["name"] = type(backend).__name__
            reason = _unusable_reason(backend)
            if reason is None:
                backend.get_password(PROBE_SERVICE, PROBE_USERNAME)
            outcome["backend"] = backend
            outcome["reason"] = reason
        except Exception as problem:  # any backend failure means "not usable"
            outcome["error"] = problem

    worker = threading.Thread(target=work, name="crmtpl-keyring-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _stuck_probe = worker
        return KeyringStatus(None, _timeout_reason(timeout), timed_out=True)
    if "error" in outcome:
        problem = outcome["error"]
        return KeyringStatus(None, f"the OS keyring failed: {_describe(problem)}")
    if outcome.get("reason"):
        return KeyringStatus(
            None, str(outcome["reason"]), str(outcome.get("name", "")), absent=True
        )
    backend = outcome["backend"]
    return KeyringStatus(backend, None, _backend_name(backend))


_stuck_probe: threading.Thread | None = None


def _timeout_reason(timeout: float) -> str:
    return (
        f"the OS keyring did not answer within {timeout:g} s (is it locked and waiting for "
        "a password, or is its D-Bus session gone?)"
    )


def _describe(problem: BaseException) -> str:
    """A short description of a backend exception (backends never put values in them)."""
    text = " ".join(str(problem).split())[:200]
    return f"{type(problem).__name__}: {text}" if text else type(problem).__name__


def _backend_name(backend: Any) -> str:
    name = getattr(type(backend), "name", None)
    return name if isinstance(name, str) and name else type(backend).__name__


class KeyringBackendStore:
    """The OS keyring, through the ``keyring`` package (after a successful probe)."""

    kind = "keyring"

    def __init__(self, status: KeyringStatus) -> None:
        if status.backend is None:
            raise KeyringUnavailableError(
                f"no OS keyring is available: {status.reason}", hint=no_keyring_hint()
            )
        self._backend = status.backend
        self._name = status.name

    @property
    def description(self) -> str:
        """``OS keyring (<backend name>)``."""
        return f"OS keyring ({self._name})"

    def get(self, service: str, username: str) -> str | None:
        """The stored value, or None."""
        try:
            return self._backend.get_password(service, username)
        except Exception as problem:
            raise self._failure("read from", problem) from None

    def set(self, service: str, username: str, value: str) -> None:
        """Store a value in the keyring (first forgetting that the service was empty)."""
        from crmtpl.creds.emptykeyring import forget

        forget(service)
        try:
            self._backend.set_password(service, username, value)
        except Exception as problem:
            raise self._failure("write to", problem) from None

    def delete(self, service: str, username: str) -> bool:
        """Remove a value; False when there was none."""
        from keyring.errors import PasswordDeleteError

        try:
            if self._backend.get_password(service, username) is None:
                return False
            self._backend.delete_password(service, username)
        except PasswordDeleteError:
            return False
        except Exception as problem:
            raise self._failure("delete from", problem) from None
        return True

    def _failure(self, action: str, problem: BaseException) -> KeyringUnavailableError:
        return KeyringUnavailableError(
            f"could not {action} the {self.description}: {_describe(problem)}",
            hint=no_keyring_hint(),
        )


class InsecureFileStore:
    """A JSON file of plain-text secrets, mode 0600, written only with --insecure-storage.

    The mode is enforced when writing (created 0600 in a 0700 directory, replaced
    atomically) and checked when reading: a file other users can read, or one owned by
    someone else, is refused rather than trusted.
    """

    kind = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def description(self) -> str:
        """``INSECURE plain-text file <path>``."""
        return f"{INSECURE_LABEL} {self.path}"

    def exists(self) -> bool:
        """True when the file is there."""
        return self.path.is_file()

    def get(self, service: str, username: str) -> str | None:
        """The stored value, or None."""
        value = self._entries().get(service, {}).get(username)
        return value if isinstance(value, str) else None

    def set(self, service: str, username: str, value: str) -> None:
        """Store a value (rewrites the whole file atomically, mode 0600, under the lock)."""
        with self._locked():
            entries = self._entries()
            entries.setdefault(service, {})[username] = value
            self._write(entries)

    def delete(self, service: str, username: str) -> bool:
        """Remove a value; the file goes away when it holds nothing any more."""
        with self._locked():
            entries = self._entries()
            service_entries = entries.get(service, {})
            if username not in service_entries:
                return False
            del service_entries[username]
            if not service_entries:
                del entries[service]
            if entries:
                self._write(entries)
            else:
                self.path.unlink(missing_ok=True)
            return True

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on the file's folder around a read-modify-write.

        Without it, two processes that store at once (parallel ``auth set``, or a ``run``
        that rotates a refresh token while another stores a key) each rewrite the file from
        what they read, and one of the two writes is lost. The folder is locked, not the
        file, because every write replaces the file; no lock file is left behind.
        """
        if sys.platform == "win32":  # pragma: no cover - no fcntl there
            yield
            return
        import fcntl

        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.open(directory, os.O_RDONLY)
        except OSError as problem:
            raise AuthError(
                f"cannot lock the {self.description}: {problem.strerror or problem}",
                hint=f"check that {directory} is writable, or set CRMTPL_CONFIG_DIR",
            ) from None
        try:
            deadline = time.monotonic() + FILE_LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise AuthError(
                            f"the {self.description} stayed locked by another crmtpl process "
                            f"for {FILE_LOCK_TIMEOUT:.0f} s",
                            hint="wait for it to finish, then try again",
                        ) from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def services(self) -> list[str]:
        """Every service that has entries (for status and tests)."""
        return sorted(self._entries())

    def _entries(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        self.check_permissions()
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
            raise AuthError(
                f"cannot read the {self.description}: {type(problem).__name__}",
                hint="fix or delete the file, then store the values again with "
                "crmtpl auth set --insecure-storage",
            ) from None
        entries = document.get("entries") if isinstance(document, dict) else None
        if not isinstance(entries, dict):
            raise AuthError(
                f"the {self.description} is not a crmtpl credential file",
                hint="delete it, then store the values again with crmtpl auth set "
                "--insecure-storage",
            )
        return {
            str(service): {str(k): v for k, v in values.items() if isinstance(v, str)}
            for service, values in entries.items()
            if isinstance(values, dict)
        }

    def check_permissions(self) -> None:
        """Refuse a file that other users can read or write, or that someone else owns."""
        if sys.platform == "win32":  # POSIX modes mean nothing there; ACLs protect %APPDATA%
            return
        info = self.path.stat()
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise AuthError(
                f"refusing to use the {self.description}: its mode is {mode:04o}, so other "
                "users can read it",
                hint=f"restrict it with: chmod 600 {self.path}",
            )
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise AuthError(
                f"refusing to use the {self.description}: it belongs to another user "
                f"(uid {info.st_uid})",
                hint="delete it or use your own CRMTPL_CONFIG_DIR",
            )

    def _write(self, entries: dict[str, dict[str, str]]) -> None:
        document = {"notice": _FILE_NOTICE, "version": _FILE_FORMAT_VERSION, "entries": entries}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file with mode 0600 before a single byte is written
            handle, temporary = tempfile.mkstemp(prefix=".credentials-", dir=directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            os.chmod(self.path, 0o600)
        except OSError as problem:
            raise AuthError(
                f"cannot write the {self.description}: {problem.strerror or problem}",
                hint=f"check that {directory} is writable, or set CRMTPL_CONFIG_DIR",
            ) from None
        log.debug("wrote %s", self.description)
