"""``crmtpl rules``: list the rules of ``crmtpl validate``, or explain one."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crmtpl.cli.messages import escape
from crmtpl.cli.options import console

if TYPE_CHECKING:
    from crmtpl.lint import RuleSpec

HELP = """List every rule of `crmtpl validate` (id, severity, summary), or explain one.

`crmtpl rules CT821` (or `crmtpl rules undefined-variable`) explains a rule with an example
of what it finds and how to write it instead; `crmtpl rules CT8` lists a family. The same
table is docs/rules.md.
"""

_SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "blue"}


class RulesFormat(StrEnum):
    """Output formats of ``crmtpl rules``."""

    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``crmtpl rules`` to the application."""
    app.command("rules", help=HELP)(rules)


def rules(
    rule: Annotated[
        str | None,
        typer.Argument(
            metavar="[RULE]", help="A rule id (CT821), name (undefined-variable) or prefix (CT8)."
        ),
    ] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = RulesFormat.text,
) -> None:
    """List the rules, or explain one."""
    from crmtpl.errors import UsageError
    from crmtpl.lint import rule_table
    from crmtpl.suggest import did_you_mean

    table = rule_table()
    chosen = list(table.rules)
    single = None
    if rule is not None:
        single = table.lookup(rule)
        ids = table.resolve(rule)
        if not ids:
            names = [r.id for r in table.rules] + [r.name for r in table.rules]
            raise UsageError(
                f"{rule!r} is not a rule id, name or id prefix",
                hint=did_you_mean(rule, names) or "crmtpl rules lists them all",
            )
        chosen = [table.get(i) for i in ids]
    if output_format is RulesFormat.json:
        payload: Any = _rule_dict(single) if single else [_rule_dict(r) for r in chosen]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if single is not None:
        _explain(single)
    else:
        _list(chosen)


def _rule_dict(spec: RuleSpec) -> dict[str, Any]:
    return {
        "id": spec.id,
        "name": spec.name,
        "severity": spec.severity.value,
        "why": spec.why,
        "summary": spec.summary,
        "explanation": spec.explanation,
        "bad": spec.bad or None,
        "good": spec.good or None,
        "spec": spec.spec or None,
        "uncertainty": spec.uncertainty,
    }


def _list(chosen: list[RuleSpec]) -> None:
    out = console()
    if not out.is_terminal:  # a pipe: one tab-separated line per rule, never wrapped
        lines = [f"{s.id}\t{s.name}\t{s.severity.value}\t{s.summary}" for s in chosen]
        lines.append(f"{len(chosen)} rules. crmtpl rules ID explains one.")
        out.file.write("".join(line + "\n" for line in lines))
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("summary")
    for spec in chosen:
        style = _SEVERITY_STYLES[spec.severity.value]
        table.add_row(
            spec.id, spec.name, f"[{style}]{spec.severity.value}[/]", escape(spec.summary)
        )
    out.print(table)
    out.print(f"\n{len(chosen)} rules. [dim]crmtpl rules ID explains one.[/]")


def _explain(spec: RuleSpec) -> None:
    out = console()
    style = _SEVERITY_STYLES[spec.severity.value]
    out.print(f"[bold]{spec.id} {spec.name}[/] ([{style}]{spec.severity.value}[/])")
    out.print(escape(spec.summary))
    out.print(f"[dim]why {spec.severity.value}:[/] {escape(spec.why)}")
    references = [f"spec {spec.spec}" if spec.spec else "", spec.uncertainty or ""]
    if any(references):
        out.print(f"[dim]{escape(', '.join(r for r in references if r))}[/]")
    if spec.explanation:
        out.print()
        out.print(escape(" ".join(spec.explanation.split())))
    if spec.bad:
        out.print("\n[bold]Instead of:[/]")
        out.print(escape(spec.bad), highlight=False)
    if spec.good:
        out.print("\n[bold]Write:[/]")
        out.print(escape(spec.good), highlight=False)
