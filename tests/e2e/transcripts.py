"""Console transcripts in the docs: the commands a page shows, with their pasted output.

A page's ```` ```console ```` block holds one or more commands, each a line starting with
``$ `` (continued by a trailing backslash), followed by the output that was pasted from a
real run and, when the command failed, a last line ``(exit code N)``. A block preceded by
an HTML comment ``<!-- not checked: REASON -->`` is left out, so a page says visibly which
of its transcripts are not replayed (a pid, a command that is not crmtpl's). A block may be
indented (inside a list item); its fence's indentation is removed from its lines.

``replay`` runs the commands through bash as a reader types them, with ``crmtpl`` on the
PATH running this checkout, and reports every command whose exit code differs or that did
not print a pasted line. Timings and response sizes may differ; the temporary config
directory is shown as ``~/.config/crmtpl``, the way the pages write it. The commands run
against the test session's own sandbox on a free port (``CRMTPL_VAR_sandbox_url`` in the
environment, see ``tests/e2e/sandbox.py``); its URL in the output is shown as the default
http://127.0.0.1:8765, which is what a reader who started ``crmtpl sandbox`` sees.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.sandbox import as_documented, cli_env
from tests.support import REPO_ROOT

_FENCE_OPEN = "```console"
_FENCE_CLOSE = "```"
_NOT_CHECKED = re.compile(r"<!--\s*not checked\b")
_EXIT_CODE = re.compile(r"^\(exit code (\d+)\)$")
_TIMING = re.compile(r"\b\d+(?:\.\d+)? ms\b")
_SIZE = re.compile(r"\b\d+ bytes\b")
#: How the pages write the config directory that crmtpl prints in full.
SHOWN_CONFIG_DIR = "~/.config/crmtpl"


@dataclass(frozen=True)
class Transcript:
    """One command of a page and what its run printed there."""

    line: int
    """1-based line of the ``$`` in the page, for messages."""
    command: str
    """The shell command line, continuation lines joined."""
    output: tuple[str, ...]
    """The pasted output lines, without the ``(exit code N)`` line."""
    exit_code: int


def console_transcripts(page: Path) -> list[Transcript]:
    """Every command of every checked console block of ``page``, in page order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Transcript] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != _FENCE_OPEN:
            index += 1
            continue
        indent = len(lines[index]) - len(lines[index].lstrip())
        start = index + 1
        end = start
        while end < len(lines) and lines[end].strip() != _FENCE_CLOSE:
            end += 1
        if not _marked_not_checked(lines, index):
            block = [line[indent:] for line in lines[start:end]]
            found.extend(_block_transcripts(block, first_line=start + 1))
        index = end + 1
    return found


def _marked_not_checked(lines: list[str], fence: int) -> bool:
    before = fence - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    return before >= 0 and bool(_NOT_CHECKED.search(lines[before]))


def _block_transcripts(block: list[str], first_line: int) -> list[Transcript]:
    found: list[Transcript] = []
    index = 0
    while index < len(block):
        if not block[index].startswith("$ "):
            raise ValueError(f"line {first_line + index}: output before any '$ ' command")
        line = first_line + index
        parts = [block[index][2:]]
        while parts[-1].endswith("\\") and index + 1 < len(block):
            parts[-1] = parts[-1][:-1]
            index += 1
            parts.append(block[index].strip())
        index += 1
        output: list[str] = []
        while index < len(block) and not block[index].startswith("$ "):
            output.append(block[index])
            index += 1
        exit_code = 0
        if output and (match := _EXIT_CODE.match(output[-1])):
            exit_code = int(match.group(1))
            output.pop()
        found.append(Transcript(line, " ".join(p.strip() for p in parts), tuple(output), exit_code))
    return found


def comparable(line: str) -> str:
    """A line as compared: trailing blanks dropped, timings and sizes made neutral."""
    return _SIZE.sub("N bytes", _TIMING.sub("N ms", line.rstrip()))


def missing_lines(expected: tuple[str, ...], printed: str) -> list[str]:
    """The non-blank expected lines that ``printed`` does not contain (order aside)."""
    actual = {comparable(line) for line in printed.splitlines()}
    return [line for line in expected if line.strip() and comparable(line) not in actual]


def shell_env(tmp_path: Path) -> dict[str, str]:
    """The environment of replayed commands: this checkout's crmtpl, no keyring, own config."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "crmtpl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crmtpl "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return cli_env(
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        COLUMNS="100",
        PYTHONUNBUFFERED="1",
        CRMTPL_CONFIG_DIR=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )


def replay(transcripts: list[Transcript], env: dict[str, str]) -> list[str]:
    """Run each command in order from the repository root; describe each that differs."""
    bash = shutil.which("bash")
    if bash is None:
        return ["bash is not installed"]
    problems: list[str] = []
    for step in transcripts:
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
        printed = as_documented(ran.stdout.replace(env["CRMTPL_CONFIG_DIR"], SHOWN_CONFIG_DIR))
        if ran.returncode != step.exit_code:
            problems.append(
                f"line {step.line}: $ {step.command}\n"
                f"exit code {ran.returncode}, the page says {step.exit_code}\n{printed}"
            )
        elif missing := missing_lines(step.output, printed):
            problems.append(
                f"line {step.line}: $ {step.command}\nnot printed:\n"
                + "\n".join(missing)
                + f"\n--- printed:\n{printed}"
            )
    return problems
