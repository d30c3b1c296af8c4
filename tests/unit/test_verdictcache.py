"""The clean-verdict cache: render and run skip the linter only for text known clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl import verdictcache
from tests.support import REPO_ROOT

TEXT = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRMTPL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CRMTPL_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_a_remembered_scenario_is_known_clean_for_that_text_only() -> None:
    assert not verdictcache.known_clean(TEXT, "SyncContactAuto")
    verdictcache.remember_clean(TEXT, "SyncContactAuto")
    assert verdictcache.known_clean(TEXT, "SyncContactAuto")
    assert not verdictcache.known_clean(TEXT, "CallJournal")
    assert not verdictcache.known_clean(TEXT.replace("5503302", "5503303"), "SyncContactAuto")
    assert not verdictcache.known_clean(TEXT + " ", "SyncContactAuto")


def test_another_crmtpl_never_reuses_a_verdict(cache_folder: Path) -> None:
    verdictcache.remember_clean(TEXT, "SyncContactAuto")
    (entry,) = cache_folder.glob("clean-*.json")
    entry.write_text(entry.read_text().replace(verdictcache.code_fingerprint(), "other"))
    assert not verdictcache.known_clean(TEXT, "SyncContactAuto")


def test_a_damaged_or_foreign_entry_is_ignored(cache_folder: Path) -> None:
    verdictcache.remember_clean(TEXT, "SyncContactAuto")
    (entry,) = cache_folder.glob("clean-*.json")
    entry.write_text("{not json")
    assert not verdictcache.known_clean(TEXT, "SyncContactAuto")
    entry.write_text('{"source": "another template", "code": "x", "clean": ["SyncContactAuto"]}')
    assert not verdictcache.known_clean(TEXT, "SyncContactAuto")


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> None:
    monkeypatch.setenv("CRMTPL_NO_CACHE", "1")
    verdictcache.remember_clean(TEXT, "SyncContactAuto")
    assert not list(cache_folder.glob("clean-*.json"))
    assert not verdictcache.known_clean(TEXT, "SyncContactAuto")


def test_the_fingerprint_changes_when_a_rule_file_changes(tmp_path: Path) -> None:
    """A fresh interpreter sees another fingerprint after a verdict-deciding file changes."""
    probe = "from crmtpl.verdictcache import code_fingerprint; print(code_fingerprint())"
    before = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    ).stdout
    rules = REPO_ROOT / "crmtpl" / "lint" / "rules.toml"
    info = rules.stat()
    try:
        import os

        os.utime(rules, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        after = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
        ).stdout
    finally:
        os.utime(rules, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert before.strip() and before != after


def test_render_stops_on_an_error_every_time_and_skips_the_linter_once_clean(
    tmp_path: Path, cache_folder: Path
) -> None:
    from tests.e2e.sandbox import cli_env

    env = cli_env(CRMTPL_CACHE_DIR=str(cache_folder))
    broken = tmp_path / "broken.xml"
    broken.write_text(TEXT.replace("phone={{UrlEncode .Phone}}", "phone={{UrlEncode .phone}}"))
    for _ in range(2):  # an error is never cached: the finding is printed each time
        done = subprocess.run(
            [sys.executable, "-m", "crmtpl", "render", "lookup", str(broken)],
            capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False,
        )  # fmt: skip
        assert done.returncode == 1 and "CT821" in done.stderr
    assert not list(cache_folder.glob("clean-*.json"))
    probe = (
        "import sys, runpy; sys.argv = ['crmtpl', 'render', 'lookup', 'examples/sandbox.xml'];"
        "from crmtpl.cli import run; code = run(sys.argv[1:]);"
        "print(code, 'crmtpl.lint.checker' in sys.modules)"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False,
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]  # fmt: skip
    assert outputs == ["0 True", "0 False"]
