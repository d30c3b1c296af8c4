"""The credential store chain: where a template's custom-field values and tokens live.

Precedence when a template is rendered or run, highest first (docs/auth.md):

1. ``--var NAME=VALUE`` and ``--vars-file``   (handled by :mod:`crmtpl.variables`)
2. environment ``CRMTPL_VAR_<NAME>``          (handled by :mod:`crmtpl.variables`)
3. the OS keyring                             (this module: the ``credential`` layer)
4. the opt-in plain-text file written with ``--insecure-storage`` (mode 0600)

Reading consults the keyring (when one answers) and then the insecure file (when it
exists: the user created it on purpose). Writing goes to the keyring, or to the file only
when ``--insecure-storage`` is given; with no keyring and no opt-in, the user is told
exactly what to do instead.

Entries are keyed by the template's ``Key`` (``Information@Key``), a profile (default
``default``) and the field name: service ``crmtpl/<key>/<profile>``, username ``<field>``.
Tokens are one entry per template and profile (username ``@tokens``); because keyrings
cannot list their entries, the names of the stored fields are kept in ``@fields``. The
origins the values may be sent to are kept in ``@origins`` (:mod:`crmtpl.creds.binding`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crmtpl.creds.backends import (
    DEFAULT_PROBE_TIMEOUT,
    InsecureFileStore,
    KeyringBackendStore,
    KeyringStatus,
    KeyringUnavailableError,
    SecretBackend,
    no_keyring_hint,
    probe_keyring,
)
from crmtpl.creds.binding import ORIGINS_ENTRY, merge_origins
from crmtpl.creds.emptykeyring import known_empty, remember_empty
from crmtpl.creds.paths import insecure_file_path
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import UsageError
from crmtpl.secrets import is_secret_name
from crmtpl.variables import Source, Variable

log = logging.getLogger("crmtpl.creds")

DEFAULT_PROFILE = "default"
TOKENS_ENTRY = "@tokens"
FIELDS_ENTRY = "@fields"
#: Why the keyring was not opened for a reading: it held nothing for the template.
SKIPPED_REASON = (
    "not opened: it held nothing for this template and profile when crmtpl last looked "
    "(CRMTPL_NO_CACHE=1 looks again)"
)
_PROFILE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def normalize_profile(profile: str | None) -> str:
    """The profile name, ``default`` when absent; a usage error when it is malformed."""
    if profile is None or profile == "":
        return DEFAULT_PROFILE
    if not _PROFILE_PATTERN.match(profile):
        raise UsageError(
            f"--profile {profile!r} is not a valid profile name",
            hint="use letters, digits, '.', '_' or '-' (e.g. staging, production)",
        )
    return profile


def service_name(template_key: str, profile: str | None = None) -> str:
    """The keyring service of a template and profile: ``crmtpl/<key>/<profile>``."""
    if not template_key:
        raise UsageError(
            "the template has no Key attribute, so its credentials cannot be stored",
            hint='add Key="..." to <Information> (spec §4), e.g. Key="my_crm"',
        )
    return f"crmtpl/{template_key}/{normalize_profile(profile)}"


class CredentialStore:
    """One template's (and profile's) credentials in one backend."""

    def __init__(
        self, backend: SecretBackend, template_key: str, profile: str | None = None
    ) -> None:
        self.backend = backend
        self.template_key = template_key
        self.profile = normalize_profile(profile)
        self.service = service_name(template_key, self.profile)
        #: Origins recorded with every value this store writes (set by the command that
        #: knows the template's hosts: auth set, auth login, run).
        self.bind_to: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        """``keyring`` or ``file``."""
        return self.backend.kind

    @property
    def description(self) -> str:
        """Where the values are, for messages."""
        return self.backend.description

    def get(self, field_name: str) -> str | None:
        """A field's stored value, or None."""
        return self.backend.get(self.service, field_name)

    def set(self, field_name: str, value: str) -> None:
        """Store a field's value (and remember its name in the index)."""
        if field_name.startswith("@"):
            raise UsageError(f"{field_name!r} is not a valid field name")
        self.backend.set(self.service, field_name, value)
        self._record_origins()
        names = self.list_fields()
        if field_name not in names:
            self._write_index([*names, field_name])

    def delete(self, field_name: str) -> bool:
        """Remove a field; False when it was not stored."""
        removed = self.backend.delete(self.service, field_name)
        names = self.list_fields()
        if field_name in names:
            self._write_index([name for name in names if name != field_name])
        return removed

    def list_fields(self) -> list[str]:
        """The names of the stored fields (never their values)."""
        raw = self.backend.get(self.service, FIELDS_ENTRY)
        if not raw:
            return []
        try:
            names = json.loads(raw)
        except json.JSONDecodeError:
            return []
        return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []

    def _write_index(self, names: list[str]) -> None:
        if names:
            self.backend.set(self.service, FIELDS_ENTRY, json.dumps(sorted(set(names))))
        else:
            self.backend.delete(self.service, FIELDS_ENTRY)

    def get_tokens(self) -> TokenSet | None:
        """The stored tokens, or None."""
        raw = self.backend.get(self.service, TOKENS_ENTRY)
        return TokenSet.from_json(raw, self.description) if raw else None

    def set_tokens(self, tokens: TokenSet) -> None:
        """Store the tokens (one entry, replacing the previous set)."""
        self.backend.set(self.service, TOKENS_ENTRY, tokens.to_json())
        self._record_origins()

    def get_origins(self) -> list[str]:
        """The origins the stored values may be sent to (empty for entries stored before
        crmtpl bound credentials to hosts)."""
        raw = self.backend.get(self.service, ORIGINS_ENTRY)
        try:
            origins = json.loads(raw) if raw else []
        except json.JSONDecodeError:
            return []
        return [o for o in origins if isinstance(o, str)] if isinstance(origins, list) else []

    def add_origins(self, origins: Iterable[str]) -> list[str]:
        """Approve more origins for the stored values; returns those that were new."""
        current = self.get_origins()
        new = sorted(set(origins) - set(current))
        if new:
            self.backend.set(self.service, ORIGINS_ENTRY, json.dumps(merge_origins(current, new)))
        return new

    def holds_values(self) -> bool:
        """True when any field or tokens are stored here."""
        return bool(self.list_fields()) or self.backend.get(self.service, TOKENS_ENTRY) is not None

    def _record_origins(self) -> None:
        if self.bind_to:
            self.add_origins(self.bind_to)

    def delete_tokens(self) -> bool:
        """Remove the tokens; False when none were stored."""
        return self.backend.delete(self.service, TOKENS_ENTRY)

    def clear(self, field_names: Iterable[str] = (), *, keep_fields: bool = False) -> list[str]:
        """Remove tokens and (unless ``keep_fields``) every field; return what was removed."""
        removed = []
        if self.delete_tokens():
            removed.append(TOKENS_ENTRY)
        if not keep_fields:
            for name in sorted({*self.list_fields(), *field_names}):
                if self.backend.delete(self.service, name):
                    removed.append(name)
            self.backend.delete(self.service, FIELDS_ENTRY)
            self.backend.delete(self.service, ORIGINS_ENTRY)
        return removed


