"""The names of every output format and of run's token rule, and nothing else.

A tiny module with no heavy imports: the CLI builds its ``--format`` and
``--token-invalid-when`` choices from these enums at start-up (``crmtpl --help`` must not
import the lint, render or run packages), and each registry in the core asserts that its
keys are exactly these names, so a format cannot be added in one place only.
"""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """``crmtpl validate --format``: the reporters of ``crmtpl.lint.reporters``."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


class RenderFormat(StrEnum):
    """``crmtpl render --format``: the formatters of ``crmtpl.render.formatters``."""

    http = "http"
    curl = "curl"
    json = "json"


class RunFormat(StrEnum):
    """``crmtpl run --format``: the formatters of ``crmtpl.run.formatters``."""

    table = "table"
    json = "json"


class StatusFormat(StrEnum):
    """``crmtpl auth status --format``."""

    text = "text"
    json = "json"


class TokenRuleMode(StrEnum):
    """Which status the TokenErrorMap rule requires (spec U11); see ``crmtpl.run.tokenrule``."""

    NOT_200 = "not-200"
    STATUS_200 = "status-200"
    ANY_STATUS = "any-status"


#: How ``crmtpl test`` and ``crmtpl validate`` find test files in a folder.
TEST_FILE_PATTERN = "*.test.toml"
