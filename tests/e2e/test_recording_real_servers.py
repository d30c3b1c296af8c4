"""Record live runs against the real BottleCRM and Request Tracker, then replay them offline.

For BottleCRM (crmtpl/gallery/bottlecrm.xml: a lookup with its Next chain to the contact detail,
a call journal; crmtpl/gallery/bottlecrm-cases.xml: a helpdesk ticket) and Request Tracker
(crmtpl/gallery/request-tracker.xml: a ticket, basic auth): a live ``run --record --write-test``,
then ``run --replay`` in a Python whose audit hook refuses every socket, with none of the
secrets, printing the same ``--format json`` (timings aside). ``crmtpl test`` passes on the
recordings and fails naming the field when an output path breaks; ``validate --responses``
judges the paths against them; no recording or test file holds a secret, in any encoding.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmtpl.recording.redaction import encodings
from tests.e2e.example_runs import (
    GALLERY_DIR,
    RunOutcome,
    assert_ok,
    call_file,
    clean_environment,
    crmtpl_run,
    only_record,
    unique_number,
)
from tests.e2e.peers import PeerLookup, http
from tests.e2e.test_recording import NO_SOCKETS, without_timings
from tests.support import REPO_ROOT


@dataclass(frozen=True)
class RecordedRun:
    """One live run to record: where, what, and the variables it needs."""

    name: str
    server: str  # the folder of its test files: one test command per server
    scenario: str
    template: str
    options: tuple[str, ...]
    public: Mapping[str, str]  # what a replay is given too
    secret: Mapping[str, str]  # what only the live run is given


@dataclass
class Recorded:
    """The recordings, the runs, and what the live runs printed."""

    root: Path
    runs: list[RecordedRun]
    live: dict[str, RunOutcome]
    secrets: list[str]


def offline(args: list[str], variables: Mapping[str, str], config: Path) -> RunOutcome:
    """The real CLI, given only ``variables``, in a Python that cannot open a socket."""
    done = subprocess.run(
        [sys.executable, "-c", NO_SOCKETS, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_environment(config, variables),
        cwd=REPO_ROOT,
        check=False,
    )
    return RunOutcome(tuple(args), done.returncode, done.stdout, done.stderr)


def missed_call(folder: Path, name: str, number: str, agent: str) -> Path:
    """A missed inbound call from ``number`` to the extension of ``agent`` (fixed on disk,
    so the live run and the replay send the same bodies)."""
    started = int(time.time()) - 120
    return call_file(
        folder,
        name,
        {
            "StartTimeUnix": str(started),
            "EndTimeUnix": str(started + 65),
            "Time": time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(started)),
            "Communication_Type": "Inbound",
            "Call_Status": "Missed",
            "Call_Log_Status": "Missed Call",
            "CallDisposition": "NO ANSWER",
            "Call_From": f"Alice<{number}>",
            "Call_To": "Peer Agent<1001>",
            "CallerNumber": number,
            "ContactNumber": number,
            "CalleeNumber": "1001",
            "Talk_Duration": "00:00:00",
            "Talk_Duration_Sec": "0",
            "EnableCallRecording": "0",
            "CrmId": agent,
        },
    )


def bottlecrm_runs(values: Mapping[str, str], folder: Path, config: Path) -> list[RecordedRun]:
    """A contact made for these runs (not recorded), then the three runs to record."""
    url, pat = values["url"], values["BOTTLECRM_PAT"]
    public, secret = {"base_url": url, "app_url": url}, {"api_token": pat}
    number = unique_number()
    created = crmtpl_run(
        "create-contact",
        "bottlecrm.xml",
        *("--type", "contacts", "--first-name", "Rita", "--last-name", f"Rec{number[-4:]}"),
        *("--number", number),
        variables={**public, **secret},
        config_dir=config,
    )
    assert_ok(created)
    users = http("GET", url + "/api/users/", headers={"Authorization": f"Bearer {pat}"})
    assert users.status == 200, users.body[:300]
    active = json.loads(users.body)["active_users"]["active_users"]
    agent = next(str(u["id"]) for u in active if u["user_details"]["email"] == "agent@peer.test")
    call = str(missed_call(folder, "bottlecrm-call", number, agent))
    return [
        RecordedRun("bottlecrm-lookup", "bottlecrm", "lookup", "bottlecrm.xml",
                    ("--phone", number), public, secret),
        RecordedRun("bottlecrm-journal", "bottlecrm", "call-journal", "bottlecrm.xml",
                    ("--call", call), public, secret),
        RecordedRun("bottlecrm-ticket", "bottlecrm", "ticket", "bottlecrm-cases.xml",
                    ("--call", call), {**public, "priority": "High"}, secret),
    ]  # fmt: skip


def rt_runs(values: Mapping[str, str], folder: Path, config: Path) -> list[RecordedRun]:
    """A requestor made for the ticket (not recorded), then the ticket run to record."""
    public = {"base_url": values["url"].removesuffix("/REST/2.0"), "queue": "General"}
    secret = {"username": values["RT_USER"], "password": values["RT_PASSWORD"]}
    number = unique_number()
    created = crmtpl_run(
        "create-contact",
        "request-tracker.xml",
        *("--type", "Requestors", "--first-name", "Dan", "--last-name", "Recorder"),
        *("--number", number),
        variables={**public, **secret},
        config_dir=config,
    )
    assert_ok(created)
    call = str(missed_call(folder, "rt-call", number, "agent"))
    return [
        RecordedRun("rt-ticket", "rt", "ticket", "request-tracker.xml", ("--call", call),
                    public, secret),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def recorded(peer: PeerLookup, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """Every run done live once, recorded with its test file."""
    root = tmp_path_factory.mktemp("real-recordings")
    config = tmp_path_factory.mktemp("crmtpl-config")
    bottlecrm, rt = peer("bottlecrm"), peer("rt5")
    runs = [*bottlecrm_runs(bottlecrm, root, config), *rt_runs(rt, root, config)]
    live = {}
    for run in runs:
        outcome = crmtpl_run(
            run.scenario,
            run.template,
            *run.options,
            *("--record", str(root / run.name)),
            *("--write-test", str(root / "tests" / run.server / f"{run.name}.test.toml")),
            variables={**run.public, **run.secret},
            config_dir=config,
        )
        assert_ok(outcome)
        live[run.name] = outcome
    basic = f"{rt['RT_USER']}:{rt['RT_PASSWORD']}"
    secrets = [bottlecrm["BOTTLECRM_PAT"], rt["RT_PASSWORD"], basic]
    return Recorded(root, runs, live, secrets)


def replay_args(run: RecordedRun, folder: Path) -> list[str]:
    """The live run's command, answered from ``folder``."""
    template = str(GALLERY_DIR / run.template)
    return [
        "run",
        run.scenario,
        template,
        *run.options,
        "--format",
        "json",
        "--replay",
        str(folder),
    ]


