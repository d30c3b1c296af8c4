"""``--help`` as in every well-kept CLI: flags shown as flags, arguments as ``TEMPLATE``,
values as ``NUMBER`` or ``a|b`` (typer would print ``<bool>``, ``<str>``, ``{template}``)."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption


class _PlainArgument(TyperArgument):
    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _PlainOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        shown = self.display_type(ctx).strip("<>")
        if "|" in shown:  # choices: table|json
            return shown.removeprefix("list[").removesuffix("]")
        longest = max(self.opts, key=len).lstrip("-")
        return longest.replace("-", "_").upper()


def plain_help(command: Any) -> None:
    """Give every parameter of ``command`` and its subcommands the plain help shape."""
    for param in getattr(command, "params", []):
        if isinstance(param, TyperArgument):
            param.__class__ = _PlainArgument
            if param.metavar is None and param.name:
                param.metavar = param.name.upper()
        elif isinstance(param, TyperOption):
            param.__class__ = _PlainOption
    make_help_option = command.get_help_option

    def plain_help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if isinstance(option, TyperOption):
            option.__class__ = _PlainOption
        return option

    command.get_help_option = plain_help_option
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)
