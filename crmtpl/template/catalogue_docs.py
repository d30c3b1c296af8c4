"""Markdown tables generated from the catalogue, for docs/template-format.md and friends.

A document holds each generated table between two markers::

    <!-- generated: scenarios -->
    …table…
    <!-- /generated: scenarios -->

:func:`update_document` rewrites every such block from the current catalogue; a test
checks that the committed docs equal their updated form. To refresh them::

    python -m crmtpl.template.catalogue_docs docs/template-format.md docs/uncertainties.md
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from crmtpl.template.catalogue import Catalogue, Level, catalogue


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _codes(items: Iterable[str]) -> str:
    return ", ".join(_code(item) for item in items)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def information_attributes_table(cat: Catalogue) -> str:
    """The attributes of ``<Information>`` with their values."""
    return _table(
        ["Attribute", "Values", "Required", "Meaning", "Certainty"],
        (
            [
                _code(a.name),
                " | ".join(_code(v) for v in a.values) if a.values else a.kind,
                "yes" if a.required else "no",
                a.meaning,
                a.provenance.marker,
            ]
            for a in cat.information_attributes
        ),
    )


def father_groups_table(cat: Catalogue) -> str:
    """The ``Father`` groups of parameters and the ``Type`` each needs."""
    return _table(
        ["Father", "Where", "Type", "Purpose", "Certainty"],
        (
            [
                _code(g.name),
                ", ".join(g.scenarios) + (", any Request" if g.in_requests else ""),
                _code(g.type) or "—",
                g.purpose,
                g.provenance.marker,
            ]
            for g in cat.father_groups
        ),
    )


def scenarios_table(cat: Catalogue) -> str:
    """Scenario ids with type, gate, providers, request names and outputs."""

    def gate(spec_gate: str, flag: str | None) -> str:
        return f'`{flag}="1"`' if flag else spec_gate

    def requests(rule: str, names: tuple[str, ...], optional: tuple[str, ...]) -> str:
        descriptions = {
            "none": "no requests",
            "any": "any names",
            "contact_type": "one per contact type (the name is the type)",
            "sync_contact_type": "a SyncContactAuto request name",
            "referenced": "names used by `Outputs@Next`",
        }
        if rule == "fixed":
            text = _codes(names)
            return text + (f" (optional {_codes(optional)})" if optional else "")
        return descriptions.get(rule, rule)

    def outputs(rule: str, names: tuple[str, ...], third_party: tuple[str, ...]) -> str:
        descriptions = {
            "none": "none",
            "any": "any names → variables",
            "contact_fields": "contact fields (`<Field>Enable`)",
            "caller": "the caller's empty-path outputs",
        }
        text = _codes(names) if rule == "fixed" else descriptions.get(rule, rule)
        return text + (f" (3p: {_codes(third_party)})" if third_party else "")

    return _table(
        ["Id", "Type", "Gate", "Providers", "Request names", "Outputs", "Certainty"],
        (
            [
                _code(s.id),
                s.type,
                gate(s.gate, s.gate_flag),
                ", ".join(s.providers),
                requests(s.request_name_rule, s.request_names, s.optional_request_names)
                if s.request_name_rule != "prefix"
                else f"`{s.request_name_prefix}<type>`",
                outputs(s.output_rule, s.outputs, s.third_party_outputs),
                s.provenance.marker,
            ]
            for s in cat.scenarios
        ),
    )


def scenario_parameters_table(cat: Catalogue) -> str:
    """Scenario-level parameters (without ``Father``) and their values."""
    return _table(
        ["Scenario", "Parameter", "Values", "Meaning", "Certainty"],
        (
            [
                p.scenario,
                _code(p.name),
                " | ".join(_code(v) for v in p.values)
                if p.values
                else ("templated " + p.kind if p.templated else p.kind),
                p.meaning,
                p.provenance.marker,
            ]
            for p in cat.scenario_parameters
        ),
    )


def auth_methods_table(cat: Catalogue) -> str:
    """Auth methods, the parameters each requires, and the header the PBX adds."""
    return _table(
        ["Method", "Required parameters", "Optional", "Authorization header", "Provides"],
        (
            [
                _code(m.name),
                _codes(m.required_parameters) or "—",
                _codes(m.optional_parameters) or "—",
                _code(m.authorization) or "—",
                _codes(m.provides) or "—",
            ]
            for m in cat.auth_methods
        ),
    )


def availability_table(cat: Catalogue) -> str:
    """The §7.5 matrix; rows crmtpl adds from §7.1–§7.4 are marked with *."""
    header = ["Variable group", *(c.title for c in cat.contexts)]
    rows = []
    for row in cat.availability_rows:
        title = row.title if row.in_matrix else f"{row.title} *"
        rows.append([title, *(row.cells[c.id].mark for c in cat.contexts)])
    return _table(header, rows)


def _contexts_of(cat: Catalogue, name: str) -> str:
    found = []
    for context in cat.contexts:
        level = cat.availability(name, context.id)
        if level is Level.DOC:
            found.append(context.title)
        elif level.available:
            found.append(f"{context.title} ({level.value})")
    return ", ".join(found)


def variables_table(cat: Catalogue) -> str:
    """Predefined variables: meaning, sample value, where available, certainty."""
    return _table(
        ["Variable", "Meaning", "Sample", "Available in", "Certainty"],
        (
            [
                f"`{{{{.{v.name}}}}}`",
                v.meaning,
                "(secret)" if v.secret else _code(v.sample),
                _contexts_of(cat, v.name),
                v.provenance.marker,
            ]
            for v in cat.variables
        ),
    )


def functions_table(cat: Catalogue) -> str:
    """The PBX functions with their arity and documented example."""
    return _table(
        ["Function", "Arity", "Signature", "Example", "Result", "Certainty"],
        (
            [
                _code(f.name),
                str(f.arity),
                _code(f.signature),
                f"{_code(f.example)} with {f.example_input}",
                _code(f.crmtpl_output)
                + (
                    f" (docs: {_code(f.documented_output)})"
                    if f.documented_output != f.crmtpl_output
                    else ""
                ),
                f.provenance.marker,
            ]
            for f in cat.functions
        ),
    )


def uncertainties_table(cat: Catalogue) -> str:
    """The uncertainty register with crmtpl's choice and why."""
    return _table(
        ["#", "Topic", "Open question", "crmtpl's choice", "Why"],
        ([u.id, u.topic, u.question, u.crmtpl_choice, u.why] for u in cat.uncertainties),
    )