@dataclass
class CredentialChain:
    """The stores of one template and profile: what can be read, and where to write.

    ``readers`` are consulted in order (keyring, then the insecure file); ``writer`` is
    where ``auth set`` and ``auth login`` store values, or None with ``write_problem``
    saying why nothing can be stored.
    """

    template_key: str
    profile: str
    readers: list[CredentialStore] = field(default_factory=list)
    writer: CredentialStore | None = None
    keyring_status: KeyringStatus | None = None
    insecure_path: Path | None = None
    write_problem: str | None = None

    def lookup(self, field_name: str) -> tuple[str, CredentialStore] | None:
        """A field's value and the store it came from (the first store that has it)."""
        for store in self.readers:
            value = store.get(field_name)
            if value is not None:
                return value, store
        return None

    def find_tokens(self) -> tuple[TokenSet, CredentialStore] | None:
        """The stored tokens and their store (refreshed tokens go back to the same one)."""
        for store in self.readers:
            tokens = store.get_tokens()
            if tokens is not None:
                return tokens, store
        return None

    def stored_origins(self) -> frozenset[str]:
        """Every origin approved for the stored values, in any store."""
        return frozenset(o for store in self.readers for o in store.get_origins())

    def bind_new_entries(self, origins: Iterable[str]) -> None:
        """Record ``origins`` with every value written from now on (fields, tokens)."""
        chosen = frozenset(origins)
        for store in {id(s): s for s in [*self.readers, *filter(None, [self.writer])]}.values():
            store.bind_to = chosen

    def require_writer(self) -> CredentialStore:
        """The store to write to, or an AuthError with the exact remedy."""
        if self.writer is not None:
            return self.writer
        raise KeyringUnavailableError(
            f"cannot store credentials: {self.write_problem or 'no OS keyring is available'}",
            hint=no_keyring_hint(self.insecure_path),
        )

    def variables(
        self, field_names: Iterable[str], secret_fields: Iterable[str] = ()
    ) -> list[Variable]:
        """The stored fields as ``credential`` variables for render and run."""
        secret = set(secret_fields)
        found = []
        for name in field_names:
            hit = self.lookup(name)
            if hit is None:
                continue
            value, store = hit
            found.append(
                Variable(
                    name,
                    value,
                    Source.CREDENTIAL,
                    store.description,
                    secret=name in secret or is_secret_name(name),
                )
            )
        return found


