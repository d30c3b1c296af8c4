"""docs/tutorial.md works as written: each checked command, run against the sandbox.

Every ``console`` block of the tutorial that is not marked ``not checked`` is replayed in
page order (later steps use the key stored by ``crmtpl auth set`` earlier), through a
shell, as a reader types it, with ``crmtpl`` on the PATH running this checkout. Each
command must end with the pasted exit code and print every pasted output line; timings and
response sizes may differ. Credentials go to a temporary config directory and the keyring
is switched off, so the run never touches the developer's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.sandbox import Sandbox, cli_env
from tests.e2e.transcripts import Transcript, console_transcripts, missing_lines
from tests.shared import REPO_ROOT

TUTORIAL = REPO_ROOT / "docs" / "tutorial.md"
#: How the tutorial writes the config directory that crmtpl prints in full.
SHOWN_CONFIG_DIR = "~/.config/crmtpl"


def checked_commands() -> list[Transcript]:
    return console_transcripts(TUTORIAL)


def test_the_tutorial_checks_commands_of_every_step() -> None:
    commands = checked_commands()
    assert len(commands) >= 30
    for verb in ("validate", "render", "run", "auth set", "auth status", "auth logout"):
        assert any(f"crmtpl {verb} " in c.command for c in commands), verb
    not_crmtpl = [c.command for c in commands if "crmtpl " not in c.command]
    assert not_crmtpl == []


def crmtpl_on_path(folder: Path) -> str:
    """A ``crmtpl`` command in ``folder`` that runs this checkout with this interpreter."""
    shim = folder / "crmtpl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crmtpl "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


def test_every_checked_command_gives_the_pasted_exit_code_and_lines(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    bash = shutil.which("bash")
    assert bash is not None
    config = tmp_path / "config"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = cli_env(
        PATH=crmtpl_on_path(bin_dir),
        COLUMNS="100",
        PYTHONUNBUFFERED="1",
        CRMTPL_CONFIG_DIR=str(config),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    problems: list[str] = []
    for step in checked_commands():
        ran = subprocess.run(
            [bash, "-c", step.command],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            env=env,
            cwd=REPO_ROOT,
            check=False,
        )
        printed = ran.stdout.replace(str(config), SHOWN_CONFIG_DIR)
        if ran.returncode != step.exit_code:
            problems.append(
                f"line {step.line}: $ {step.command}\n"
                f"exit code {ran.returncode}, the tutorial says {step.exit_code}\n{printed}"
            )
        elif missing := missing_lines(step.output, printed):
            problems.append(
                f"line {step.line}: $ {step.command}\nnot printed:\n"
                + "\n".join(missing)
                + f"\n--- printed:\n{printed}"
            )
    assert problems == [], "\n\n".join(problems)
    assert_step_6_wrote_the_journal_entry(sandbox)


def assert_step_6_wrote_the_journal_entry(sandbox: Sandbox) -> None:
    """What ``run call-journal`` wrote is listed for Lukas Müller, as the tutorial shows."""
    entries = sandbox.get("/none/api/v1/contacts/1003/calls")["data"]
    written = [
        e
        for e in entries
        if e["subject"] == "Incoming Call (00:02:05)" and e["created_via"] == "apikey"
    ]
    if not written:
        pytest.fail(f"no journal entry from the tutorial for contact 1003: {entries[:3]}")
    assert written[0]["from"] == "+4930901820"
    assert written[0]["talk_seconds"] == 125
    assert written[0]["contact"] == {"type": "contacts", "id": 1003, "name": "Lukas Müller"}
