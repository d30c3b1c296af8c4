"""``crmtpl validate --fix [--diff]``: apply the safe fixes to files, or show them.

Kept apart from ``validate.py`` so that command only gains two options and one call.
"""

from __future__ import annotations

import difflib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmtpl.lint import LintInput


def fix_files(inputs: list[LintInput], enabled: frozenset[str], *, diff: bool) -> int:
    """Fix every file of ``inputs`` in place (``diff``: print a unified diff instead and
    write nothing). Returns how many files were (or would be) changed."""
    from crmtpl.cli.messages import notice, warning
    from crmtpl.errors import UsageError
    from crmtpl.lint.fixes import fix_text

    changed = 0
    for item in inputs:
        if item.path is None:
            warning(f"{item.display_name}: standard input is linted but not fixed")
            continue
        try:
            data = item.path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the report names why the file cannot be read
        outcome = fix_text(text, display_name=item.display_name, enabled=enabled)
        if not outcome.changed:
            continue
        changed += 1
        if diff:
            sys.stdout.write(_unified_diff(text, outcome.text, item.display_name))
            continue
        try:
            item.path.write_bytes(outcome.text.encode("utf-8"))
        except OSError as error:
            raise UsageError(f"cannot write {item.path}: {error.strerror or error}") from None
        count = len(outcome.applied)
        notice(f"{item.display_name}: fixed {count} finding{'s' if count != 1 else ''}")
    sys.stdout.flush()
    return changed


def _unified_diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
