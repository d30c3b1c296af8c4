"""The source map: every position exact to the character, inside values too."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtpl.template import SourceSpan, XmlAttribute, load_template
from tests.support import SPEC_EXAMPLES_DIR
from tests.unit.template.xmltext import xml_unescape


def at(text: str, line: int, column: int) -> str:
    """The character of ``text`` at a 1-based line:column."""
    return text.split("\n")[line - 1][column - 1]


def test_element_and_attribute_spans() -> None:
    text = '<Information>\n  <Scenarios  Id="x">\n  </Scenarios>\n</Information>'
    loaded = load_template(text)
    scenarios = loaded.source.root.children[0]
    assert scenarios.start_tag_span == SourceSpan(2, 3, 2, 22, 16, 35)
    assert scenarios.name_span.start == (2, 4)
    assert scenarios.name_span.end == (2, 13)
    attribute = scenarios.attributes["Id"]
    assert attribute.name_span.start == (2, 15)
    assert attribute.value_span.start == (2, 19)
    assert attribute.value_span.end == (2, 20)
    assert attribute.span.end == (2, 21)
    assert scenarios.end_tag_span is not None
    assert scenarios.end_tag_span.start == (3, 3)
    assert scenarios.span.end == (3, 15)
    assert loaded.source.root.end_tag_span is not None
    assert loaded.source.root.end_tag_span.start == (4, 1)


def test_self_closing_elements_have_no_end_tag() -> None:
    loaded = load_template('<Information><Output Name="a"/></Information>')
    output = loaded.source.root.children[0]
    assert output.self_closing
    assert output.end_tag_span is None
    assert output.span == output.start_tag_span


def test_value_position_after_quot_entities() -> None:
    text = (
        "<Information>\n"
        '  <Parameter Value="{&quot;a&quot;: {{.X}}, &quot;b&quot;: 1}"/>\n'
        "</Information>"
    )
    loaded = load_template(text)
    node = loaded.source.root.children[0]
    value = node.get("Value")
    assert value == '{"a": {{.X}}, "b": 1}'
    offset = value.index("{{")
    line, column = loaded.source.value_position(node, "Value", offset)
    assert (line, column) == (2, 37)
    assert text.split("\n")[1][column - 1 : column + 1] == "{{"
    # a character written as an entity maps to its '&'
    assert loaded.source.value_position(node, "Value", 1) == (2, 22)
    assert at(text, 2, 22) == "&"


def test_value_span_covers_whole_entities() -> None:
    text = '<Information Path="a.#(x==&quot;y&quot;).b"/>'
    loaded = load_template(text)
    root = loaded.source.root
    value = root.get("Path")
    assert value == 'a.#(x=="y").b'
    start = value.index('"')
    end = value.index(")")
    span = loaded.source.value_span(root, "Path", start, end)
    assert text[span.start_offset : span.end_offset] == "&quot;y&quot;"
    assert (span.start_line, span.start_column, span.end_line, span.end_column) == (1, 27, 1, 40)
    empty = loaded.source.value_span(root, "Path", 3, 3)
    assert empty.start == empty.end


def test_newline_references_shift_columns_but_stay_on_the_line() -> None:
    text = '<Information Value="{&#xA;  &quot;k&quot;: {{.Bad"/>'
    loaded = load_template(text)
    root = loaded.source.root
    value = root.get("Value")
    assert value == '{\n  "k": {{.Bad'
    line, column = loaded.source.value_position(root, "Value", value.index("{{"))
    assert line == 1
    assert text[column - 1 : column + 1] == "{{"


def test_literal_newline_moves_to_the_next_line() -> None:
    text = '<Information Value="{\n  \t&quot;k&quot;: {{.Bad}}\n}"/>'
    loaded = load_template(text)
    root = loaded.source.root
    value = root.get("Value")
    assert value == '{\n  \t"k": {{.Bad}}\n}'
    assert loaded.source.value_position(root, "Value", value.index("{{")) == (2, 19)
    assert at(text, 2, 19) == "{"
    assert loaded.source.value_position(root, "Value", len(value) - 1) == (3, 1)
    literals = root.literal_whitespace()
    assert [(w.char, w.span.start) for w in literals] == [
        ("\n", (1, 22)),
        ("\t", (2, 3)),
        ("\n", (2, 27)),
    ]
    assert all(w.attribute == "Value" for w in literals)
    assert loaded.source.literal_whitespace() == list(literals)


def test_crlf_inside_a_value_reads_as_one_newline() -> None:
    text = '<Information\r\n  Value="a\r\nb\rc {{x"\r\n/>'
    loaded = load_template(text)
    root = loaded.source.root
    value = root.get("Value")
    assert value == "a\nb\nc {{x"
    assert loaded.source.value_position(root, "Value", value.index("b")) == (3, 1)
    # a lone \r is not a line break for line numbers (Go counts \n only)
    line, column = loaded.source.value_position(root, "Value", value.index("{{"))
    assert line == 3
    assert loaded.text.split("\n")[2][column - 1 : column + 1] == "{{"
    newline_span = loaded.source.value_span(root, "Value", 1, 2)
    assert text[newline_span.start_offset : newline_span.end_offset] == "\r\n"
    assert [w.char for w in root.literal_whitespace()] == ["\r\n", "\r"]


def test_columns_count_characters_not_bytes() -> None:
    text = '<Information Name="Zürich 😀 {{.Ünïcødé"/>'
    loaded = load_template(text)
    root = loaded.source.root
    value = root.get("Name")
    assert value is not None
    offset = value.index("{{")
    assert loaded.source.value_position(root, "Name", offset) == (1, 29)
    assert text[28:30] == "{{"


def test_numeric_character_references_of_astral_characters() -> None:
    text = '<Information Name="&#x1F600;&#128512;x"/>'
    loaded = load_template(text)
    root = loaded.source.root
    assert root.get("Name") == "😀😀x"
    assert loaded.source.value_position(root, "Name", 1) == (1, 29)
    assert loaded.source.value_position(root, "Name", 2) == (1, 38)
    assert text[37] == "x"


def test_offsets_out_of_range_are_clamped_and_end_maps_to_the_closing_quote() -> None:
    text = '<Information Name="ab&amp;"/>'
    loaded = load_template(text)
    root = loaded.source.root
    assert loaded.source.value_position(root, "Name", 3) == (1, 27)
    assert text[26] == '"'
    assert loaded.source.value_position(root, "Name", 99) == (1, 27)
    assert loaded.source.value_position(root, "Name", -5) == (1, 20)


def test_single_quoted_values() -> None:
    text = "<Information Name='it\"s &apos;ok&apos;'/>"
    loaded = load_template(text)
    attribute = loaded.source.root.attributes["Name"]
    assert attribute.quote == "'"
    assert attribute.value == "it\"s 'ok'"
    assert attribute.raw_value == 'it"s &apos;ok&apos;'


def test_comments_carry_text_span_and_parent() -> None:
    text = (
        "<!-- top -->\n<Information>\n  <Scenarios>\n"
        "    <!-- crmtpl: ignore XML-LITERAL-NEWLINE -->\n  </Scenarios>\n</Information>"
    )
    loaded = load_template(text)
    top, inner = loaded.source.comments
    assert top.parent is None
    assert top.span.start == (1, 1)
    assert top.span.end == (1, 13)
    assert inner.text == " crmtpl: ignore XML-LITERAL-NEWLINE "
    assert inner.parent is loaded.source.root.children[0]
    assert inner.span.start == (4, 5)


def test_line_text_for_carets() -> None:
    loaded = load_template("<Information>\r\n  <Scenarios/>\r\n</Information>")
    assert loaded.source.line_text(2) == "  <Scenarios/>"
    assert loaded.source.line_text(9) == ""


def _check_every_character_maps_back(attribute: XmlAttribute, text: str) -> None:
    """Each decoded character is written at its mapped offset, as itself or as an escape."""
    for index, char in enumerate(attribute.value):
        raw = attribute.raw_offset(index)
        span = attribute.span_of(index, index + 1)
        written = text[span.start_offset : span.end_offset]
        assert span.start_offset == raw
        if written.startswith("&"):
            assert xml_unescape(written) == char
        elif written in ("\r\n", "\r"):
            assert char == "\n"
        else:
            assert written == char


def test_every_character_of_the_spec_examples_maps_back() -> None:
    examples = SPEC_EXAMPLES_DIR
    for path in sorted(Path(examples).glob("*.xml")):
        loaded = load_template(path)
        for element in loaded.source.elements:
            for attribute in element.attribute_list:
                _check_every_character_maps_back(attribute, loaded.text)


_PIECES = st.sampled_from(
    ["a", "{{", "}}", " ", "é", "😀", "&quot;", "&amp;", "&lt;", "&gt;", "&apos;", "&#xA;",
     "&#10;", "&#x9;", "\n", "\t", "\r\n", "\r", ".Phone", "'"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.lists(_PIECES, max_size=5))
def test_random_values_map_back_exactly(pieces: list[str], prefix: list[str]) -> None:
    raw = "".join(pieces)
    text = f'<Information\n Other="{"".join(prefix)}" Value="{raw}"/>'
    loaded = load_template(text)
    attribute = loaded.source.root.attributes["Value"]
    assert attribute.raw_value == raw
    _check_every_character_maps_back(attribute, loaded.text)
    expected = xml_unescape(raw.replace("\r\n", "\n").replace("\r", "\n"))
    assert attribute.value == expected
