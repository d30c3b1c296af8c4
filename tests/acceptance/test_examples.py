"""Every template in examples/ and in the gallery (crmtpl/gallery/) is one a user could upload
as it is.

Each loads, ``crmtpl validate --strict`` finds neither errors nor warnings in it (a
deliberate exception is suppressed in the file with its reason next to it), and
examples/README.md lists it. Running the examples against real servers is the job of
tests/e2e/test_examples_*.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.template import load_template
from tests.support import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
GALLERY = REPO_ROOT / "crmtpl" / "gallery"
TEMPLATES = sorted(EXAMPLES.glob("*.xml")) + sorted(GALLERY.glob("*.xml"))


def test_there_are_examples() -> None:
    assert len(TEMPLATES) >= 8


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_example_loads_with_an_auth_method_and_a_contact_search(path: Path) -> None:
    model = load_template(path).model
    assert model.provider in ("crm", "helpdesk")
    assert model.auth_method in ("none", "basic", "oauth2", "bearertoken")
    assert model.scenario("SyncContactAuto") is not None
    assert model.contact_types


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_example_validates_strictly(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["validate", str(path), "--strict", "--format", "json", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    problems = [
        f"{d['line']}:{d['column']} {d['severity']} {d['rule']} {d['message']}"
        for file in report["files"]
        for d in file["diagnostics"]
        if d["severity"] in ("error", "warning")
    ]
    assert problems == []
    assert report["summary"]["errors"] == report["summary"]["warnings"] == 0
    assert code == 0


def test_the_readme_lists_every_example_and_the_gallery_page_every_gallery_template() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    page = (REPO_ROOT / "docs" / "gallery.md").read_text(encoding="utf-8")
    missing = [p.name for p in EXAMPLES.glob("*.xml") if f"`{p.name}`" not in readme]
    missing += [p.name for p in GALLERY.glob("*.xml") if f"`{p.name}`" not in page]
    assert missing == []
