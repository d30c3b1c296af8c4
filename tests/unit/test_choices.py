"""Format names live in crmtpl.choices; every registry and every CLI choice uses them."""

from __future__ import annotations

import typer.main

from crmtpl.choices import RenderFormat, ReportFormat, RunFormat, TokenRuleMode
from crmtpl.cli.app import build_app
from crmtpl.lint.reporters import REPORTERS
from crmtpl.render.formatters import FORMATTERS as RENDER_FORMATTERS
from crmtpl.run.formatters import FORMATTERS as RUN_FORMATTERS


def _choices(path: list[str], option: str) -> list[str]:
    command = typer.main.get_command(build_app())
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        if option in param.opts:
            return [str(getattr(c, "value", c)) for c in param.type_descriptor.choices or ()]  # type: ignore[attr-defined]
    raise AssertionError(f"{' '.join(path)} has no {option}")


def test_each_registry_has_exactly_the_names() -> None:
    assert set(REPORTERS) == {name.value for name in ReportFormat}
    assert set(RENDER_FORMATTERS) == {name.value for name in RenderFormat}
    assert set(RUN_FORMATTERS) == {name.value for name in RunFormat}


def test_the_cli_offers_the_registered_names() -> None:
    assert _choices(["validate"], "--format") == list(REPORTERS)
    assert _choices(["render"], "--format") == list(RENDER_FORMATTERS)
    for sub in ("lookup", "users", "create-contact", "call-journal", "ticket", "global-info"):
        assert _choices(["run", sub], "--format") == list(RUN_FORMATTERS)
        modes = _choices(["run", sub], "--token-invalid-when")
        assert modes == [mode.value for mode in TokenRuleMode]
