"""``crmtpl auth status TEMPLATE --check`` (issue 16): the stored credentials are tried
against the server with one read-only request, as ``gh auth status`` does: ok (exit 0),
refused (exit 5), unreachable (exit 4). The CLI runs in a subprocess as a user runs it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl
from tests.support import REPO_ROOT

TEMPLATE = "examples/sandbox-apikey.xml"


def stored(tmp_path: Path, api_key: str) -> dict[str, str]:
    """A config directory with ``api_key`` stored by ``auth set`` (the file store)."""
    env = cli_env(CRMTPL_CONFIG_DIR=str(tmp_path / "config"))
    done = crmtpl(
        "auth", "set", TEMPLATE, "--from-stdin", "--insecure-storage",
        env=env, stdin=f"api_key={api_key}\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return env


def test_check_says_ok_when_the_server_accepts_the_stored_credentials(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = stored(tmp_path, "sandbox-api-key")
    done = crmtpl("auth", "status", TEMPLATE, "--check", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"check (UserAssociation UserAssociation): ok: GET {sandbox.url}/apikey/" in (
        done.stdout
    )
    assert "answered 200 OK: the credentials work" in done.stdout
    assert "sandbox-api-key" not in done.stdout + done.stderr
    as_json = crmtpl("auth", "status", TEMPLATE, "--check", "--format", "json", env=env)
    assert as_json.returncode == 0, as_json.stderr
    check = json.loads(as_json.stdout)["check"]
    assert (check["result"], check["status"], check["exit_code"]) == ("ok", 200, 0)


def test_check_says_refused_and_exits_5_for_a_wrong_key(sandbox: Sandbox, tmp_path: Path) -> None:
    env = stored(tmp_path, "wrong-key-1234")
    done = crmtpl("auth", "status", TEMPLATE, "--check", env=env)
    assert done.returncode == 5, done.stdout + done.stderr
    assert "refused" in done.stdout and re.search(r"answered 40[13]", done.stdout)
    assert "hint: store them again with crmtpl auth set" in done.stderr
    assert "wrong-key-1234" not in done.stdout + done.stderr


def test_check_says_unreachable_and_exits_4_when_nothing_answers(tmp_path: Path) -> None:
    env = cli_env(
        CRMTPL_CONFIG_DIR=str(tmp_path / "config"),
        CRMTPL_VAR_api_key="k-123456",
        CRMTPL_VAR_sandbox_url="http://127.0.0.1:9",  # nothing listens on port 9
    )
    done = crmtpl("auth", "status", TEMPLATE, "--check", "--format", "json", env=env)
    assert done.returncode == 4, done.stdout + done.stderr
    check = json.loads(done.stdout)["check"]
    assert check["result"] == "unreachable" and check["exit_code"] == 4
    assert "cannot connect" in check["message"]


def test_without_user_association_the_check_searches_a_fictitious_number(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = (REPO_ROOT / TEMPLATE).read_text(encoding="utf-8")
    start = source.index('    <Scenario Id="UserAssociation"')
    end = source.index("</Scenario>", start) + len("</Scenario>\n")
    no_users = tmp_path / "no-users.xml"
    no_users.write_text(source[:start] + source[end:], encoding="utf-8")
    env = cli_env(CRMTPL_CONFIG_DIR=str(tmp_path / "config"), CRMTPL_VAR_api_key="sandbox-api-key")
    done = crmtpl("auth", "status", str(no_users), "--check", "--format", "json", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    check = json.loads(done.stdout)["check"]
    assert (check["scenario"], check["request"], check["result"]) == (
        "SyncContactAuto",
        "contacts",
        "ok",
    )
    assert "phone=%2B15555550100" in check["message"]
