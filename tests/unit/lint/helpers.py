"""Templates for the lint unit tests: the minimal valid fixture, and variants of it."""

from __future__ import annotations

from crmtpl.lint import Diagnostic, lint_source
from tests.support import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "templates"
MINIMAL = (FIXTURES / "valid" / "minimal" / "template.xml").read_text(encoding="utf-8")
ALL_FEATURES = (FIXTURES / "valid" / "all-features" / "template.xml").read_text(encoding="utf-8")


def variant(*replacements: tuple[str, str], base: str = MINIMAL) -> str:
    """The base template with each ``old`` replaced (once) by ``new``; ``old`` must occur."""
    text = base
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def diagnostics(text: str, enabled: frozenset[str] | None = None) -> list[Diagnostic]:
    """Lint a template given as text."""
    return list(lint_source(text.encode(), display_name="t.xml", enabled=enabled).diagnostics)


def found(text: str) -> list[tuple[str, int, int]]:
    """``(rule, line, column)`` of every diagnostic."""
    return [(d.rule, d.line, d.column) for d in diagnostics(text)]
