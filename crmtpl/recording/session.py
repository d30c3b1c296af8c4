"""One run's recording or replay: the HttpClient hooks and the folder they use.

``--record DIR`` and ``--replay DIR`` name a folder that holds one sub-folder per scenario
(``DIR/lookup/``, ``DIR/call-journal/``...), so one folder can hold every scenario of a
template. Recording replaces that sub-folder's files; replaying reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crmtpl.errors import UsageError
from crmtpl.render.scenarios import ALIAS_OF

if TYPE_CHECKING:  # a plain live run loads none of the recording machinery
    from crmtpl.http import Observer, Responder
    from crmtpl.recording.store import Player, Recorder
    from crmtpl.template.model import Template
    from crmtpl.variables import VariableContext


def scenario_folder(root: Path, scenario_id: str) -> Path:
    """``root/lookup`` for SyncContactAuto: the sub-folder of one scenario."""
    return root / ALIAS_OF.get(scenario_id, scenario_id)


@dataclass
class RecordingSession:
    """What ``run`` records to or replays from; both None for a plain live run."""

    recorder: Recorder | None = None
    player: Player | None = None
    extra_secrets: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        template: Template,
        context: VariableContext,
        scenario_id: str,
        *,
        record: Path | None = None,
        replay: Path | None = None,
    ) -> RecordingSession:
        """Prepare a recording (``record``) or a replay (``replay``) of one scenario."""
        if record is not None and replay is not None:
            raise UsageError(
                "--record and --replay cannot be used together",
                hint="record once against the CRM, then replay that folder",
            )
        session = cls()
        if record is None and replay is None:
            return session
        from crmtpl.recording.replay import secrets_by_name, use_replay_placeholders
        from crmtpl.recording.store import Player, Recorder

        if replay is not None:
            use_replay_placeholders(template, context)
            session.player = Player(
                scenario_folder(replay, scenario_id), lambda: secrets_by_name(context)
            )
        if record is not None:
            session.recorder = Recorder(
                scenario_folder(record, scenario_id),
                lambda: secrets_by_name(context, session.extra_secrets),
            )
        return session

    @property
    def responder(self) -> Responder | None:
        """The HttpClient's responder: the player's, when replaying."""
        return None if self.player is None else self.player.respond

    @property
    def observer(self) -> Observer | None:
        """The HttpClient's observer: the recorder's, when recording."""
        return None if self.recorder is None else self.recorder.observe

    def finish(self, extra_secrets: Iterable[str] = ()) -> list[Path]:
        """Write the recording (tokens obtained during the run count as secrets too)."""
        if self.recorder is None:
            return []
        self.extra_secrets.extend(extra_secrets)
        return self.recorder.save()
