"""Lexing over raw JSON text, the way gjson reads it: lenient, by index arithmetic.

gjson never decodes a document. It jumps over values: a string ends at the first ``"`` that
follows an even run of backslashes, a container ends where a depth counter over ``[ { (`` and
``] } )`` (brackets of any kind, outside strings) returns to zero, a number ends at whitespace,
``,``, ``]`` or ``}``, and a literal is a run of ``a``-``z``. These helpers do the same jumps
with compiled regular expressions, so the scanning loops run in C, not per character in
Python. Every function takes ``(text, i, hi)``: ``text[i:hi]`` is the part of the string that
gjson would see as its ``json`` argument, so nothing is sliced until a value is returned.

``Buf`` stands for one Go string allocation: ``Result.Index`` is a byte offset, found in gjson
by pointer arithmetic, so each result remembers the buffer its ``raw`` was cut from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmtpl.gjson._fast import FastCache, ValidArray

# The rest of a JSON string after its opening quote, up to and including the closing quote.
STRING_TAIL = re.compile(r'[^"\\]*+(?:\\.[^"\\]*+)*+"', re.S)
# What parseNumber / tonum take after the first character.
NUMBER_TAIL = re.compile(r"[^\x00-\x20,\]}]*")
# What parseLiteral / tolit take after the first character.
LITERAL_TAIL = re.compile(r"[a-z]*")
# Characters that start a value in gjson's value scans (everything else is skipped).
VALUE_START = re.compile(r'["{\[ntf+\-0-9iIN]')
# The same in an array scan, where "]" ends the array.
ARRAY_ITEM_START = re.compile(r'["{\[ntf+\-0-9iIN\]]')
# The object key scan stops at a key's quote or at the closing brace.
KEY_OR_CLOSE = re.compile(r'["}]')
# gjson's whitespace is any byte up to and including the space.
SPACE = re.compile(r"[\x00-\x20]*")

_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_PLAIN = r'[^"\[\](){}]++'


def _nested(depth: int) -> str:
    """The body of a container nested at most ``depth`` levels: strings, plain text, groups."""
    body = rf"(?:{_PLAIN}|{_STRING})*+"
    for _ in range(depth):
        body = rf"(?:{_PLAIN}|{_STRING}|[\[({{]{body}[\])}}])*+"
    return body


#: The inside of a container (after its opening bracket), nested at most 12 levels.
CONTAINER_BODY = _nested(12)
_CONTAINER_BODY = re.compile(CONTAINER_BODY, re.S)
_BRACKET = re.compile(r'["\[\](){}]')
_OPENERS = "[({"
_CLOSERS = "])}"

_GO_SPACE = "".join(map(chr, range(33)))

#: An object member as gjson's key scan sees it: (key, value start, value end, first char).
Member = tuple[str, int, int, str]
#: An array element as gjson's element scan sees it: (start, end, first char).
Element = tuple[int, int, str]


class Buf:
    """One Go string: its text and, on demand, the UTF-8 byte offset of any position.

    It also memoises the plain walks over objects and arrays (``members`` and ``elements``
    in the engine), so that several paths on one document read its structure once, and
    holds what the C scanner measured (``fast``, see ``_fast.py``).
    """

    __slots__ = ("_table", "arrays", "ascii", "fast", "objects", "text")

    _CHUNK = 512

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self._table: list[int] | None = None
        self.objects: dict[tuple[int, int], tuple[list[Member], dict[str, list[int]], int]] = {}
        self.arrays: dict[tuple[int, int], tuple[list[Element], int, int, ValidArray | None]] = {}
        self.fast: FastCache | None = None

    def byte_pos(self, pos: int) -> int:
        """Byte offset, in the UTF-8 form Go holds, of character position ``pos``."""
        if self.ascii:
            return pos
        table = self._table
        if table is None:
            table = self._table = self._build_table()
        chunk, rest = divmod(pos, self._CHUNK)
        start = chunk * self._CHUNK
        return table[chunk] + utf8_len(self.text[start : start + rest])

    def _build_table(self) -> list[int]:
        text = self.text
        table = [0]
        total = 0
        for start in range(0, len(text), self._CHUNK):
            total += utf8_len(text[start : start + self._CHUNK])
            table.append(total)
        return table

    def byte_span(self, lo: int, hi: int) -> int:
        """Number of UTF-8 bytes between character positions ``lo`` and ``hi``."""
        if self.ascii:
            return hi - lo
        return self.byte_pos(hi) - self.byte_pos(lo)


def utf8_len(text: str) -> int:
    """Length in bytes of ``text`` as Go holds it (raw bytes kept as surrogate escapes)."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return len(text.encode("utf-8", "surrogatepass"))


def string_end(text: str, i: int, hi: int) -> int:
    """End (after the closing quote) of a string whose body starts at ``i``; -1 if unterminated."""
    found = STRING_TAIL.match(text, i, hi)
    return -1 if found is None else found.end()


def container_end(text: str, i: int, hi: int) -> int:
    """parseSquash: the end of the group opened at ``text[i]`` (whatever that character is).

    Depth counts ``[ { (`` against ``] } )`` outside strings; an unterminated group runs to
    ``hi``. An unterminated string inside returns ``hi + 1``: Go's loop steps once more past
    the end, and the array walk notices (it then never reaches its closing bracket).
    """
    body = _CONTAINER_BODY.match(text, i + 1, hi)
    j = body.end() if body is not None else i + 1
    if j >= hi:
        return hi
    ch = text[j]
    if ch in _CLOSERS:
        return j + 1
    if ch == '"':
        return hi + 1
    return _container_end_slow(text, i, hi)


