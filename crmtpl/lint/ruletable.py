"""The rule table: every rule's id, name, severity, summary, explanation and examples.

Read once from ``rules.toml`` (data, not code). ``crmtpl rules``, ``docs/rules.md`` and
every diagnostic take their facts from here::

    from crmtpl.lint.ruletable import rule_table
    table = rule_table()
    table.get("CT821").name        # "undefined-variable"
    table.resolve("undefined-variable")   # ("CT821",)
    table.resolve("CT8")                  # every CT8xx rule
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from crmtpl.lint.diagnostic import Severity
from crmtpl.template.tomlcache import load_toml_cached, packaged_bytes


class RuleTableError(RuntimeError):
    """``rules.toml`` does not have the expected shape (a packaging bug)."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule: what it checks, how bad it is and why (``why``, judged by the severity
    policy of docs/rules.md), and how to fix what it finds."""

    id: str
    name: str
    severity: Severity
    why: str
    summary: str
    explanation: str
    bad: str
    good: str
    spec: str
    uncertainty: str | None
    load_reasons: tuple[str, ...]
    #: "lint" (a check of validate) or "run" (``crmtpl run`` finds it in real answers).
    reported_by: str = "lint"

    @property
    def family(self) -> str:
        """The hundreds of the id (``CT8`` for ``CT821``)."""
        return self.id[:3]


#: Titles of the rule families (the hundreds of the ids).
FAMILIES: Mapping[str, str] = {
    "CT0": "The linter itself",
    "CT1": "File and XML",
    "CT2": "Structure and elements",
    "CT3": "<Information> and feature flags",
    "CT4": "Authentication and custom fields",
    "CT5": "Scenarios, contact search, Next and Common",
    "CT6": "Requests, headers and bodies",
    "CT7": "Outputs and GJSON paths",
    "CT8": "Go templates and variables",
    "CT9": "Uncertain, undocumented and third-party constructs (CT90x); run findings (CT95x)",
}


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise RuleTableError(f"rules.toml: {where}: {key!r} must be a string")
    return value.strip("\n")


class RuleTable:
    """All rules, by id and by name, in id order."""

    def __init__(self, rules: list[RuleSpec]) -> None:
        self.rules = tuple(sorted(rules, key=lambda r: r.id))
        self._by_id = {r.id: r for r in self.rules}
        self._by_name = {r.name: r for r in self.rules}
        if len(self._by_id) != len(self.rules) or len(self._by_name) != len(self.rules):
            raise RuleTableError("rules.toml: rule ids and names must be unique")
        self._by_reason = {reason: r for r in self.rules for reason in r.load_reasons}

    def __iter__(self) -> Iterator[RuleSpec]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> RuleSpec:
        """The rule with this id (KeyError for an unknown id: a bug in a check)."""
        return self._by_id[rule_id]

    def lookup(self, id_or_name: str) -> RuleSpec | None:
        """The rule named by its id (any case) or its name, or None."""
        return self._by_id.get(id_or_name.upper()) or self._by_name.get(id_or_name.lower())

    def resolve(self, selector: str) -> tuple[str, ...]:
        """The rule ids a selector means: an id, a name, an id prefix (``CT8``) or ``ALL``.

        An empty tuple when it means nothing (the caller reports it).
        """
        text = selector.strip()
        if not text:
            return ()
        if text.upper() == "ALL":
            return tuple(self._by_id)
        found = self.lookup(text)
        if found is not None:
            return (found.id,)
        prefix = text.upper()
        if prefix.startswith("CT") and prefix[2:].isdigit():
            return tuple(r.id for r in self.rules if r.id.startswith(prefix))
        return ()

    def for_load_reason(self, reason: str) -> RuleSpec:
        """The rule that reports a loader failure reason (CT101 for unknown reasons)."""
        return self._by_reason.get(reason, self._by_id["CT101"])

    @property
    def load_failure_ids(self) -> frozenset[str]:
        """Ids of the rules that mean "the file could not be loaded" (exit code 3)."""
        return frozenset(r.id for r in self.rules if r.load_reasons)

    @property
    def run_finding_ids(self) -> frozenset[str]:
        """Ids of the rules ``crmtpl run`` reports from real answers (CT95x), not validate."""
        return frozenset(r.id for r in self.rules if r.reported_by == "run")


def parse_rule_table(data: bytes) -> RuleTable:
    """Parse rule-table TOML (the packaged one is read by :func:`rule_table`)."""
    try:
        document = load_toml_cached(data)
    except ValueError as error:  # UnicodeDecodeError, tomllib.TOMLDecodeError
        raise RuleTableError(f"rules.toml cannot be read: {error}") from None
    entries = document.get("rules")
    if document.get("schema") != 1 or not isinstance(entries, list):
        raise RuleTableError("rules.toml: unsupported schema")
    rules = []
    for entry in entries:
        where = f"rule {entry.get('id')!r}"
        try:
            severity = Severity(_text(entry, "severity", where))
        except ValueError:
            raise RuleTableError(f"rules.toml: {where}: unknown severity") from None
        if not _text(entry, "why", where):
            raise RuleTableError(f"rules.toml: {where}: every rule says why its severity")
        reasons = entry.get("load_reasons", [])
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise RuleTableError(f"rules.toml: {where}: load_reasons must be strings")
        reported_by = _text(entry, "reported_by", where) or "lint"
        if reported_by not in ("lint", "run"):
            raise RuleTableError(f"rules.toml: {where}: reported_by must be lint or run")
        rules.append(
            RuleSpec(
                id=_text(entry, "id", where),
                name=_text(entry, "name", where),
                severity=severity,
                why=_text(entry, "why", where),
                summary=_text(entry, "summary", where),
                explanation=_text(entry, "explanation", where),
                bad=_text(entry, "bad", where),
                good=_text(entry, "good", where),
                spec=_text(entry, "spec", where),
                uncertainty=_text(entry, "uncertainty", where) or None,
                load_reasons=tuple(reasons),
                reported_by=reported_by,
            )
        )
    return RuleTable(rules)


@cache
def rule_table() -> RuleTable:
    """The packaged rule table, read on first use and cached."""
    return parse_rule_table(packaged_bytes(__file__, "rules.toml", "crmtpl.lint"))
