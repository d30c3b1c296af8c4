"""LSP positions: lines end at \\n, \\r\\n and a lone \\r; characters count UTF-16 code
units (or UTF-8 / UTF-32 when negotiated)."""

from __future__ import annotations

import pytest

from crmtpl.lsp.positions import UTF8, UTF16, UTF32, PositionMap, offset_of_line_column

TEXT = 'a="é📞x"\r\nb\rc\nd'


@pytest.mark.parametrize(("encoding", "character"), [(UTF16, 6), (UTF8, 9), (UTF32, 5)])
def test_a_column_after_an_astral_character(encoding: str, character: int) -> None:
    positions = PositionMap(TEXT, encoding)
    offset = TEXT.index("x")
    assert positions.position(offset) == (0, character)
    assert positions.offset(0, character) == offset


def test_every_line_break_the_protocol_knows_starts_a_line() -> None:
    positions = PositionMap(TEXT)
    assert positions.position(TEXT.index("b")) == (1, 0)
    assert positions.position(TEXT.index("c")) == (2, 0)
    assert positions.position(TEXT.index("d")) == (3, 0)
    assert positions.position(TEXT.index("\n")) == (0, 8)  # inside \r\n: the line's end


def test_positions_past_a_line_end_or_the_text_are_clamped() -> None:
    positions = PositionMap(TEXT)
    assert positions.offset(1, 99) == TEXT.index("b") + 1
    assert positions.offset(42, 0) == len(TEXT)
    assert positions.offset(0, 5) == TEXT.index("📞")  # inside the surrogate pair


def test_linter_line_columns_count_characters_on_newline_lines() -> None:
    assert offset_of_line_column(TEXT, 1, 5) == TEXT.index("📞")
    assert offset_of_line_column(TEXT, 2, 3) == TEXT.index("c")  # a lone \r is no break
    assert offset_of_line_column(TEXT, 9, 1) == len(TEXT)
