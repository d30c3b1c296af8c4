"""How ``crmtpl run`` fails, as a user sees it: retries announced, the server's message
whole, and JSON on stdout with ``--format json``."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from crmtpl.errors import ExitCode
from tests.e2e.sandbox import Sandbox, crmtpl
from tests.support import REPO_ROOT

SANDBOX = REPO_ROOT / "examples" / "sandbox.xml"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _variant(tmp_path: Path, old: str, new: str) -> str:
    path = tmp_path / "variant.xml"
    path.write_text(SANDBOX.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return str(path)


def test_retries_are_announced_and_a_failure_is_json_too(tmp_path: Path) -> None:
    closed = f"sandbox_url=http://127.0.0.1:{_closed_port()}"
    template = str(SANDBOX)
    done = crmtpl("run", "users", template, "--var", closed, "--format", "json")
    assert done.returncode == ExitCode.NETWORK
    assert "retrying (1/2)" in done.stderr and "retrying (2/2)" in done.stderr
    document = json.loads(done.stdout)
    assert document["error"]["exit_code"] == ExitCode.NETWORK
    assert "cannot connect" in document["error"]["message"]
    assert isinstance(document["requests"], list)
    quiet = crmtpl("run", "users", template, "--var", closed, "-q")
    assert quiet.returncode == ExitCode.NETWORK and "retrying" not in quiet.stderr


def test_the_servers_error_message_is_shown_whole(sandbox: Sandbox, tmp_path: Path) -> None:
    template = _variant(tmp_path, "/none/api/v1/users", "/none/api/v1/userz")
    done = crmtpl("run", "users", template)
    assert done.returncode == ExitCode.NETWORK
    assert "answered 404 Not Found: no endpoint GET /none/api/v1/userz" in done.stderr
    assert f"the list is at {sandbox.url}/" in done.stderr
    as_json = crmtpl("run", "users", template, "--format", "json")
    assert as_json.returncode == ExitCode.NETWORK
    failure = json.loads(as_json.stdout)
    assert "the list is at" in failure["error"]["message"]
    assert [r["status"] for r in failure["requests"]][-1] == 404
