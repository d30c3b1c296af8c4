"""The test file: TOML naming a template, a scenario, its inputs and what must come out.

```toml
template = "../templates/crm.xml"      # relative to this file
scenario = "lookup"                    # lookup, users, create-contact, call-journal,
                                       # ticket or global-info
recording = "recordings/crm"           # the --record/--replay folder, relative to this file

[inputs]
phone = "5503302"                      # lookup
types = ["contacts"]                   # lookup: only these contact types
call = { CallerNumber = "5503302" }    # PBX call values (call-journal, ticket)
vars = { username = "demo" }           # non-secret custom fields; secrets never go here
contact_id = "1001"                    # call-journal, ticket
ticket_id = "7"                        # ticket: UpdateTicket
first_name = "Ada"                     # create-contact, with last_name and number

[expect]
match = "subset"                       # or "exact"
records = [{ ContactsId = "1001", FirstName = "William" }]

[[expect.requests]]                    # optional: requests that must have been sent
method = "GET"
url = "http://127.0.0.1:8765/none/api/v1/contacts/search?phone={{any}}"
body = { Subject = "{{any}}" }         # JSON body; {{any}} matches any value
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmtpl.choices import TEST_FILE_PATTERN
from crmtpl.errors import ExitCode, UsageError
from crmtpl.render.scenarios import SCENARIO_ALIASES
from crmtpl.secrets import is_secret_name

#: Test files found in a folder; a file named on the command line can have any name.
RUNNABLE = ("lookup", "users", "create-contact", "call-journal", "ticket", "global-info")
INPUT_KEYS = frozenset(
    {
        "phone",
        "types",
        "call",
        "vars",
        "contact_id",
        "contact_type",
        "ticket_id",
        "first_name",
        "last_name",
        "number",
    }
)


class TestFileError(UsageError):
    """A test file cannot be read or does not describe a test (exit 3)."""

    __test__ = False
    exit_code = ExitCode.TEMPLATE_UNLOADABLE


@dataclass
class ExpectedRequest:
    """A request that must have been sent; ``{{any}}`` matches any value."""

    method: str
    url: str
    body: Any = None


@dataclass
class TestSpec:
    """One test file, its paths resolved against its folder."""

    __test__ = False

    path: Path
    template: Path
    scenario: str
    recording: Path
    inputs: dict[str, Any] = field(default_factory=dict)
    match: str = "subset"
    records: list[dict[str, str]] = field(default_factory=list)
    requests: list[ExpectedRequest] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The test's name in reports: the file name without ``.test.toml``."""
        return self.path.name.removesuffix(".toml").removesuffix(".test")

    @property
    def scenario_id(self) -> str:
        """SyncContactAuto for ``lookup``..."""
        return SCENARIO_ALIASES[self.scenario]


def _fail(path: Path, message: str, hint: str | None = None) -> TestFileError:
    return TestFileError(f"{path}: {message}", hint=hint or "docs/testing.md shows a test file")


def load_spec(path: Path) -> TestSpec:
    """Read and check one test file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as problem:
        raise _fail(path, f"cannot read it ({problem})") from problem
    except tomllib.TOMLDecodeError as problem:
        raise _fail(path, f"not valid TOML ({problem})") from problem
    for key in ("template", "scenario", "recording"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(path, f'{key} = "..." is missing')
    scenario = data["scenario"]
    if scenario not in RUNNABLE:
        raise _fail(path, f"scenario {scenario!r} is not one of {', '.join(RUNNABLE)}")
    inputs = data.get("inputs", {})
    if not isinstance(inputs, dict):
        raise _fail(path, "[inputs] must be a table")
    unknown = sorted(set(inputs) - INPUT_KEYS)
    if unknown:
        raise _fail(
            path, f"unknown input {unknown[0]!r}", f"inputs: {', '.join(sorted(INPUT_KEYS))}"
        )
    secret = [name for name in inputs.get("vars", {}) if is_secret_name(name)]
    if secret:
        raise _fail(
            path,
            f"[inputs] vars holds {secret[0]!r}, a secret",
            "secrets never go in test files: a replay uses placeholders, a live run the "
            "credential store (crmtpl auth set) or CRMTPL_VAR_*",
        )
    expect = data.get("expect", {})
    match = expect.get("match", "subset")
    if match not in ("exact", "subset"):
        raise _fail(path, f'[expect] match = {match!r}: use "exact" or "subset"')
    records = expect.get("records", [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise _fail(path, "[expect] records must be a list of tables")
    requests = []
    for entry in expect.get("requests", []):
        if not isinstance(entry, dict) or "method" not in entry or "url" not in entry:
            raise _fail(path, "each [[expect.requests]] needs method and url")
        requests.append(ExpectedRequest(str(entry["method"]), str(entry["url"]), entry.get("body")))
    folder = path.parent
    return TestSpec(
        path=path,
        template=(folder / data["template"]).resolve(),
        scenario=scenario,
        recording=(folder / data["recording"]).resolve(),
        inputs=inputs,
        match=match,
        records=[{str(k): str(v) for k, v in r.items()} for r in records],
        requests=requests,
    )


def find_test_files(paths: list[Path]) -> list[Path]:
    """The test files named, and every ``*.test.toml`` under the folders named (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(TEST_FILE_PATTERN) if p.is_file()))
        else:
            found.append(path)
    return found
