"""docs/rules.md, generated from the rule table (a test checks the committed file).

python -m crmtpl.lint.docs docs/rules.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from crmtpl.lint.ruletable import FAMILIES, RuleSpec, RuleTable, rule_table

HEADER = """# Rules of `crmtpl validate`

<!-- Generated from crmtpl/lint/rules.toml by `python -m crmtpl.lint.docs docs/rules.md`;
do not edit by hand. -->

Every finding of `crmtpl validate` names one of these rules. `crmtpl rules` lists them and
`crmtpl rules ID` explains one in the terminal. Select or ignore rules by id (`CT821`),
name (`undefined-variable`) or family prefix (`CT8`): see [validate.md](validate.md).

## Severity policy

Every rule's severity follows one policy; each rule below says why it has its severity.

- **error**: the PBX rejects the template, or every call that reaches this spot fails or
  silently loses data (an empty field, a value never sent, a body the CRM cannot read).
  Errors fail `crmtpl validate` (exit code 1).
- **warning**: it fails for some inputs only, or it relies on something the documentation
  leaves open (the uncertainty register). Warnings fail the run only with `--strict`.
- **info**: style and portability; never fails a run.

Where the specification's §17 calls one of these cases a warning, this policy wins: §17 was
written before the tool was tried as a beginner would use it. A misspelling of a known name
is an error (CT212); a name far from every known one may be an extension and stays a
warning. Rules CT101-CT106 mean the file could not be loaded at all: a finding of
`validate` (exit code 1), except CT105, a file that cannot be read (exit code 3). Spec
references are to `spec/template-format.md`; U1-U20 are its uncertainty register (see
[uncertainties.md](uncertainties.md)).
"""


def _cell(text: str) -> str:
    return _prose(text).replace("|", "\\|")


def _prose(text: str) -> str:
    """Text outside code: ``<Information>`` must not read as an HTML tag."""
    return text.replace("<", "&lt;")


def _index(table: RuleTable) -> list[str]:
    lines = ["", "## Index", "", "| id | name | severity | summary |", "|---|---|---|---|"]
    for spec in table:
        anchor = f"{spec.id.lower()}-{spec.name}"
        lines.append(
            f"| [{spec.id}](#{anchor}) | {spec.name} | {spec.severity.value} | "
            f"{_cell(spec.summary)} |"
        )
    return lines


def _example(title: str, code: str) -> list[str]:
    return ["", f"{title}:", "", "```xml", code, "```"]


def _rule(spec: RuleSpec) -> list[str]:
    lines = ["", f"### {spec.id} {spec.name}", ""]
    facts = [f"**{spec.severity.value}**"]
    if spec.spec:
        facts.append(f"spec {spec.spec}")
    if spec.uncertainty:
        facts.append(f"uncertainty {spec.uncertainty}")
    lines.append(" · ".join(facts))
    lines.extend(
        ["", f"{_prose(spec.summary)}.", "", f"*Why {spec.severity.value}:* {_prose(spec.why)}."]
    )
    if spec.explanation:
        lines.extend(["", spec.explanation])
    if spec.bad:
        lines.extend(_example("Instead of", spec.bad))
    if spec.good:
        lines.extend(_example("write", spec.good))
    return lines


def render_rules_markdown(table: RuleTable | None = None) -> str:
    """The whole rules page as Markdown."""
    table = table or rule_table()
    lines = [HEADER.rstrip("\n"), *_index(table)]
    family = ""
    for spec in table:
        if spec.family != family:
            family = spec.family
            lines.extend(["", f"## {family}xx {FAMILIES.get(family, '')}".rstrip()])
        lines.extend(_rule(spec))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Write the page to the path given (default: docs/rules.md of the working directory)."""
    target = Path(argv[0]) if argv else Path("docs") / "rules.md"
    target.write_text(render_rules_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
