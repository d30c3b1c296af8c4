"""Data survives a restart; the index, record pages and health answer; ports are checked."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl.errors import UsageError
from crmtpl.sandbox import PortInUseError, RequestRecord, SandboxServer
from tests.unit.sandbox.conftest import Client, FakeClock

API = "/none/api/v1"


def test_writes_and_tokens_survive_a_restart_with_the_same_data_dir(tmp_path: Path) -> None:
    clock = FakeClock()
    with SandboxServer(port=0, data_dir=tmp_path, clock=clock) as first:
        client = Client(first.url)
        created = client.post(
            f"{API}/contacts", json_body={"first_name": "Persist", "phone": "+32 2 555 12 12"}
        ).json()["data"]
        client.post(f"{API}/calls", json_body={"subject": "kept", "contact_id": created["id"]})
        token = client.post(
            "/bearer/oauth/token",
            form={
                "grant_type": "client_credentials",
                "client_id": "crmtpl-sandbox",
                "client_secret": "sandbox-secret",
            },
        ).json()["access_token"]
    with SandboxServer(port=0, data_dir=tmp_path, clock=clock) as second:
        client = Client(second.url)
        found = client.get(f"{API}/contacts/search?phone=%2B3225551212").json()["data"]
        assert [c["id"] for c in found] == [created["id"]]
        calls = client.get(f"{API}/contacts/{created['id']}/calls").json()["data"]
        assert [c["subject"] for c in calls] == ["kept"]
        users = client.get("/bearer/api/v1/users", headers={"Authorization": f"Bearer {token}"})
        assert users.status == 200
        seeded = client.get(f"{API}/contacts").json()["total"]
        assert seeded == 13  # twelve seeded contacts, seeded once, plus the created one


def test_index_page_lists_prefixes_endpoints_and_seeded_numbers(client: Client) -> None:
    page = client.get("/")
    assert page.status == 200
    assert page.header("content-type") == "text/html; charset=utf-8"
    for expected in ("/bearer/api/v1", "/contacts/search?phone=NUMBER", "5503302", "William Smith"):
        assert expected in page.text
    assert "Delivery to San Francisco delayed" in page.text


def test_index_page_tries_the_example_on_its_own_port(
    client: Client, sandbox: SandboxServer
) -> None:
    page = client.get("/")
    command = (
        f"crmtpl run lookup examples/sandbox.xml --phone 5503302 --var sandbox_url={sandbox.url}"
    )
    assert f"<code>{command}</code>" in page.text


def test_record_pages_and_health(client: Client) -> None:
    assert "Lukas Müller" in client.get("/app/contacts/1003").text
    assert client.get("/app/leads/5001").status == 200
    assert "William Smith" in client.get("/app/Contacts/1001").text
    assert "Asked the carrier" in client.get("/app/tickets/70001").text
    assert client.get("/app/contacts/4040").status == 404
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["service"] == "crmtpl-sandbox"


def test_requests_are_reported_with_secrets_masked(tmp_path: Path) -> None:
    seen: list[RequestRecord] = []
    with SandboxServer(port=0, data_dir=tmp_path, on_request=seen.append) as sandbox:
        Client(sandbox.url).get(
            "/bearer/oauth/token?grant_type=client_credentials&client_id=crmtpl-sandbox"
            "&client_secret=sandbox-secret"
        )
    assert len(seen) == 1
    line = seen[0].line()
    assert line.startswith("GET /bearer/oauth/token?grant_type=client_credentials")
    assert "client_secret=***" in line
    assert "sandbox-secret" not in line
    assert " 200 " in line


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = SandboxServer(port=port, data_dir=tmp_path)
        with pytest.raises(PortInUseError) as caught:
            server.start()
    assert f"port {port}" in str(caught.value)
    assert caught.value.hint is not None and "--port" in caught.value.hint
    assert caught.value.exit_code == 4


def test_port_zero_reports_the_chosen_port(sandbox: SandboxServer) -> None:
    assert sandbox.port > 0
    assert sandbox.url == f"http://127.0.0.1:{sandbox.port}"


def test_a_stale_state_file_is_not_a_running_sandbox(tmp_path: Path) -> None:
    from crmtpl.sandbox.process import STATE_FILE, find_running

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    state = {
        "pid": int(dead.stdout),
        "port": 1,
        "url": "http://127.0.0.1:1",
        "data_dir": str(tmp_path),
        "token_ttl": 300,
    }
    (tmp_path / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert find_running(tmp_path) is None
    assert not (tmp_path / STATE_FILE).exists()


def test_a_running_server_is_found_through_its_state_file(tmp_path: Path) -> None:
    from crmtpl.sandbox.process import find_running, registered

    with SandboxServer(port=0, data_dir=tmp_path) as sandbox, registered(sandbox):
        running = find_running(tmp_path)
        assert running is not None
        assert (running.url, running.pid) == (sandbox.url, os.getpid())
    assert find_running(tmp_path) is None


def test_token_lifetime_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        SandboxServer(port=0, data_dir=tmp_path, token_ttl=0)
