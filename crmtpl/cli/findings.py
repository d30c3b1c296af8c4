"""The one place where ``render`` and ``run`` print findings: validate's own words.

Before anything is rendered or sent, :func:`stop_on_findings` asks the core for the
error-level findings of the scenario (:func:`crmtpl.lint.diagnosis.blocking_diagnostics`),
prints them as ``crmtpl validate`` does and ends the command with exit code 1, unless
``--force``. :func:`print_findings` also prints what a run found in the answers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from crmtpl.lint.diagnostic import Diagnostic
    from crmtpl.template import LoadedTemplate
    from crmtpl.variables import VariableContext


def print_findings(loaded: LoadedTemplate, findings: Sequence[Diagnostic]) -> None:
    """Print findings on stderr exactly as ``crmtpl validate`` prints them."""
    if not findings:
        return  # before the imports: the linter's reporters need not load for nothing
    from crmtpl.cli.options import OPTIONS, console
    from crmtpl.lint.diagnosis import findings_text

    color = OPTIONS.color_enabled(sys.stderr.isatty())
    out = console(stderr=True).file
    out.write(findings_text(loaded, findings, color=color))
    out.flush()


def stop_on_findings(
    loaded: LoadedTemplate,
    scenario_id: str,
    *,
    force: bool,
    doing: str,
    json_output: bool,
) -> list[Diagnostic]:
    """Validate's error-level findings for ``scenario_id``: printed, and exit code 1
    unless ``force`` (then they are returned, for the json document). ``doing`` names
    what stops: "rendered" or "sent"."""
    from crmtpl import verdictcache

    if verdictcache.known_clean(loaded.text, scenario_id):
        return []  # validate already found no error here: the linter need not even load
    from crmtpl.cli.messages import error, warning
    from crmtpl.cli.options import console
    from crmtpl.lint.diagnosis import blocking_diagnostics, findings_json
    from crmtpl.lint.wording import plural

    findings = blocking_diagnostics(loaded, scenario_id)
    if not findings:
        verdictcache.remember_clean(loaded.text, scenario_id)
        return []
    counted = plural(len(findings), "error")
    if json_output and not force:
        document = {"scenario": scenario_id, "findings": findings_json(findings)}
        console().file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        print_findings(loaded, findings)
    if not force:
        error(
            f"crmtpl validate finds {counted} in {scenario_id}: nothing was {doing}",
            hint="fix the template as the hint above says; add --force to go on anyway "
            "(for a false positive)",
        )
        raise typer.Exit(1)
    warning(f"--force: {doing} although crmtpl validate finds {counted} in {scenario_id}")
    return findings


def warn_unused_variables(loaded: LoadedTemplate, context: VariableContext) -> None:
    """A warning (with "did you mean") for each ``--var``, vars-file or ``--call`` name
    the template never uses (on stderr, so json output stays one document)."""
    from crmtpl.cli.messages import warning
    from crmtpl.render.unused import unused_given_variables

    for unused in unused_given_variables(loaded, context):
        warning(unused.message, unused.hint)


def tell_template_defaults(loaded: LoadedTemplate, context: VariableContext) -> None:
    """A note for each custom field whose value is the template's own default (its
    ``Value``), so a user sees where a request goes and how to send it elsewhere."""
    from crmtpl.cli.messages import notice
    from crmtpl.render.context import defaults_used
    from crmtpl.render.unused import names_the_template_reads

    for variable in defaults_used(context, names_the_template_reads(loaded)):
        notice(default_note(variable.name, variable.value))


def default_note(name: str, value: str) -> str:
    """The note that a custom field's value is the template's default, and how to change it
    (render, run and auth login say it in these words)."""
    return (
        f"{name} is the template's default {value} (the Value of its custom field); give "
        f"another with --var {name}=VALUE or CRMTPL_VAR_{name}"
    )
