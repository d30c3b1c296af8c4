"""Misspelt names are errors with a fix; the findings that only restate them are left out;
the diagnosis render and run use."""

from __future__ import annotations

from crmtpl.lint import Severity, blocking_diagnostics
from crmtpl.lint.diagnostic import apply_edits
from crmtpl.template import load_template
from tests.support import REPO_ROOT
from tests.unit.lint.helpers import ALL_FEATURES, diagnostics, found, variant

SANDBOX = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")


def errors(text: str) -> list[str]:
    return [d.rule for d in diagnostics(text) if d.severity is Severity.ERROR]


def test_output_written_for_outputs_is_one_error_reported_alone() -> None:
    text = variant(
        ('<Outputs Next="ContactDetails">', '<Output Next="ContactDetails">'),
        (
            '</Outputs>\n        </Request>\n        <Request Name="leads"',
            '</Output>\n        </Request>\n        <Request Name="leads"',
        ),
        base=SANDBOX,
    )
    (first, *rest) = diagnostics(text)
    assert (first.rule, first.severity) == ("CT212", Severity.ERROR)
    assert "<Outputs>" in first.message
    assert [d.rule for d in rest if d.severity is not Severity.INFO] == []
    assert first.fix is not None
    fixed = apply_edits(text, list(first.fix.edits))
    assert fixed == SANDBOX


def test_a_misspelt_enable_flag_attribute_and_father_are_errors_with_their_fix() -> None:
    for old, new, right in [
        ('Name="CompanyEnable"', 'Name="ComapnyEnable"', "CompanyEnable"),
        (
            'URLFormat="{{.sandbox_url}}/none/api/v1/calls"',
            'UrlFormat="{{.sandbox_url}}/none/api/v1/calls"',
            "URLFormat",
        ),
        (
            'Father="PopulateTemplateString" Name="Accept"',
            'Father="PopulateTemplateStrin" Name="Accept"',
            "PopulateTemplateString",
        ),
    ]:
        text = variant((old, new), base=SANDBOX)
        (finding,) = [d for d in diagnostics(text) if d.severity is Severity.ERROR]
        assert finding.rule == "CT212"
        assert finding.fix is not None and finding.fix.edits[0].text == right
        assert apply_edits(text, list(finding.fix.edits)) == SANDBOX


def test_an_unknown_enable_flag_is_an_error_even_far_from_every_flag() -> None:
    text = variant(('Name="CompanyEnable"', 'Name="FaxEnable"'), base=SANDBOX)
    assert "CT212" in errors(text)


def test_names_far_from_every_known_one_stay_warnings() -> None:
    text = variant(
        ('Name="CompanyEnable" Value="1">', 'Name="CompanyEnable" Value="1" Origin="x">'),
        base=SANDBOX,
    )
    assert [(d.rule, d.severity) for d in diagnostics(text) if d.rule == "CT209"] == [
        ("CT209", Severity.WARNING)
    ]


def test_ticket_id_without_a_create_new_ticket_output_is_an_error_unless_only_tested() -> None:
    body = "&quot;disposition&quot;: &quot;{{.CallDisposition}}&quot;,"
    used = variant((body, body + "&quot;t&quot;: &quot;{{.TicketId}}&quot;,"), base=SANDBOX)
    assert "CT826" in errors(used)
    tested = variant((body, body + "{{if .TicketId}}&quot;t&quot;: 1,{{end}}"), base=SANDBOX)
    assert "CT826" not in errors(tested)
    assert "CT826" not in [rule for rule, _l, _c in found(ALL_FEATURES)]


def test_blocking_diagnostics_are_validates_errors_limited_to_the_scenario() -> None:
    text = variant(
        ("{{.Call_Log_Status}}", "{{.Call_Log_Status}"),  # a CallJournal error
        base=SANDBOX,
    )
    loaded = load_template(text.encode())
    everything = [d for d in diagnostics(text) if d.severity is Severity.ERROR]
    assert [d.rule for d in blocking_diagnostics(loaded)] == ["CT801"]
    assert blocking_diagnostics(loaded) == everything
    assert blocking_diagnostics(loaded, "CallJournal") == everything
    assert blocking_diagnostics(loaded, "SyncContactAuto") == []
    assert blocking_diagnostics(load_template(SANDBOX.encode()), "SyncContactAuto") == []


def test_an_unclosed_action_gets_the_unclosed_action_hint() -> None:
    text = variant(("{{.Call_Log_Status}}", "{{.Call_Log_Status}"), base=SANDBOX)
    (finding,) = [d for d in diagnostics(text) if d.rule == "CT801"]
    assert finding.hint is not None
    assert "}}" in finding.hint and "quote" not in finding.hint
