"""``crmtpl sandbox`` as a user runs it: background start, status, stop, foreground Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support import REPO_ROOT

CLI = [sys.executable, "-m", "crmtpl", "--color", "never", "sandbox"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _crmtpl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, check=False)


def test_background_start_status_and_stop(tmp_path: Path) -> None:
    port, data = _free_port(), tmp_path / "data"
    started = _crmtpl("--background", "--port", str(port), "--data", str(data))
    try:
        assert started.returncode == 0, started.stderr
        assert f"http://127.0.0.1:{port}/" in started.stdout
        assert f"crmtpl sandbox stop --data {data.resolve()}" in started.stdout
        url = f"http://127.0.0.1:{port}/none/api/v1/contacts/search?phone=5503302"
        with urllib.request.urlopen(url) as answer:
            assert json.loads(answer.read())["data"][0]["name"] == "William Smith"
        again = _crmtpl("--background", "--port", str(port), "--data", str(data))
        assert again.returncode == 0
        assert "already running" in again.stdout
        status = _crmtpl("status", "--data", str(data))
        assert status.returncode == 0
        assert f"http://127.0.0.1:{port}/" in status.stdout
    finally:
        stopped = _crmtpl("stop", "--data", str(data))
    assert stopped.returncode == 0
    assert "Stopped the sandbox" in stopped.stdout
    assert _crmtpl("status", "--data", str(data)).returncode == 1
    assert "No sandbox is running" in _crmtpl("stop", "--data", str(data)).stdout
    log = (data / "sandbox.log").read_text(encoding="utf-8")
    assert "GET /none/api/v1/contacts/search?phone=5503302 200" in log
    assert "Sandbox stopped." in log


def test_busy_port_is_exit_code_4_with_a_hint(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _crmtpl("--background", "--port", str(port), "--data", str(tmp_path))
    assert done.returncode == 4
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr


def test_foreground_prints_credentials_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "--port", str(port), "--data", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "sandbox.json").exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/none/api/v1/users") as answer:
            assert answer.status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "demo-password" in out
    assert "sandbox-api-key" in out
    assert "5503302" in out
    assert "Ctrl-C to stop." in out
    assert "GET /none/api/v1/users 200" in err
    assert "Sandbox stopped." in err
    assert not (tmp_path / "sandbox.json").exists()


def test_port_zero_prints_commands_that_work_for_the_port_it_got(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = _crmtpl("--background", "--port", "0", "--data", str(data))
    try:
        assert started.returncode == 0, started.stderr
        port = json.loads((data / "sandbox.json").read_text(encoding="utf-8"))["port"]
        assert port != 8765
        curl = f"curl 'http://127.0.0.1:{port}/none/api/v1/contacts/search?phone=5503302'"
        assert curl in started.stdout
        base = f"--var sandbox_url=http://127.0.0.1:{port}"
        command = f"crmtpl run lookup examples/sandbox.xml --phone 5503302 {base}"
        printed = next(line for line in started.stdout.splitlines() if command in line)
        assert f"CRMTPL_VAR_sandbox_url=http://127.0.0.1:{port}" in started.stdout
        typed = printed.split(":", 1)[1].strip().split()
        assert typed[0] == "crmtpl"
        env = os.environ | {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
        env = {k: v for k, v in env.items() if not k.startswith("CRMTPL_VAR_")}
        found = subprocess.run(
            [sys.executable, "-m", *typed],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=REPO_ROOT,
            env=env,
        )
        assert found.returncode == 0, found.stderr
        assert "William" in found.stdout
        assert f"http://127.0.0.1:{port}/app/contacts/1001" in found.stdout
        assert "template's default" not in found.stderr
    finally:
        _crmtpl("stop", "--data", str(data))
