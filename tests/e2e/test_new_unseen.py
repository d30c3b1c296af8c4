"""``crmtpl new --openapi`` on descriptions the scaffold was not developed on.

Issue 20's acceptance: the scaffold (crmtpl.scaffold) was tuned on HubSpot, Pipedrive, Zoho
and the gallery's descriptions; these are other systems' own descriptions
(tests/servers/prism/specs/PROVENANCE.md). For each: ``crmtpl new`` through the CLI without a
terminal, ``validate --strict`` with no error or warning, ``validate --openapi`` with no
CT97x finding, then the lookup run against Prism serving that description (mock
``new-<name>`` of tests/servers/prism/gallery.tsv) behind the recorder: every request
accepted (2xx, no request violation) and the ContactsId the PBX needs extracted.

Two groups: UNSEEN (Chatwoot, Attio, Twenty) were tried while the scaffold was still being
changed; BLIND (Oracle Eloqua, Spoke; then Shopify Admin, Thinkific in a second blind trial
after the fixes) are blind trials: the scaffold was not changed for these (docs/new.md,
"Tried on descriptions it was not developed on").
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.e2e.example_runs import RUN_TIMEOUT_SECONDS, clean_environment
from tests.e2e.peers import PeerLookup
from tests.e2e.prism_recorder import PrismRecorder, assert_accepted
from tests.support import REPO_ROOT

SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs" / "src"
PHONE = "+14155550123"


@dataclass(frozen=True)
class Unseen:
    """One description: where it is, what the scaffold should pick, what the mock answers."""

    name: str
    spec: Path
    lookup: str  # the operation the lookup calls, as crmtpl new lists it
    path: str  # the path the recorder sees for it
    contact_ids: list[str]  # ContactsId of the mock's example answer
    secrets: dict[str, str] = field(default_factory=dict)
    variables: tuple[str, ...] = ()  # --var NAME=VALUE for new
    options: tuple[str, ...] = ()  # further options of new, as a user would give them


UNSEEN = [
    Unseen(
        name="chatwoot",
        spec=SPECS / "chatwoot" / "application_swagger.json",
        lookup="GET /api/v1/accounts/{account_id}/contacts/search",
        path="/api/v1/accounts/1/contacts/search",
        contact_ids=["0"],
        secrets={"api_key": "chatwoot-access-token-0001"},
        variables=("account_id=1",),
    ),
    Unseen(
        name="attio",
        spec=SPECS / "attio" / "attio.openapi.yaml",
        lookup="POST /v2/objects/{object}/records/query",
        path="/v2/objects/people/records/query",
        contact_ids=["bf071e1f-6035-429d-b874-d83ea64ea13b"],
        secrets={"AccessToken": "attio-oauth-access-token-0001"},
    ),
    Unseen(
        name="twenty",
        spec=SPECS / "twenty" / "openapi.yaml",
        lookup="GET /rest/people",
        path="/people",
        contact_ids=["497f6eca-6276-4993-bfeb-53cbbbba6f08"],
        secrets={"access_token": "twenty-api-key-0001"},
    ),
]

#: blind: the scaffold was not changed for these. Descriptions found after it was written
#: and run through it once, as they are (tests/servers/prism/specs/PROVENANCE.md); what
#: failed in that trial is listed in docs/new.md, not here.
BLIND = [
    Unseen(
        name="eloqua",
        spec=SPECS / "eloqua" / "openapi.yaml",
        lookup="GET /api/REST/1.0/data/contacts",
        path="/api/REST/1.0/data/contacts",
        contact_ids=["string"],  # the description has no example: Prism answers its type
        secrets={"access_token": "eloqua-access-token-0001"},
    ),
    Unseen(
        name="atspoke",
        spec=SPECS / "atspoke" / "openapi.yml",
        lookup="GET /api/v1/users",
        path="/users",  # the server's /api/v1 is in base_url
        contact_ids=["5c61e9f43e8c4c11f53240f8"],
        secrets={"api_key": "spoke-api-key-0001"},
        options=("--provider", "helpdesk"),
    ),
    Unseen(
        name="shopify",
        spec=SPECS / "shopify" / "openapi.yml",
        lookup="GET /admin/api/2021-10/customers/search.json",
        path="/admin/api/2021-10/customers/search.json",
        contact_ids=["0"],  # the description has no example: Prism answers its type
        secrets={"api_key": "shopify-access-token-0001"},
    ),
    Unseen(
        name="thinkific",
        spec=SPECS / "thinkific" / "openapi.yaml",
        lookup="GET /api/public/v1/users",
        path="/users",  # the server's /api/public/v1 is in base_url
        contact_ids=["1"],
        secrets={"access_token": "thinkific-access-token-0001"},
    ),
]


def crmtpl(folder: Path, secrets: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``crmtpl ARGS`` in ``folder`` with the secrets in the environment only."""
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
        cwd=folder,
        env=clean_environment(folder / "config", secrets),
    )


@pytest.fixture(params=UNSEEN + BLIND, ids=[u.name for u in UNSEEN + BLIND])
def unseen(request: pytest.FixtureRequest) -> Unseen:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def mock(unseen: Unseen, peer: PeerLookup) -> Iterator[PrismRecorder]:
    """The description's Prism mock behind a recorder."""
    with PrismRecorder(peer(f"gallery-new-{unseen.name}")["url"]) as recorder:
        yield recorder


@pytest.fixture
def generated(unseen: Unseen, mock: PrismRecorder, tmp_path: Path) -> Path:
    """The folder holding new.xml, built by crmtpl new from the description alone."""
    variables = [f"--var={v}" for v in (f"base_url={mock.url}", *unseen.variables)]
    done = crmtpl(
        tmp_path,
        unseen.secrets,
        "new",
        "new.xml",
        "--openapi",
        str(unseen.spec),
        *variables,
        *unseen.options,
        "--no-input",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["clean"] is True
    picked = {c["key"]: c["picked"] for c in report["choices"]}
    assert picked["lookup"] == unseen.lookup
    return tmp_path


def test_it_validates_clean_with_strict_and_against_the_description(
    unseen: Unseen, generated: Path
) -> None:
    strict = crmtpl(generated, {}, "validate", "--strict", "--format", "json", "new.xml")
    assert strict.returncode == 0, strict.stdout + strict.stderr
    against = crmtpl(
        generated,
        {},
        "validate",
        "--openapi",
        str(unseen.spec),
        "--format",
        "json",
        "new.xml",
    )
    assert against.returncode == 0, against.stdout + against.stderr
    found = [d for f in json.loads(against.stdout)["files"] for d in f["diagnostics"]]
    assert [d for d in found if d["rule"].startswith("CT97")] == []
    assert {d["severity"] for d in found} <= {"info"}


def test_its_lookup_is_accepted_by_prism_and_gives_the_contact_id(
    unseen: Unseen, generated: Path, mock: PrismRecorder
) -> None:
    mock.take()
    done = crmtpl(
        generated, unseen.secrets, "run", "lookup", "new.xml", "--phone", PHONE, "--format", "json"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    records = json.loads(done.stdout)["records"]
    assert [r["ContactsId"] for r in records] == unseen.contact_ids
    exchanges = mock.take()
    assert_accepted(exchanges, count=1)
    [search] = exchanges
    path, _, query = search.path.partition("?")
    assert path == unseen.path
    sent = unquote(query) + (search.body.decode() if search.body else "")
    assert PHONE in sent  # the number reaches the search, in the query or the body
