"""``crmtpl validate --responses DIR`` and the recordings of test files, through the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from crmtpl.recording.cassette import RecordedExchange, RecordedMessage, to_file_text
from tests.support import REPO_ROOT

ANSWER = {"data": [{"id": 1001, "first_name": "William", "last_name": "Smith"}], "total": 1}
GOOD = 'Path="data.#.first_name"'
BROKEN = 'Path="data.#.firstname"'


def crmtpl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        },
        check=False,
        timeout=120,
    )


def template_repository(root: Path, *, broken: bool) -> None:
    """templates/crm.xml (the sandbox example, its contacts path misspelt when ``broken``)
    and recordings/crm/lookup/03-SyncContactAuto-contacts.json in the format run writes."""
    text = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
    start = text.index('<Request Name="contacts"')
    if broken:
        text = text[:start] + text[start:].replace(GOOD, BROKEN, 1)
    (root / "templates").mkdir()
    (root / "templates" / "crm.xml").write_text(text, encoding="utf-8")
    exchange = RecordedExchange(
        name="SyncContactAuto/contacts",
        method="GET",
        url="http://127.0.0.1:8765/none/api/v1/contacts/search?phone=5503302",
        request=RecordedMessage([("Accept", "application/json")], None),
        status=200,
        reason="OK",
        response=RecordedMessage([("Content-Type", "application/json")], json.dumps(ANSWER)),
    )
    folder = root / "recordings" / "crm" / "lookup"
    folder.mkdir(parents=True)
    (folder / "03-SyncContactAuto-contacts.json").write_text(
        to_file_text(exchange), encoding="utf-8"
    )


def test_responses_finds_a_misspelt_path_at_its_place_with_the_closest_one(
    tmp_path: Path,
) -> None:
    template_repository(tmp_path, broken=True)
    done = crmtpl("validate", "templates/crm.xml", "--responses", "recordings/crm", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(
        n
        for n, t in enumerate((tmp_path / "templates" / "crm.xml").read_text().splitlines(), 1)
        if BROKEN in t
    )
    assert f"templates/crm.xml:{line}:44: error CT708" in done.stdout
    assert 'hint: did you mean Path="data.#.first_name"?' in done.stdout


def test_responses_passes_a_template_whose_paths_match(tmp_path: Path) -> None:
    template_repository(tmp_path, broken=False)
    done = crmtpl("validate", "templates/crm.xml", "--responses", "recordings/crm", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CT708" not in done.stdout


def test_a_template_with_a_test_file_is_judged_against_its_recording(tmp_path: Path) -> None:
    template_repository(tmp_path, broken=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "lookup.test.toml").write_text(
        'template = "../templates/crm.xml"\nscenario = "lookup"\n'
        'recording = "../recordings/crm"\n\n[inputs]\nphone = "5503302"\n',
        encoding="utf-8",
    )
    done = crmtpl("validate", ".", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    rules = [d["rule"] for f in json.loads(done.stdout)["files"] for d in f["diagnostics"]]
    assert rules.count("CT708") == 1
    # without a test file (and without --responses) no recording is judged
    shutil.rmtree(tmp_path / "tests")
    assert crmtpl("validate", ".", cwd=tmp_path).returncode == 0


def test_a_folder_without_recordings_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    template_repository(tmp_path, broken=False)
    (tmp_path / "empty").mkdir()
    done = crmtpl("validate", "templates/crm.xml", "--responses", "empty", cwd=tmp_path)
    assert done.returncode == 2
    assert "no recorded JSON answers" in done.stderr
    assert "--record DIR" in done.stderr
    assert "Traceback" not in done.stderr
