"""Positions are the file's, to the column, even inside values with entities and line breaks."""

from __future__ import annotations

from tests.unit.lint.helpers import diagnostics, variant


def column_of(line_text: str, needle: str) -> int:
    return line_text.index(needle) + 1


def test_a_variable_after_entities_is_reported_where_it_is_written() -> None:
    body = (
        '<Parameter Father="PopulateTemplateString" Name="X-Note" Type="Header" '
        'Value="&quot;a&amp;b&quot;&#xA;&#x9;{{.apiKey}}"></Parameter>'
    )
    text = variant(
        (
            '        <Parameter Father="PopulateTemplateString" Name="X-Api-Key"',
            f'        {body}\n        <Parameter Father="PopulateTemplateString" Name="X-Api-Key"',
        )
    )
    line_number = text.splitlines().index(f"        {body}") + 1
    (finding,) = [d for d in diagnostics(text) if d.rule == "CT821"]
    assert (finding.line, finding.column) == (line_number, column_of("        " + body, ".apiKey"))
    assert finding.span.end_column - finding.span.start_column == len(".apiKey")


def test_an_error_on_the_third_line_of_a_body_written_with_newline_references() -> None:
    value = "{&#xA;  &quot;a&quot;: 1,&#xA;  &quot;b&quot;: &quot;{{.CallerNumber | urlEncode}}&quot;&#xA;}"
    text = variant(
        ('CallJournal="0"', 'CallJournal="1"'),
        (
            "  </Scenarios>",
            '    <Scenario Id="CallJournal" Type="REST">\n      <Requests>\n'
            '        <Request Name="CallJournal" Method="POST" ResponseType="application/json" '
            'URLFormat="https://crm.example.com/calls">\n          <Parameters>\n'
            f'            <Parameter Name="Data" Type="Body" Value="{value}"></Parameter>\n'
            "          </Parameters>\n        </Request>\n      </Requests>\n    </Scenario>\n"
            "  </Scenarios>",
        ),
    )
    lines = text.splitlines()
    line_number = next(i for i, line in enumerate(lines, 1) if "urlEncode" in line)
    (finding,) = [d for d in diagnostics(text) if d.rule == "CT802"]
    assert finding.line == line_number
    assert finding.column == column_of(lines[line_number - 1], "urlEncode")
    assert finding.span.end_column == finding.column + len("urlEncode")
    assert finding.hint is not None and "UrlEncode" in finding.hint


def test_a_literal_newline_moves_later_positions_to_the_next_line() -> None:
    text = variant(
        ('Value="{{.api_key}}"', 'Value="key:\n    {{.apiKey}}"'),
    )
    lines = text.splitlines()
    found = {d.rule: d for d in diagnostics(text)}
    line_number = next(i for i, line in enumerate(lines, 1) if "{{.apiKey}}" in line)
    assert (found["CT821"].line, found["CT821"].column) == (line_number, 7)
    assert found["CT108"].line == line_number - 1
    assert found["CT108"].span.end_line == line_number


def test_columns_count_characters_not_bytes() -> None:
    text = variant(("api/contacts?phone={{UrlEncode .Phone}}", "api/kontakte-ü✓?phone={{.Phone}}"))
    (finding,) = [d for d in diagnostics(text) if d.rule == "CT825"]
    line = text.splitlines()[finding.line - 1]
    assert finding.column == column_of(line, ".Phone")
