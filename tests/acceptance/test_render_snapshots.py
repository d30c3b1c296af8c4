"""``crmtpl render --format json`` of every scenario of every example, against snapshots.

The snapshots in tests/snapshots/render/ were reviewed by hand: each shows the requests the
PBX would send (URL with the number encoded, headers in the PBX's order, the JSON body
after every ``{{...}}`` is filled in). After an intended change, regenerate them with
``CRMTPL_UPDATE_SNAPSHOTS=1 python -m pytest tests/acceptance/test_render_snapshots.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.template import load_template
from crmtpl.variables import custom_field_default
from tests.support import REPO_ROOT, SPEC_EXAMPLES_DIR, require

SNAPSHOTS = REPO_ROOT / "tests" / "snapshots" / "render"
#: Fixed values for custom fields, so snapshots do not depend on the machine's keyring; a
#: field with a template default (the sandbox examples' sandbox_url) renders with it.
FIELD_VALUE = "value-of-{name}"


def _templates() -> list[Path]:
    found = sorted((REPO_ROOT / "examples").glob("*.xml"))
    found += sorted((REPO_ROOT / "crmtpl" / "gallery").glob("*.xml"))
    found += sorted(SPEC_EXAMPLES_DIR.glob("*.xml"))
    return found


def _cases() -> list[tuple[Path, str]]:
    cases = []
    for path in _templates():
        model = load_template(path).model
        for scenario in model.scenarios:
            if scenario.id and scenario.id != "Common":
                cases.append((path, scenario.id))
    return cases


def _render_json(
    path: Path, scenario: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    model = load_template(path).model
    assignments: list[str] = []
    for field in model.custom_fields:
        if field.name and custom_field_default(field.name, field.editor, field.value) is None:
            assignments += ["--var", f"{field.name}={FIELD_VALUE.format(name=field.name)}"]
    code = run(["render", scenario, str(path), "--format", "json", *assignments])
    captured = capsys.readouterr()
    document: dict[str, object] = json.loads(captured.out)
    document["exit_code"] = code
    return document


@pytest.mark.parametrize(("path", "scenario"), _cases(), ids=[f"{p.stem}-{s}" for p, s in _cases()])
def test_render_matches_the_reviewed_snapshot(
    path: Path, scenario: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for name in list(os.environ):
        if name.startswith("CRMTPL_VAR_"):
            monkeypatch.delenv(name)
    document = _render_json(path, scenario, capsys)
    snapshot = SNAPSHOTS / f"{path.stem}__{scenario}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("CRMTPL_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    require(snapshot, "the reviewed snapshot (CRMTPL_UPDATE_SNAPSHOTS=1 writes it)")
    assert text == snapshot.read_text(encoding="utf-8")


def test_every_snapshot_belongs_to_a_case() -> None:
    expected = {f"{p.stem}__{s}.json" for p, s in _cases()}
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.json") if p.name not in expected)
    assert stale == []
