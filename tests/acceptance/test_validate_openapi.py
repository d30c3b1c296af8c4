"""``crmtpl validate --openapi SPEC`` and the settings key ``openapi``, through the CLI.

The endpoint mistakes of ``tests/fixtures/templates/api-mistakes/`` (copies of the HubSpot,
Pipedrive and Zoho gallery templates) are caught at their place against the vendors' own
descriptions, and the gallery templates themselves are clean against them.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.gallery import gallery_entries
from tests.support import REPO_ROOT

FOLDER = REPO_ROOT / "tests" / "fixtures" / "templates" / "api-mistakes"
SPECS = REPO_ROOT / "tests" / "servers" / "prism" / "specs"
GALLERY = REPO_ROOT / "crmtpl" / "gallery"
_ROW = re.compile(
    r"^\| `(?P<folder>[^`]+)` \| (?P<source>\S+) \| `(?P<spec>[^`]+)` \| .+ \| "
    r"(?P<rule>CT\d{3}) \| (?P<line>\d+):(?P<column>\d+) \|$"
)


def _table() -> dict[str, re.Match[str]]:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    rows = [_ROW.match(line) for line in readme.splitlines()]
    return {row["folder"]: row for row in rows if row is not None}


ROWS = _table()
WITH_SPECS = [entry for entry in gallery_entries() if entry.openapi]


def _json_report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = run(["validate", "-f", "json", *argv])
    report = json.loads(capsys.readouterr().out)
    return code, [d for file in report["files"] for d in file["diagnostics"]]


def test_every_fixture_is_listed_and_each_system_has_some() -> None:
    folders = sorted(p.name for p in FOLDER.iterdir() if p.is_dir())
    assert folders == sorted(ROWS)
    sources = {row["source"] for row in ROWS.values()}
    assert sources == {"hubspot.xml", "pipedrive.xml", "zoho.xml"}
    assert len(ROWS) >= 9


@pytest.mark.parametrize("name", sorted(ROWS))
def test_an_endpoint_mistake_is_one_error_at_its_place_only_with_the_description(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    row = ROWS[name]
    template = str(FOLDER / name / "template.xml")
    code, found = _json_report(capsys, "--openapi", str(SPECS / row["spec"]), template)
    assert code == ExitCode.FINDINGS
    api = [
        (d["rule"], d["severity"], d["line"], d["column"])
        for d in found
        if d["rule"].startswith("CT97")
    ]
    assert api == [(row["rule"], "error", int(row["line"]), int(row["column"]))]
    assert [d for d in found if d["severity"] == "error" and not d["rule"].startswith("CT97")] == []
    code, without = _json_report(capsys, template)
    assert code == 0
    assert [d for d in without if d["rule"].startswith("CT97")] == []


@pytest.mark.parametrize("entry", WITH_SPECS, ids=lambda entry: entry.name)
def test_the_gallery_templates_are_clean_against_their_vendors_descriptions(
    entry: object, capsys: pytest.CaptureFixture[str]
) -> None:
    file, spec = entry.file, entry.openapi  # type: ignore[attr-defined]
    code, found = _json_report(capsys, "--openapi", str(SPECS / spec), str(GALLERY / file))
    assert code == 0
    assert [d for d in found if d["rule"].startswith("CT97")] == []


def test_the_three_examples_of_the_issue_have_descriptions() -> None:
    assert {entry.name for entry in WITH_SPECS} >= {"hubspot", "pipedrive", "zoho"}


def test_the_text_report_shows_the_place_the_rule_and_the_closest_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = FOLDER / "hubspot-path-misspelt" / "template.xml"
    code = run(["validate", "--openapi", str(SPECS / "src/hubspot"), str(template)])
    out = capsys.readouterr().out
    assert code == ExitCode.FINDINGS
    assert f"{template}:92:148: error CT971 api-operation-unknown: " in out
    assert "did you mean POST /crm/v3/objects/contacts/search?" in out


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "no such file or folder"),
        ('{"info": {}}', "is an OpenAPI or Swagger description"),
        ("paths: [", "api.yaml:"),
    ],
)
def test_a_description_that_cannot_be_read_is_a_usage_error_with_a_hint(
    tmp_path: Path, content: str | None, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / ("api.yaml" if content and content.startswith("paths") else "api.json")
    if content is not None:
        spec.write_text(content, encoding="utf-8")
    template = GALLERY / "hubspot.xml"
    code = run(["validate", "--openapi", str(spec), str(template)])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert "error: --openapi: " in err and said in err
    assert "hint: give the CRM's OpenAPI 3 or Swagger 2 description" in err
    assert "Traceback" not in err


def test_the_descriptions_unresolved_references_are_shown_as_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/crm/v3/owners": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "https://example.com/owner.json"}
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    (tmp_path / "api.json").write_text(json.dumps(document), encoding="utf-8")
    template = tmp_path / "t.xml"
    shutil.copy(FOLDER / "hubspot-owners-singular" / "template.xml", template)
    code = run(["validate", "--openapi", str(tmp_path / "api.json"), str(template)])
    captured = capsys.readouterr()
    assert code == ExitCode.FINDINGS
    assert re.search(r"note: .*api\.json: .*https://example\.com/owner\.json", captured.err)
    assert "CT971" in captured.out
    # each note names the file once, as given; then what an unresolved $ref means
    notes = captured.err.splitlines()
    assert notes[0] == (
        f"note: {tmp_path / 'api.json'}: the remote $ref https://example.com/owner.json "
        "is not followed (checks are offline)"
    )
    assert notes[-1] == (
        "note: what this $ref stands for is taken as unknown: nothing behind it is checked"
    )


def test_unresolved_references_in_a_folder_are_named_by_their_files_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "specs"
    (folder / "crm").mkdir(parents=True)
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/crm/v3/{name}": {
                "get": {
                    "responses": {
                        "200": {"$ref": f"missing.json#/{name}"},
                        "default": {"$ref": f"#/components/responses/{name}"},
                    }
                }
            }
            for name in ("owners", "calls", "deals", "tasks", "notes", "leads")
        },
    }
    (folder / "crm" / "api.json").write_text(json.dumps(document), encoding="utf-8")
    template = GALLERY / "hubspot.xml"
    run(["validate", "--openapi", str(folder), str(template)])
    notes = capsys.readouterr().err.splitlines()
    shown = f"note: {folder / 'crm' / 'api.json'}: "
    assert (
        notes[0]
        == f"{shown}$ref missing.json#/owners: cannot read missing.json (No such file or directory)"
    )
    assert notes[1] == (
        f"{shown}$ref #/components/responses/owners leads nowhere "
        "(no /components/responses/owners in this file)"
    )
    assert str(tmp_path) not in "".join(n.removeprefix(shown) for n in notes[:10])
    assert len(notes) == 10 + 2  # ten named, the others counted, then what it means
    assert notes[10] == f"note: {folder}: 2 more $refs cannot be followed"
    assert notes[11].startswith("note: what these $refs stand for is taken as unknown")


def test_in_a_narrow_terminal_the_caret_stays_under_the_misspelt_segment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    template = FOLDER / "hubspot-path-misspelt" / "template.xml"
    run(["-q", "validate", "--openapi", str(SPECS / "src/hubspot"), str(template)])
    lines = capsys.readouterr().out.splitlines()
    source, caret = lines[1], lines[2]
    assert len(source) < 80 and len(caret) < 80
    start = caret.index("^")
    assert source[start : start + caret.count("^")] == "serch"


def _project(root: Path, settings: str, name: str = ".crmtpl.toml") -> Path:
    """A project with a settings file, the HubSpot description under specs/ and a
    template with a misspelt path under templates/."""
    shutil.copytree(SPECS / "src" / "hubspot", root / "specs" / "hubspot")
    (root / "templates").mkdir()
    template = root / "templates" / "hubspot.xml"
    shutil.copy(FOLDER / "hubspot-path-misspelt" / "template.xml", template)
    (root / name).write_text(settings, encoding="utf-8")
    (root / ".git").mkdir()  # the search for settings stops here
    return template


def test_the_settings_key_names_the_description_relative_to_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, 'openapi = "specs/hubspot"\n')
    monkeypatch.chdir(tmp_path / "templates")  # found upward, resolved from the file
    code, found = _json_report(capsys, "hubspot.xml")
    assert code == ExitCode.FINDINGS
    assert [(d["rule"], d["line"], d["column"]) for d in found if d["rule"].startswith("CT97")] == [
        ("CT971", 92, 148)
    ]


def test_pyproject_tool_crmtpl_works_too_and_the_option_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, '[tool.crmtpl]\nopenapi = "specs/nowhere"\n', name="pyproject.toml")
    monkeypatch.chdir(tmp_path)
    code = run(["validate", "templates/hubspot.xml"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert "the settings file's openapi key: " in err and "no such file or folder" in err
    code, found = _json_report(capsys, "--openapi", "specs/hubspot", "templates/hubspot.xml")
    assert code == ExitCode.FINDINGS
    assert [d["rule"] for d in found if d["rule"].startswith("CT97")] == ["CT971"]


def test_an_openapi_key_that_is_not_a_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, "openapi = 3\n")
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "templates/hubspot.xml"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "openapi must be the path of an OpenAPI description" in err
    assert 'openapi = "specs/hubspot"' in err
