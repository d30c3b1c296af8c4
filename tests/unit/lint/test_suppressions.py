"""Inline suppressions: the next element only, or the whole file; unknown names reported."""

from __future__ import annotations

from tests.unit.lint.helpers import found, variant

TWO_PROBLEMS = variant(
    ("{{UrlEncode .Phone}}", "{{.Phone}}"),  # CT825 on the contacts request
    ('Value="{{.api_key}}"', 'Value="{{.apiKey}}"'),  # CT821 on the header
)
REQUEST = '        <Request Name="contacts"'
HEADER = '        <Parameter Father="PopulateTemplateString"'


def rules(text: str) -> list[str]:
    return [rule for rule, _line, _column in found(text)]


def test_without_suppressions_both_are_reported() -> None:
    assert sorted(rules(TWO_PROBLEMS)) == ["CT821", "CT825"]


def test_ignore_silences_the_named_rule_on_the_next_element_only() -> None:
    text = variant(
        (REQUEST, f"        <!-- crmtpl: ignore CT825 -->\n{REQUEST}"), base=TWO_PROBLEMS
    )
    assert rules(text) == ["CT821"]
    other = variant((HEADER, f"        <!-- crmtpl: ignore CT825 -->\n{HEADER}"), base=TWO_PROBLEMS)
    assert sorted(rules(other)) == ["CT821", "CT825"]


def test_rules_by_name_prefix_and_several_with_a_reason() -> None:
    by_name = variant(
        (REQUEST, f"        <!-- crmtpl: ignore number-not-url-encoded -->\n{REQUEST}"),
        base=TWO_PROBLEMS,
    )
    assert rules(by_name) == ["CT821"]
    whole = variant(
        ("<Information ", "<!-- crmtpl: ignore CT8 - legacy template -->\n<Information "),
        base=TWO_PROBLEMS,
    )
    assert rules(whole) == []


def test_ignore_file_applies_wherever_it_is_written() -> None:
    text = variant(
        ("  </Scenarios>", "  <!-- crmtpl: ignore-file CT821, CT825 -->\n  </Scenarios>"),
        base=TWO_PROBLEMS,
    )
    assert rules(text) == []


def test_a_suppression_naming_an_unknown_rule_is_reported() -> None:
    text = variant(
        (REQUEST, f"        <!-- crmtpl: ignore CT999 CT825 -->\n{REQUEST}"), base=TWO_PROBLEMS
    )
    assert sorted(rules(text)) == ["CT002", "CT821"]
    empty = variant((REQUEST, f"        <!-- crmtpl: ignore -->\n{REQUEST}"), base=TWO_PROBLEMS)
    assert sorted(rules(empty)) == ["CT002", "CT821", "CT825"]


def test_a_suppression_with_nothing_after_it_is_reported() -> None:
    text = variant(
        ("          </Outputs>", "            <!-- crmtpl: ignore CT825 -->\n          </Outputs>"),
        base=TWO_PROBLEMS,
    )
    assert sorted(rules(text)) == ["CT002", "CT821", "CT825"]


def test_ordinary_comments_are_not_suppressions() -> None:
    text = variant(
        (REQUEST, f"        <!-- crmtpl is great; ignore nothing -->\n{REQUEST}"), base=TWO_PROBLEMS
    )
    assert sorted(rules(text)) == ["CT821", "CT825"]
