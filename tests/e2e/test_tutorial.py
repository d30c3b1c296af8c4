"""docs/tutorial.md works as written: each checked command, run against the sandbox.

Every ``console`` block of the tutorial that is not marked ``not checked`` is replayed in
page order (later steps use the key stored by ``crmtpl auth set`` earlier), through a
shell, as a reader types it (see ``tests/e2e/transcripts.py``). Each command must end with
the pasted exit code and print every pasted output line. Credentials go to a temporary
config directory and the keyring is switched off, so the run never touches the
developer's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.sandbox import Sandbox
from tests.e2e.transcripts import console_transcripts, replay, shell_env
from tests.support import REPO_ROOT

TUTORIAL = REPO_ROOT / "docs" / "tutorial.md"


def test_the_tutorial_checks_commands_of_every_step() -> None:
    commands = console_transcripts(TUTORIAL)
    assert len(commands) >= 30
    for verb in ("validate", "render", "run", "auth set", "auth status", "auth logout"):
        assert any(f"crmtpl {verb} " in c.command for c in commands), verb
    not_crmtpl = [c.command for c in commands if "crmtpl " not in c.command]
    assert not_crmtpl == []


def test_every_checked_command_gives_the_pasted_exit_code_and_lines(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    problems = replay(console_transcripts(TUTORIAL), shell_env(tmp_path))
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
