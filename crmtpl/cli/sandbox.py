"""``crmtpl sandbox``: start, stop and inspect the local sandbox CRM and helpdesk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.cli.options import console

if TYPE_CHECKING:
    from crmtpl.sandbox.server import RequestRecord, SandboxServer

HELP = """Run a small CRM and helpdesk on 127.0.0.1 to try templates against.

`crmtpl sandbox` serves in the foreground (Ctrl-C stops it); `crmtpl sandbox --background`
starts it detached and `crmtpl sandbox stop` stops it. Data (SQLite) persists in the data
directory. Every auth method has its own path prefix: /none, /basic, /apikey, /bearer,
/oauth. The example templates (examples/sandbox*.xml) take the base URL from the custom
field sandbox_url (default http://127.0.0.1:8765). See docs/sandbox.md.
"""

_DATA_HELP = (
    "Data directory (SQLite file, log, state). Default: $XDG_DATA_HOME/crmtpl/sandbox,"
    " i.e. ~/.local/share/crmtpl/sandbox."
)
DataOption = Annotated[
    Path | None,
    typer.Option("--data", envvar="CRMTPL_SANDBOX_DATA", help=_DATA_HELP, show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add ``crmtpl sandbox`` (with ``stop`` and ``status``) to the application."""
    sandbox = typer.Typer(name="sandbox", help=HELP, rich_markup_mode="markdown")
    sandbox.callback(invoke_without_command=True)(start)
    sandbox.command("stop", help="Stop the sandbox serving the data directory.")(stop)
    sandbox.command("status", help="Say whether a sandbox serves the data directory.")(status)
    app.add_typer(sandbox, name="sandbox")


def start(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one)."),
    ] = 8765,
    data: DataOption = None,
    background: Annotated[
        bool, typer.Option(help="Start detached, wait until it answers, print how to stop it.")
    ] = False,
    token_ttl: Annotated[
        int, typer.Option(min=1, help="Lifetime of access tokens in seconds.")
    ] = 300,
) -> None:
    """Start the sandbox (in the foreground unless --background)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = data
        return
    from crmtpl.sandbox import default_data_dir

    data_dir = (data or default_data_dir()).expanduser().resolve()
    if background:
        _start_background(port, data_dir, token_ttl)
    else:
        _serve_foreground(port, data_dir, token_ttl)


def stop(ctx: typer.Context, data: DataOption = None) -> None:
    """Stop the sandbox serving the data directory."""
    from crmtpl.sandbox.process import stop_running

    data_dir = _data_dir(ctx, data)
    stopped = stop_running(data_dir)
    if stopped is None:
        console().print(f"No sandbox is running for {escape(str(data_dir))}.")
        return
    console().print(f"Stopped the sandbox at {stopped.url}/ (pid {stopped.pid}).")


def status(ctx: typer.Context, data: DataOption = None) -> None:
    """Say whether a sandbox serves the data directory (exit 1 when none does)."""
    from crmtpl.sandbox.process import find_running

    data_dir = _data_dir(ctx, data)
    running = find_running(data_dir)
    if running is None:
        console().print(f"No sandbox is running for {escape(str(data_dir))}.")
        raise typer.Exit(1)
    console().print(
        f"The sandbox is running at {running.url}/ (pid {running.pid},"
        f" token lifetime {running.token_ttl} s)."
    )
    console().print(f"Data: {escape(running.data_dir)}")


def escape(text: str) -> str:
    """Rich-markup-escape text (Rich is imported only when something is printed)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _data_dir(ctx: typer.Context, data: Path | None) -> Path:
    from crmtpl.sandbox import default_data_dir

    given = data or (ctx.obj if isinstance(ctx.obj, Path) else None)
    return (given or default_data_dir()).expanduser().resolve()


def _stop_hint(data_dir: Path) -> str:
    from crmtpl.sandbox import default_data_dir

    if data_dir == default_data_dir().expanduser().resolve():
        return "crmtpl sandbox stop"
    return f"crmtpl sandbox stop --data {data_dir}"


