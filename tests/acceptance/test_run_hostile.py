"""``crmtpl run`` against hostile servers on 127.0.0.1 (issue 14, items 2 and 3): the
real CLI in a subprocess, a server each test starts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.hostile import RawRequest, answer, serving
from tests.support import REPO_ROOT

SECRET = "hostile-api-key-7731"

TEMPLATE = """<Information Provider="crm" Name="Hostile" Key="hostile_crm" Version="1.0.0"
  AuthType="none" MaxConcurrentRequest="2" UserAssociation="1">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="none"></Parameter>
        <Parameter Father="CustomFieldList" Name="api_key" Editor="password" Title="Key"></Parameter>
        <Parameter Father="PopulateTemplateString" Name="X-Api-Key" Type="Header" Value="{{{{.api_key}}}}"></Parameter>
      </Parameters>
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format"></Parameter>
        <Parameter Name="URLFormat" Value="{base}/app/{{{{.ContactId}}}}"></Parameter>
        <Parameter Name="ContactsIdEnable" Value="1"></Parameter>
        <Parameter Name="FirstNameEnable" Value="1"></Parameter>
      </Parameters>
      <Requests>
{requests}
      </Requests>
    </Scenario>
    <Scenario Id="UserAssociation" Type="REST">
      <Requests>
        <Request Name="UserAssociation" Method="GET" ResponseType="application/json" URLFormat="{base}/users">
          <Outputs><Output Name="UserUniqueId" Path="#.id"></Output></Outputs>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""

SEARCH = """        <Request Name="{name}" Method="GET" ResponseType="application/json"
                 URLFormat="{base}/{name}?phone={{{{UrlEncode .Phone}}}}">
          <Outputs>
            <Output Name="ContactsId" Path="data.#.id"></Output>
            <Output Name="FirstName" Path="data.#.first_name"></Output>
          </Outputs>
        </Request>"""


def write_template(folder: Path, base: str, types: int = 4) -> Path:
    requests = "\n".join(SEARCH.format(name=f"type{n}", base=base) for n in range(types))
    path = folder / "hostile.xml"
    path.write_text(TEMPLATE.format(base=base, requests=requests), encoding="utf-8")
    return path


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "crmtpl", *args]


ENV = {
    "PATH": "/usr/bin:/bin",
    "NO_COLOR": "1",
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    "CRMTPL_VAR_api_key": SECRET,
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args), cwd=REPO_ROOT, capture_output=True, text=True, env=ENV, timeout=60
    )


def test_an_off_host_redirect_is_reported_and_the_key_stays_home(tmp_path: Path) -> None:
    def users(request: RawRequest, sock: socket.socket) -> None:
        answer(sock, "200 OK", b'[{"id":"u1"}]', "Content-Type: application/json\r\n")

    with serving(users) as elsewhere:

        def bounce(request: RawRequest, sock: socket.socket) -> None:
            answer(sock, "302 Found", headers=f"Location: http://localhost:{elsewhere.port}/u\r\n")

        with serving(bounce) as crm:
            template = write_template(tmp_path, crm.url)
            done = run_cli("-v", "run", "users", str(template))
    assert done.returncode == 0, done.stderr
    assert crm.requests[0].header("X-Api-Key") == SECRET
    assert elsewhere.requests[0].header("X-Api-Key") is None
    assert "left" in done.stderr  # -v says the redirect left the host
    assert "the PBX would" in done.stderr and "X-Api-Key" in done.stderr
    assert SECRET not in done.stdout + done.stderr


def test_timeout_bounds_a_run_against_a_trickling_server(tmp_path: Path) -> None:
    def trickle(request: RawRequest, sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n")
        for _ in range(100):
            time.sleep(0.5)
            sock.sendall(b" ")

    with serving(trickle) as crm:
        template = write_template(tmp_path, crm.url)
        started = time.monotonic()
        done = run_cli("run", "users", str(template), "--timeout", "2")
        elapsed = time.monotonic() - started
    assert done.returncode == 4, done.stderr
    assert "within 2 s" in done.stderr
    assert elapsed < 6  # 2 s of budget plus the interpreter's start; before: 50 s


def test_total_timeout_bounds_the_whole_command(tmp_path: Path) -> None:
    """Four searches, two at a time, each trickling: 10 s of --timeout each would make a
    20 s run; --total-timeout 3 ends the whole command at 3 s."""

    def trickle(request: RawRequest, sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n")
        for _ in range(100):
            time.sleep(0.5)
            sock.sendall(b" ")

    with serving(trickle) as crm:
        template = write_template(tmp_path, crm.url, types=4)
        started = time.monotonic()
        done = run_cli(
            "run", "lookup", str(template), "--phone", "5503302",
            "--timeout", "10", "--total-timeout", "3",
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert done.returncode == 4, done.stderr
    assert "--total-timeout" in done.stderr and "3 s" in done.stderr
    assert elapsed < 7  # 3 s of budget plus the interpreter's start; without it: 20 s


def test_ctrl_c_during_a_parallel_lookup_exits_130_at_once_and_sends_nothing_more(
    tmp_path: Path,
) -> None:
    arrived = threading.Event()

    def stuck(request: RawRequest, sock: socket.socket) -> None:
        arrived.set()
        time.sleep(30)

    with serving(stuck) as crm:
        template = write_template(tmp_path, crm.url, types=6)
        process = subprocess.Popen(
            cli("run", "lookup", str(template), "--phone", "5503302"),
            cwd=REPO_ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert arrived.wait(20), "the lookup never reached the server"
            time.sleep(0.3)  # both workers are waiting for their answers now
            sent_before = len(crm.requests)
            os.kill(process.pid, signal.SIGINT)
            started = time.monotonic()
            process.wait(timeout=10)
            elapsed = time.monotonic() - started
            time.sleep(1.0)
            sent_after = len(crm.requests)
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
    assert process.returncode == 130
    assert elapsed < 1.0
    assert sent_before == 2  # MaxConcurrentRequest="2"
    assert sent_after == sent_before
