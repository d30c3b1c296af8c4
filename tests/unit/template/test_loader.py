"""The hardened loader: what it rejects, where it says the problem is, what it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.errors import ExitCode, TemplateLoadError
from crmtpl.template import MAX_TEMPLATE_BYTES, TemplateFileError, load_template


def load_error(source: str | bytes | Path) -> TemplateFileError:
    with pytest.raises(TemplateFileError) as caught:
        load_template(source)
    return caught.value


MINIMAL = '<Information Provider="crm"><Scenarios></Scenarios></Information>'


def test_a_minimal_document_loads_from_text_bytes_and_path(tmp_path: Path) -> None:
    path = tmp_path / "t.xml"
    path.write_text(MINIMAL, encoding="utf-8")
    for source in (MINIMAL, MINIMAL.encode(), path):
        loaded = load_template(source)
        assert loaded.model.information.provider == "crm"
        assert loaded.text == MINIMAL
    assert load_template(path).path == path
    assert load_template(path).display_name == str(path)
    assert load_template(MINIMAL.encode(), display_name="<stdin>").display_name == "<stdin>"


def test_load_errors_are_template_load_errors_with_exit_code_3() -> None:
    error = load_error("<Information>")
    assert isinstance(error, TemplateLoadError)
    assert error.exit_code is ExitCode.TEMPLATE_UNLOADABLE
    assert str(error).startswith("<string>:1:14: ")


def test_doctype_is_rejected_before_any_entity_is_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        ']>\n<Information Name="&lol3;"/>\n'
    )
    error = load_error(bomb)
    assert error.reason == "doctype"
    assert (error.line, error.column) == (2, 1)
    assert "DOCTYPE" in error.message
    assert error.hint is not None


def test_external_entity_is_rejected_never_fetched() -> None:
    xxe = (
        '<!DOCTYPE Information [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<Information Name="&xxe;"/>'
    )
    assert load_error(xxe).reason == "doctype"
    network = '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><Information/>'
    assert load_error(network).reason == "doctype"


def test_an_entity_without_a_dtd_is_an_undefined_entity() -> None:
    error = load_error('<Information Name="a&nbsp;b"/>')
    assert error.reason == "entity"
    assert (error.line, error.column) == (1, 21)
    assert "&nbsp;" in error.message


def test_a_file_over_one_megabyte_is_rejected(tmp_path: Path) -> None:
    padding = "<!--" + "x" * MAX_TEMPLATE_BYTES + "-->"
    big = tmp_path / "big.xml"
    big.write_text(MINIMAL + padding, encoding="utf-8")
    error = load_error(big)
    assert error.reason == "too-large"
    assert "1 MB" in error.message
    assert load_error((MINIMAL + padding).encode()).reason == "too-large"


def test_a_file_of_exactly_one_megabyte_loads() -> None:
    filler = MAX_TEMPLATE_BYTES - len(MINIMAL) - len("<!---->")
    document = MINIMAL + "<!--" + "x" * filler + "-->"
    assert len(document.encode()) == MAX_TEMPLATE_BYTES
    assert load_template(document).size_bytes == MAX_TEMPLATE_BYTES


def test_bad_utf8_says_where() -> None:
    error = load_error(b'<Information>\n  <Scenarios Name="caf\xe9"/>\n</Information>')
    assert error.reason == "encoding"
    assert (error.line, error.column) == (2, 23)
    assert "0xE9" in error.message


def test_utf16_is_named() -> None:
    error = load_error(MINIMAL.encode("utf-16"))
    assert error.reason == "encoding"
    assert "UTF-16" in error.message


def test_a_utf8_bom_is_dropped_and_positions_ignore_it() -> None:
    loaded = load_template(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert loaded.source.root.start_tag_span.start == (1, 1)


def test_unreadable_path() -> None:
    error = load_error(Path("/nonexistent/template.xml"))
    assert error.reason == "unreadable"
    assert error.line is None
    assert str(error).startswith("/nonexistent/template.xml: cannot read the file")


def test_xml_version_1_1_is_rejected_with_the_go_explanation() -> None:
    error = load_error('<?xml version="1.1" encoding="UTF-8"?>\n' + MINIMAL)
    assert error.reason == "xml-version"
    assert (error.line, error.column) == (1, 16)
    assert "only version 1.0 is supported" in error.message
    assert error.hint is not None and "1.0" in error.hint


def test_declared_non_utf8_encoding_is_rejected() -> None:
    error = load_error('<?xml version="1.0" encoding="ISO-8859-1"?>' + MINIMAL)
    assert error.reason == "xml-encoding"


def test_declaration_forms_that_load() -> None:
    for declaration in (
        '<?xml version="1.0"?>',
        "<?xml version='1.0' encoding='utf-8'?>",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    ):
        loaded = load_template(declaration + MINIMAL)
        assert loaded.source.declaration is not None
        assert loaded.source.declaration.version == "1.0"


@pytest.mark.parametrize(
    ("document", "line", "column", "fragment"),
    [
        ('<Information Name="a & b"/>', 1, 22, "'&'"),
        ('<Information URL="https://x/?a=1&b=2"/>', 1, 33, "&amp;"),
        ('<Information Name="a < b"/>', 1, 22, "'<'"),
        ('<Information Value="{"a": 1}"/>', 1, 23, "after the value of attribute Value"),
        ('<Information A="1" A2/>', 1, 20, "has no value"),
        ("<Information A=1/>", 1, 16, "not quoted"),
        ('<Information Name="x', 1, 19, "closing"),
        ("<Information>\n  <Scenarios>\n</Information>", 3, 1, "closed by </Information>"),
        ("<Information>\n", 2, 1, "never closed"),
        ("<Information/>\n<Information/>", 2, 1, "second root"),
        ("<Information/>\ntrailing", 2, 1, "after the root"),
        ("<Information><!-- a -- b --></Information>", 1, 21, "'--'"),
        ('<Information A="&#0;"/>', 1, 17, "U+0000"),
        ('<Information A="&#xa"/>', 1, 17, "character reference"),
        ("<Information>\n  <1x/>\n</Information>", 2, 4, "element name"),
        (' <?xml version="1.0"?><Information/>', 1, 2, "only at the very start"),
        ("<Information>\x0c</Information>", 1, 14, "U+000C"),
    ],
)
def test_not_well_formed_documents_point_at_the_character(
    document: str, line: int, column: int, fragment: str
) -> None:
    error = load_error(document)
    assert (error.line, error.column) == (line, column), str(error)
    assert fragment in str(error) + str(error.hint)
    assert error.hint


def test_an_unescaped_quote_hint_mentions_quot() -> None:
    error = load_error('<Information Value="say "hi""/>')
    assert error.hint is not None and "&quot;" in error.hint


def test_empty_document_and_comment_only_document() -> None:
    assert load_error("").reason == "empty"
    assert load_error("<!-- nothing -->").reason == "empty"


def test_a_str_that_is_a_path_is_not_mistaken_for_a_file() -> None:
    error = load_error("templates/crm.xml")
    assert "before the root element" in error.message


def test_repeated_attribute_is_kept_for_the_linter_last_one_wins() -> None:
    loaded = load_template('<Information Name="a" Name="b"/>')
    root = loaded.source.root
    assert root.get("Name") == "b"
    assert [a.value for a in root.duplicate_attributes] == ["a"]
    assert [a.value for a in root.attribute_list] == ["a", "b"]


def test_cdata_comments_and_processing_instructions_are_allowed() -> None:
    document = (
        '<?xml version="1.0"?>\n<!-- head -->\n<?app hint?>\n'
        "<Information><![CDATA[ <raw> & ]]><!-- crmtpl: ignore X1 --></Information>\n"
    )
    loaded = load_template(document)
    assert loaded.source.root.text == " <raw> & "
    assert [c.text for c in loaded.source.comments] == [" head ", " crmtpl: ignore X1 "]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: "<a " + t)))
def test_any_input_loads_or_fails_with_a_template_file_error(source: bytes | str) -> None:
    try:
        loaded = load_template(source)
    except TemplateFileError as error:
        assert error.message and error.reason
        if error.line is not None:
            assert error.line >= 1 and error.column is not None and error.column >= 1
    else:
        assert loaded.source.root is loaded.model.node


def test_deep_nesting_is_read_without_recursion() -> None:
    depth = 50_000
    loaded = load_template("<a>" * depth + "</a>" * depth)
    assert sum(1 for _ in loaded.source.root.iter()) == depth
    assert len(loaded.source.elements) == depth