def open_credentials(
    template_key: str,
    profile: str | None = None,
    *,
    insecure_storage: bool = False,
    probe_timeout: float = DEFAULT_PROBE_TIMEOUT,
    insecure_path: Path | None = None,
    keyring_status: KeyringStatus | None = None,
    reading_only: bool = False,
) -> CredentialChain:
    """Open the chain of stores for a template and profile.

    Never raises for a missing keyring (reading then simply finds nothing there); the
    reason is in ``keyring_status`` and, when nothing can be written, ``write_problem``.
    ``insecure_storage`` makes the insecure file the place to write (and read first).
    ``reading_only`` (render, and run without tokens) skips the keyring when it held
    nothing for this template and profile when last opened (:mod:`.emptykeyring`).
    """
    profile = normalize_profile(profile)
    service = service_name(template_key, profile)  # validates the key early
    path = insecure_path or insecure_file_path()
    if keyring_status is None and reading_only and known_empty(service):
        keyring_status = KeyringStatus(None, SKIPPED_REASON)
    status = keyring_status or probe_keyring(probe_timeout)
    chain = CredentialChain(template_key, profile, keyring_status=status, insecure_path=path)
    file_store = CredentialStore(InsecureFileStore(path), template_key, profile)
    keyring_store = (
        CredentialStore(KeyringBackendStore(status), template_key, profile)
        if status.available
        else None
    )
    if insecure_storage:
        chain.readers.append(file_store)
        chain.writer = file_store
        if keyring_store is not None:
            chain.readers.append(keyring_store)
        return chain
    if keyring_store is not None:
        chain.readers.append(keyring_store)
        chain.writer = keyring_store
        if reading_only and not keyring_store.holds_values() and not keyring_store.get_origins():
            remember_empty(service)
    else:
        if reading_only and status.absent:  # nothing can be in a keyring there is none of
            remember_empty(service)
        chain.write_problem = f"no OS keyring is available: {status.reason}"
        log.info("credentials: %s", chain.write_problem)
    if path.is_file():
        chain.readers.append(file_store)
    return chain


def load_credentials(
    template_key: str,
    profile: str | None,
    field_names: Iterable[str],
    *,
    secret_fields: Iterable[str] = (),
    probe_timeout: float = DEFAULT_PROBE_TIMEOUT,
    insecure_path: Path | None = None,
) -> list[Variable]:
    """The stored custom-field values of a template as ``credential`` variables.

    For render and run: never fails because no keyring exists (values may come from
    ``--var`` or ``CRMTPL_VAR_*`` instead); a keyring that does not answer within
    ``probe_timeout`` is logged and skipped. Password fields (``secret_fields``) and
    fields whose names look secret are marked secret.
    """
    chain = open_credentials(
        template_key,
        profile,
        probe_timeout=probe_timeout,
        insecure_path=insecure_path,
        reading_only=True,
    )
    status = chain.keyring_status
    if status is not None and status.timed_out:
        log.warning("stored credentials in the OS keyring are not used: %s", status.reason)
    return chain.variables(field_names, secret_fields)
