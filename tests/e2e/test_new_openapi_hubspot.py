"""``crmtpl new --openapi`` on HubSpot's own description, then the result run against Prism.

The template is built from tests/servers/prism/specs/src/hubspot (nothing HubSpot-specific
in crmtpl.scaffold), checked with ``validate --strict``, and its lookup and users run through
the recorder in front of the HubSpot mock: each request 2xx with no request violation.
Then the test file it wrote is recorded with ``crmtpl test --update`` and replays offline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.example_runs import RUN_TIMEOUT_SECONDS, clean_environment
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted
from tests.support import REPO_ROOT

SPEC = REPO_ROOT / "tests" / "servers" / "prism" / "specs" / "src" / "hubspot"
ACCESS_TOKEN = "hubspot-oauth-access-token-0001"


@pytest.fixture(scope="module")
def hubspot(peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The HubSpot mock behind a recorder."""
    with PrismRecorder(peer("hubspot")["url"]) as recorder:
        yield recorder


def crmtpl(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``crmtpl ARGS`` in ``folder`` with the access token in the environment only."""
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
        cwd=folder,
        env=clean_environment(folder / "config", {"AccessToken": ACCESS_TOKEN}),
    )


@pytest.fixture(scope="module")
def generated(hubspot: PrismRecorder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding hubspot-new.xml and its test file, built with crmtpl new."""
    folder = tmp_path_factory.mktemp("new-hubspot")
    done = crmtpl(
        folder,
        "new",
        "hubspot-new.xml",
        "--openapi",
        str(SPEC),
        "--var",
        f"base_url={hubspot.url}",
        "--no-input",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["clean"] is True
    picked = {c["key"]: c["picked"] for c in report["choices"]}
    assert picked["lookup"] == "POST /crm/v3/objects/contacts/search"
    assert picked["users"] == "GET /crm/v3/owners"
    assert picked["auth"] == "oauth2"  # the scheme every chosen operation accepts
    return folder


def test_the_new_template_validates_clean_with_strict(generated: Path) -> None:
    done = crmtpl(generated, "validate", "--strict", "hubspot-new.xml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_its_lookup_runs_against_prism_without_a_request_violation(
    generated: Path, hubspot: PrismRecorder
) -> None:
    hubspot.take()
    done = crmtpl(
        generated, "run", "lookup", "hubspot-new.xml", "--phone", "+14155550123", "--format", "json"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    records = json.loads(done.stdout)["records"]
    assert [r["ContactsId"] for r in records] == ["512"]  # the id of HubSpot's example
    [search] = hubspot.take()
    assert_accepted([search], count=1)
    assert (search.method, search.path) == ("POST", "/crm/v3/objects/contacts/search")
    assert search.json_body["query"] == "+14155550123"
    assert search.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_its_users_run_against_prism(generated: Path, hubspot: PrismRecorder) -> None:
    hubspot.take()
    done = crmtpl(generated, "run", "users", "hubspot-new.xml", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["records"] == [
        {
            "UserUniqueId": "6166860",
            "FirstName": "John",
            "LastName": "Smith",
            "Email": "jsmith@example.com",
        }
    ]
    assert_accepted(hubspot.take(), count=1)


def test_its_test_file_records_once_then_replays_offline(
    generated: Path, hubspot: PrismRecorder
) -> None:
    test_file = "hubspot-new.lookup.test.toml"
    before = crmtpl(generated, "test", test_file)
    assert before.returncode == 1  # nothing recorded yet, and it says so
    assert "record one first" in before.stdout
    recorded = crmtpl(generated, "test", test_file, "--update")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert 'ContactsId = "512"' in (generated / test_file).read_text(encoding="utf-8")
    hubspot.take()
    replayed = crmtpl(generated, "test", test_file)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert hubspot.take() == []  # offline: nothing reached the mock
