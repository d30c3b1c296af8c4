"""Hover, completion and navigation on file offsets, without an editor in between."""

from __future__ import annotations

from crmtpl.lsp.completion import completions
from crmtpl.lsp.hover import hover_at
from crmtpl.lsp.navigation import definition, references
from crmtpl.template import load_template
from tests.support import REPO_ROOT

SANDBOX = (REPO_ROOT / "examples/sandbox.xml").read_text(encoding="utf-8")
BOTTLECRM = (REPO_ROOT / "crmtpl/gallery/bottlecrm.xml").read_text(encoding="utf-8")


def test_hover_on_an_entity_encoded_body_shows_it_decoded() -> None:
    loaded = load_template(SANDBOX)
    found = hover_at(loaded, SANDBOX.index("&quot;first_name&quot;"))
    assert found is not None
    assert "**Decoded value**" in found.markdown
    assert '"first_name": "{{.FirstName}}",\n' in found.markdown
    assert "&quot;" not in found.markdown


def test_hover_on_an_output_path_says_what_each_component_selects() -> None:
    loaded = load_template(SANDBOX)
    found = hover_at(loaded, SANDBOX.index('Path="data.#.id"') + 7)
    assert found is not None
    assert "- `#`: every element" in found.markdown
    assert "- `id`: the key 'id'" in found.markdown
    assert SANDBOX[found.start : found.end] == "data.#.id"


def test_hover_on_a_custom_field_names_its_declaration() -> None:
    loaded = load_template(BOTTLECRM)
    found = hover_at(loaded, BOTTLECRM.index("{{.base_url}}") + 4)
    assert found is not None
    line = BOTTLECRM[: BOTTLECRM.index('Name="base_url"')].count("\n") + 1
    assert f"**.base_url** (custom field, declared on line {line})" in found.markdown


def test_completion_after_a_bracket_offers_elements() -> None:
    text = SANDBOX.replace("<Outputs Next=", "<Outp", 1)
    labels = {c.label for c in completions(text, text.index("<Outp") + 5)}
    assert {"Outputs", "Output", "Request", "Parameter"} <= labels


def test_completion_in_a_start_tag_offers_attributes_and_in_a_value_its_values() -> None:
    at = SANDBOX.index('Method="GET"')
    labels = {c.label for c in completions(SANDBOX, at)}
    assert {"Method", "URLFormat", "ResponseType"} <= labels
    values = {c.label for c in completions(SANDBOX, at + len('Method="'))}
    assert {"GET", "POST"} <= values


def test_completion_in_a_call_journal_offers_its_variables_only() -> None:
    at = SANDBOX.index("{{.Call_Log_Status}}") + 2
    labels = {c.label for c in completions(SANDBOX, at)}
    assert ".Call_Log_Status" in labels
    assert ".Phone" not in labels


def test_definition_of_next_and_references_of_the_common_request() -> None:
    loaded = load_template(BOTTLECRM)
    place = definition(loaded, BOTTLECRM.index('Next="ContactDetail"') + 7)
    assert place is not None
    assert BOTTLECRM[place.start : place.end] == "ContactDetail"
    uses = references(loaded, place.start, declaration=True)
    assert [BOTTLECRM[p.start : p.end] for p in uses] == ["ContactDetail"] * (
        1 + BOTTLECRM.count('Next="ContactDetail"')
    )


def test_a_word_outside_an_action_is_no_variable() -> None:
    loaded = load_template(BOTTLECRM)
    assert definition(loaded, BOTTLECRM.index("/api/users/") + 2) is None


def test_the_decoded_value_of_a_secret_parameter_is_masked() -> None:
    text = BOTTLECRM.replace(
        'Name="api_token" Editor="password"',
        'Name="api_token" Editor="password" Value="s3cr&#x65;t-value"',
        1,
    )
    assert text != BOTTLECRM
    loaded = load_template(text)
    found = hover_at(loaded, text.index("s3cr&#x65;t"))
    assert found is not None
    assert "********" in found.markdown
    assert "s3cret" not in found.markdown