def _container_end_slow(text: str, i: int, hi: int) -> int:
    """container_end for groups nested deeper than the compiled pattern allows."""
    depth = 1
    j = i + 1
    while True:
        found = _BRACKET.search(text, j, hi)
        if found is None:
            return hi
        j = found.start()
        ch = text[j]
        if ch == '"':
            end = string_end(text, j + 1, hi)
            if end < 0:
                return hi + 1
            j = end
            continue
        if ch in _OPENERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1


def squash_end(text: str, i: int, hi: int) -> int:
    """gjson's squash(): a string token if ``text[i]`` is a quote, else a group."""
    if text[i] == '"':
        end = string_end(text, i + 1, hi)
        return hi if end < 0 else end
    return min(container_end(text, i, hi), hi)


def number_end(text: str, i: int, hi: int) -> int:
    """End of the number (or number-like run) starting at ``i``."""
    found = NUMBER_TAIL.match(text, i + 1, hi)
    return found.end() if found is not None else hi


def literal_end(text: str, i: int, hi: int) -> int:
    """End of the literal starting at ``i``: its first character, then ``a``-``z``."""
    found = LITERAL_TAIL.match(text, i + 1, hi)
    return found.end() if found is not None else hi


def trim(text: str) -> str:
    """gjson's trim: drop bytes up to the space from both ends."""
    return text.strip(_GO_SPACE)


_SIMPLE_ESCAPES = {
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    '"': '"',
}
_ESCAPE_OR_CONTROL = re.compile(r"[\\\x00-\x1f]")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def _hex4(text: str, i: int) -> int:
    """runeit: four hex digits at ``i`` as a number, 0 when they are not hex."""
    return int(text[i : i + 4], 16) if _HEX4.fullmatch(text, i, i + 4) else 0


def unescape(text: str) -> str:
    """gjson's unescape: decode JSON escapes, stopping quietly at the first problem.

    A control character, a bad escape or a short ``\\u`` ends the output there. Surrogate
    pairs combine; any other surrogate becomes U+FFFD.
    """
    if _ESCAPE_OR_CONTROL.search(text) is None:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while True:
        found = _ESCAPE_OR_CONTROL.search(text, i)
        if found is None:
            out.append(text[i:])
            break
        j = found.start()
        out.append(text[i:j])
        if text[j] != "\\":
            break
        j += 1
        if j >= n:
            break
        escaped = text[j]
        simple = _SIMPLE_ESCAPES.get(escaped)
        if simple is not None:
            out.append(simple)
            i = j + 1
            continue
        if escaped != "u":
            break
        if not text[j + 1 : j + 5].isascii():
            # Go reads 4 *bytes* here; let the byte-exact version handle the odd case.
            return _unescape_bytes(text)
        if j + 5 > n:
            break
        rune = _hex4(text, j + 1)
        j += 5
        if 0xD800 <= rune < 0xE000 and text.startswith("\\u", j):
            if not text[j + 2 : j + 6].isascii():
                return _unescape_bytes(text)
            if n - j >= 6:
                low = _hex4(text, j + 2)
                if rune < 0xDC00 and 0xDC00 <= low < 0xE000:
                    rune = 0x10000 + ((rune - 0xD800) << 10) + (low - 0xDC00)
                else:
                    rune = 0xFFFD
                j += 6
        if 0xD800 <= rune < 0xE000 or rune > 0x10FFFF:
            rune = 0xFFFD
        out.append(chr(rune))
        i = j
    return "".join(out)


def to_go_bytes(text: str) -> bytes:
    """The bytes Go holds for ``text`` (surrogate escapes stand for raw bytes)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def from_go_bytes(data: bytes) -> str:
    """A Python string for Go bytes; bytes that are not UTF-8 become surrogate escapes."""
    return data.decode("utf-8", "surrogateescape")


def _unescape_bytes(text: str) -> str:
    """unescape() over the UTF-8 bytes, for ``\\u`` escapes that swallow part of a character."""
    data = to_go_bytes(text)
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        byte = data[i]
        if byte < 0x20:
            break
        if byte != 0x5C:
            out.append(byte)
            i += 1
            continue
        i += 1
        if i >= n:
            break
        escaped = chr(data[i])
        simple = _SIMPLE_ESCAPES.get(escaped)
        if simple is not None:
            out += simple.encode()
            i += 1
            continue
        if escaped != "u" or i + 5 > n:
            break
        rune = _hex_bytes(data, i + 1)
        i += 5
        if 0xD800 <= rune < 0xE000 and n - i >= 6 and data[i] == 0x5C and data[i + 1] == 0x75:
            low = _hex_bytes(data, i + 2)
            if rune < 0xDC00 and 0xDC00 <= low < 0xE000:
                rune = 0x10000 + ((rune - 0xD800) << 10) + (low - 0xDC00)
            else:
                rune = 0xFFFD
            i += 6
        if 0xD800 <= rune < 0xE000 or rune > 0x10FFFF:
            rune = 0xFFFD
        out += chr(rune).encode()
    return from_go_bytes(bytes(out))


def _hex_bytes(data: bytes, i: int) -> int:
    chunk = data[i : i + 4]
    if len(chunk) == 4 and all(c in b"0123456789abcdefABCDEF" for c in chunk):
        return int(chunk, 16)
    return 0
