"""The built-in sandbox CRM as a test peer: the session's own, on a free port.

The session fixture starts ``crmtpl sandbox --background --port 0`` with a fresh data
directory (so never a sandbox started from another checkout, with other code or data) and
stops it afterwards. The example templates (examples/sandbox*.xml, docs/tutorial/*.xml)
take their base URL from the custom field ``sandbox_url`` (default http://127.0.0.1:8765):
:func:`cli_env` gives every CLI call ``CRMTPL_VAR_sandbox_url`` with this sandbox's URL,
so the tests also prove that the examples work on a port other than the default.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import REPO_ROOT

#: The port the example templates default to (the Value of their sandbox_url field).
DEFAULT_PORT = 8765
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
SANDBOX_URL_VARIABLE = "CRMTPL_VAR_sandbox_url"
#: The URL of this session's sandbox once the fixture started it (see :func:`cli_env`).
_session_url: str | None = None


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
    """The environment for ``python -m crmtpl`` in a subprocess: no keyring, no stray vars,
    and ``CRMTPL_VAR_sandbox_url`` pointing at the session's sandbox once it runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMTPL_VAR_")}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
    )
    if _session_url is not None:
        env[SANDBOX_URL_VARIABLE] = _session_url
    env.update(extra)
    return env


def as_documented(text: str) -> str:
    """Output of a command run against the session's sandbox as the docs show it, i.e. as
    a reader sees it with ``crmtpl sandbox`` on the default port: the default URL in place
    of the session's own, and sandbox_url's value told as the template's default (which
    it is for the reader) rather than as ``CRMTPL_VAR_sandbox_url``, which only the tests
    set (``--list-vars`` and ``auth status`` name it). The session's port is as wide as 8765, so columns stay where they were."""
    if _session_url is None:
        return text
    text = text.replace(_session_url, DEFAULT_URL)
    text = text.replace(f"env ({SANDBOX_URL_VARIABLE})", "default (the template's Value)")
    return text.replace(f"{SANDBOX_URL_VARIABLE} overrides it", "")  # auth status


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


#: Ports the session's sandbox may take: four digits, as wide as 8765, so every column,
#: table and caret of the output lines up as the docs show it (see :func:`as_documented`).
SESSION_PORTS = range(8766, 8900)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The session's own sandbox on a free port of 127.0.0.1 (never 8765, never one that
    already runs), stopped afterwards."""
    global _session_url
    data = tmp_path_factory.mktemp("sandbox-data")
    started = None
    for port in SESSION_PORTS:
        if not _port_is_free(port):
            continue
        started = crmtpl("sandbox", "--background", "--port", str(port), "--data", str(data))
        if started.returncode == 0:
            break
        if started.returncode != 4:  # 4: taken meanwhile by someone else; try the next one
            break
    state = data / "sandbox.json"
    if started is None or started.returncode != 0 or not state.is_file():
        output = "no free port" if started is None else started.stdout + started.stderr
        pytest.fail(f"crmtpl sandbox --background failed: {output}")
    url = f"http://127.0.0.1:{json.loads(state.read_text(encoding='utf-8'))['port']}"
    try:
        if not answers(url):
            pytest.fail(f"the session's sandbox does not answer at {url}: {started.stdout}")
        _session_url = url
        yield Sandbox(url)
    finally:
        _session_url = None
        crmtpl("sandbox", "stop", "--data", str(data))
