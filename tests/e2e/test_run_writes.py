"""Writes to a live CRM are honest (issue 16): the body and the sample values are shown
before anything is written, a terminal is asked, a pipe without ``--yes`` is refused, and
a number that matches several contacts says which one the journal goes to.

The CLI runs as a user runs it: in a subprocess, and for the question in a real
pseudo-terminal; what was written is checked through the sandbox's own API.
"""

from __future__ import annotations

import json
import os
import pty
import random
import select
import subprocess
import sys
import time

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl
from tests.support import REPO_ROOT

SANDBOX = "examples/sandbox.xml"


def calls(sandbox: Sandbox) -> list[object]:
    entries = sandbox.get("/none/api/v1/calls")
    items: list[object] = entries["data"] if isinstance(entries, dict) else entries
    return items


def fresh_number() -> str:
    return f"+4930{random.randrange(10**8, 10**9)}"


def create(number: str, first_name: str) -> str:
    done = crmtpl(
        "run", "create-contact", SANDBOX, "--type", "contacts", "--first-name", first_name,
        "--number", number, "--format", "json", "--yes",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record: dict[str, str] = json.loads(done.stdout)["records"][0]
    return record["ContactId"]


def test_a_write_without_a_terminal_and_without_yes_is_refused_before_anything_is_sent(
    sandbox: Sandbox,
) -> None:
    marker = str(random.randrange(10**8, 10**9))
    before = calls(sandbox)
    done = crmtpl(
        "run", "call-journal", SANDBOX, "--caller-number", "5503302",
        "--var", f"Talk_Duration_Sec={marker}",
    )  # fmt: skip
    assert done.returncode == 2
    assert "stdin is not a terminal" in done.stderr and "nothing was sent" in done.stderr
    assert "add --yes" in done.stderr
    assert calls(sandbox) == before
    for command in (
        ["create-contact", SANDBOX, "--type", "contacts", "--first-name", "X", "--number", "1"],
        ["ticket", "examples/sandbox-helpdesk.xml", "--caller-number", "5503302"],
    ):
        refused = crmtpl("run", *command)
        assert refused.returncode == 2, refused.stderr
        assert "add --yes" in refused.stderr


def test_yes_writes_and_shows_the_body_and_each_sample_value_first(sandbox: Sandbox) -> None:
    marker = str(random.randrange(10**8, 10**9))
    done = crmtpl(
        "run", "call-journal", SANDBOX, "--caller-number", "5503302",
        "--var", f"Talk_Duration_Sec={marker}", "--yes",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"about to write to the CRM: POST {sandbox.url}/none/api/v1/calls" in (done.stderr)
    assert f'"talk_seconds": {marker}' in done.stderr  # the body, as sent
    assert "sample values used (not from this call):" in done.stderr
    assert "Talk_Duration=00:01:09 (give --call FILE or --var Talk_Duration=...)" in done.stderr
    assert "CalleeNumber=1001 (give --callee-number or --call FILE)" in done.stderr
    assert "CallerNumber=" not in done.stderr  # given with --caller-number: not a sample
    assert "Talk_Duration_Sec=" not in done.stderr  # given with --var
    assert any(marker in json.dumps(entry) for entry in calls(sandbox))


def test_several_matching_contacts_say_which_one_the_journal_goes_to(sandbox: Sandbox) -> None:
    number = fresh_number()
    first = create(number, "Ann")
    second = create(number, "Bob")
    done = crmtpl(
        "run", "call-journal", SANDBOX, "--caller-number", number, "--yes", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stderr.split())
    assert f"2 contacts match the call's number '{number}'; using the first, {first}" in said
    assert "first record of the first contact type in template order" in said
    assert "an uncertainty" in said
    assert f"the others: {second} (contacts) Bob" in said
    assert "--contact-id ID --contact-type TYPE" in said
    assert json.loads(done.stdout)["contact"] == {"ContactId": first, "ContactSyncType": "contacts"}
    chosen = crmtpl(
        "run", "call-journal", SANDBOX, "--caller-number", number, "--yes", "--format", "json",
        "--contact-id", second, "--contact-type", "contacts",
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "contacts match" not in chosen.stderr
    assert json.loads(chosen.stdout)["contact"]["ContactId"] == second


def in_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """Run the CLI in a pseudo-terminal; type ``answer`` at the question; all it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crmtpl", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=cli_env(TERM="dumb"),
        cwd=REPO_ROOT,
        close_fds=True,
    )
    os.close(follower)
    shown = b""
    answered = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the process ended
                    break
                if not chunk:
                    break
                shown += chunk
            if not answered and b"write this to the CRM?" in shown:
                os.write(leader, answer.encode() + b"\n")
                answered = True
            if process.poll() is not None and not ready:
                break
        code = process.wait(timeout=30)
    finally:
        os.close(leader)
    return code, shown.decode("utf-8", "replace")


def test_in_a_terminal_the_user_is_asked_and_no_writes_nothing(sandbox: Sandbox) -> None:
    marker = str(random.randrange(10**8, 10**9))
    args = [
        "run", "call-journal", SANDBOX, "--caller-number", "5503302",
        "--var", f"Talk_Duration_Sec={marker}",
    ]  # fmt: skip
    code, shown = in_terminal(args, "n")
    assert "about to write to the CRM" in shown and f'"talk_seconds": {marker}' in shown
    assert code == 1, shown
    assert "nothing was written: you answered no" in shown
    assert not any(marker in json.dumps(entry) for entry in calls(sandbox))
    code, shown = in_terminal(args, "y")
    assert code == 0, shown
    assert any(marker in json.dumps(entry) for entry in calls(sandbox))


def test_dry_run_never_asks(sandbox: Sandbox) -> None:
    before = calls(sandbox)
    done = crmtpl("run", "call-journal", SANDBOX, "--caller-number", "5503302", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "write this to the CRM?" not in done.stderr
    assert calls(sandbox) == before
