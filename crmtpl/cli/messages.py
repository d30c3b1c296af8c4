"""How the CLI tells a user about errors, warnings and hints (always on stderr).

Messages often quote what came from outside (a server's error, a token endpoint's answer,
a template's text): every one goes through :func:`crmtpl.controlchars.make_visible` here,
once, so a terminal obeys no escape sequence in them.
"""

from __future__ import annotations

import re

from crmtpl.cli.options import OPTIONS, ColorMode, console, is_terminal, output_stream
from crmtpl.controlchars import make_visible

#: What Rich would change in a message it prints (it expands tabs, drops some controls).
_RICH_CHANGES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """Control characters made visible, then Rich's markup escaping (imported on first use,
    which keeps ``crmtpl --version`` fast)."""
    from rich.markup import escape as rich_escape

    from crmtpl.controlchars import make_visible

    return rich_escape(make_visible(text))


def _say(label: str, style: str, message: str) -> None:
    """``label: message`` on stderr: styled through Rich on a terminal or with colour; as
    the same plain line without loading Rich otherwise (Rich prints exactly that there:
    no colour, no wrapping), unless the text holds a character Rich would change."""
    visible = make_visible(message)
    plain = not is_terminal(stderr=True) and OPTIONS.color is not ColorMode.always
    if plain and not _RICH_CHANGES.search(visible):
        output_stream(stderr=True).write(f"{label}: {visible}\n")
        return
    from rich.markup import escape as rich_escape

    console(stderr=True).print(f"[{style}]{label}:[/] {rich_escape(visible)}")


def error(message: str, hint: str | None = None) -> None:
    """Print ``error: message`` and an optional ``hint: ...`` line."""
    _say("error", "bold red", message)
    if hint:
        _say("hint", "cyan", hint)


def warning(message: str, hint: str | None = None) -> None:
    """Print ``warning: message`` unless ``--quiet``."""
    if OPTIONS.quiet:
        return
    _say("warning", "bold yellow", message)
    if hint:
        _say("hint", "cyan", hint)


def notice(message: str) -> None:
    """Print ``note: message`` unless ``--quiet`` (spec uncertainties, choices we made)."""
    if OPTIONS.quiet:
        return
    _say("note", "blue", message)
