"""The exceptions that stop a crmtpl command, each bound to one documented exit code.

Diagnostics (lint findings, warnings) are values, not exceptions. An exception here means
"cannot go on"; its ``str()`` is the sentence a user reads, and ``hint`` says what to do.
The CLI maps each class to its exit code (see :class:`ExitCode`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every crmtpl command (docs/exit-codes.md)."""

    OK = 0
    FINDINGS = 1  # lint errors, an expectation not met (no contact found)
    USAGE = 2  # bad options or arguments
    TEMPLATE_UNLOADABLE = 3  # unreadable, not well-formed, too large
    NETWORK = 4  # network or HTTP failure
    AUTH = 5  # authentication or credentials problem
    INTERRUPTED = 130  # Ctrl-C


EXIT_CODE_TABLE: tuple[tuple[int, str], ...] = (
    (ExitCode.OK, "success"),
    (ExitCode.FINDINGS, "findings or an expectation not met (lint errors, no contact found)"),
    (ExitCode.USAGE, "usage error (bad option, argument or input file)"),
    (
        ExitCode.TEMPLATE_UNLOADABLE,
        "template cannot be loaded (unreadable, not well-formed, too large)",
    ),
    (ExitCode.NETWORK, "network or HTTP failure"),
    (ExitCode.AUTH, "authentication or credentials problem"),
    (ExitCode.INTERRUPTED, "interrupted (Ctrl-C)"),
)


class CrmtplError(Exception):
    """Base of every error that ends a command with a message instead of a traceback."""

    exit_code: ExitCode = ExitCode.FINDINGS

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(CrmtplError):
    """The command line or an input file given on it is wrong."""

    exit_code = ExitCode.USAGE


class TemplateLoadError(CrmtplError):
    """A template file cannot be read or parsed at all."""

    exit_code = ExitCode.TEMPLATE_UNLOADABLE


class NetworkError(CrmtplError):
    """A request could not be sent, or the server answered with a failure."""

    exit_code = ExitCode.NETWORK
    #: True for failures where resending an idempotent request may succeed.
    retryable: bool = False


class Interrupted(CrmtplError):
    """The command was interrupted (Ctrl-C): nothing more is sent."""

    exit_code = ExitCode.INTERRUPTED


class AuthError(CrmtplError):
    """Credentials are missing, rejected, or a token could not be obtained or refreshed."""

    exit_code = ExitCode.AUTH


class FindingsError(CrmtplError):
    """The command ran but what it checked did not hold (e.g. no contact found)."""

    exit_code = ExitCode.FINDINGS
