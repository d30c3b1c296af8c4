"""``crmtpl lsp``: the language server for editors, over stdin/stdout."""

from __future__ import annotations

import typer

HELP = """Run the language server: editors start it to show validate's findings as you type,
hovers, completions, go to definition, the outline and quick fixes. It speaks the Language
Server Protocol on standard input and output; see docs/editors.md for VS Code, Neovim,
Helix and Emacs.

It needs pygls: `pip install 'crmtpl[lsp]'`.
"""

INSTALL_HINT = "pip install 'crmtpl[lsp]' (or pip install 'pygls>=2,<3' beside crmtpl)"


def register(app: typer.Typer) -> None:
    """Add ``crmtpl lsp`` to the application."""
    app.command("lsp", help=HELP)(lsp)


def lsp(
    stdio: bool = typer.Option(
        True, "--stdio", help="Talk over stdin/stdout (the only transport; editors pass it)."
    ),
) -> None:
    """Serve templates to an editor until it exits."""
    from crmtpl.errors import UsageError

    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError(
            "crmtpl lsp needs pygls, which is not installed", hint=INSTALL_HINT
        ) from None
    from crmtpl.lsp.server import serve

    serve()
