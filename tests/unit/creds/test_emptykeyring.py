"""render and run skip the OS keyring for a template that had nothing stored there."""

from __future__ import annotations

import pytest

from crmtpl.creds.store import SKIPPED_REASON, load_credentials, open_credentials
from tests.unit.creds.keyrings import MemoryKeyring


class CountingKeyring(MemoryKeyring):
    """A memory keyring that counts the reads (a probe is a read)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return super().get_password(service, username)


@pytest.fixture
def counting(use_keyring: object) -> CountingKeyring:
    import keyring

    backend = CountingKeyring()
    keyring.set_keyring(backend)
    return backend


def test_a_template_with_nothing_stored_is_not_looked_up_again(counting: CountingKeyring) -> None:
    assert load_credentials("crm", None, ["api_key"]) == []
    first = counting.reads
    assert first > 0
    assert load_credentials("crm", None, ["api_key"]) == []
    assert counting.reads == first  # not even probed
    chain = open_credentials("crm", reading_only=True)
    assert chain.keyring_status is not None and chain.keyring_status.reason == SKIPPED_REASON
    assert counting.reads == first


def test_a_value_stored_afterwards_is_found_on_the_next_read(counting: CountingKeyring) -> None:
    assert load_credentials("crm", None, ["api_key"]) == []
    open_credentials("crm").require_writer().set("api_key", "k3y-stored")  # as auth set does
    [variable] = load_credentials("crm", None, ["api_key"])
    assert variable.value == "k3y-stored"


def test_other_templates_profiles_and_commands_still_look(counting: CountingKeyring) -> None:
    load_credentials("crm", None, ["api_key"])
    reads = counting.reads
    load_credentials("crm", "staging", ["api_key"])
    load_credentials("other", None, ["api_key"])
    assert counting.reads > reads
    reads = counting.reads
    chain = open_credentials("crm")  # auth status, auth set, auth login: always open it
    assert chain.keyring_status is not None and chain.keyring_status.available
    assert counting.reads > reads


def test_another_keyring_configuration_or_no_cache_looks_again(
    counting: CountingKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_credentials("crm", None, ["api_key"])
    reads = counting.reads
    monkeypatch.setenv("CRMTPL_NO_CACHE", "1")
    load_credentials("crm", None, ["api_key"])
    assert counting.reads > reads
    monkeypatch.delenv("CRMTPL_NO_CACHE")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    reads = counting.reads
    load_credentials("crm", None, ["api_key"])
    assert counting.reads > reads


def test_a_template_with_values_is_always_read(counting: CountingKeyring) -> None:
    open_credentials("crm").require_writer().set("api_key", "k3y-stored")
    for _ in range(2):
        [variable] = load_credentials("crm", None, ["api_key"])
        assert variable.value == "k3y-stored"


def test_the_insecure_file_is_read_even_when_the_keyring_is_skipped(
    counting: CountingKeyring,
) -> None:
    assert load_credentials("crm", None, ["api_key"]) == []
    open_credentials("crm", insecure_storage=True).require_writer().set("api_key", "from-file")
    [variable] = load_credentials("crm", None, ["api_key"])
    assert variable.value == "from-file"


def test_no_keyring_at_all_is_remembered_but_a_silent_one_is_not(
    use_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import null

    from crmtpl.creds import backends

    keyring.set_keyring(null.Keyring())
    assert load_credentials("crm", None, ["api_key"]) == []
    chain = open_credentials("crm", reading_only=True)
    assert chain.keyring_status is not None and chain.keyring_status.reason == SKIPPED_REASON

    timeouts = backends.KeyringStatus(None, "did not answer", timed_out=True)
    monkeypatch.setattr("crmtpl.creds.store.probe_keyring", lambda timeout: timeouts)
    assert load_credentials("other", None, ["api_key"]) == []
    chain = open_credentials("other", reading_only=True)
    assert chain.keyring_status is timeouts  # asked again: a locked keyring may hold values
