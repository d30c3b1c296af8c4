"""``crmtpl gjson`` and ``crmtpl extract`` through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support import REPO_ROOT

ANSWER = {
    "data": [
        {
            "id": 1001,
            "first_name": "William",
            "last_name": "Smith",
            "company": "Acme",
            "email": "w@acme.example",
            "phone": "5503302",
        }
    ],
    "total": 1,
}


def crmtpl(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO_ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        },
        timeout=60,
        check=False,
    )


def test_gjson_prints_a_value_from_a_file_and_raw_json_from_stdin(tmp_path: Path) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(ANSWER))
    done = crmtpl("gjson", "data.0.first_name", str(answer))
    assert (done.returncode, done.stdout) == (0, "William\n")
    done = crmtpl("gjson", "data.#.id", "--raw", "-", stdin=json.dumps(ANSWER))
    assert (done.returncode, done.stdout) == (0, "[1001]\n")


def test_gjson_miss_exits_1_with_the_keys_and_the_closest_path(tmp_path: Path) -> None:
    done = crmtpl("gjson", "data.0.frist_name", "-", stdin=json.dumps(ANSWER))
    assert done.returncode == 1
    assert "at data.0 the keys are: id, first_name" in done.stderr
    assert "closest path: data.0.first_name" in done.stderr


def test_gjson_on_text_that_is_not_json_is_a_usage_error() -> None:
    done = crmtpl("gjson", "a", "-", stdin="<html>")
    assert done.returncode == 2
    assert "not JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_extract_prints_each_output_and_names_a_broken_path(tmp_path: Path) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(ANSWER))
    done = crmtpl(
        "extract",
        "lookup",
        "examples/sandbox.xml",
        "--response",
        str(answer),
        "--request",
        "contacts",
    )
    assert done.returncode == 0, done.stderr
    assert 'contacts.FirstName  data.#.first_name  ["William"]' in done.stdout
    broken = tmp_path / "broken.xml"
    template = (REPO_ROOT / "examples" / "sandbox.xml").read_text()
    broken.write_text(template.replace("data.#.first_name", "data.#.firstname"))
    done = crmtpl(
        "extract",
        "lookup",
        str(broken),
        "--response",
        str(answer),
        "--request",
        "contacts",
        "--format",
        "json",
    )
    assert done.returncode == 1
    misses = [o for o in json.loads(done.stdout) if not o["exists"]]
    assert [(o["name"], o["closest"]) for o in misses] == [("FirstName", "data.#.first_name")]
    assert "FirstName" in done.stderr


def test_crmtpl_test_usage_and_unreadable_files(tmp_path: Path) -> None:
    done = crmtpl("test", str(tmp_path))
    assert done.returncode == 2
    assert "no test files (*.test.toml)" in done.stderr
    done = crmtpl("test", "--live", "--update", str(tmp_path))
    assert done.returncode == 2
    bad = tmp_path / "bad.test.toml"
    bad.write_text("template = ")
    done = crmtpl("test", str(tmp_path), "--format", "json")
    assert done.returncode == 3
    assert json.loads(done.stdout)["tests"][0]["status"] == "error"
    missing = tmp_path / "missing.test.toml"
    missing.write_text('template = "none.xml"\nscenario = "lookup"\nrecording = "rec"\n')
    done = crmtpl("test", str(missing))
    assert done.returncode == 3
    assert "Traceback" not in done.stdout + done.stderr


def test_extract_with_the_template_first_shows_the_right_order() -> None:
    done = crmtpl("extract", "examples/sandbox.xml", "lookup", "--response", "answer.json")
    assert done.returncode == 2
    assert "crmtpl extract lookup examples/sandbox.xml --response answer.json" in done.stderr
