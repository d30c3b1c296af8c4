"""The worker pool gives the report the in-process run gives, in the same order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmtpl.lint import runner
from crmtpl.lint.runner import expand_inputs, lint_inputs

REPO = Path(__file__).resolve().parents[3]


def test_the_pool_and_the_process_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sorted((REPO / "tests" / "fixtures" / "templates").rglob("*.xml"))[:12]
    assert len(sources) >= 6
    for number, source in enumerate(sources):
        shutil.copy(source, tmp_path / f"{number:02d}-{source.name}")
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 4)  # a pool for this small set
    inputs = expand_inputs([str(tmp_path)])
    seen: list[str] = []
    pooled = lint_inputs(inputs, jobs=2, progress=lambda result: seen.append(result.path))
    alone = lint_inputs(inputs, jobs=1)
    assert [r.path for r in pooled.files] == [r.path for r in alone.files]
    assert [r.diagnostics for r in pooled.files] == [r.diagnostics for r in alone.files]
    assert sorted(seen) == sorted(r.path for r in alone.files)  # progress once per file
    assert pooled.exit_code == alone.exit_code
