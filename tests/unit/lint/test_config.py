"""Settings: [tool.crmtpl] in pyproject.toml or .crmtpl.toml, found upward; overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.errors import UsageError
from crmtpl.lint import LintSettings, discover_settings, load_settings, rule_table
from crmtpl.lint.config import split_selectors


def test_the_default_selects_every_rule() -> None:
    assert LintSettings().enabled_rules(rule_table()) == {r.id for r in rule_table()}


def test_select_and_ignore_by_id_name_and_prefix() -> None:
    settings = LintSettings(select=("CT8",), ignore=("undefined-variable", "CT9"))
    enabled = settings.enabled_rules(rule_table())
    assert "CT821" not in enabled and "CT825" in enabled and "CT801" in enabled
    assert all(rule.startswith("CT8") for rule in enabled)


def test_an_unknown_selector_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="CT99x"):
        LintSettings(ignore=("CT99x",)).enabled_rules(rule_table())


def test_command_line_select_replaces_and_ignore_adds() -> None:
    base = LintSettings(select=("CT1",), ignore=("CT108",))
    merged = base.with_overrides(select=["CT8"], ignore=["CT825"], strict=True)
    assert merged.select == ("CT8",) and merged.ignore == ("CT108", "CT825") and merged.strict
    assert base.with_overrides().select == ("CT1",)


def test_selectors_may_be_comma_separated() -> None:
    assert split_selectors(["CT1,CT2", " CT3 ", ""]) == ["CT1", "CT2", "CT3"]


def test_pyproject_tool_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.crmtpl]\nignore = ["CT108"]\nstrict = true\n'
        'exclude = ["vendor/**"]\n',
        encoding="utf-8",
    )
    sub = tmp_path / "templates" / "crm"
    sub.mkdir(parents=True)
    settings = discover_settings(sub)
    assert settings.ignore == ("CT108",) and settings.strict
    assert settings.exclude == ("vendor/**",)
    assert settings.source == tmp_path / "pyproject.toml"


def test_a_crmtpl_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.crmtpl]\nstrict = true\n", encoding="utf-8")
    (tmp_path / ".crmtpl.toml").write_text('select = ["CT1"]\n', encoding="utf-8")
    settings = discover_settings(tmp_path)
    assert settings.select == ("CT1",) and not settings.strict


def test_a_pyproject_without_the_table_does_not_count(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert discover_settings(tmp_path) == LintSettings()
    with pytest.raises(UsageError, match=r"no \[tool.crmtpl\]"):
        load_settings(tmp_path / "pyproject.toml")


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".crmtpl.toml").write_text("strict = true\n", encoding="utf-8")
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    assert discover_settings(repository) == LintSettings()


@pytest.mark.parametrize(
    "content",
    ["strict = 'yes'\n", "select = 3\n", "ignore = [1]\n", "not toml [\n"],
)
def test_bad_settings_are_usage_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / ".crmtpl.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError):
        load_settings(path)


def test_openapi_is_a_path_from_the_settings_files_folder(tmp_path: Path) -> None:
    config = tmp_path / "ci" / ".crmtpl.toml"
    config.parent.mkdir()
    config.write_text('openapi = "../specs/hubspot"\n', encoding="utf-8")
    assert load_settings(config).openapi == tmp_path / "ci" / "../specs/hubspot"
    config.write_text(f'openapi = "{tmp_path / "api.yaml"}"\n', encoding="utf-8")
    assert load_settings(config).openapi == tmp_path / "api.yaml"
    config.write_text("select = ['ALL']\n", encoding="utf-8")
    assert load_settings(config).openapi is None
    config.write_text('openapi = ""\n', encoding="utf-8")
    with pytest.raises(UsageError, match="openapi must be the path"):
        load_settings(config)
