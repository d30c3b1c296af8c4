"""docs/commands.md is the CLI's own --help of every command, and is current."""

from __future__ import annotations

from crmtpl.cli.reference import command_paths, reference
from tests.support import REPO_ROOT


def test_every_command_is_in_the_reference() -> None:
    names = {" ".join(path) for path in command_paths()}
    assert {"render", "run lookup", "run call-journal", "auth login", "sandbox"} <= names


def test_the_committed_reference_is_current() -> None:
    committed = (REPO_ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert committed == reference(), (
        "docs/commands.md is stale: python -m crmtpl.cli.reference docs/commands.md"
    )


def test_help_shows_flags_as_flags_and_arguments_by_name() -> None:
    text = reference()
    for internal in ("<bool>", "<str>", "<int>", "<float>", "<path>", "<list[", "{template}"):
        assert internal not in text, internal
    assert "Usage: crmtpl run lookup [OPTIONS] TEMPLATE" in text
