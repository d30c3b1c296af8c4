"""A damaged, read-only or full database is a clear error naming the file and the fix.

SQLite's own limits stand in for the disk: ``PRAGMA max_page_count`` makes it answer "database
or disk is full" and ``PRAGMA query_only`` "attempt to write a readonly database", exactly as
a full or read-only file system does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crmtpl.sandbox import SandboxServer
from crmtpl.sandbox.api import SandboxApp
from crmtpl.sandbox.database import DATABASE_FILE, Database, StorageError
from crmtpl.sandbox.store import SandboxStore
from crmtpl.sandbox.wire import SandboxRequest

CLI = [sys.executable, "-m", "crmtpl", "--color", "never", "sandbox"]
CONTACT = {"first_name": "Disk", "phone": "5550000009"}


def _corrupt(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / DATABASE_FILE
    path.write_bytes(b"this is not an SQLite file, just text written over it\n" * 100)
    return path


def _post_contact(app: SandboxApp) -> tuple[int, str]:
    request = SandboxRequest(
        method="POST",
        path="/none/api/v1/contacts",
        query={},
        headers={"content-type": "application/json"},
        body=json.dumps(CONTACT | {"notes": "x" * 50_000}).encode(),
        base_url="http://127.0.0.1:8765",
    )
    answer = app.handle(request)
    return answer.status, answer.body.decode("utf-8")


def test_a_corrupt_database_names_the_file_and_the_fix(tmp_path: Path) -> None:
    path = _corrupt(tmp_path / "data")
    with pytest.raises(StorageError) as caught:
        SandboxServer(port=0, data_dir=tmp_path / "data").start()
    assert str(path) in str(caught.value)
    assert "not a usable sandbox database" in str(caught.value)
    assert caught.value.hint is not None
    assert "delete it" in caught.value.hint and "--data" in caught.value.hint


def test_the_cli_reports_a_corrupt_database_without_calling_it_a_bug(tmp_path: Path) -> None:
    path = _corrupt(tmp_path / "data")
    done = subprocess.run(
        [*CLI, "--port", "0", "--data", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr
    assert "bug" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_full_disk_is_a_storage_error_and_a_503(tmp_path: Path) -> None:
    database = Database(tmp_path, time.time)
    try:
        with database.transaction() as db:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages}")
        store = SandboxStore(database)
        with pytest.raises(StorageError) as caught:
            for _ in range(200):  # fills the last free pages, then the file is "full"
                store.create_person("contacts", CONTACT | {"notes": "x" * 2000}, "none")
        assert "is full" in str(caught.value)
        assert str(database.path) in str(caught.value)
        assert caught.value.hint is not None and "free some space" in caught.value.hint
        status, text = _post_contact(SandboxApp(database, 300, tmp_path))
        assert status == 503
        assert "storage_unavailable" in text
        assert str(tmp_path) not in text  # the path is for the sandbox's own output
    finally:
        database.close()


def test_a_read_only_database_is_a_storage_error_and_a_503(tmp_path: Path) -> None:
    database = Database(tmp_path, time.time)
    try:
        with database.transaction() as db:
            db.execute("PRAGMA query_only = 1")
        with pytest.raises(StorageError) as caught:
            SandboxStore(database).create_person("contacts", CONTACT, "none")
        assert "read-only" in str(caught.value)
        assert str(database.path) in str(caught.value)
        assert caught.value.hint is not None and "writable" in caught.value.hint
        status, _ = _post_contact(SandboxApp(database, 300, tmp_path))
        assert status == 503
    finally:
        database.close()


def test_an_unwritable_state_file_is_a_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only data directory: the OSError is injected where the state file is written."""
    import os

    from crmtpl.sandbox import process

    def refuse(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied")

    with SandboxServer(port=0, data_dir=tmp_path) as sandbox:
        monkeypatch.setattr(os, "open", refuse)
        with pytest.raises(StorageError) as caught, process.registered(sandbox):
            pass
    assert "sandbox.json" in str(caught.value)
    assert "read-only" in str(caught.value)
