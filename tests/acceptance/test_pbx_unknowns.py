"""docs/pbx-unknowns.md covers every entry of the uncertainty register, and what it cites
exists: each rule with the register entry it names, each option in the command reference.
"""

from __future__ import annotations

import json
import re

import pytest

from crmtpl.cli import run
from crmtpl.template.catalogue import catalogue
from tests.support import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "pbx-unknowns.md"
COMMANDS = REPO_ROOT / "docs" / "commands.md"


def sections() -> dict[str, str]:
    """``{"U1": text of its section, ...}``."""
    parts = re.split(r'^<a id="(u\d+)"></a>$', PAGE.read_text(encoding="utf-8"), flags=re.M)
    return {anchor.upper(): text for anchor, text in zip(parts[1::2], parts[2::2], strict=True)}


def rule_uncertainties(capsys: pytest.CaptureFixture[str]) -> dict[str, str | None]:
    assert run(["rules", "--format", "json"]) == 0
    return {rule["id"]: rule["uncertainty"] for rule in json.loads(capsys.readouterr().out)}


def test_every_register_entry_has_its_section_in_order() -> None:
    ids = [u.id for u in catalogue().uncertainties]
    assert ids == [f"U{n}" for n in range(1, 21)]
    found = sections()
    assert list(found) == ids
    for uid, text in found.items():
        assert text.lstrip().startswith(f"## {uid}: "), uid
        for part in ("**Unknown.**", "**crmtpl**", "**To check**"):
            assert part in text, (uid, part)


def test_the_page_links_the_generated_table() -> None:
    assert "(uncertainties.md)" in PAGE.read_text(encoding="utf-8")


def test_each_rule_cited_exists_and_belongs_to_its_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rules = rule_uncertainties(capsys)
    for uid, text in sections().items():
        for rule in re.findall(r"\bCT\d{3}\b", text):
            assert rule in rules, (uid, rule)
            assert rules[rule] in (None, uid), (uid, rule, rules[rule])


def test_each_option_cited_is_in_the_command_reference() -> None:
    reference = COMMANDS.read_text(encoding="utf-8")
    options = set(re.findall(r"`(?:crmtpl [a-z -]+)?(--[a-z-]+)", PAGE.read_text("utf-8")))
    assert options >= {"--token-invalid-when", "--missingkey", "--bearer-method"}
    missing = sorted(o for o in options if o not in reference)
    assert missing == []
