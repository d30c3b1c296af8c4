"""The credential store chain: keyring (probed), the opt-in 0600 file, the remedies."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path

import keyring
import pytest

from crmtpl.creds.backends import InsecureFileStore, probe_keyring
from crmtpl.creds.paths import insecure_file_path
from crmtpl.creds.store import (
    CredentialStore,
    load_credentials,
    normalize_profile,
    open_credentials,
    service_name,
)
from crmtpl.creds.tokenset import TokenSet
from crmtpl.errors import AuthError, ExitCode, UsageError
from crmtpl.variables import Source
from tests.unit.creds.keyrings import BlockingKeyring, LockedKeyring, MemoryKeyring

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def test_fields_are_keyed_by_template_key_profile_and_name(memory_keyring: MemoryKeyring) -> None:
    chain = open_credentials("northwind_crm")
    store = chain.require_writer()
    assert store.kind == "keyring"
    store.set("api_key", "k3y-default")
    open_credentials("northwind_crm", "staging").require_writer().set("api_key", "k3y-staging")

    assert memory_keyring.values[("crmtpl/northwind_crm/default", "api_key")] == "k3y-default"
    assert memory_keyring.values[("crmtpl/northwind_crm/staging", "api_key")] == "k3y-staging"
    hit = open_credentials("northwind_crm").lookup("api_key")
    assert hit is not None and hit[0] == "k3y-default" and hit[1].service == store.service
    assert open_credentials("other_crm").lookup("api_key") is None


def test_list_fields_names_what_is_stored_and_delete_forgets_it(
    memory_keyring: MemoryKeyring,
) -> None:
    store = open_credentials("k").require_writer()
    store.set("username", "alice")
    store.set("password", "s3cret-pass")
    assert store.list_fields() == ["password", "username"]
    assert store.delete("password") is True
    assert store.delete("password") is False
    assert store.list_fields() == ["username"]
    assert store.get("password") is None


def test_tokens_are_one_entry_per_template_and_profile(memory_keyring: MemoryKeyring) -> None:
    store = open_credentials("k", "prod").require_writer()
    tokens = TokenSet("at-123456", refresh_token="rt-654321", expires_at=2000.0, scope="crm")
    store.set_tokens(tokens)
    raw = memory_keyring.values[("crmtpl/k/prod", "@tokens")]
    assert json.loads(raw)["refresh_token"] == "rt-654321"
    assert store.get_tokens() == tokens
    assert "at-123456" not in repr(tokens) and "rt-654321" not in repr(tokens)
    assert store.list_fields() == []  # tokens are not fields
    assert store.clear() == ["@tokens"]
    assert store.get_tokens() is None


def test_clear_removes_fields_and_tokens_but_can_keep_fields(
    memory_keyring: MemoryKeyring,
) -> None:
    store = open_credentials("k").require_writer()
    store.set("client_id", "abc")
    store.set_tokens(TokenSet("at-123456"))
    assert store.clear(keep_fields=True) == ["@tokens"]
    assert store.get("client_id") == "abc"
    assert store.clear() == ["client_id"]
    assert memory_keyring.values == {}


def test_no_keyring_means_nothing_is_read_and_writing_names_every_remedy(
    no_keyring: object, config_dir: Path
) -> None:
    chain = open_credentials("northwind_crm")
    assert chain.readers == []
    assert chain.lookup("api_key") is None
    with pytest.raises(AuthError) as caught:
        chain.require_writer()
    problem = caught.value
    assert problem.exit_code == ExitCode.AUTH
    assert "no keyring backend is installed" in problem.message
    hint = problem.hint or ""
    for remedy in ("--insecure-storage", "CRMTPL_VAR_", "PYTHON_KEYRING_BACKEND", "keyring"):
        assert remedy in hint
    assert str(config_dir) in hint


def test_null_backend_counts_as_no_keyring(use_keyring: object) -> None:
    from keyring.backends import null

    keyring.set_keyring(null.Keyring())
    status = probe_keyring()
    assert not status.available
    assert "switched off" in (status.reason or "")


def test_a_keyring_that_never_answers_is_abandoned_after_the_timeout(use_keyring: object) -> None:
    backend = BlockingKeyring()
    keyring.set_keyring(backend)
    started = time.monotonic()
    try:
        chain = open_credentials("k", probe_timeout=0.3)
        again = probe_keyring(timeout=10)  # the first probe still waits: not asked twice
        assert again.timed_out and time.monotonic() - started < 5
    finally:
        backend.release.set()
    assert time.monotonic() - started < 5
    assert chain.writer is None
    assert chain.keyring_status is not None and chain.keyring_status.timed_out
    with pytest.raises(AuthError, match=r"did not answer within 0\.3 s"):
        chain.require_writer()


def test_load_credentials_skips_a_blocked_keyring_with_a_warning(
    use_keyring: object, caplog: pytest.LogCaptureFixture
) -> None:
    backend = BlockingKeyring()
    keyring.set_keyring(backend)
    try:
        found = load_credentials("k", None, ["api_key"], probe_timeout=0.2)
    finally:
        backend.release.set()
    assert found == []
    assert "did not answer" in caplog.text


def test_a_locked_keyring_write_is_an_auth_error_without_the_value(use_keyring: object) -> None:
    keyring.set_keyring(LockedKeyring())
    store = open_credentials("k").require_writer()
    with pytest.raises(AuthError) as caught:
        store.set("password", "very-secret-value")
    assert "KeyringLocked" in caught.value.message
    assert "very-secret-value" not in str(caught.value) + (caught.value.hint or "")


@posix_only
def test_insecure_file_is_written_0600_in_a_0700_directory(
    no_keyring: object, config_dir: Path
) -> None:
    chain = open_credentials("northwind_crm", insecure_storage=True)
    store = chain.require_writer()
    assert store.kind == "file"
    assert "INSECURE" in store.description
    store.set("api_key", "k3y-in-a-file")
    path = insecure_file_path()
    assert path.parent == config_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    document = json.loads(path.read_text())
    assert "INSECURE" in document["notice"]
    assert document["entries"]["crmtpl/northwind_crm/default"]["api_key"] == "k3y-in-a-file"
    assert [p.name for p in config_dir.iterdir()] == [path.name]  # no temp files left


@posix_only
def test_the_file_is_read_without_the_flag_once_the_user_created_it(
    no_keyring: object,
) -> None:
    open_credentials("k", insecure_storage=True).require_writer().set("api_key", "k3y-file")
    chain = open_credentials("k")
    assert chain.writer is None  # writing still needs the flag
    hit = chain.lookup("api_key")
    assert hit is not None and hit[0] == "k3y-file" and hit[1].kind == "file"


@posix_only
def test_a_file_other_users_can_read_is_refused(no_keyring: object) -> None:
    store = open_credentials("k", insecure_storage=True).require_writer()
    store.set("api_key", "k3y-file")
    path = insecure_file_path()
    os.chmod(path, 0o644)
    with pytest.raises(AuthError) as caught:
        open_credentials("k").lookup("api_key")
    assert "0644" in caught.value.message and "INSECURE" in caught.value.message
    assert caught.value.hint == f"restrict it with: chmod 600 {path}"


def test_a_damaged_file_is_reported_not_a_traceback(no_keyring: object) -> None:
    path = insecure_file_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    path.chmod(0o600)
    with pytest.raises(AuthError, match="cannot read the INSECURE plain-text file"):
        open_credentials("k").lookup("api_key")


def test_the_file_disappears_when_its_last_value_is_removed(no_keyring: object) -> None:
    store = open_credentials("k", insecure_storage=True).require_writer()
    store.set("api_key", "k3y-file")
    store.clear()
    assert not insecure_file_path().exists()


def test_keyring_is_read_before_the_file(memory_keyring: MemoryKeyring) -> None:
    open_credentials("k", insecure_storage=True).require_writer().set("api_key", "from-file")
    open_credentials("k").require_writer().set("api_key", "from-keyring")
    hit = open_credentials("k").lookup("api_key")
    assert hit is not None and hit[0] == "from-keyring"
    flagged = open_credentials("k", insecure_storage=True).lookup("api_key")
    assert flagged is not None and flagged[0] == "from-file"


def test_load_credentials_gives_credential_variables_marked_secret(
    memory_keyring: MemoryKeyring,
) -> None:
    store = open_credentials("k").require_writer()
    store.set("subdomain", "acme")
    store.set("password", "pa55word")
    store.set("client_secret", "cs-123456")
    found = {
        v.name: v
        for v in load_credentials(
            "k",
            None,
            ["subdomain", "password", "client_secret", "absent"],
            secret_fields=["password"],
        )
    }
    assert set(found) == {"subdomain", "password", "client_secret"}
    assert found["subdomain"].source is Source.CREDENTIAL
    assert found["subdomain"].origin.startswith("OS keyring")
    assert not found["subdomain"].secret
    assert found["password"].secret and found["client_secret"].secret


def test_profile_and_key_are_validated() -> None:
    assert normalize_profile(None) == "default"
    assert service_name("k", "staging") == "crmtpl/k/staging"
    with pytest.raises(UsageError):
        normalize_profile("../etc")
    with pytest.raises(UsageError, match="no Key attribute"):
        service_name("", None)


def test_file_store_works_without_the_chain(tmp_path: Path) -> None:
    store = CredentialStore(InsecureFileStore(tmp_path / "c.json"), "k")
    store.set("a", "1")
    assert store.get("a") == "1"
    with pytest.raises(UsageError):
        store.set("@tokens", "x")


def _store_one(path: str, index: int) -> None:
    """One process's write (a module-level function so that multiprocessing can pickle it)."""
    InsecureFileStore(Path(path)).set(f"crmtpl/template{index}/default", "api_key", f"v{index}")


def test_parallel_writers_to_the_file_lose_nothing(tmp_path: Path) -> None:
    """20 processes storing at once (parallel `auth set --insecure-storage`) keep all 20."""
    import multiprocessing

    path = tmp_path / "config" / "credentials.json"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_store_one, args=(str(path), i)) for i in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    store = InsecureFileStore(path)
    assert store.services() == sorted(f"crmtpl/template{i}/default" for i in range(20))
    assert {store.get(f"crmtpl/template{i}/default", "api_key") for i in range(20)} == {
        f"v{i}" for i in range(20)
    }
