"""JSON bodies: which bodies are JSON, unquoted text variables, and where a parse error is."""

from __future__ import annotations

from crmtpl.lint.checks.bodies import locate
from tests.unit.lint.helpers import found, variant


def journal(body: str, header: str = "") -> str:
    return variant(
        ('CallJournal="0"', 'CallJournal="1"'),
        (
            "  </Scenarios>",
            '    <Scenario Id="CallJournal" Type="REST">\n      <Requests>\n'
            '        <Request Name="CallJournal" Method="POST" ResponseType="application/json" '
            'URLFormat="https://crm.example.com/calls">\n          <Parameters>\n'
            f"            {header}\n"
            f'            <Parameter Name="Data" Type="Body" Value="{body}"></Parameter>\n'
            "          </Parameters>\n        </Request>\n      </Requests>\n    </Scenario>\n"
            "  </Scenarios>",
        ),
    )


def rules(text: str) -> list[str]:
    return [rule for rule, _line, _column in found(text)]


def test_a_form_body_is_not_json() -> None:
    assert rules(journal("from={{UrlEncode .CallerNumber}}&amp;x=1")) == []
    assert rules(journal("{{if .CallerNumber}}from={{UrlEncode .CallerNumber}}{{end}}")) == []


def test_a_body_starting_with_an_action_is_json_when_it_renders_as_json() -> None:
    assert rules(journal("{{if .CallerNumber}}{&quot;from&quot;: {{.CallerName}}}{{end}}")) == [
        "CT662"
    ]


def test_a_content_type_other_than_json_skips_the_check() -> None:
    header = (
        '<Parameter Father="PopulateTemplateString" Name="Content-Type" Type="Header" '
        'Value="text/plain"></Parameter>'
    )
    assert rules(journal("{not json at all", header)) == []
    assert rules(journal("{not json at all")) == ["CT661"]


def test_numbers_may_stay_unquoted_text_may_not() -> None:
    body = "{&quot;s&quot;: {{.Talk_Duration_Sec}}, &quot;ms&quot;: {{ToMillis .StartTimeUnix}}}"
    assert rules(journal(body)) == []
    assert rules(journal("{&quot;n&quot;: {{.CallerNumber}}}")) == ["CT662"]
    printf = "{&quot;n&quot;: {{printf &quot;%q&quot; .CallerName}}}"
    assert rules(journal(printf)) == []


def test_an_unquoted_variable_is_not_also_reported_as_broken_json() -> None:
    assert rules(journal("{&quot;a&quot;: {{.CallerName}}, &quot;b&quot;: 1}")) == ["CT662"]


def test_parse_errors_are_located_by_the_literal_text_around_them() -> None:
    template = '{"a": "{{.X}}" "b": 1}'
    output = '{"a": "value" "b": 1}'
    assert locate(template, output, output.index('"b"')) == template.index('"b"')
    assert locate('{"a": 1,}', '{"a": 1,}', 8) == 8
    assert locate("{{.X}}", "zzzz", 2) is None


def _json_finding(body: str) -> tuple[str, int, str, str]:
    from tests.unit.lint.helpers import diagnostics

    text = journal(body)
    (finding,) = [d for d in diagnostics(text) if d.rule in ("CT661", "CT662")]
    line = text.split("\n")[finding.line - 1]
    return finding.rule, finding.column, line[finding.column - 1 :], finding.message


def test_invalid_json_is_an_error_at_the_template_text_of_the_bad_character() -> None:
    q = "&quot;"
    cases = {
        # body, the text the finding points at, the mistake named
        f"{{{q}a{q}: {q}{{{{.CallerNumber}}}}{q} {q}b{q}: 1}}": (f"{q}b{q}", "a missing comma"),
        f"{{{q}a{q}: {q}{{{{.CallerNumber}}}}{q},}}": (",}", "a trailing comma"),
        f"{{{q}a{q}: done}}": ("done}", "an unquoted string value"),
        f"{{'a': {q}{{{{.CallerNumber}}}}{q}}}": ("'a'", "single quotes"),
        f"{{{q}a{q}: {q}{{{{.CallerNumber}}}}, {q}b{q}: {q}{{{{.CalleeNumber}}}}{q}}}": (
            ", &quot;b",
            "a missing closing quote",
        ),
    }
    for body, (pointed, mistake) in cases.items():
        rule, _column, at, message = _json_finding(body)
        assert rule == "CT661", body
        assert at.startswith(pointed), (body, at)
        assert f"({mistake})" in message, (body, message)


def test_an_open_string_is_not_blamed_on_the_quoted_variable_after_it() -> None:
    q = "&quot;"
    body = f"{{{q}a{q}: {q}{{{{.CallerNumber}}}}, {q}b{q}: {q}{{{{.CalleeNumber}}}}{q}}}"
    assert rules(journal(body)) == ["CT661"]
