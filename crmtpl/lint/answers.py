"""Recorded answers of the CRM, as plain data lint can judge output paths against.

``crmtpl validate --responses DIR`` (and a template's test recordings) give lint the bodies
the CRM really answered, one :class:`RecordedAnswer` per exchange; the CLI reads the
recording files, so lint knows nothing of their format. The CT708 check
(:mod:`crmtpl.lint.checks.answers`) walks each output path along them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordedAnswer:
    """The JSON body one request of one scenario got from the CRM."""

    #: The template's scenario id (``SyncContactAuto``, ``CreateNewTicket``...).
    scenario: str
    #: The request's ``Name``.
    request: str
    #: The answer's JSON text.
    body: str
    #: Where it was read from, for messages (a recording file).
    origin: str
