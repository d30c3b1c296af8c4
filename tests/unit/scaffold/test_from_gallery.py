"""A new template from the gallery: the copy, custom field values, the test file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.gallery import GalleryError, gallery_entries
from crmtpl.scaffold.from_gallery import FieldValueError, copy_from_gallery, custom_fields
from crmtpl.scaffold.testfile import lookup_request, lookup_test_text
from crmtpl.testing.spec import load_spec


def test_a_copy_is_the_gallery_file_and_says_where_it_came_from() -> None:
    copied = copy_from_gallery("HubSpot")
    assert copied.text == copied.entry.path.read_text(encoding="utf-8")
    assert copied.choices[0].key == "from" and copied.choices[0].picked == "hubspot"


def test_var_sets_the_value_a_field_starts_with() -> None:
    copied = copy_from_gallery("pipedrive", ["base_url=https://acme.pipedrive.com"])
    assert (
        'Name="base_url" Editor="string" Title="Pipedrive company URL" '
        'Value="https://acme.pipedrive.com"'
    ) in copied.text
    again = copy_from_gallery("pipedrive", ['base_url=https://a.example/?x=1&y="2"'])
    assert 'Value="https://a.example/?x=1&amp;y=&quot;2&quot;"' in again.text
    assert [c.key for c in again.choices] == ["from", "var.base_url"]


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("api_token=secret", "a secret does not go into a template file"),
        ("nowhere=1", "has no custom field 'nowhere'"),
        ("base_url", "expected NAME=VALUE"),
    ],
)
def test_var_refuses_secrets_unknown_fields_and_bad_syntax(assignment: str, message: str) -> None:
    with pytest.raises(FieldValueError, match=message):
        copy_from_gallery("pipedrive", [assignment])


def test_a_list_field_is_refused() -> None:
    with pytest.raises(FieldValueError, match="list field"):
        copy_from_gallery("zoho", ["dc=eu"])


def test_an_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(GalleryError, match="pipedrive"):
        copy_from_gallery("pipedrve")


@pytest.mark.parametrize("entry", [e.name for e in gallery_entries()])
def test_every_gallery_template_gets_a_loadable_test_file(tmp_path: Path, entry: str) -> None:
    copied = copy_from_gallery(entry)
    template = tmp_path / "t.xml"
    template.write_text(copied.text, encoding="utf-8")
    request = lookup_request(copied.text)
    assert request is not None and "{{" not in request[1].replace("{{any}}", "")
    test_file = tmp_path / "t.lookup.test.toml"
    test_file.write_text(
        lookup_test_text(
            test_file,
            template,
            phone="+15550100",
            request=request,
            variables={"base_url": "https://x.example"},
        ),
        encoding="utf-8",
    )
    spec = load_spec(test_file)
    assert spec.template == template.resolve()
    assert spec.scenario == "lookup" and spec.inputs["phone"] == "+15550100"
    assert spec.inputs["vars"] == {"base_url": "https://x.example"}
    assert spec.requests[0].method == request[0]
    assert spec.recording == (tmp_path / "recordings" / "t").resolve()


def test_custom_fields_are_listed_in_order() -> None:
    names = [f.name for f in custom_fields(copy_from_gallery("hubspot").text)]
    assert names == ["base_url", "app_url", "portal_id", "access_token"]


def test_a_value_with_backslashes_is_written_as_given() -> None:
    from crmtpl.scaffold.from_gallery import set_field_values

    text = '<Parameter Father="CustomFieldList" Name="base_url" Editor="string" Value="x">'
    for value in (r"https://x\y\1", r"\0", "a\\"):
        written, _ = set_field_values(text, [f"base_url={value}"])
        assert f'Value="{value}"' in written