def _start_background(port: int, data_dir: Path, token_ttl: int) -> None:
    from crmtpl.cli.messages import warning
    from crmtpl.sandbox.process import start_background

    running, already = start_background(port, data_dir, token_ttl)
    out = console()
    if already:
        out.print(f"The sandbox is already running at {running.url}/ (pid {running.pid}).")
        if port and running.port != port:
            warning(
                f"it listens on port {running.port}, not {port}",
                hint="stop it first to restart it on another port",
            )
    else:
        out.print(
            f"The sandbox is running in the background at {running.url}/ (pid {running.pid})."
        )
        out.print(f"Data: {escape(str(data_dir))}  Log: {escape(str(running.log_file))}")
    for line in try_lines(running.port):
        out.print(escape(line))
    out.print(f"Stop it with: {escape(_stop_hint(data_dir))}")


def _serve_foreground(port: int, data_dir: Path, token_ttl: int) -> None:
    from crmtpl.errors import UsageError
    from crmtpl.sandbox import PortInUseError, SandboxServer
    from crmtpl.sandbox.process import (
        find_running,
        port_in_use_error,
        registered,
        stop_signals,
        wait_for,
    )

    running = find_running(data_dir)
    if running is not None:
        raise UsageError(
            f"a sandbox already serves {data_dir} at {running.url}/ (pid {running.pid})",
            hint=f"use that one, or stop it with: {_stop_hint(data_dir)}",
        )
    server = SandboxServer(port, data_dir, token_ttl, on_request=_log_request)
    with stop_signals() as stop:
        try:
            server.start()
        except PortInUseError:
            raise port_in_use_error(port, data_dir) from None
        try:
            with registered(server):
                _print_banner(server)
                wait_for(stop)
        finally:
            server.stop()
    console(stderr=True).print("Sandbox stopped.")


def _log_request(record: RequestRecord) -> None:
    console(stderr=True).print(escape(record.line()))


def _print_banner(server: SandboxServer) -> None:
    from crmtpl.sandbox import AUTH_PREFIXES
    from crmtpl.sandbox.seed import CONTACTS, LEADS
    from crmtpl.sandbox.settings import API_PATH

    out = console()
    out.print(f"[bold]crmtpl sandbox[/] — a CRM and helpdesk at {server.url}/")
    out.print(f"Data: {escape(str(server.data_dir))}")
    out.print()
    out.print("Auth prefixes (all serve the same data):")
    for prefix in AUTH_PREFIXES:
        out.print(f"  {prefix.name:<7} {server.url}/{prefix.name}{API_PATH}")
        out.print(f"          {escape(prefix.credential)}")
    out.print(
        f"  OAuth2 authorization code: {server.url}/oauth/authorize and {server.url}/oauth/token;"
        f" access tokens live {server.token_ttl} s"
    )
    out.print()
    out.print("Seeded numbers:")
    for person in CONTACTS + LEADS:
        kind = "contact" if person in CONTACTS else "lead"
        number = person.phones[0][1]
        out.print(
            f"  {number:<18} {person.first_name} {person.last_name} ({kind}, {person.company})"
        )
    out.print()
    for line in try_lines(server.port):
        out.print(escape(line))
    out.print("Ctrl-C to stop.")


def try_lines(port: int) -> list[str]:
    """The command that works against a sandbox on ``port``: the example templates take
    their base URL from the custom field sandbox_url, whose default is port 8765."""
    from crmtpl.sandbox import DEFAULT_PORT

    command = "crmtpl run lookup examples/sandbox.xml --phone 5503302"
    if port == DEFAULT_PORT:
        return [f"Try: {command}"]
    return [
        f"Try: curl 'http://127.0.0.1:{port}/none/api/v1/contacts/search?phone=5503302'",
        f"  or: {command} --var sandbox_url=http://127.0.0.1:{port}",
        f"The example templates default to port {DEFAULT_PORT}; for port {port}, give every"
        f" command --var sandbox_url=http://127.0.0.1:{port}"
        f" or export CRMTPL_VAR_sandbox_url=http://127.0.0.1:{port}",
    ]
