"""The direct coercion gives what Typer's own (pydantic) coercion gives, errors included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

from crmtpl.cli.app import build_app
from crmtpl.cli.coercion import DirectRuntimeParam, install_direct_coercion

#: Values a command line or a default can give, ordinary and odd.
SAMPLES: list[Any] = [
    None,
    "",
    "0",
    "7",
    "007",
    "12",
    "-1",
    "+3",
    " 3",
    "1_000",
    "1.5",
    "2.50",
    ".5",
    "1e3",
    "inf",
    "nan",
    "abc",
    "TEXT",
    "text",
    "json",
    "never",
    "Never",
    "-",
    "examples",
    "examples/sandbox.xml",
    "no/such/file.xml",
    0,
    3,
    -2,
    2.5,
    30.0,
    True,
    Path("examples/sandbox.xml"),
    Path("examples"),
    ["a", "b"],
    ("examples/sandbox.xml",),
]


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return ("value", call())
    except BadParameter as problem:
        return ("error", problem.format_message())


def _every_param() -> list[tuple[str, Any, Context]]:
    root = get_command(build_app())
    install_direct_coercion(root)
    found: list[tuple[str, Any, Context]] = []

    def walk(command: Any, ctx: Context) -> None:
        for param in command.params:
            found.append((f"{ctx.command_path} {param.name}", param, ctx))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, Context(sub, parent=ctx, info_name=name))

    walk(root, Context(root, info_name="crmtpl", **root.context_settings))
    return found


PARAMS = _every_param()


@pytest.mark.parametrize(("where", "param", "ctx"), PARAMS, ids=[p[0] for p in PARAMS])
def test_every_parameter_coerces_as_typer_does(where: str, param: Any, ctx: Context) -> None:
    direct = param._runtime_param
    if param.type_descriptor.file_annotation is not None:
        assert direct is None  # file parameters keep Typer's own coercion
        return
    assert isinstance(direct, DirectRuntimeParam), where
    typer_own = build_runtime_param(param.type_descriptor)
    for value in SAMPLES:
        mine = _outcome(lambda: direct.coerce(value, param=param, ctx=ctx))  # noqa: B023
        theirs = _outcome(lambda: typer_own.coerce(value, param=param, ctx=ctx))  # noqa: B023
        assert repr(mine) == repr(theirs), (where, value)  # repr: nan equals nan
        assert type(mine[1]) is type(theirs[1]), (where, value)


def test_every_command_gets_the_direct_coercion() -> None:
    covered = [p for _, p, _ in PARAMS if isinstance(p._runtime_param, DirectRuntimeParam)]
    assert len(covered) > 50
    kinds = {repr(p.type_descriptor.annotation) for p in covered}
    for kind in ("<class 'str'>", "<class 'int'>", "<class 'float'>", "<class 'pathlib.Path'>"):
        assert kind in kinds


def test_a_bad_value_reads_as_typer_words_it() -> None:
    from crmtpl.cli import run

    app = build_app("validate")
    assert isinstance(app, typer.Typer)
    assert run(["validate", "--jobs", "-1", "examples/sandbox.xml"]) == 2
    assert run(["validate", "--format", "yaml", "examples/sandbox.xml"]) == 2


def test_an_ordinary_run_loads_no_pydantic() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, crmtpl.cli as c\n"
        "c.run(['validate', '--jobs', '1', '-f', 'json', 'examples/sandbox.xml'])\n"
        "c.run(['render', 'lookup', 'examples/sandbox.xml', '--phone', '1', '--timeout', '2.5'])\n"
        "print('PYDANTIC:', 'pydantic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "PYDANTIC: False"