def test_the_lookup_followed_its_next_chain_and_every_write_was_recorded(
    recorded: Recorded,
) -> None:
    names = {run.name: [p.name for p in sorted((recorded.root / run.name).rglob("*.json"))]
             for run in recorded.runs}  # fmt: skip
    assert any(n.endswith("-SyncContactAuto-contacts.json") for n in names["bottlecrm-lookup"])
    assert any(n.endswith("-Common-ContactDetail.json") for n in names["bottlecrm-lookup"])
    assert any("CallJournal" in n for n in names["bottlecrm-journal"])
    assert any("CreateNewTicket" in n for n in names["bottlecrm-ticket"])
    assert any("CreateNewTicket" in n for n in names["rt-ticket"])
    assert only_record(recorded.live["rt-ticket"])["TicketId"].isdigit()


@pytest.mark.parametrize(
    "name", ["bottlecrm-lookup", "bottlecrm-journal", "bottlecrm-ticket", "rt-ticket"]
)
def test_replay_without_sockets_or_secrets_prints_the_live_json(
    recorded: Recorded, name: str, tmp_path: Path
) -> None:
    run = next(r for r in recorded.runs if r.name == name)
    done = offline(replay_args(run, recorded.root / name), run.public, tmp_path)
    assert done.exit_code == 0, done.describe()
    assert without_timings(done.stdout) == without_timings(recorded.live[name].stdout)


def test_the_socket_guard_really_stops_a_live_run(recorded: Recorded, tmp_path: Path) -> None:
    run = recorded.runs[0]
    args = replay_args(run, recorded.root / run.name)[:-2]  # no --replay: it must try to send
    done = offline(args, {**run.public, **run.secret}, tmp_path)
    assert done.exit_code != 0
    assert "replay opened a socket" in done.stderr


def test_no_recording_or_test_file_holds_a_secret_in_any_encoding(recorded: Recorded) -> None:
    files = [p for p in recorded.root.rglob("*") if p.is_file()]  # call files included
    assert len(files) >= 10
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for secret in recorded.secrets:
        for form in encodings(secret):
            assert form not in text, f"a form of a secret is in the recordings: {form[:4]}..."
    assert "{{secret:api_token}}" in text and "{{secret:" in text


@pytest.mark.parametrize("server", ["bottlecrm", "rt"])
def test_crmtpl_test_passes_offline_on_the_recordings(
    recorded: Recorded, server: str, tmp_path: Path
) -> None:
    runs = [run for run in recorded.runs if run.server == server]
    # nothing set: the test files hold the call values and the non-secret fields
    done = offline(["test", str(recorded.root / "tests" / server)], {}, tmp_path)
    assert done.exit_code == 0, done.describe()
    assert f"{len(runs)} test{'s' if len(runs) > 1 else ''}: {len(runs)} passed" in done.stdout


@pytest.mark.parametrize(
    ("name", "good", "bad", "field"),
    [
        (
            "bottlecrm-lookup",
            'Path="results.#.first_name"',
            'Path="results.#.firstname"',
            "FirstName",
        ),
        ("rt-ticket", 'Name="TicketId" Path="id"', 'Name="TicketId" Path="ticket_id"', "TicketId"),
    ],
)
def test_a_broken_output_path_fails_the_test_naming_the_field_and_validate_finds_it(
    recorded: Recorded, name: str, good: str, bad: str, field: str, tmp_path: Path
) -> None:
    run = next(r for r in recorded.runs if r.name == name)
    template = (GALLERY_DIR / run.template).read_text(encoding="utf-8")
    assert template.count(good) >= 1, good
    broken = tmp_path / run.template
    broken.write_text(template.replace(good, bad), encoding="utf-8")
    spec = (recorded.root / "tests" / run.server / f"{name}.test.toml").read_text()
    recording = recorded.root / name
    test_file = tmp_path / f"{name}.test.toml"
    test_file.write_text(
        "\n".join(
            f'template = "{broken.name}"' if line.startswith("template =")
            else f'recording = "{recording}"' if line.startswith("recording =")
            else line
            for line in spec.splitlines()
        )
    )  # fmt: skip
    done = offline(["test", str(test_file)], {}, tmp_path)
    assert done.exit_code == 1, done.describe()
    assert f".{field}: expected " in done.stdout, done.describe()

    judged = offline(["validate", str(broken), "--responses", str(recording)], {}, tmp_path)
    assert judged.exit_code == 1, judged.describe()
    assert "CT708" in judged.stdout and f"output {field}" in judged.stdout
