"""Running the sandbox as a process: state file, background start, stop, status, signals.

A serving sandbox records itself in ``sandbox.json`` in its data directory (pid, port, URL)
and removes the file when it stops. A sandbox counts as running only if that pid is alive
*and* its ``/health`` answer carries the same pid, so a stale file (after a crash or a
reboot) is recognised and ignored.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from crmtpl.errors import NetworkError
from crmtpl.sandbox.database import storage_error
from crmtpl.sandbox.server import PortInUseError, SandboxServer
from crmtpl.sandbox.settings import HOST, INSTANCE_HEADER, SERVICE_NAME, default_data_dir

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox process that answers."""

    pid: int
    port: int
    url: str
    data_dir: str
    token_ttl: int
    instance: str = ""
    """The sandbox's instance secret: ``/health`` shows its pid only to who presents it."""

    @property
    def log_file(self) -> Path:
        """Where a background sandbox writes its output."""
        return Path(self.data_dir) / LOG_FILE


def find_running(data_dir: Path) -> RunningSandbox | None:
    """The sandbox serving ``data_dir``, or None (a stale state file is removed)."""
    state_path = data_dir / STATE_FILE
    try:
        state = RunningSandbox(**json.loads(state_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if _pid_alive(state.pid) and _health_pid(state.url, state.instance) == state.pid:
        return state
    with contextlib.suppress(OSError):
        state_path.unlink()
    return None


@contextlib.contextmanager
def registered(server: SandboxServer) -> Iterator[RunningSandbox]:
    """Record a started server in its data directory's state file while the block runs."""
    state = RunningSandbox(
        pid=os.getpid(),
        port=server.port,
        url=server.url,
        data_dir=str(server.data_dir),
        token_ttl=server.token_ttl,
        instance=server.instance_id,
    )
    state_path = server.data_dir / STATE_FILE
    scratch = state_path.with_suffix(".json.tmp")
    try:
        # Owner-only: the file holds the instance secret.
        descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(json.dumps(asdict(state), indent=2) + "\n")
        os.replace(scratch, state_path)
    except OSError as problem:
        raise storage_error(state_path, problem) from None
    try:
        yield state
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(state_path.read_text(encoding="utf-8")).get("pid") == state.pid:
                state_path.unlink()


@contextlib.contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """An event that Ctrl-C, SIGTERM or SIGHUP set while the block runs (main thread only).

    SIGINT gets a handler too, instead of KeyboardInterrupt: a shell starts background jobs
    with SIGINT ignored, and an interrupt that lands between two statements must not skip
    the clean stop.
    """
    stop = threading.Event()
    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):
        signals.append(signal.SIGHUP)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in signals}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def wait_for(stop: threading.Event) -> None:
    """Block until ``stop`` is set, waking up regularly so that signals are handled."""
    while not stop.wait(0.5):
        pass


def start_background(
    port: int, data_dir: Path, token_ttl: int, *, timeout: float = 20.0
) -> tuple[RunningSandbox, bool]:
    """Start a detached sandbox and wait until it answers.

    Returns the sandbox and whether it was already running (then nothing is started).
    Raises :class:`PortInUseError` or :class:`NetworkError` when it cannot start.
    """
    data_dir = data_dir.resolve()
    existing = find_running(data_dir)
    if existing is not None:
        return existing, True
    if port:
        _ensure_port_free(port, data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / LOG_FILE
    command = [
        sys.executable,
        "-m",
        "crmtpl",
        "--color",
        "never",
        "sandbox",
        "--port",
        str(port),
        "--data",
        str(data_dir),
        "--token-ttl",
        str(token_ttl),
    ]
    with log_path.open("ab") as log:
        log.write(f"\n== {time.strftime('%Y-%m-%d %H:%M:%S')} starting\n".encode())
        log.flush()
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise NetworkError(
                f"the background sandbox exited at once (code {child.returncode})",
                hint=f"its output is in {log_path}:\n{_tail(log_path)}",
            )
        running = find_running(data_dir)
        if running is not None and running.pid == child.pid:
            return running, False
        time.sleep(0.1)
    child.kill()
    child.wait()
    raise NetworkError(
        f"the background sandbox did not answer within {timeout:.0f} s",
        hint=f"its output is in {log_path}",
    )


def stop_running(data_dir: Path, *, timeout: float = 10.0) -> RunningSandbox | None:
    """Stop the sandbox serving ``data_dir`` (SIGTERM, then SIGKILL); None if none ran."""
    running = find_running(data_dir.resolve())
    if running is None:
        return None
    os.kill(running.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(running.pid):
            return running
        time.sleep(0.05)
    os.kill(running.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    with contextlib.suppress(OSError):
        (Path(running.data_dir) / STATE_FILE).unlink()
    return running


def port_in_use_error(port: int, *data_dirs: Path) -> PortInUseError:
    """The error for a busy port, naming the sandbox that holds it if one does.

    The sandbox's pid and data directory are named when one of ``data_dirs`` (and the
    default one) holds the state file of the sandbox on that port; ``/health`` does not
    tell strangers.
    """
    for data_dir in (*data_dirs, default_data_dir()):
        running = find_running(data_dir.expanduser().resolve())
        if running is not None and running.port == port:
            return PortInUseError(
                f"port {port} on {HOST} is already in use by another crmtpl sandbox"
                f" (pid {running.pid}, data {running.data_dir})",
                hint=f"use that one, stop it with: crmtpl sandbox stop --data"
                f" {running.data_dir}, or pick another port with --port P; the example"
                " templates then need crmtpl run lookup --var sandbox_url=http://127.0.0.1:P",
            )
    if _health(f"http://{HOST}:{port}") is not None:
        return PortInUseError(
            f"port {port} on {HOST} is already in use by another crmtpl sandbox",
            hint="stop it with `crmtpl sandbox stop --data DIR` (DIR: its data directory),"
            " or pick another port with --port P; the example templates then need"
            " crmtpl run lookup --var sandbox_url=http://127.0.0.1:P",
        )
    return PortInUseError(
        f"port {port} on {HOST} is already in use",
        hint="stop what uses it, or pick another port with --port P; the example templates"
        " then need crmtpl run lookup --var sandbox_url=http://127.0.0.1:P",
    )


def _ensure_port_free(port: int, data_dir: Path) -> None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))
    except OSError as problem:
        if problem.errno == errno.EADDRINUSE:
            raise port_in_use_error(port, data_dir) from None
        raise NetworkError(f"cannot listen on {HOST}:{port}: {problem.strerror}") from None
    finally:
        probe.close()


def _pid_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        # Reap it if it is our own finished child, so that it does not linger as a zombie.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _health(url: str, instance: str = "") -> dict[str, object] | None:
    """The ``/health`` answer of a crmtpl sandbox at ``url``, or None.

    With the ``instance`` secret from the state file, the answer carries pid and data dir.
    """
    if not url.startswith(f"http://{HOST}:"):
        return None
    headers = {INSTANCE_HEADER: instance} if instance else {}
    request = urllib.request.Request(f"{url}/health", headers=headers)  # noqa: S310 - loopback URL checked above
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=2) as answer:
            health = json.loads(answer.read())
    except (OSError, ValueError):
        return None
    if not isinstance(health, dict) or health.get("service") != SERVICE_NAME:
        return None
    return health


def _health_pid(url: str, instance: str) -> int | None:
    health = _health(url, instance) if instance else None
    pid = None if health is None else health.get("pid")
    return pid if isinstance(pid, int) else None


def _tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
