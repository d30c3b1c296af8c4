"""The built-in sandbox CRM as a test peer: started through the real CLI on port 8765.

The example templates (examples/sandbox*.xml) target http://127.0.0.1:8765. The session
fixture starts ``crmtpl sandbox --background`` there with a fresh data directory and stops
it afterwards; when a sandbox already answers on that port (a developer's own), it is used
as it is, since the tests only rely on the seeded data and on what they write themselves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import REPO_ROOT

PORT = 8765
URL = f"http://127.0.0.1:{PORT}"


@dataclass
class Sandbox:
    """A running sandbox: its URL and a small client for checking what was written."""

    url: str

    def get(self, path: str, headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as answer:
            return json.loads(answer.read())


def answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url + "/none/api/v1/users", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for ``python -m crmtpl`` in a subprocess: no keyring, no stray vars."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMTPL_VAR_")}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
    )
    env.update(extra)
    return env


def crmtpl(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as a user does."""
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env=env or cli_env(),
        cwd=REPO_ROOT,
        check=False,
    )


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The sandbox on 127.0.0.1:8765, started for the session unless one already runs."""
    if answers(URL):
        yield Sandbox(URL)
        return
    data = tmp_path_factory.mktemp("sandbox-data")
    started = crmtpl("sandbox", "--background", "--port", str(PORT), "--data", str(data))
    if started.returncode != 0 or not answers(URL):
        pytest.fail(f"crmtpl sandbox --background failed: {started.stdout}{started.stderr}")
    try:
        yield Sandbox(URL)
    finally:
        crmtpl("sandbox", "stop", "--data", str(data))
