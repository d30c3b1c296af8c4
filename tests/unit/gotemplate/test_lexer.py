"""The lexer: items, character offsets and Go's line numbers."""

from __future__ import annotations

from crmtpl.gotemplate.lexer import ItemType, lex


def _kinds(text: str) -> list[tuple[ItemType, str]]:
    return [(item.typ, item.val) for item in lex(text)]


def test_text_and_action_items_carry_offsets() -> None:
    items = lex("a{{.b}}c")
    assert [(i.typ, i.pos, i.val) for i in items] == [
        (ItemType.TEXT, 0, "a"),
        (ItemType.LEFT_DELIM, 1, "{{"),
        (ItemType.FIELD, 3, ".b"),
        (ItemType.RIGHT_DELIM, 5, "}}"),
        (ItemType.TEXT, 7, "c"),
        (ItemType.EOF, 8, ""),
    ]


def test_offsets_count_characters_not_bytes() -> None:
    items = lex("é✓{{.x}}")
    assert items[2].typ == ItemType.FIELD
    assert items[2].pos == 4  # two characters of text, then "{{"


def test_chained_fields_are_separate_items() -> None:
    assert _kinds("{{.a.b}}")[1:3] == [(ItemType.FIELD, ".a"), (ItemType.FIELD, ".b")]


def test_trim_markers_remove_surrounding_space() -> None:
    kinds = _kinds("x  \n {{- .a -}} \n y")
    assert kinds[0] == (ItemType.TEXT, "x")
    assert kinds[-2] == (ItemType.TEXT, "y")


def test_comments_produce_no_items() -> None:
    assert _kinds("a{{/* note */}}b") == [
        (ItemType.TEXT, "a"),
        (ItemType.TEXT, "b"),
        (ItemType.EOF, ""),
    ]


def test_keywords_constants_and_operators() -> None:
    kinds = _kinds("{{if $x := 1.5 | print \"s\" `r` 'c' nil true}}")
    typs = [k for k, _ in kinds if k != ItemType.SPACE]
    assert typs == [
        ItemType.LEFT_DELIM,
        ItemType.IF,
        ItemType.VARIABLE,
        ItemType.DECLARE,
        ItemType.NUMBER,
        ItemType.PIPE,
        ItemType.IDENTIFIER,
        ItemType.STRING,
        ItemType.RAW_STRING,
        ItemType.CHAR_CONSTANT,
        ItemType.NIL,
        ItemType.BOOL,
        ItemType.RIGHT_DELIM,
        ItemType.EOF,
    ]


def test_complex_constant_is_one_item() -> None:
    assert (ItemType.COMPLEX, "1+2i") in _kinds("{{1+2i}}")


def test_lines_follow_newlines_in_text_and_raw_strings() -> None:
    items = lex("a\nb{{`x\ny`}}\n{{.c}}")
    by_value = {item.val: item.line for item in items}
    assert by_value["a\nb"] == 1
    assert by_value["`x\ny`"] == 2
    assert by_value[".c"] == 4


def test_errors_end_the_item_list() -> None:
    items = lex("{{.a!}}")
    assert items[-1].typ == ItemType.ERROR
    assert str(items[-1]) == "bad character U+0021 '!'"
    assert lex("{{ .a")[-1].val == "unclosed action"
    assert lex("{{/* x")[-1].val == "unclosed comment"