GENERATORS: dict[str, Callable[[Catalogue], str]] = {
    "information-attributes": information_attributes_table,
    "father-groups": father_groups_table,
    "scenarios": scenarios_table,
    "scenario-parameters": scenario_parameters_table,
    "auth-methods": auth_methods_table,
    "availability": availability_table,
    "variables": variables_table,
    "functions": functions_table,
    "uncertainties": uncertainties_table,
}

_BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?:.*?\n)?(<!-- /generated: (?P=name) -->)",
    re.DOTALL,
)


def update_document(text: str, cat: Catalogue | None = None) -> str:
    """Replace every generated block of a markdown text with the current table."""
    current = cat or catalogue()

    def replace(match: re.Match[str]) -> str:
        generator = GENERATORS.get(match.group("name"))
        if generator is None:
            raise KeyError(f"unknown generated block {match.group('name')!r}")
        return match.group(1) + generator(current) + "\n" + match.group(3)

    return _BLOCK.sub(replace, text)


def generated_block_names(text: str) -> list[str]:
    """Names of the generated blocks a markdown text holds, in order."""
    return [match.group("name") for match in _BLOCK.finditer(text)]


def main(argv: Sequence[str]) -> int:
    """Rewrite the generated blocks of each markdown file named in ``argv``."""
    for name in argv:
        path = Path(name)
        path.write_text(update_document(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
