"""``crmtpl run … --dry-run``: the requests a run would send, in the format asked for."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT

SECRET = "dry-run-api-key-5521"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, from the repository root, with colour off."""
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
        timeout=60,
        check=False,
    )


def test_dry_run_json_prints_the_render_document() -> None:
    done = run_cli(
        "run",
        "lookup",
        "examples/sandbox-apikey.xml",
        "--dry-run",
        "--format",
        "json",
        "--phone",
        "5503302",
        "--var",
        f"api_key={SECRET}",
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["scenario"] == "SyncContactAuto"
    (request,) = document["requests"]
    assert request["method"] == "GET"
    assert request["url"].endswith("/contacts/search?phone=5503302")
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize("fmt", [[], ["--format", "table"]])
def test_dry_run_otherwise_prints_the_http_view(fmt: list[str]) -> None:
    done = run_cli(
        "run",
        "users",
        "examples/sandbox-apikey.xml",
        "--dry-run",
        *fmt,
        "--var",
        f"api_key={SECRET}",
    )
    assert done.returncode == 0, done.stderr
    assert "GET http://127.0.0.1:8765/apikey/api/v1/users" in done.stdout
    assert "X-Api-Key: ********" in done.stdout
    assert SECRET not in done.stdout + done.stderr
