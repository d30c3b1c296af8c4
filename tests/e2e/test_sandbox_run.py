"""``crmtpl run`` against the built-in sandbox CRM: every scenario, every auth method.

The CLI runs in a subprocess exactly as a user runs it; what it wrote is then checked
through the sandbox's own API.
"""

from __future__ import annotations

import json
import random
import subprocess

import pytest

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl

SANDBOX = "examples/sandbox.xml"
CREDENTIALS = {
    "examples/sandbox-basic.xml": ["--var", "username=demo", "--var", "password=demo-password"],
    "examples/sandbox-apikey.xml": ["--var", "api_key=sandbox-api-key"],
    "examples/sandbox-bearer.xml": [
        "--var",
        "client_id=crmtpl-sandbox",
        "--var",
        "client_secret=sandbox-secret",
    ],
}


def as_json(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert done.stdout, done.stderr
    parsed: dict[str, object] = json.loads(done.stdout)
    return parsed


def test_lookup_finds_william_smith_with_his_contact_url(sandbox: Sandbox) -> None:
    done = crmtpl("run", "lookup", SANDBOX, "--phone", "5503302", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = as_json(done)
    assert result["scenario"] == "SyncContactAuto"
    records = result["records"]
    assert isinstance(records, list)
    william = [r for r in records if r["FirstName"] == "William"]
    assert william and william[0]["LastName"] == "Smith"
    assert william[0]["ContactSyncType"] == "contacts"
    assert william[0]["ContactUrl"].endswith("/app/contacts/1001")
    requests = result["requests"]
    assert isinstance(requests, list)
    assert all(r["status"] == 200 for r in requests)


def test_lookup_table_output_for_people(sandbox: Sandbox) -> None:
    done = crmtpl("run", "lookup", SANDBOX, "--phone", "5503302")
    assert done.returncode == 0
    assert "1 contact found for 5503302" in done.stdout
    assert "William" in done.stdout


def test_an_unknown_number_finds_nothing_and_exits_1(sandbox: Sandbox) -> None:
    done = crmtpl("run", "lookup", SANDBOX, "--phone", "+10000000000")
    assert done.returncode == 1
    assert "no contact found for +10000000000" in done.stdout


def test_verbose_shows_each_request_and_status(sandbox: Sandbox) -> None:
    done = crmtpl("-v", "run", "lookup", SANDBOX, "--phone", "5503302")
    assert f"→ GET {sandbox.url}/none/api/v1/contacts/search?phone=5503302" in done.stderr
    assert "← 200 OK" in done.stderr


def test_users_lists_the_crm_agents(sandbox: Sandbox) -> None:
    done = crmtpl("run", "users", SANDBOX, "--format", "json")
    assert done.returncode == 0, done.stderr
    records = as_json(done)["records"]
    assert isinstance(records, list)
    alice = [r for r in records if r["Email"] == "alice@example.com"]
    assert alice == [
        {
            "UserUniqueId": "11",
            "FirstName": "Alice",
            "LastName": "Lee",
            "Email": "alice@example.com",
        }
    ]


def test_created_contact_is_found_by_lookup(sandbox: Sandbox) -> None:
    number = f"+1555{random.randrange(10**6, 10**7)}"
    created = crmtpl(
        "run",
        "create-contact",
        SANDBOX,
        "--type",
        "contacts",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--number",
        number,
        "--format",
        "json",
        "--yes",
    )
    assert created.returncode == 0, created.stderr
    found = crmtpl("run", "lookup", SANDBOX, "--phone", number, "--format", "json")
    assert found.returncode == 0, found.stderr
    records = as_json(found)["records"]
    assert isinstance(records, list)
    assert [(r["FirstName"], r["LastName"]) for r in records] == [("Ada", "Lovelace")]


def test_call_journal_is_written_on_the_found_contact(sandbox: Sandbox, tmp_path: object) -> None:
    marker = str(random.randrange(10**8, 10**9))
    done = crmtpl(
        "run",
        "call-journal",
        SANDBOX,
        "--caller-number",
        "5503302",
        "--var",
        f"Talk_Duration_Sec={marker}",
        "--yes",
    )
    assert done.returncode == 0, done.stderr
    entries = sandbox.get("/none/api/v1/calls")
    items = entries["data"] if isinstance(entries, dict) else entries
    assert any(marker in json.dumps(entry) for entry in items)


def test_dry_run_sends_nothing(sandbox: Sandbox) -> None:
    before = sandbox.get("/none/api/v1/calls")
    done = crmtpl("run", "call-journal", SANDBOX, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"POST {sandbox.url}/none/api/v1/calls" in done.stdout
    assert sandbox.get("/none/api/v1/calls") == before


def test_global_info_outputs_become_variables(sandbox: Sandbox) -> None:
    done = crmtpl("run", "global-info", SANDBOX, "--format", "json")
    assert done.returncode == 0, done.stderr
    records = as_json(done)["records"]
    assert isinstance(records, list) and records and all(records[0].values())


@pytest.mark.parametrize("template", sorted(CREDENTIALS))
def test_every_auth_method_finds_the_contact(sandbox: Sandbox, template: str) -> None:
    done = crmtpl(
        "run", "lookup", template, "--phone", "5503302", "--format", "json", *CREDENTIALS[template]
    )
    assert done.returncode == 0, done.stderr
    records = as_json(done)["records"]
    assert isinstance(records, list)
    assert any(r["FirstName"] == "William" for r in records)


def test_wrong_basic_password_is_an_auth_failure(sandbox: Sandbox) -> None:
    done = crmtpl(
        "run",
        "lookup",
        "examples/sandbox-basic.xml",
        "--phone",
        "5503302",
        "--var",
        "username=demo",
        "--var",
        "password=wrong-password",
    )
    assert done.returncode == 5
    assert "refused the credentials" in done.stderr
    assert "Traceback" not in done.stderr


def test_bearer_token_from_the_environment(sandbox: Sandbox) -> None:
    env = cli_env(CRMTPL_VAR_client_id="crmtpl-sandbox", CRMTPL_VAR_client_secret="sandbox-secret")
    done = crmtpl("-v", "run", "users", "examples/sandbox-bearer.xml", env=env)
    assert done.returncode == 0, done.stderr
    assert "got a new access token" in done.stderr
    assert "sandbox-secret" not in done.stdout + done.stderr


def test_an_invalid_bearer_token_given_by_hand_is_reported(sandbox: Sandbox) -> None:
    done = crmtpl(
        "run",
        "users",
        "examples/sandbox-bearer.xml",
        "--var",
        "AccessToken=not-a-real-token",
    )
    assert done.returncode == 5
    assert "invalid" in done.stderr
    assert "not-a-real-token" not in done.stderr


def test_render_curl_output_runs_against_the_real_server(sandbox: Sandbox) -> None:
    rendered = crmtpl(
        "render",
        "lookup",
        "examples/sandbox-apikey.xml",
        "--phone",
        "5503302",
        "--var",
        "api_key=sandbox-api-key",
        "--format",
        "curl",
        "--show-secrets",
        "--request",
        "contacts",
    )
    assert rendered.returncode == 0, rendered.stderr
    command = "\n".join(line for line in rendered.stdout.splitlines() if not line.startswith("#"))
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "William" in done.stdout
