"""What running a scenario produced: records, the exchanges on the wire, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtpl.http import HttpResponse
from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.render.request import RenderedRequest


@dataclass
class Exchange:
    """One request that went on the wire and what came back."""

    request: RenderedRequest
    response: HttpResponse | None
    note: str = ""

    @property
    def status(self) -> int | None:
        """The HTTP status, or None when no response arrived."""
        return None if self.response is None else self.response.status

    @property
    def elapsed_ms(self) -> float:
        """Time from sending to the last byte of the answer."""
        return 0.0 if self.response is None else self.response.elapsed_ms


@dataclass
class RunResult:
    """The outcome of ``crmtpl run <scenario>``."""

    scenario: str
    records: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hidden_fields: list[str] = field(default_factory=list)
    #: The contact a journal or ticket was written for (ContactId, ContactSyncType).
    contact: dict[str, str] = field(default_factory=dict)
    #: What the run found wrong in the answers (CT95x): an output path that matches
    #: nothing, a contact without a field the PBX requires. Errors: exit code 1.
    findings: list[Diagnostic] = field(default_factory=list)
