"""Before a write to a live CRM: show what will be written and, in a terminal, ask.

The decision (send, ask, refuse) and the words are the core's (:mod:`crmtpl.run.writes`);
this module owns the terminal: the preview on stderr and the yes/no question.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from crmtpl.run.writes import WriteGate, WritePreview
    from crmtpl.secrets import Masker


def stdin_is_terminal() -> bool:
    """True when someone can answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


def gate_for(scenario_id: str, *, dry_run: bool, replay: bool, yes: bool) -> WriteGate:
    """The gate of this run; raises the refusal (exit 2) when nobody can confirm."""
    from crmtpl.run.writes import WriteGate, refusal, write_gate

    gate = write_gate(
        scenario_id, dry_run=dry_run, replay=replay, yes=yes, interactive=stdin_is_terminal()
    )
    if gate is WriteGate.REFUSE:
        raise refusal(scenario_id)
    return gate


def confirmer(
    gate: WriteGate,
    masker: Callable[[], Masker],
    pause: Callable[[], AbstractContextManager[object]],
) -> Callable[[WritePreview], None]:
    """The runner's ``before_write``: print the preview; with the ASK gate, ask first.

    ``pause`` stops the progress spinner while the preview and the question are shown.
    """
    from crmtpl.cli.options import OPTIONS, console
    from crmtpl.run.writes import WriteDeclined, WriteGate

    def confirm(preview: WritePreview) -> None:
        asking = gate is WriteGate.ASK
        if OPTIONS.quiet and not asking:
            return
        with pause():
            console(stderr=True).file.write(preview.text(masker()))
            if asking and not typer.confirm("write this to the CRM?", default=False, err=True):
                raise WriteDeclined(
                    "nothing was written: you answered no",
                    hint="--dry-run shows the requests without sending anything",
                )

    return confirm
