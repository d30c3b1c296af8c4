"""``crmtpl extract SCENARIO TEMPLATE --response FILE``: a template's outputs on a saved answer."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crmtpl.cli.common import VarOption

HELP = """Apply a template's output paths to a saved CRM answer, and print each value.

FILE is the answer's JSON (as `crmtpl run -vv` shows it) or a recording file written by
`crmtpl run SCENARIO TEMPLATE ... --record DIR`. For a path that matches nothing it prints
the keys that exist where the path stopped and the closest path, and exits 1.

Example: `crmtpl extract lookup examples/sandbox.xml --response
rec/lookup/02-SyncContactAuto-contacts.json`
"""


class ExtractFormat(StrEnum):
    """Output formats of ``crmtpl extract``."""

    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``crmtpl extract`` to the application."""
    app.command("extract", help=HELP)(extract_command)


def extract_command(
    scenario: Annotated[str, typer.Argument(help="lookup, users, call-journal... or an id.")],
    template: Annotated[Path, typer.Argument(help="The template file.")],
    response: Annotated[
        Path, typer.Option("--response", metavar="FILE", help="The saved answer (or -).")
    ],
    request: Annotated[
        str | None, typer.Option("--request", metavar="NAME", help="Only this request.")
    ] = None,
    var: VarOption = None,
    output_format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ExtractFormat.text,
) -> None:
    """Apply the template's output paths to a saved answer."""
    from rich.markup import escape

    from crmtpl.cli.gjson_command import read_input
    from crmtpl.cli.loading import context_for, load
    from crmtpl.cli.options import console
    from crmtpl.errors import FindingsError
    from crmtpl.extract import extract_outputs, response_body
    from crmtpl.render.scenarios import resolve_scenario

    loaded = load(template)
    scenario_id = resolve_scenario(scenario, tuple(s.id or "" for s in loaded.model.scenarios))
    text, origin = read_input(response)
    body, recorded_request = response_body(text, origin)
    context = context_for(loaded, assignments=var, vars_file=None)
    result = extract_outputs(
        loaded, scenario_id, context, body, request_name=request or recorded_request or None
    )
    if output_format is ExtractFormat.json:
        document = [
            {
                "request": o.request,
                "name": o.name,
                "path": o.value.path,
                "exists": o.value.exists,
                "value": o.value.text,
                "miss": None if o.miss is None else o.miss.describe(),
                "closest": None if o.miss is None else o.miss.closest,
            }
            for o in result.outputs
        ]
        console().file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        out = console()
        for output in result.outputs:
            label = f"{output.request}.{output.name}" if output.request else output.name
            if output.miss is None:
                path, value = escape(output.value.path), escape(output.value.text)
                out.print(f"{escape(label)}  [dim]{path}[/]  {value}")
            else:
                out.print(f"{escape(label)}  [yellow]{escape(output.miss.describe())}[/]")
    if result.misses:
        names = ", ".join(o.name for o in result.misses)
        raise FindingsError(
            f"{len(result.misses)} output path(s) match nothing in {origin}: {names}",
            hint="fix the Path of those <Output>s; the closest real paths are shown above",
        )
