"""The templates of docs/tutorial/: each step valid for its step, each mistake found.

The tutorial's commands are replayed against the sandbox by tests/e2e/test_tutorial.py;
this checks the files themselves, without a server: step-N.xml has no errors, the last
step passes ``crmtpl validate --strict``, every deliberately broken copy is reported with
the rule the tutorial explains, and the page links every file of the folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crmtpl.cli import run
from tests.support import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "tutorial.md"
FOLDER = REPO_ROOT / "docs" / "tutorial"
STEPS = sorted(FOLDER.glob("step-[0-9].xml"))
#: The broken copies and the rules that must find them (the tutorial explains each).
MISTAKES = {
    "step-1-draft.xml": {"CT503", "CT504", "CT510", "CT825"},
    "step-3-misaligned.xml": {"CT705"},
    "step-7-quote.xml": {"CT801"},
    "step-7-urlencode.xml": {"CT802"},
    "step-7-comma.xml": {"CT661"},
}


def validate(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any]:
    code = run(["validate", str(path), "--format", "json", "--jobs", "1", *extra])
    return code, json.loads(capsys.readouterr().out)


def findings(report: Any, *severities: str) -> set[str]:
    return {
        d["rule"]
        for file in report["files"]
        for d in file["diagnostics"]
        if d["severity"] in severities
    }


def test_there_is_a_template_per_step() -> None:
    assert [p.name for p in STEPS] == [f"step-{n}.xml" for n in range(1, 7)]


@pytest.mark.parametrize("path", STEPS, ids=[p.name for p in STEPS])
def test_each_step_has_no_errors(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate(path, capsys)
    assert findings(report, "error") == set()
    assert code == 0


def test_step_1_keeps_only_the_warning_that_step_2_explains(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, report = validate(FOLDER / "step-1.xml", capsys)
    assert findings(report, "error", "warning") == {"CT825"}


def test_the_finished_template_is_clean_under_strict(capsys: pytest.CaptureFixture[str]) -> None:
    for path in STEPS[1:]:
        code, report = validate(path, capsys, "--strict")
        assert findings(report, "error", "warning") == set(), path.name
        assert code == 0


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_found_by_its_rule(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate(FOLDER / name, capsys, "--strict")
    assert findings(report, "error", "warning") == MISTAKES[name]
    assert code == 1


def test_the_page_links_every_file_of_the_folder_and_nothing_missing() -> None:
    text = PAGE.read_text(encoding="utf-8")
    linked = set(re.findall(r"\(tutorial/([^)]+)\)", text))
    used = set(re.findall(r"docs/tutorial/([\w.-]+\.(?:xml|json))", text))
    on_disk = {p.name for p in FOLDER.iterdir()}
    assert linked | used >= on_disk
    assert (linked | used) - on_disk == set()
