"""Where the team's shared material (``../shared``: conformance corpus, oracle, peers) lives.

CI lays a copy of ``shared/`` beside the clone; ``CRMTPL_SHARED`` overrides the location.
Under CI (``CI=true``) a missing resource is a failure; on a developer's machine the tests
that need it skip with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True when running under CI, where nothing may be skipped for a missing resource."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def shared_dir() -> Path:
    """The shared folder: ``$CRMTPL_SHARED`` or ``../shared`` beside the checkout."""
    override = os.environ.get("CRMTPL_SHARED")
    return Path(override) if override else REPO_ROOT.parent / "shared"


def require(path: Path, what: str) -> Path:
    """Return ``path`` if it exists; otherwise fail under CI, skip elsewhere."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if in_ci():
        pytest.fail(message + " (CI must provide it)")
    pytest.skip(message)


def oracle_binary() -> Path:
    """The built Go reference program: ``$CRMTPL_ORACLE`` or ``../shared/oracle/oracle``.

    ``.ci/services.sh`` builds it under CI (``../shared/oracle/build.sh`` in a copy) and
    exports ``CRMTPL_ORACLE``; locally, build it once the same way and export the path.
    """
    override = os.environ.get("CRMTPL_ORACLE")
    path = Path(override) if override else shared_dir() / "oracle" / "oracle"
    return require(path, "the Go reference oracle (build it with ../shared/oracle/build.sh)")


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
