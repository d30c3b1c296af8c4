"""The wheel a user installs works on its own: built, installed non-editable, run for real.

An editable install reads package data straight from the checkout, so a file that the wheel
forgets (the catalogue, the rule table, the sandbox's pages) goes unnoticed. This test copies
the files git knows into an empty folder, builds the wheel there, installs it into a fresh
virtual environment (no editable link, nothing of the checkout on ``sys.path``), starts that
installation's sandbox on a free port and looks a caller up with it, as the README does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO_ROOT


def _run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def _clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH (the checkout must not leak in), its own HOME, no keyring, plain output."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
    )
    return env


def _source_copy(target: Path) -> Path:
    """The files a fresh clone has (tracked, or new and not ignored), copied into ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """(the fresh venv's ``crmtpl`` executable, the environment to run it in)."""
    root = tmp_path_factory.mktemp("wheel")
    env = _clean_env(root / "home")
    source = _source_copy(root / "source")
    wheels = root / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), "."],
        cwd=source,
        env=env,
    )
    (wheel,) = wheels.glob("crmtpl-*.whl")
    target = root / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    _run(
        [str(target / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        cwd=root,
        env=env,
    )
    yield target / "bin" / "crmtpl", env


def test_the_wheel_holds_no_editable_link(installed: tuple[Path, dict[str, str]]) -> None:
    executable, env = installed
    where = _run(
        [str(executable.parent / "python"), "-c", "import crmtpl; print(crmtpl.__file__)"],
        cwd=executable.parent,
        env=env,
    )
    assert "site-packages" in where
    assert not where.startswith(str(REPO_ROOT))


def test_a_sandbox_lookup_runs_from_the_wheel(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    executable, env = installed
    port = _free_port()
    data = tmp_path / "sandbox"
    template = REPO_ROOT / "examples" / "sandbox.xml"
    env = env | {"CRMTPL_VAR_sandbox_url": f"http://127.0.0.1:{port}"}  # the examples' base URL
    _run(
        [str(executable), "sandbox", "--background", "--port", str(port), "--data", str(data)],
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    try:
        out = _run(
            [str(executable), "run", "lookup", str(template), "--phone", "5503302"],
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        validated = _run([str(executable), "validate", str(template)], cwd=tmp_path, env=env)
        rules = _run([str(executable), "rules"], cwd=tmp_path, env=env)
    finally:
        subprocess.run(
            [str(executable), "sandbox", "stop", "--data", str(data)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert "1 contact found for 5503302" in out
    assert "William" in out and "Smith" in out
    assert "Found 0 errors" in validated
    assert "CT" in rules
