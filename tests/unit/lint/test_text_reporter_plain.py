"""The uncoloured text report built without Rich is exactly what Rich prints."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.lint import LintReport, expand_inputs, lint_inputs
from crmtpl.lint.checker import FileResult
from crmtpl.lint.diagnostic import Diagnostic, RelatedInfo, Severity
from crmtpl.lint.reporters.text import render, render_plain, render_with_rich
from crmtpl.template.source import SourceSpan

REPO = Path(__file__).resolve().parents[3]


def test_every_fixture_and_example_reads_the_same_both_ways() -> None:
    folders = ["tests/fixtures", "examples", "crmtpl/gallery", "tests/data/spec-examples"]
    inputs = expand_inputs([str(REPO / folder) for folder in folders])
    report = lint_inputs(inputs, jobs=1)
    assert sum(len(result.diagnostics) for result in report.files) > 100
    assert render(report) == render_with_rich(report, color=False)
    built_plain = 0
    for result in report.files:
        one = LintReport([result], strict=False)
        plain = render_plain(one)
        assert plain is None or plain == render_with_rich(one, color=False), result.path
        built_plain += plain is not None
    assert built_plain > 0.9 * len(report.files)  # Rich is the exception, not the rule


#: Text from outside: markup look-alikes, backslashes, wide and combining characters,
#: trailing spaces, newlines, and the characters Rich changes (tabs, CR, bell...).
_PIECES = [
    *"ab [/]\\=:|^…é中\u0301 \n\t\r\x07\x1b\x7f",
    *["[bold]", "[/]", "[dim]", "\\[", "[red]x[/red]", "[#fff]", "[@click]", "[link=x]", "x\\"],
]
outside_text = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)


def _span(line: int, column: int, width: int) -> SourceSpan:
    return SourceSpan(line, column, line, column + width, 0, width)


diagnostics = st.builds(
    lambda rule, severity, message, hint, line, column, width, related: Diagnostic(
        rule, severity, message, _span(line, column, width), hint, related
    ),
    st.sampled_from(["CT101", "CT905", "CT647", "CT999"]),
    st.sampled_from(list(Severity)),
    outside_text,
    st.none() | outside_text,
    st.integers(1, 3),
    st.integers(1, 30),
    st.integers(0, 8),
    st.lists(st.builds(lambda m: RelatedInfo(m, _span(2, 1, 1)), outside_text), max_size=2).map(
        tuple
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    path=outside_text,
    found=st.lists(diagnostics, max_size=4),
    lines=st.dictionaries(st.integers(1, 3), outside_text | st.text(max_size=200)),
    strict=st.booleans(),
)
def test_generated_reports_read_the_same_both_ways(
    path: str, found: list[Diagnostic], lines: dict[int, str], strict: bool
) -> None:
    report = LintReport([FileResult(path, tuple(found), source_lines=lines)], strict=strict)
    expected = render_with_rich(report, color=False)
    assert render(report) == expected
    plain = render_plain(report)
    assert plain is None or plain == expected
