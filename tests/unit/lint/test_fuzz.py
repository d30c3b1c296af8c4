"""Fuzzing: mutated templates (bytes, attribute values, elements) never make the linter
raise, nor trip an internal error (CT001), and every reporter renders the result.

Set ``CRMTPL_FUZZ_EXAMPLES`` for a longer run than the default 250 examples."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtpl.lint import LintReport, lint_source, render_report
from crmtpl.lint.reporters import REPORTERS
from tests.unit.lint.helpers import FIXTURES

BASES = [
    (FIXTURES / "valid" / name / "template.xml").read_bytes()
    for name in ("minimal", "all-features", "spec-crm-northwind", "spec-helpdesk-example")
]
ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
ELEMENT_LINE = re.compile(rb"^\s*<[A-Za-z].*$", re.MULTILINE)

TEMPLATE_BITS = st.sampled_from(
    [
        "{{",
        "}}",
        "{{.",
        "{{end}}",
        "{{if .Phone}}",
        "{{else}}",
        "{{range .}}",
        "{{-",
        "-}}",
        "|",
        " UrlEncode ",
        "urlEncode",
        "TimeFormat",
        "`",
        "'",
        "&quot;",
        "&#xA;",
        "&amp;",
        "#(",
        ")#",
        ".#.",
        "@reverse",
        "\\",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"',
        "$x := ",
        '{{template "x"}}',
        '{{define "x"}}',
        "{{/* c */}}",
        "(",
        ")",
        "\t",
        "\n",
    ]
)
VALUE_TEXT = st.lists(st.one_of(TEMPLATE_BITS, st.text(max_size=6)), max_size=12).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "flip", "attribute", "element", "value"]))
        if kind in ("delete", "insert", "flip") and data:
            at = draw(st.integers(0, len(data) - 1))
            if kind == "delete":
                del data[at : at + draw(st.integers(1, 40))]
            elif kind == "insert":
                data[at:at] = draw(st.binary(max_size=12))
            else:
                data[at] ^= draw(st.integers(1, 255))
        elif kind in ("attribute", "value"):
            matches = list(ATTRIBUTE.finditer(bytes(data)))
            if not matches:
                continue
            match = draw(st.sampled_from(matches))
            text = draw(VALUE_TEXT).replace('"', "&quot;" if kind == "value" else '"')
            start, end = match.span(2)
            data[start:end] = text.encode("utf-8", "surrogatepass")
        else:
            lines = list(ELEMENT_LINE.finditer(bytes(data)))
            if not lines:
                continue
            line = draw(st.sampled_from(lines))
            start, end = line.span()
            if draw(st.booleans()):
                data[end:end] = b"\n" + line.group()
            else:
                del data[start:end]
    return bytes(data)


#: CRMTPL_FUZZ_EXAMPLES=20000 for a long run (the default keeps the suite quick).
EXAMPLES = int(os.environ.get("CRMTPL_FUZZ_EXAMPLES", "250"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_linter_never_raises_on_mutated_templates(data: bytes) -> None:
    result = lint_source(data, display_name="fuzz.xml")
    internal = [d for d in result.diagnostics if d.rule == "CT001"]
    assert internal == [], internal
    report = LintReport([result])
    for name in REPORTERS:
        assert render_report(report, name, color=name == "text")
