"""Every gallery template is clean against the vendor description its catalogue entry names.

``crmtpl validate FILE --openapi SPEC --strict --format json`` through the real CLI finds
no CT971-CT979 and no error or warning at all for each entry of
``crmtpl/gallery/catalog.toml`` with an ``openapi`` key. So that "clean" means the API
checks judged something, each request of the template is also shown to call an operation
of the description (a request whose path cannot be known would be skipped silently).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.gallery import GalleryEntry, gallery_entries
from crmtpl.lint.checks.api_operations import request_operation
from crmtpl.lint.context import LintContext
from crmtpl.lint.templated import templated_values
from crmtpl.openapi.description import load_description
from crmtpl.template.loader import load_template
from tests.support import REPO_ROOT

SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"
WITH_SPECS = [entry for entry in gallery_entries() if entry.openapi]


def spec_of(entry: GalleryEntry) -> Path:
    assert entry.openapi is not None
    return SPECS / entry.openapi


@pytest.fixture(autouse=True)
def _outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder, so no .crmtpl.toml or [tool.crmtpl] changes the rules."""
    monkeypatch.chdir(tmp_path)


def test_the_entries_with_a_description_name_existing_specs() -> None:
    assert len(WITH_SPECS) >= 11
    for entry in WITH_SPECS:
        assert spec_of(entry).exists(), entry.name
        assert entry.path.is_file(), entry.name


@pytest.mark.parametrize("entry", WITH_SPECS, ids=lambda entry: entry.name)
def test_the_template_validates_strictly_clean_against_its_description(
    entry: GalleryEntry, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(entry.path), "--openapi", str(spec_of(entry)), "--strict", "--format", "json"]
    code = run(["validate", *argv])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    found = [
        (d["rule"], d["severity"], d["line"], d["column"], d["message"])
        for file in report["files"]
        for d in file["diagnostics"]
    ]
    assert [d for d in found if d[0].startswith("CT97")] == []
    assert [d for d in found if d[1] in ("error", "warning")] == []
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0
    assert code == ExitCode.OK, captured.err


@pytest.mark.parametrize("entry", WITH_SPECS, ids=lambda entry: entry.name)
def test_every_request_of_the_template_calls_an_operation_of_the_description(
    entry: GalleryEntry,
) -> None:
    loaded = load_template(entry.path.read_bytes(), display_name=entry.file)
    ctx = LintContext(loaded, api=load_description(spec_of(entry)))
    requests = [
        value.request
        for value in templated_values(ctx)
        if value.kind == "url" and value.request is not None and value.owner is value.request
    ]
    assert requests, "a gallery template sends requests"
    unmatched = [request.name for request in requests if request_operation(ctx, request) is None]
    assert unmatched == []
