"""The ``crmtpl auth`` commands that hints and error messages tell the user to run.

Kept free of imports so the CLI can build its help without loading the HTTP stack.
"""

from __future__ import annotations

from pathlib import Path


def auth_command(verb: str, template: Path | str, profile: str | None = None) -> str:
    """``crmtpl auth VERB TEMPLATE [--profile P]``, e.g. the login a token error asks for."""
    command = f"crmtpl auth {verb} {template}"
    return command + (f" --profile {profile}" if profile else "")
