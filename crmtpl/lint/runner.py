"""Lint many files: expand paths, directories and globs, run in parallel when it pays.

Small runs stay in this process (starting workers costs more than it saves); from
:data:`PARALLEL_THRESHOLD` files on, a process pool with one worker per core does the work.
Results keep the order of the expanded inputs. An API description (``validate --openapi``)
reaches each worker once, when it starts (inherited on fork, pickled once per worker
otherwise), never with each file.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from crmtpl.errors import UsageError
from crmtpl.lint.checker import FileResult, lint_source
from crmtpl.lint.report import LintReport

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from crmtpl.openapi.description import ApiDescription

#: From this many files on, a process pool is used (when there is more than one core).
PARALLEL_THRESHOLD = 128
_GLOB_CHARACTERS = frozenset("*?[")
STDIN = "-"


@dataclass(frozen=True)
class LintInput:
    """One template to lint: a file, or bytes read from stdin."""

    display_name: str
    path: Path | None = None
    data: bytes | None = None


def _excluded(path: Path, patterns: Sequence[str]) -> bool:
    text = path.as_posix()
    return any(fnmatch(text, pattern) or fnmatch(path.name, pattern) for pattern in patterns)


def expand_inputs(
    arguments: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    read_stdin: Callable[[], bytes] | None = None,
) -> list[LintInput]:
    """Turn command-line paths into inputs: files as given, directories walked for
    ``*.xml`` (sorted), glob patterns expanded, ``-`` read from stdin (once).

    A path that does not exist and matches nothing is a usage error. ``exclude`` patterns
    skip files found by walking directories or expanding globs, never files named exactly.
    """
    inputs: list[LintInput] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            inputs.append(LintInput(str(path), path=path))

    for argument in arguments:
        if argument == STDIN:
            if STDIN in seen:
                continue
            seen.add(STDIN)
            reader = read_stdin or sys.stdin.buffer.read
            inputs.append(LintInput("<stdin>", data=reader()))
            continue
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.xml") if p.is_file())
            for file in found:
                if not _excluded(file, exclude):
                    add(file)
        elif path.exists() or path.is_symlink():
            add(path)
        elif _GLOB_CHARACTERS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                raise UsageError(f"{argument!r} matches no file")
            for file in files:
                if not _excluded(file, exclude):
                    add(file)
        else:
            raise UsageError(f"{argument}: no such file or directory")
    return inputs


#: The API description of the run, in a pool's worker (set once by :func:`_start_worker`).
_worker_api: ApiDescription | None = None


def _lint_one(
    item: LintInput, enabled: frozenset[str] | None, api: ApiDescription | None = None
) -> FileResult:
    source: Path | bytes = item.data if item.data is not None else (item.path or Path())
    return lint_source(source, display_name=item.display_name, enabled=enabled, api=api)


def _start_worker(api: ApiDescription | None) -> None:
    """Pool initializer: keep the run's API description for every file of this worker."""
    global _worker_api  # one value per worker process, set before its first file
    _worker_api = api


def _lint_path(arguments: tuple[str, str, frozenset[str] | None]) -> FileResult:
    """Worker entry point (module-level so a process pool can pickle it)."""
    path, display_name, enabled = arguments
    return lint_source(Path(path), display_name=display_name, enabled=enabled, api=_worker_api)


def default_jobs() -> int:
    """Workers to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def lint_inputs(
    inputs: Sequence[LintInput],
    *,
    enabled: frozenset[str] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    progress: Callable[[FileResult], None] | None = None,
    api: ApiDescription | None = None,
) -> LintReport:
    """Lint every input; ``jobs`` None picks in-process or a pool by the number of files.
    ``api``: the CRM's API description every template's requests are checked against."""
    workers = default_jobs() if jobs is None or jobs <= 0 else jobs
    files = [item for item in inputs if item.path is not None]
    use_pool = workers > 1 and len(files) >= PARALLEL_THRESHOLD
    results: list[FileResult] = []
    if not use_pool:
        for item in inputs:
            results.append(_lint_one(item, enabled, api))
            if progress is not None:
                progress(results[-1])
        return LintReport(results, strict=strict)
    by_index: dict[int, FileResult] = {}
    for index, item in enumerate(inputs):
        if item.path is None:
            by_index[index] = _lint_one(item, enabled, api)
    from concurrent.futures import ProcessPoolExecutor  # the pool's machinery: large sets only
    from concurrent.futures.process import BrokenProcessPool

    jobs_list = [
        (index, (str(item.path), item.display_name, enabled))
        for index, item in enumerate(inputs)
        if item.path is not None
    ]
    # The first file is linted here: it fills this process's caches (catalogue, rule
    # table, compiled expressions), which forked workers then start with instead of each
    # filling its own.
    first_index, _first_job = jobs_list.pop(0)
    by_index[first_index] = _lint_one(inputs[first_index], enabled, api)
    if progress is not None:
        progress(by_index[first_index])
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(api,),
        ) as pool:
            chunk = max(1, min(32, len(jobs_list) // (workers * 4) or 1))
            outcomes = pool.map(_lint_path, [job for _index, job in jobs_list], chunksize=chunk)
            for (index, _job), result in zip(jobs_list, outcomes, strict=True):
                by_index[index] = result
                if progress is not None:
                    progress(result)
    except (BrokenProcessPool, OSError):
        # No pool to be had (a sandbox, a dead worker): finish the rest in this process.
        for index, item in enumerate(inputs):
            if index not in by_index:
                by_index[index] = _lint_one(item, enabled, api)
                if progress is not None:
                    progress(by_index[index])
    return LintReport([by_index[i] for i in range(len(inputs))], strict=strict)


def _pool_context() -> BaseContext:
    """fork when this process runs one thread (workers start warm: modules imported,
    caches filled); forkserver when it runs more (forking a threaded process can
    deadlock); spawn where fork does not exist."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crmtpl.lint.checker"])
        return context
    return multiprocessing.get_context("spawn")


def lint_paths(
    arguments: Iterable[str], *, enabled: frozenset[str] | None = None, strict: bool = False
) -> LintReport:
    """Expand command-line style paths and lint them (a convenience for scripts)."""
    return lint_inputs(expand_inputs(list(arguments)), enabled=enabled, strict=strict)
