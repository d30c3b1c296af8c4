"""The committed docs hold the tables generated from the current catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.template.catalogue import catalogue
from crmtpl.template.catalogue_docs import (
    GENERATORS,
    generated_block_names,
    main,
    update_document,
)
from tests.support import REPO_ROOT

DOCS = REPO_ROOT / "docs"


@pytest.mark.parametrize(
    ("page", "blocks"),
    [
        (
            "template-format.md",
            [
                "information-attributes",
                "scenarios",
                "scenario-parameters",
                "father-groups",
                "auth-methods",
                "availability",
                "variables",
                "functions",
            ],
        ),
        ("uncertainties.md", ["uncertainties"]),
    ],
)
def test_committed_docs_contain_the_current_generated_tables(page: str, blocks: list[str]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert generated_block_names(text) == blocks
    assert update_document(text) == text, (
        f"docs/{page} is stale: run python -m crmtpl.template.catalogue_docs docs/{page}"
    )


def test_every_generator_renders_a_table_with_one_row_per_entry() -> None:
    cat = catalogue()
    counts = {
        "information-attributes": len(cat.information_attributes),
        "scenarios": len(cat.scenarios),
        "scenario-parameters": len(cat.scenario_parameters),
        "father-groups": len(cat.father_groups),
        "auth-methods": len(cat.auth_methods),
        "availability": len(cat.availability_rows),
        "variables": len(cat.variables),
        "functions": len(cat.functions),
        "uncertainties": len(cat.uncertainties),
    }
    assert set(counts) == set(GENERATORS)
    for name, generator in GENERATORS.items():
        lines = generator(cat).splitlines()
        assert len(lines) == 2 + counts[name], name
        assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])


def test_a_secret_sample_is_never_printed() -> None:
    table = GENERATORS["variables"](catalogue())
    access_token = next(line for line in table.splitlines() if "{{.AccessToken}}" in line)
    assert "(secret)" in access_token
    assert "eyJ" not in access_token


def test_update_fills_empty_blocks_and_is_idempotent() -> None:
    text = "intro\n<!-- generated: functions -->\n<!-- /generated: functions -->\nend\n"
    once = update_document(text)
    assert "| `UrlEncode` | 1 |" in once
    assert update_document(once) == once
    assert once.startswith("intro\n") and once.endswith("end\n")


def test_unknown_block_names_are_an_error() -> None:
    with pytest.raises(KeyError):
        update_document("<!-- generated: nope -->\n<!-- /generated: nope -->")


def test_main_rewrites_files(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- generated: uncertainties -->\nold\n<!-- /generated: uncertainties -->\n")
    assert main([str(page)]) == 0
    assert "| U20 |" in page.read_text()
