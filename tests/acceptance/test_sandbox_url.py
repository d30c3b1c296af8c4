"""The sandbox examples' base URL is the custom field ``sandbox_url``: validate, render and
run agree on it, its template default is told, and ``--var`` or ``CRMTPL_VAR_sandbox_url``
send the requests elsewhere (issue 16). Runs the real CLI in a subprocess; nothing here
needs a sandbox (render, ``run --dry-run`` and a run to a closed port)."""

from __future__ import annotations

import socket
import subprocess
import sys

from tests.support import REPO_ROOT

SANDBOX = "examples/sandbox.xml"
NOTE = "note: sandbox_url is the template's default http://127.0.0.1:8765"


def crmtpl(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real CLI, colour off, no keyring, only the CRMTPL_VAR_ variables given."""
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            **env,
        },
        timeout=60,
        check=False,
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_validate_finds_nothing_to_say_about_sandbox_url() -> None:
    done = crmtpl("validate", SANDBOX, "examples/sandbox-basic.xml", "docs/tutorial/step-6.xml")
    assert done.returncode == 0, done.stdout
    assert "CT82" not in done.stdout and "sandbox_url" not in done.stdout


def test_render_uses_the_default_and_says_so() -> None:
    done = crmtpl("render", "lookup", SANDBOX, "--phone", "5503302")
    assert done.returncode == 0, done.stderr
    assert "GET http://127.0.0.1:8765/none/api/v1/contacts/search?phone=5503302" in done.stdout
    assert NOTE in done.stderr
    assert "--var sandbox_url=VALUE or CRMTPL_VAR_sandbox_url" in done.stderr
    assert "has no value" not in done.stderr


def test_var_and_env_point_render_and_dry_run_elsewhere_without_the_note() -> None:
    given = "sandbox_url=http://127.0.0.1:9000"
    flag = crmtpl(
        "render", "users", SANDBOX, "--var", given, CRMTPL_VAR_sandbox_url="http://127.0.0.1:9999"
    )
    assert flag.returncode == 0, flag.stderr
    assert "GET http://127.0.0.1:9000/none/api/v1/users" in flag.stdout
    assert "note: sandbox_url" not in flag.stderr
    env = crmtpl(
        "run", "users", SANDBOX, "--dry-run", CRMTPL_VAR_sandbox_url="http://127.0.0.1:9001"
    )
    assert env.returncode == 0, env.stderr
    assert "GET http://127.0.0.1:9001/none/api/v1/users" in env.stdout
    assert "note: sandbox_url" not in env.stderr
    assert "never uses" not in env.stderr  # an env variable is never an unused --var


def test_list_vars_names_the_default_as_the_source() -> None:
    done = crmtpl("render", "users", SANDBOX, "--list-vars")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("sandbox_url"))
    assert (
        " ".join(row.split()) == "sandbox_url http://127.0.0.1:8765 default (the template's Value)"
    )


def test_run_goes_where_the_variable_says_and_tells_the_default_first() -> None:
    closed = f"http://127.0.0.1:{_closed_port()}"
    done = crmtpl("-q", "run", "users", SANDBOX, "--var", f"sandbox_url={closed}")
    assert done.returncode == 4
    assert f"GET {closed}/none/api/v1/account: cannot connect" in done.stderr  # GetGlobalInfo
    assert "Traceback" not in done.stderr
    told = crmtpl("run", "users", SANDBOX, "--dry-run")
    assert told.returncode == 0 and NOTE in told.stderr
    quiet = crmtpl("-q", "run", "users", SANDBOX, "--dry-run")
    assert quiet.returncode == 0 and "note:" not in quiet.stderr
