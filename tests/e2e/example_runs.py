"""Running the ``examples/`` templates through the real CLI, as a user would.

``crmtpl_run(...)`` starts ``python -m crmtpl run SCENARIO TEMPLATE ... --format json`` in
a subprocess with a clean environment: the template's credentials and settings are given
as ``CRMTPL_VAR_<name>`` variables (the documented alternative to ``--var``, and it keeps
secrets out of the process list), the credential store points at an empty folder, no
keyring is consulted, and loopback is never proxied. The result carries the exit code,
both streams and the parsed JSON document.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import REPO_ROOT

#: The vendor templates the e2e tests run: the gallery that ships with crmtpl (`crmtpl new --from`).
GALLERY_DIR = REPO_ROOT / "crmtpl" / "gallery"
RUN_TIMEOUT_SECONDS = 120

#: Variables of the caller's environment that would change what the CLI does.
_DROPPED_PREFIXES = ("CRMTPL_VAR_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass(frozen=True)
class RunOutcome:
    """What one ``crmtpl run`` invocation printed and returned."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def document(self) -> dict[str, Any]:
        """The ``--format json`` document on stdout."""
        try:
            parsed = json.loads(self.stdout)
        except ValueError as problem:
            raise AssertionError(f"not JSON ({problem}):\n{self.describe()}") from problem
        assert isinstance(parsed, dict), self.describe()
        return parsed

    @property
    def records(self) -> list[dict[str, str]]:
        """The records of the JSON document."""
        records = self.document["records"]
        assert isinstance(records, list), self.describe()
        return records

    @property
    def statuses(self) -> list[tuple[str, int]]:
        """(request name, HTTP status) of every request that was sent, in order."""
        return [(item["name"], item["status"]) for item in self.document["requests"]]

    def describe(self) -> str:
        """Everything about the run, for assertion messages."""
        return (
            f"crmtpl {' '.join(self.args)}\nexit {self.exit_code}\n"
            f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
        )


def clean_environment(config_dir: Path, variables: Mapping[str, str]) -> dict[str, str]:
    """The subprocess environment: ours minus proxies and stray variables, plus these."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(_DROPPED_PREFIXES)
    }
    environment.update(
        {
            "CRMTPL_CONFIG_DIR": str(config_dir),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "NO_PROXY": "127.0.0.1,localhost",
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
    )
    environment.update({f"CRMTPL_VAR_{name}": value for name, value in variables.items()})
    return environment


#: The run subcommands that write to the CRM: without a terminal they need --yes.
WRITES = frozenset({"create-contact", "call-journal", "ticket"})


def crmtpl_run(
    scenario: str,
    template: str,
    *options: str,
    variables: Mapping[str, str],
    config_dir: Path,
) -> RunOutcome:
    """``crmtpl run SCENARIO crmtpl/gallery/TEMPLATE OPTIONS --format json``."""
    confirm = ("--yes",) if scenario in WRITES else ()  # writes ask unless --yes
    args = ("run", scenario, str(GALLERY_DIR / template), *options, "--format", "json", *confirm)
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
        cwd=REPO_ROOT,
        env=clean_environment(config_dir, variables),
    )
    return RunOutcome(args, done.returncode, done.stdout, done.stderr)


def unique_number() -> str:
    """A fresh E.164 number (+1 415 then 7 random digits): the peers keep their data
    between runs, so every test works with numbers no earlier run has used."""
    return f"+1415{secrets.randbelow(9_000_000) + 1_000_000}"


def call_file(folder: Path, name: str, values: Mapping[str, str]) -> Path:
    """A ``--call`` file: a JSON object of PBX call variables."""
    path = folder / f"{name}.json"
    path.write_text(json.dumps(dict(values)), encoding="utf-8")
    return path


def only_record(outcome: RunOutcome) -> dict[str, str]:
    """The single record of a run (asserting there is exactly one)."""
    records = outcome.records
    assert len(records) == 1, outcome.describe()
    return records[0]


def assert_ok(outcome: RunOutcome, *, sent: Sequence[str] | None = None) -> None:
    """Exit 0, every request answered 2xx, and (if given) exactly these requests sent."""
    assert outcome.exit_code == 0, outcome.describe()
    assert all(200 <= status < 300 for _, status in outcome.statuses), outcome.describe()
    if sent is not None:
        assert [name for name, _ in outcome.statuses] == list(sent), outcome.describe()
