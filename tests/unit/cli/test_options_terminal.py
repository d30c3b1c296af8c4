"""is_terminal answers what Rich's console answers, and loads Rich only when it must."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from crmtpl.cli import options
from crmtpl.cli.options import OPTIONS, ColorMode, is_terminal, output_stream, reset_consoles


@pytest.fixture
def a_tty() -> Iterator[io.TextIOWrapper]:
    leader, follower = os.openpty()
    stream = open(follower, "w", encoding="utf-8")  # noqa: SIM115
    try:
        yield stream
    finally:
        stream.close()
        os.close(leader)


@pytest.mark.parametrize("stderr", [False, True])
def test_is_terminal_agrees_with_rich_everywhere(
    stderr: bool, a_tty: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = OPTIONS.color
    try:
        for tty, color, force, compatible in itertools.product(
            (False, True), list(ColorMode), (None, "", "1"), (None, "0", "1")
        ):
            stream = a_tty if tty else io.StringIO()
            monkeypatch.setattr(sys, "stderr" if stderr else "stdout", stream)
            for name, value in (("FORCE_COLOR", force), ("TTY_COMPATIBLE", compatible)):
                if value is None:
                    monkeypatch.delenv(name, raising=False)
                else:
                    monkeypatch.setenv(name, value)
            OPTIONS.color = color
            reset_consoles()
            mine = is_terminal(stderr=stderr)
            assert output_stream(stderr=stderr) is stream
            reset_consoles()
            rich = options.console(stderr=stderr).is_terminal
            assert mine == rich, (tty, color, force, compatible)
    finally:
        OPTIONS.color = saved
        reset_consoles()


def test_a_run_in_a_pipe_loads_no_rich() -> None:
    probe = (
        "import sys\n"
        "from crmtpl.cli.options import is_terminal, output_stream\n"
        "print(is_terminal(), is_terminal(stderr=True), output_stream() is sys.stdout)\n"
        "print('rich' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split() == ["False", "False", "True", "False"]
