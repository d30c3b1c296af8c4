"""docs/ci-usage.md's console transcripts give the exit codes and output it shows.

The page promises exit codes a CI step can rely on; each checked command is replayed
(``tests/e2e/transcripts.py``), one of them against the sandbox (exit code 5 for a refused
API key).
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.sandbox import Sandbox
from tests.e2e.transcripts import console_transcripts, replay, shell_env
from tests.support import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "ci-usage.md"


def test_the_page_shows_every_exit_code_a_ci_step_relies_on() -> None:
    codes = {c.exit_code for c in console_transcripts(PAGE)}
    assert codes >= {0, 1, 2, 3, 4, 5}


def test_every_checked_command_gives_the_pasted_exit_code_and_lines(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    problems = replay(console_transcripts(PAGE), shell_env(tmp_path))
    assert problems == [], "\n\n".join(problems)
