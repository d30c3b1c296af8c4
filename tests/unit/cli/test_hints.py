"""Every hint offers only options that exist where it is shown (issue 15).

The test reads every hint text of the crmtpl sources that names an option (``hint=...``
arguments and ``hint = ...`` assignments, and what the CLI passes to ``error``,
``warning`` and ``notice``), and checks each option against the real command tree of the
CLI (Typer's click commands): an option written after ``crmtpl COMMAND`` must exist on
that command; an option named without a command must exist on the command(s) that show
the hint, given by where the hint is written (``WHERE_SHOWN``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import typer

from crmtpl.cli.app import build_app
from tests.support import REPO_ROOT

SOURCES = REPO_ROOT / "crmtpl"
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
COMMAND = re.compile(r"crmtpl((?: [a-z][a-z-]*)+)")
#: Clauses of a hint: an option belongs to the command named in its own clause.
CLAUSE = re.compile(r";|,| or |\(|\)| \| |`")
#: Placeholders that hold a command line, as the hint shows it.
COMMAND_PLACEHOLDERS = {
    "{login_command}": "crmtpl auth login",
    "{self.login_command}": "crmtpl auth login",
}

#: Source path prefix -> the commands whose runs show its hints (the first match wins).
WHERE_SHOWN = (
    ("cli/__init__.py", ("",)),
    ("cli/auth.py", ("auth",)),
    ("cli/auth_login.py", ("auth login",)),
    ("cli/auth_set.py", ("auth set",)),
    ("cli/auth_status.py", ("auth status",)),
    ("cli/auth_approve.py", ("auth approve",)),
    ("cli/run_execute.py", ("run",)),
    ("cli/test_command.py", ("test",)),
    ("cli/extract_command.py", ("extract",)),
    ("cli/gjson_command.py", ("gjson",)),
    ("cli/fixing.py", ("validate",)),
    ("cli/lsp_command.py", ("lsp",)),
    ("cli/findings.py", ("render", "run")),
    ("cli/render_command.py", ("render",)),
    ("cli/run_command.py", ("run",)),
    ("cli/run_", ("run",)),
    ("cli/write_confirm.py", ("run",)),
    ("cli/validate.py", ("validate",)),
    ("cli/sandbox.py", ("sandbox",)),
    ("cli/new_command.py", ("new",)),
    ("scaffold/", ("new",)),
    ("creds/redirect.py", ("auth login",)),
    ("creds/binding.py", ("auth approve",)),
    ("creds/login.py", ("auth login",)),
    ("creds/", ("auth", "run")),
    ("auth/", ("auth", "run")),
    ("http.py", ("run",)),
    ("render/", ("render", "run")),
    ("run/", ("run",)),
    ("sandbox/", ("sandbox",)),
    ("lint/", ("validate", "render", "run")),
    ("recording/", ("run lookup", "test")),
    ("testing/", ("test",)),
    ("extract.py", ("extract",)),
)


@dataclass(frozen=True)
class Hint:
    """A hint text (f-string parts shown as ``{expression}``) and where it is written."""

    file: str
    line: int
    text: str


def _text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append("{" + ast.unparse(value.value) + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.IfExp):
        return " | ".join(t for t in (_text(node.body), _text(node.orelse)) if t)
    return None


def _is_hint_slot(node: ast.AST) -> bool:
    """``hint=...`` or ``hint = ...``."""
    if isinstance(node, ast.keyword):
        return node.arg == "hint"
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "hint" for t in node.targets
    )


def _hint_nodes(tree: ast.AST, cli: bool) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword | ast.Assign) and _is_hint_slot(node):
            yield node.value
        elif (
            cli
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("error", "warning", "notice")
        ):
            yield from node.args


def collect_hints() -> list[Hint]:
    """Every hint of the crmtpl sources that names an option."""
    hints = []
    for path in sorted(SOURCES.rglob("*.py")):
        relative = path.relative_to(SOURCES).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _hint_nodes(tree, relative.startswith("cli/")):
            text = _text(node)
            if text is not None and OPTION.search(text):
                hints.append(Hint(relative, node.lineno, text))
    return hints


def _options(command: Any) -> set[str]:
    return {name for p in command.params for name in (*p.opts, *p.secondary_opts)}


def command_tree() -> dict[str, set[str]]:
    """``"run lookup"`` -> its options (with the global ones of ``crmtpl``), for every
    command and group; ``""`` is crmtpl itself."""
    root = typer.main.get_command(build_app())
    tree: dict[str, set[str]] = {}
    global_options = _options(root)

    def walk(path: str, command: Any) -> None:
        tree[path] = _options(command) | global_options
        for name, sub in getattr(command, "commands", {}).items():  # a group's commands
            walk(f"{path} {name}".strip(), sub)

    walk("", root)
    return tree


def _shown_on(file: str) -> tuple[str, ...]:
    return next(commands for prefix, commands in WHERE_SHOWN if file.startswith(prefix))


def _offered_somewhere(option: str, command: str, tree: dict[str, set[str]]) -> bool:
    """True when ``command`` (or, for a group, one of its subcommands) has ``option``."""
    prefix = f"{command} " if command else ""
    return any(
        option in options
        for path, options in tree.items()
        if path == command or (prefix and path.startswith(prefix))
    )


def wrong_options(hint: Hint, tree: dict[str, set[str]]) -> list[str]:
    """The options of ``hint`` that do not exist where it sends the user."""
    text = hint.text
    for placeholder, command_line in COMMAND_PLACEHOLDERS.items():
        text = text.replace(placeholder, command_line)
    problems = []
    for clause in CLAUSE.split(text):
        named = COMMAND.search(clause)
        options = OPTION.findall(clause)
        if named is not None:
            words = named.group(1).split()
            command = ""
            for word in words:  # the longest run of words that names a command
                candidate = f"{command} {word}".strip()
                if candidate not in tree:
                    break
                command = candidate
            after = OPTION.findall(clause[named.end() - len(named.group(1)) :])
            problems += [f"crmtpl {command} {o}" for o in after if o not in tree[command]]
            continue
        for shown in _shown_on(hint.file):
            problems += [
                f"{o} (shown by crmtpl {shown})".replace("crmtpl  ", "crmtpl ")
                for o in options
                if not _offered_somewhere(o, shown, tree)
            ]
    return problems


HINTS = collect_hints()


def test_the_hints_that_name_options_are_found() -> None:
    files = {hint.file for hint in HINTS}
    assert {"creds/oauth.py", "render/context.py", "run/runner.py", "http.py"} <= files
    assert len(HINTS) >= 25


@pytest.mark.parametrize("hint", HINTS, ids=[f"{h.file}:{h.line}" for h in HINTS])
def test_every_option_a_hint_names_exists_where_it_is_shown(hint: Hint) -> None:
    assert wrong_options(hint, command_tree()) == [], hint.text


def test_a_wrong_option_in_a_hint_is_caught() -> None:
    tree = command_tree()
    shown_in_run = Hint("run/runner.py", 1, "check how they are sent: --client-auth post")
    assert wrong_options(shown_in_run, tree) == ["--client-auth (shown by crmtpl run)"]
    named = Hint("creds/oauth.py", 1, "run crmtpl auth set TEMPLATE --client-auth post")
    assert wrong_options(named, tree) == ["crmtpl auth set --client-auth"]
    right = Hint("creds/oauth.py", 1, "run crmtpl auth login TEMPLATE --client-auth basic")
    assert wrong_options(right, tree) == []
