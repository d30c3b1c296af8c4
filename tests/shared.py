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
