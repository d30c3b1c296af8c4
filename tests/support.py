"""Where the tests' own material lives, and how a missing resource is handled.

Everything the tests read is in the repository: the Go-recorded conformance cases and the
format's example templates under ``tests/data/`` (provenance in ``tests/data/README.md``),
the Go reference program under ``tests/oracle/`` and the real servers' start scripts under
``tests/servers/``. Under CI (``CI=true``) a missing resource is a failure; on a developer's
machine the tests that need it skip with the reason and the command that provides it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"
CONFORMANCE_DIR = DATA_DIR / "conformance"
SPEC_EXAMPLES_DIR = DATA_DIR / "spec-examples"
ORACLE_DIR = REPO_ROOT / "tests" / "oracle"


def in_ci() -> bool:
    """True when running under CI, where nothing may be skipped for a missing resource."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(path: Path, what: str) -> Path:
    """Return ``path`` if it exists; otherwise fail under CI, skip elsewhere."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if in_ci():
        pytest.fail(message + " (CI must provide it)")
    pytest.skip(message)


def oracle_binary() -> Path:
    """The built Go reference program: ``$CRMTPL_ORACLE`` or ``tests/oracle/oracle``.

    ``.ci/services.sh`` builds it (``tests/oracle/build.sh``) and exports ``CRMTPL_ORACLE``;
    on a developer's machine ``bash tests/oracle/build.sh`` builds it in place.
    """
    override = os.environ.get("CRMTPL_ORACLE")
    path = Path(override) if override else ORACLE_DIR / "oracle"
    return require(path, "the Go reference oracle (build it with: bash tests/oracle/build.sh)")


def run_oracle(cases: list[dict[str, object]], *, tz: str = "UTC") -> list[dict[str, object]]:
    """Send cases (dicts) to the oracle as JSON Lines and return its answers, in order."""
    import json
    import subprocess

    binary = oracle_binary()
    payload = "".join(json.dumps(case) + "\n" for case in cases)
    done = subprocess.run(
        [str(binary)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": tz},
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
