"""``validate --responses DIR``: recordings read into plain answers lint judges (CT708).

The recordings are the files ``crmtpl run ... --record DIR`` writes; each exchange names
its ``scenario/request``, which is how an answer finds its request. Templates with test
files (``*.test.toml``) in a folder being validated get their recordings judged too.
Lint never reads recordings itself: it receives :class:`~crmtpl.lint.answers.RecordedAnswer`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from crmtpl import gjson
from crmtpl.choices import TEST_FILE_PATTERN
from crmtpl.errors import UsageError
from crmtpl.lint import LintInput, LintReport, lint_source
from crmtpl.lint.answers import RecordedAnswer

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription


def answers_in_folder(folder: Path) -> list[RecordedAnswer]:
    """Every successful JSON answer recorded under ``folder`` (files that are not
    recordings are passed over)."""
    from crmtpl.recording.cassette import from_file_text  # only when there are recordings

    found = []
    for file in sorted(p for p in folder.rglob("*.json") if p.is_file()):
        try:
            exchange = from_file_text(file.read_text(encoding="utf-8"), str(file))
        except (UsageError, OSError, UnicodeDecodeError):
            continue
        scenario, _, request = exchange.name.partition("/")
        body = exchange.response.body or ""
        if request and 200 <= exchange.status < 300 and body.strip() and gjson.valid(body):
            found.append(RecordedAnswer(scenario, request, body, str(file)))
    return found


def requested_answers(folder: Path) -> list[RecordedAnswer]:
    """The answers of ``--responses DIR``; a usage error when it holds none."""
    if not folder.is_dir():
        raise UsageError(
            f"--responses {folder}: not a folder",
            hint="give the folder that crmtpl run lookup TEMPLATE ... --record DIR wrote",
        )
    answers = answers_in_folder(folder)
    if not answers:
        raise UsageError(
            f"--responses {folder}: no recorded JSON answers in it",
            hint="record some with crmtpl run lookup TEMPLATE ... --record DIR",
        )
    return answers


def answers_of_test_files(paths: Sequence[str]) -> dict[Path, list[RecordedAnswer]]:
    """For each template a test file under the folders in ``paths`` names, the answers of
    its recording (a test file that cannot be read is ``crmtpl test``'s to report)."""
    folders = [Path(argument) for argument in paths if Path(argument).is_dir()]
    test_files = sorted(f for folder in folders for f in folder.rglob(TEST_FILE_PATTERN))
    if not test_files:
        return {}  # the common case: no test files, so the test machinery never loads
    from crmtpl.testing.spec import TestFileError, load_spec

    by_template: dict[Path, list[RecordedAnswer]] = defaultdict(list)
    for test_file in test_files:
        try:
            spec = load_spec(test_file)
        except TestFileError:
            continue
        if spec.recording.is_dir():
            by_template[spec.template].extend(answers_in_folder(spec.recording))
    return dict(by_template)


def judge_outputs(
    report: LintReport,
    inputs: Sequence[LintInput],
    enabled: frozenset[str],
    *,
    given: Sequence[RecordedAnswer],
    paths: Sequence[str],
    api: ApiDescription | None = None,
) -> LintReport:
    """The report with each template that has recorded answers linted again with them."""
    of_tests = answers_of_test_files(paths)
    if not given and not of_tests:
        return report
    files = list(report.files)
    for index, (lint_input, result) in enumerate(zip(inputs, report.files, strict=True)):
        if lint_input.path is None or not result.loaded:
            continue
        answers = [*given, *of_tests.get(lint_input.path.resolve(), [])]
        if answers:
            files[index] = lint_source(
                lint_input.path,
                display_name=result.path,
                enabled=enabled,
                answers=answers,
                api=api,
            )
    return replace(report, files=files)
