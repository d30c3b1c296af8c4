"""What ``crmtpl run`` prints, built in the core like lint's reporters: one formatter per
``--format`` name, registered in :data:`FORMATTERS`, and the run JSON contract
(docs/json-output.md) next to its formatter.

Formatters return text; the CLI prints it. Every string that came from outside (the CRM's
answers, server messages) goes through :func:`crmtpl.controlchars.make_visible` in the
human-readable formats; JSON escapes control characters itself. Secrets are masked by the
:class:`~crmtpl.secrets.Masker` of the view.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmtpl.choices import RunFormat
from crmtpl.controlchars import make_visible
from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.run.result import Exchange, RunResult
from crmtpl.secrets import Masker
from crmtpl.template.catalogue import catalogue


@dataclass(frozen=True)
class RunView:
    """A run's result and how to show it."""

    result: RunResult
    masker: Masker
    #: The number a lookup was for (SyncContactAuto's heading).
    phone: str = ""
    #: True when stdout is a terminal; in a pipe, lines are plain and never padded.
    terminal: bool = False
    #: validate's error-level findings that ``--force`` went past (before the run's own).
    forced: Sequence[Diagnostic] = ()


@dataclass(frozen=True)
class RunFailure:
    """A run that stopped with an error: what went wrong and what went on the wire."""

    message: str
    exit_code: int
    kind: str
    hint: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)


def _visible(text: str) -> str:
    return make_visible(text, one_line=True)


def request_entries(exchanges: list[Exchange], masker: Masker) -> list[dict[str, Any]]:
    """The ``requests`` array of the run JSON: one entry per exchange on the wire."""
    return [
        {
            "name": exchange.request.name,
            "method": exchange.request.method,
            "url": masker.text(exchange.request.url),
            "status": exchange.status,
            "elapsed_ms": round(exchange.elapsed_ms, 1),
        }
        for exchange in exchanges
    ]


def run_document(view: RunView) -> dict[str, Any]:
    """The run JSON contract: scenario, records, requests, warnings, findings (validate's
    that ``--force`` went past, then what the run found in the answers), and contact."""
    from crmtpl.lint.diagnosis import findings_json  # json only: tables need no linter

    masker = view.masker
    result = view.result
    document: dict[str, Any] = {
        "scenario": result.scenario,
        "records": [{k: masker.text(v) for k, v in r.items()} for r in result.records],
        "requests": request_entries(result.exchanges, masker),
        "warnings": [masker.text(w) for w in result.warnings],
        "findings": findings_json([*view.forced, *result.findings]),
    }
    if result.contact:
        document["contact"] = result.contact
    return document


def failure_document(failure: RunFailure, masker: Masker) -> dict[str, Any]:
    """A failed run in JSON: ``{"error": {...}, "requests": [...]}``."""
    return {
        "error": {
            "kind": failure.kind,
            "message": masker.text(failure.message),
            "hint": masker.text(failure.hint) if failure.hint else None,
            "exit_code": failure.exit_code,
        },
        "requests": request_entries(failure.exchanges, masker),
    }


def format_json(view: RunView) -> str:
    """``--format json``: the run document, indented."""
    return json.dumps(run_document(view), indent=2, ensure_ascii=False) + "\n"


def record_columns(records: list[dict[str, str]]) -> list[str]:
    """Record fields in the order of spec §6.4 (then any others), ContactUrl last."""
    names: list[str] = []
    for record in records:
        for name in record:
            if name not in names:
                names.append(name)
    preferred = ["ContactSyncType", "UserUniqueId", *catalogue().contact_field_outputs]
    ordered = [n for n in preferred if n in names]
    ordered += [n for n in names if n not in ordered and n != "ContactUrl"]
    if "ContactUrl" in names:
        ordered.append("ContactUrl")
    return ordered


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows as columns two spaces apart; no line ends in spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def _records_block(view: RunView, records: list[dict[str, str]]) -> list[str]:
    lines: list[str] = []
    for number, record in enumerate(records, start=1):
        title = _visible(record.get("ContactSyncType") or view.result.scenario)
        if lines:
            lines.append("")
        lines.append(f"{title} {number}" if len(records) > 1 else title)
        rows = [[c, _visible(record.get(c, ""))] for c in record_columns([record])]
        lines += _aligned([row for row in rows if row[0] != "ContactSyncType"])
    return lines


def _users_table(records: list[dict[str, str]], terminal: bool) -> list[str]:
    columns = record_columns(records)
    rows = [[_visible(record.get(c, "")) for c in columns] for record in records]
    if not terminal:  # one tab-separated line per user: cut, awk and grep read it
        return ["\t".join(columns), *("\t".join(row) for row in rows)]
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]
    return _aligned([columns, ["-" * width for width in widths], *rows])


def _write_summary(result: RunResult) -> str:
    """``CallJournal: POST CallJournal for contact 1001 (contacts) → 201 Created``."""
    last = result.exchanges[-1]
    response = last.response
    status = f"{response.status} {response.reason}" if response is not None else "no answer"
    contact = ""
    if result.contact.get("ContactId"):
        contact = f" for contact {result.contact['ContactId']}"
        if result.contact.get("ContactSyncType"):
            contact += f" ({result.contact['ContactSyncType']})"
    return _visible(
        f"{result.scenario}: {last.request.method} {last.request.name}{contact} → {status}"
    )


def format_table(view: RunView) -> str:
    """``--format table``: what the PBX would store, for people."""
    masker = view.masker
    result = view.result
    records = [{k: masker.text(v) for k, v in r.items()} for r in result.records]
    real = [r for r in records if r]
    lines: list[str] = []
    if result.scenario == "SyncContactAuto":
        phone = _visible(view.phone)
        if real:
            lines.append(f"{len(real)} contact{'s' if len(real) != 1 else ''} found for {phone}")
        else:
            lines.append(f"no contact found for {phone}")
    if real and result.scenario == "UserAssociation":
        lines += _users_table(real, view.terminal)
    elif real:
        lines += _records_block(view, real)
    if result.scenario not in ("SyncContactAuto", "UserAssociation") and result.exchanges:
        lines.append(_write_summary(result))
    return "".join(line + "\n" for line in lines)


RunFormatter = Callable[[RunView], str]

#: ``--format`` name -> formatter; the names are :class:`crmtpl.choices.RunFormat`.
FORMATTERS: dict[str, RunFormatter] = {"table": format_table, "json": format_json}

assert set(FORMATTERS) == {name.value for name in RunFormat}, "see crmtpl.choices"


def format_run(view: RunView, format_name: str) -> str:
    """The result in the named format (KeyError for an unknown name)."""
    return FORMATTERS[format_name](view)


def format_failure(failure: RunFailure, masker: Masker) -> str:
    """A failed run for ``--format json``."""
    return json.dumps(failure_document(failure, masker), indent=2, ensure_ascii=False) + "\n"


def notes_of(result: RunResult, masker: Masker) -> tuple[list[str], list[str]]:
    """The notes and warnings to show after a result (made safe, secrets masked)."""
    notes = []
    if result.hidden_fields:
        notes.append(
            "not stored by the PBX (their <Field>Enable flag is not 1): "
            + ", ".join(result.hidden_fields)
        )
    warnings = [make_visible(masker.text(w)) for w in result.warnings]
    return notes, warnings


def expectation_failed(result: RunResult) -> bool:
    """True when the run found a mistake in what it extracted (CT95x findings), or found
    nothing it was asked for (a lookup: no contact)."""
    if result.findings:
        return True
    return result.scenario == "SyncContactAuto" and not any(result.records)
