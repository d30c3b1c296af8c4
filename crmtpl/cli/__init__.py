"""The command-line interface: ``crmtpl`` and ``python -m crmtpl``.

The CLI owns all printing and every exit code; the core returns values or raises
:class:`crmtpl.errors.CrmtplError`. No traceback reaches a user unless ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from crmtpl.errors import CrmtplError, ExitCode

__all__ = ["main", "run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    from crmtpl.cli.app import build_app
    from crmtpl.cli.options import OPTIONS

    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    if _asks_for_version(args):
        # Answer before building the Typer app: CI calls this often; same output as the
        # eager --version option.
        from crmtpl import __version__

        sys.stdout.write(f"crmtpl {__version__}\n")
        return ExitCode.OK
    try:
        from crmtpl.cli.argorder import check_argument_order

        check_argument_order(args)
        from typer.main import get_command

        from crmtpl.cli.coercion import install_direct_coercion
        from crmtpl.cli.helpshape import plain_help

        name, subcommand = _command_names(args)
        command = get_command(build_app(only=name, subcommand=subcommand))
        install_direct_coercion(command)
        plain_help(command)
        result = command.main(args=args, prog_name="crmtpl", standalone_mode=False)
    except typer.Exit as stop:
        return stop.exit_code
    except typer.TyperException as problem:  # usage errors: bad option, missing argument
        show = getattr(problem, "show", None)
        if callable(show):
            show()
        else:
            from crmtpl.cli.messages import error

            error(problem.format_message())
        return problem.exit_code
    except typer.Abort as abort:
        if isinstance(abort.__cause__, EOFError):
            from crmtpl.cli.messages import error

            error(
                "input ended while crmtpl was waiting for an answer",
                hint="run it in a terminal, or pass the value as an option",
            )
            return ExitCode.USAGE
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except CrmtplError as failure:
        from crmtpl.cli.messages import error

        error(str(failure), failure.hint)
        return int(failure.exit_code)
    except Exception as bug:
        if OPTIONS.debug or "--debug" in args:
            raise
        from crmtpl.cli.messages import error

        error(
            f"unexpected internal error: {type(bug).__name__}: {bug}",
            hint="this is a bug in crmtpl; rerun with --debug and report the traceback",
        )
        return ExitCode.FINDINGS
    return result if isinstance(result, int) else ExitCode.OK


#: Global options that take no value and may come before ``--version``.
_FLAG_OPTIONS = frozenset({"-v", "--verbose", "-q", "--quiet", "--debug", "--no-debug"})


def _asks_for_version(args: list[str]) -> bool:
    """True when ``--version`` comes among the global options, before any command."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--version":
            return True
        if arg == "--color":
            index += 2
            continue
        if arg.startswith(("--color=", "-vv")) or arg in _FLAG_OPTIONS:
            index += 1
            continue
        return False
    return False


def _command_names(args: list[str]) -> tuple[str | None, str | None]:
    """The command the (hoisted) arguments name, and the word right after it when that
    is not an option (a group's subcommand: a group reads it before any option);
    None for what is not there."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--color":
            index += 2
            continue
        if arg.startswith("-"):
            if arg == "--":
                return None, None
            index += 1
            continue
        after = args[index + 1] if index + 1 < len(args) else None
        return arg, None if after is None or after.startswith("-") else after
    return None, None


#: Global options that take no value: they may come anywhere before ``--``.
_GLOBAL_FLAGS = _FLAG_OPTIONS | {"--no-color"}


def _is_global_flag(arg: str) -> bool:
    return arg in _GLOBAL_FLAGS or (len(arg) > 2 and arg[0] == "-" and set(arg[1:]) == {"v"})


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options given after the subcommand in front of it, as gh and ruff
    accept them: ``crmtpl run lookup t.xml --phone 1 -v`` is ``crmtpl -v run lookup ...``.

    ``--color`` takes a value (``--color never`` or ``--color=never``); nothing after
    ``--`` is touched.
    """
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if _is_global_flag(arg) or arg.startswith("--color="):
            front.append(arg)
        elif arg == "--color" and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
