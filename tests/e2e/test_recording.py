"""Record live runs against the sandbox once, then replay them with no network at all.

Every replay runs in a Python whose audit hook refuses any socket connection, so "nothing
is sent" is checked, not assumed. The replayed ``--format json`` equals the live one
(timings aside); ``crmtpl test`` passes on the recordings and fails, naming the field,
when an output path breaks; no recording holds any secret used, in any encoding.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmtpl.recording.redaction import encodings
from tests.e2e.sandbox import Sandbox, cli_env, crmtpl
from tests.support import REPO_ROOT

NO_SOCKETS = (
    "import sys\n"
    "def refuse(event, args):\n"
    "    if event == 'socket.connect':\n"
    "        raise SystemExit(f'replay opened a socket: {args!r}')\n"
    "sys.addaudithook(refuse)\n"
    "sys.argv = ['crmtpl', *sys.argv[1:]]\n"
    "from crmtpl.cli import main\n"
    "main()\n"
)
API_KEY = "sandbox-api-key"
CLIENT_SECRET = "sandbox-secret"
#: (folder, run arguments, secret --var arguments a replay does without)
RUNS = [
    ("next-chain", ["lookup", "examples/sandbox.xml", "--phone", "5503302"], []),
    (
        "journal",
        ["call-journal", "examples/sandbox.xml", "--caller-number", "5503302", "--yes"],
        [],
    ),
    (
        "helpdesk",
        ["ticket", "examples/sandbox-helpdesk.xml", "--caller-number", "5503302", "--yes"],
        ["--var", f"api_key={API_KEY}"],
    ),
    (
        "bearer",
        ["lookup", "examples/sandbox-bearer.xml", "--phone", "5503302"],
        ["--var", "client_id=crmtpl-sandbox", "--var", f"client_secret={CLIENT_SECRET}"],
    ),
]


def offline(*args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a Python that cannot open a socket."""
    return subprocess.run(
        [sys.executable, "-c", NO_SOCKETS, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(),
        cwd=REPO_ROOT,
        check=False,
    )


def without_timings(output: str) -> object:
    """The run document without timings; requests sent in parallel (the template's
    MaxConcurrentRequest) have no defined order, in a live run either, so they are sorted."""
    document = json.loads(output)
    for request in document["requests"]:
        request.pop("elapsed_ms")
    document["requests"].sort(key=lambda r: json.dumps(r, sort_keys=True))
    return document


@pytest.fixture(scope="module")
def recorded(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("recordings")
    live = {}
    for name, args, secrets in RUNS:
        test_file = root / "tests" / f"{name}.test.toml"
        done = crmtpl(
            "run",
            *args,
            *secrets,
            "--format",
            "json",
            "--record",
            str(root / name),
            "--write-test",
            str(test_file),
        )
        assert done.returncode == 0, done.stderr
        live[name] = done.stdout
    return root, live


@pytest.mark.parametrize(("name", "args", "secrets"), RUNS, ids=[r[0] for r in RUNS])
def test_replay_prints_the_live_json_without_opening_a_socket(
    recorded: tuple[Path, dict], name: str, args: list[str], secrets: list[str]
) -> None:
    root, live = recorded
    done = offline("run", *args, "--format", "json", "--replay", str(root / name))
    assert done.returncode == 0, done.stderr
    assert without_timings(done.stdout) == without_timings(live[name])


def test_the_next_chain_and_the_token_request_were_recorded(recorded: tuple[Path, dict]) -> None:
    root, _ = recorded
    chain = sorted(p.name for p in (root / "next-chain" / "lookup").iterdir())
    assert any(n.endswith("-Common-ContactDetails.json") for n in chain)
    bearer = sorted(p.name for p in (root / "bearer" / "lookup").iterdir())
    assert bearer[0] == "01-token.json"
    token = json.loads((root / "bearer" / "lookup" / "01-token.json").read_text())
    assert token["response"]["body"]["access_token"].startswith("{{secret:")


def test_the_no_socket_guard_stops_a_live_run(sandbox: Sandbox) -> None:
    done = offline("run", "lookup", "examples/sandbox.xml", "--phone", "5503302")
    assert done.returncode != 0
    assert "replay opened a socket" in done.stderr


def test_no_recording_holds_a_secret_in_any_encoding(recorded: tuple[Path, dict]) -> None:
    root, _ = recorded
    files = [p for p in root.rglob("*") if p.is_file()]
    assert len(files) > 10
    text = "\n".join(p.read_text() for p in files)
    for secret in (API_KEY, CLIENT_SECRET):
        for form in encodings(secret):
            assert form not in text, form
    assert "{{secret:" in text


def test_a_request_the_recording_lacks_fails_naming_the_closest(
    recorded: tuple[Path, dict],
) -> None:
    root, _ = recorded
    done = offline(
        "run",
        "lookup",
        "examples/sandbox.xml",
        "--phone",
        "5500000",
        "--replay",
        str(root / "next-chain"),
    )
    assert done.returncode == 4
    assert "no recording in" in done.stderr
    assert "phone=5503302" in done.stderr and "phone=5500000" in done.stderr
    assert "Traceback" not in done.stderr


def test_crmtpl_test_passes_offline_and_names_the_broken_field(
    recorded: tuple[Path, dict],
) -> None:
    root, _ = recorded
    done = offline("test", str(root / "tests"), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["passed"] == len(RUNS)
    broken = root / "broken.xml"
    template = (REPO_ROOT / "examples" / "sandbox.xml").read_text()
    broken.write_text(template.replace("data.#.first_name", "data.#.firstname"))
    spec = (root / "tests" / "next-chain.test.toml").read_text()
    test_file = root / "broken.test.toml"
    test_file.write_text(
        "\n".join(
            'template = "broken.xml"'
            if line.startswith("template =")
            else line.replace('"../next-chain"', '"next-chain"')
            for line in spec.splitlines()
        )
    )
    done = offline("test", str(test_file))
    assert done.returncode == 1
    assert 'records[0].FirstName: expected "William", got ""' in done.stdout
