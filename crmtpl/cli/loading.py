"""Loading a template and its variables for the commands that render or run it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmtpl.secrets import Masker
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


def load(path: Path) -> LoadedTemplate:
    """Load a template; a :class:`TemplateLoadError` (exit 3) says where it breaks."""
    from crmtpl.errors import TemplateLoadError
    from crmtpl.template import load_template

    if str(path) != "-" and not path.exists():
        raise TemplateLoadError(
            f"{path}: no such file", hint="give the path of a template .xml file"
        )
    if str(path) == "-":
        import sys

        return load_template(sys.stdin.buffer.read(), display_name="<stdin>")
    return load_template(path)


def context_for(
    loaded: LoadedTemplate,
    *,
    assignments: Sequence[str] | None,
    vars_file: Path | None,
    phone: str | None = None,
    call_file: Path | None = None,
    pbx_values: Mapping[str, str] | None = None,
    profile: str | None = None,
) -> VariableContext:
    """The variable context from the command line (precedence in docs/variables.md)."""
    from crmtpl.render.context import ContextRequest, build_context

    return build_context(
        loaded,
        ContextRequest(
            assignments=list(assignments or ()),
            vars_file=vars_file,
            phone=phone,
            call_file=call_file,
            pbx_values=dict(pbx_values or {}),
            profile=profile,
        ),
    )


def masker_for(context: VariableContext, show_secrets: bool, extra: Sequence[str] = ()) -> Masker:
    """The masker for everything printed: secrets hidden unless ``--show-secrets``."""
    from crmtpl.secrets import Masker

    return Masker([*context.secret_values(), *extra], enabled=not show_secrets)
