"""LSP positions: a line and a character offset counted in the negotiated encoding.

LSP counts lines at ``\\n``, ``\\r\\n`` and a lone ``\\r`` and characters in UTF-16 code
units by default (``utf-8`` and ``utf-32`` when both sides agree). The linter's spans count
``\\n`` lines and Unicode characters, and carry offsets into the decoded text; everything
here converts between those offsets and LSP positions, so an astral character or an
emoji before a finding moves its LSP column by two, as editors expect.
"""

from __future__ import annotations

import re
from bisect import bisect_right

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _units(char: str, encoding: str) -> int:
    """Code units of one character in ``encoding``."""
    code = ord(char)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code > 0xFFFF else 1


class PositionMap:
    """Offsets of one text <-> LSP ``(line, character)`` pairs in one encoding."""

    __slots__ = ("_ends", "_starts", "encoding", "text")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        starts = [0]
        ends = []
        for match in _LINE_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self._starts = starts
        self._ends = ends

    def position(self, offset: int) -> tuple[int, int]:
        """LSP ``(line, character)`` of an offset (0-based, clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        offset = min(offset, self._ends[line])  # inside a \r\n: the end of the line
        if self.encoding == UTF32:
            return line, offset - start
        return line, sum(_units(c, self.encoding) for c in self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        """Offset of an LSP position; past the end of a line is the line's end (as the LSP
        specification asks), past the last line the end of the text."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start, end = self._starts[line], self._ends[line]
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        counted = 0
        at = start
        while at < end and counted < character:
            counted += _units(self.text[at], self.encoding)
            if counted > character:  # inside a surrogate pair or a UTF-8 sequence
                break
            at += 1
        return at


def offset_of_line_column(text: str, line: int, column: int) -> int:
    """Offset of a linter ``line:column`` (1-based, ``\\n`` lines, character columns),
    clamped to the text: for spans that carry no offsets (a loader failure)."""
    start = 0
    for _ in range(max(line, 1) - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return min(start + max(column, 1) - 1, end)
