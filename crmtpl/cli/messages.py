"""How the CLI tells a user about errors, warnings and hints (always on stderr).

Messages often quote what came from outside (a server's error, a token endpoint's answer,
a template's text): every one goes through :func:`crmtpl.controlchars.make_visible` here,
once, so a terminal obeys no escape sequence in them.
"""

from __future__ import annotations

from crmtpl.cli.options import OPTIONS, console


def escape(text: str) -> str:
    """Control characters made visible, then Rich's markup escaping (imported on first use,
    which keeps ``crmtpl --version`` fast)."""
    from rich.markup import escape as rich_escape

    from crmtpl.controlchars import make_visible

    return rich_escape(make_visible(text))


def error(message: str, hint: str | None = None) -> None:
    """Print ``error: message`` and an optional ``hint: ...`` line."""
    out = console(stderr=True)
    out.print(f"[bold red]error:[/] {escape(message)}")
    if hint:
        out.print(f"[cyan]hint:[/] {escape(hint)}")


def warning(message: str, hint: str | None = None) -> None:
    """Print ``warning: message`` unless ``--quiet``."""
    if OPTIONS.quiet:
        return
    out = console(stderr=True)
    out.print(f"[bold yellow]warning:[/] {escape(message)}")
    if hint:
        out.print(f"[cyan]hint:[/] {escape(hint)}")


def notice(message: str) -> None:
    """Print ``note: message`` unless ``--quiet`` (spec uncertainties, choices we made)."""
    if OPTIONS.quiet:
        return
    console(stderr=True).print(f"[blue]note:[/] {escape(message)}")
