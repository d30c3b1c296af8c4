"""One argument order for ``render``, ``run`` and ``extract``: SCENARIO first, then TEMPLATE.

``crmtpl run lookup t.xml --phone 1`` runs what ``crmtpl render lookup t.xml --phone 1``
shows: the same words, one verb changed. ``run`` needs the scenario first (it is a
subcommand with its own options), so ``render`` follows it. The other order is answered
with the right command (exit 2) instead of "no such file" or "No such command".
"""

from __future__ import annotations

import shlex
from pathlib import Path

from crmtpl.errors import TemplateLoadError, UsageError


def _looks_like_template(text: str) -> bool:
    return text == "-" or text.lower().endswith(".xml") or Path(text).is_file()


def _scenario_names() -> set[str]:
    from crmtpl.render.scenarios import SCENARIO_ALIASES

    names = set(SCENARIO_ALIASES) | {s.lower() for s in SCENARIO_ALIASES.values()}
    return names | {"updateticket", "createnewticket", "searchcontact"}


def check_argument_order(args: list[str]) -> None:
    """Raise a UsageError showing the right command when TEMPLATE comes before SCENARIO."""
    verbs = ("render", "run", "extract")
    commands = [i for i, a in enumerate(args) if a in verbs and "--" not in args[:i]]
    if not commands or any(not a.startswith("-") for a in args[: commands[0]]):
        return
    at = commands[0]
    verb = args[at]
    first, second = [*args[at + 1 : at + 3], "", ""][:2]
    if not _looks_like_template(first) or second.lower() not in _scenario_names():
        return
    fixed = [*args[: at + 1], second, first, *args[at + 3 :]]
    raise UsageError(
        f"{verb} takes the scenario first, then the template: crmtpl {verb} SCENARIO TEMPLATE",
        hint=f"the right command: crmtpl {shlex.join(fixed)}",
    )


def require_existing(paths: list[str]) -> None:
    """A named file that does not exist is exit 3 in every command, as in render and run."""
    for text in paths:
        if text == "-" or set(text) & set("*?["):
            continue
        path = Path(text)
        if not path.exists() and not path.is_symlink():
            raise TemplateLoadError(
                f"{text}: no such file or directory",
                hint="give the path of a template .xml file, or a directory that holds some",
            )
