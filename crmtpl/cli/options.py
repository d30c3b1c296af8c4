"""Global command-line options and the consoles every command prints through.

Rich is imported lazily here so that ``crmtpl --version`` stays as cheap as importing typer.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class ColorMode(StrEnum):
    """When to colour output."""

    auto = "auto"
    always = "always"
    never = "never"


@dataclass
class GlobalOptions:
    """Options given before the subcommand: ``crmtpl -v --color never validate ...``."""

    color: ColorMode = ColorMode.auto
    verbosity: int = 0
    quiet: bool = False
    debug: bool = False

    def color_enabled(self, stream_is_tty: bool) -> bool:
        """Whether to colour a stream, honouring ``--color`` and ``NO_COLOR``."""
        if self.color is ColorMode.always:
            return True
        if self.color is ColorMode.never or os.environ.get("NO_COLOR"):
            return False
        return stream_is_tty


OPTIONS = GlobalOptions()
_consoles: dict[bool, Console] = {}


def console(*, stderr: bool = False) -> Console:
    """The Rich console for results (stdout) or for messages (stderr)."""
    cached = _consoles.get(stderr)
    if cached is not None:
        return cached
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    enabled = OPTIONS.color_enabled(stream.isatty())
    made = Console(
        file=stream,
        stderr=stderr,
        force_terminal=True if OPTIONS.color is ColorMode.always else None,
        no_color=not enabled,
        color_system="auto" if enabled else None,
        highlight=False,
        soft_wrap=not stream.isatty(),
    )
    _consoles[stderr] = made
    return made


def is_terminal(*, stderr: bool = False) -> bool:
    """What ``console(stderr=...).is_terminal`` says, without loading Rich when the answer
    is certainly no: no ``--color always``, no ``TTY_COMPATIBLE=1`` or ``FORCE_COLOR``, and
    the stream is not a terminal (Rich's own rules then answer False)."""
    if not _maybe_terminal(stderr):
        return False
    return console(stderr=stderr).is_terminal


def _maybe_terminal(stderr: bool) -> bool:
    if OPTIONS.color is ColorMode.always or stderr in _consoles:
        return True
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if stderr else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return True


def output_stream(*, stderr: bool = False) -> IO[str]:
    """The stream ``console(stderr=...).file`` writes to, without making a console."""
    cached = _consoles.get(stderr)
    if cached is not None:
        return cached.file
    return sys.stderr if stderr else sys.stdout


def reset_consoles() -> None:
    """Forget cached consoles (tests swap the streams between invocations)."""
    _consoles.clear()


def configure_logging() -> None:
    """Send the core's log records to stderr at the level ``-v``/``-q`` ask for."""
    if OPTIONS.quiet:
        level = logging.ERROR
    elif OPTIONS.verbosity >= 2 or OPTIONS.debug:
        level = logging.DEBUG
    elif OPTIONS.verbosity == 1:
        level = logging.INFO
    else:
        level = logging.WARNING
    logger = logging.getLogger("crmtpl")
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
