"""Run many test files in parallel and decide the exit code."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crmtpl.choices import TEST_FILE_PATTERN
from crmtpl.errors import ExitCode, UsageError
from crmtpl.testing.execute import Mode, TestOutcome, run_test
from crmtpl.testing.spec import find_test_files

MAX_WORKERS = 4


def run_suite(paths: Sequence[Path], mode: Mode, workers: int = MAX_WORKERS) -> list[TestOutcome]:
    """Every test file under ``paths``, run in parallel, reported in file order."""
    files = find_test_files(list(paths))
    if not files:
        raise UsageError(
            f"no test files ({TEST_FILE_PATTERN}) under {', '.join(map(str, paths))}",
            hint="write one (docs/testing.md), or let crmtpl run lookup TEMPLATE ... --record DIR "
            "--write-test FILE.test.toml write it",
        )
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(files)))) as pool:
        return list(pool.map(lambda path: run_test(path, mode), files))


def exit_code(outcomes: Sequence[TestOutcome]) -> ExitCode:
    """3 when a file could not be read, else 1 when a test failed, else 0."""
    if any(o.unreadable for o in outcomes):
        return ExitCode.TEMPLATE_UNLOADABLE
    if any(not o.passed for o in outcomes):
        return ExitCode.FINDINGS
    return ExitCode.OK
