"""The lexer: template text to positioned items, the way Go 1.19's ``text/template/parse``
scans it.

A state machine in the style of Go's lexer: each state is a method that scans some input
and returns the next state. Items carry the *character* offset of their first character in
the Python string and the line Go assigns them (Go's line bookkeeping, quirks included,
decides the ``template: NAME:LINE:`` of parse errors). The whole input is scanned up front,
ending with an EOF or an error item; the parser then reads the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
LEFT_DELIM = "{{"
RIGHT_DELIM = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"
_SPACE_CHARS = " \t\r\n"


class ItemType(IntEnum):
    """Kinds of lexical items (Go's ``itemType``); keywords come after ``KEYWORD``."""

    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


KEYWORDS: dict[str, ItemType] = {
    ".": ItemType.DOT,
    "block": ItemType.BLOCK,
    "break": ItemType.BREAK,
    "continue": ItemType.CONTINUE,
    "define": ItemType.DEFINE,
    "else": ItemType.ELSE,
    "end": ItemType.END,
    "if": ItemType.IF,
    "range": ItemType.RANGE,
    "nil": ItemType.NIL,
    "template": ItemType.TEMPLATE,
    "with": ItemType.WITH,
}


class Item(NamedTuple):
    """A token: its type, character offset, text and (Go's) line number."""

    typ: ItemType
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        """Go's ``item.String()``, used in "unexpected X in Y" messages."""
        from crmtpl.gotemplate.gostrconv import quote

        if self.typ == ItemType.EOF:
            return "EOF"
        if self.typ == ItemType.ERROR:
            return self.val
        if self.typ > ItemType.KEYWORD:
            return f"<{self.val}>"
        if len(self.val.encode("utf-8", "surrogateescape")) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


EOF_CHAR = ""


def is_space(c: str) -> bool:
    return c in _SPACE_CHARS and c != ""


def is_alphanumeric(c: str) -> bool:
    """Go's ``isAlphaNumeric``: underscore, Unicode letter or Unicode decimal digit."""
    return c == "_" or (c != "" and (c.isalpha() or c.isdecimal()))


def _describe_rune(c: str) -> str:
    """Go's ``%#U`` of a rune: ``U+0021 '!'``."""
    from crmtpl.gotemplate.gostrconv import is_print

    r = ord(c) if c else -1
    if r < 0:
        return "U+FFFFFFFFFFFFFFFF"
    text = f"U+{r:04X}"
    if is_print(r):
        text += f" '{c}'"
    return text


_State = Callable[[], "_State | None"]


class Lexer:
    """Scans one template text into ``items`` (a list ending in EOF or ERROR)."""

    def __init__(self, text: str, *, break_ok: bool = True, continue_ok: bool = True) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.items: list[Item] = []
        self.action_start = 0  # offset of the last "{{" (for error positions)
        state: _State | None = self.lex_text
        while state is not None:
            state = state()

    # --- primitives (Go's next/peek/backup/emit/ignore) ------------------------------------

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return EOF_CHAR
        c = self.input[self.pos]
        self.width = 1
        self.pos += 1
        if c == "\n":
            self.line += 1
        return c

    def peek(self) -> str:
        c = self.next()
        self.backup()
        return c

    def backup(self) -> None:
        self.pos -= self.width
        if self.width == 1 and self.input[self.pos] == "\n":
            self.line -= 1

    def emit(self, typ: ItemType) -> None:
        self.items.append(Item(typ, self.start, self.input[self.start : self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid: str) -> bool:
        c = self.next()
        if c != EOF_CHAR and c in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            c = self.next()
            if c == EOF_CHAR or c not in valid:
                break
        self.backup()

    def errorf(self, message: str, *, pos: int | None = None) -> None:
        self.items.append(
            Item(ItemType.ERROR, self.start if pos is None else pos, message, self.start_line)
        )

    # --- states --------------------------------------------------------------------------

    def lex_text(self) -> _State | None:
        self.width = 0
        x = self.input.find(LEFT_DELIM, self.pos)
        if x >= 0:
            self.pos = x
            trim = 0
            if _has_left_trim_marker(self.input, x + len(LEFT_DELIM)):
                segment = self.input[self.start : self.pos]
                trim = len(segment) - len(segment.rstrip(_SPACE_CHARS))
            self.pos -= trim
            if self.pos > self.start:
                self.line += self.input.count("\n", self.start, self.pos)
                self.emit(ItemType.TEXT)
            self.pos += trim
            self.ignore()
            return self.lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            self.emit(ItemType.TEXT)
        self.emit(ItemType.EOF)
        return None

    def lex_left_delim(self) -> _State | None:
        self.action_start = self.pos
        self.pos += len(LEFT_DELIM)
        trim_space = _has_left_trim_marker(self.input, self.pos)
        after_marker = 2 if trim_space else 0
        if self.input.startswith(LEFT_COMMENT, self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        self.emit(ItemType.LEFT_DELIM)
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self) -> _State | None:
        self.pos += len(LEFT_COMMENT)
        i = self.input.find(RIGHT_COMMENT, self.pos)
        if i < 0:
            self.errorf("unclosed comment", pos=self.action_start)
            return None
        self.pos = i + len(RIGHT_COMMENT)
        delim, trim_space = self.at_right_delim()
        if not delim:
            self.errorf("comment ends before closing delimiter")
            return None
        if trim_space:
            self.pos += 2
        self.pos += len(RIGHT_DELIM)
        if trim_space:
            self.pos += _left_trim_length(self.input, self.pos)
        self.ignore()
        return self.lex_text

    def at_right_delim(self) -> tuple[bool, bool]:
        if _has_right_trim_marker(self.input, self.pos) and self.input.startswith(
            RIGHT_DELIM, self.pos + 2
        ):
            return True, True
        if self.input.startswith(RIGHT_DELIM, self.pos):
            return True, False
        return False, False

    def lex_right_delim(self) -> _State | None:
        trim_space = _has_right_trim_marker(self.input, self.pos)
        if trim_space:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT_DELIM)
        self.emit(ItemType.RIGHT_DELIM)
        if trim_space:
            self.pos += _left_trim_length(self.input, self.pos)
            self.ignore()
        return self.lex_text

    def lex_inside_action(self) -> _State | None:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.errorf("unclosed left paren", pos=self.action_start)
            return None
        c = self.next()
        if c == EOF_CHAR:
            self.errorf("unclosed action", pos=self.action_start)
            return None
        if is_space(c):
            self.backup()
            return self.lex_space
        if c == "=":
            self.emit(ItemType.ASSIGN)
        elif c == ":":
            if self.next() != "=":
                self.errorf("expected :=")
                return None
            self.emit(ItemType.DECLARE)
        elif c == "|":
            self.emit(ItemType.PIPE)
        elif c == '"':
            return self.lex_quote
        elif c == "`":
            return self.lex_raw_quote
        elif c == "$":
            return self.lex_variable
        elif c == "'":
            return self.lex_char
        elif c == "." and self.pos < len(self.input) and not "0" <= self.input[self.pos] <= "9":
            return self.lex_field
        elif c in "+-." or "0" <= c <= "9":
            self.backup()
            return self.lex_number
        elif is_alphanumeric(c):
            self.backup()
            return self.lex_identifier
        elif c == "(":
            self.emit(ItemType.LEFT_PAREN)
            self.paren_depth += 1
        elif c == ")":
            self.emit(ItemType.RIGHT_PAREN)
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.errorf(f"unexpected right paren {_describe_rune(c)}")
                return None
        elif ord(c) < 0x80 and c.isprintable():
            self.emit(ItemType.CHAR)
        else:
            self.errorf(f"unrecognized character in action: {_describe_rune(c)}")
            return None
        return self.lex_inside_action

    def lex_space(self) -> _State | None:
        num_spaces = 0
        while is_space(self.peek()):
            self.next()
            num_spaces += 1
        if _has_right_trim_marker(self.input, self.pos - 1) and self.input.startswith(
            RIGHT_DELIM, self.pos - 1 + 2
        ):
            self.backup()
            if num_spaces == 1:
                return self.lex_right_delim
        self.emit(ItemType.SPACE)
        return self.lex_inside_action

    def lex_identifier(self) -> _State | None:
        while True:
            c = self.next()
            if is_alphanumeric(c):
                continue
            self.backup()
            word = self.input[self.start : self.pos]
            if not self.at_terminator():
                self.errorf(f"bad character {_describe_rune(c)}")
                return None
            keyword = KEYWORDS.get(word)
            if keyword is not None:
                if (keyword == ItemType.BREAK and not self.break_ok) or (
                    keyword == ItemType.CONTINUE and not self.continue_ok
                ):
                    self.emit(ItemType.IDENTIFIER)
                else:
                    self.emit(keyword)
            elif word[0] == ".":
                self.emit(ItemType.FIELD)
            elif word in ("true", "false"):
                self.emit(ItemType.BOOL)
            else:
                self.emit(ItemType.IDENTIFIER)
            return self.lex_inside_action

    def lex_field(self) -> _State | None:
        return self._field_or_variable(ItemType.FIELD)

    def lex_variable(self) -> _State | None:
        if self.at_terminator():
            self.emit(ItemType.VARIABLE)
            return self.lex_inside_action
        return self._field_or_variable(ItemType.VARIABLE)

    def _field_or_variable(self, typ: ItemType) -> _State | None:
        if self.at_terminator():
            self.emit(ItemType.VARIABLE if typ == ItemType.VARIABLE else ItemType.DOT)
            return self.lex_inside_action
        ascii_run = _ASCII_WORD.match(self.input, self.pos)
        if ascii_run is not None and ascii_run.end() > self.pos:  # no newline: plain jump
            self.pos = ascii_run.end()
        while True:
            c = self.next()
            if not is_alphanumeric(c):
                self.backup()
                break
        if not self.at_terminator():
            self.errorf(f"bad character {_describe_rune(c)}")
            return None
        self.emit(typ)
        return self.lex_inside_action

    def at_terminator(self) -> bool:
        c = self.peek()
        if is_space(c):
            return True
        if c in ("", ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(RIGHT_DELIM, self.pos)

    def lex_char(self) -> _State | None:
        return self._lex_escaped("'", "unterminated character constant", ItemType.CHAR_CONSTANT)

    def _lex_escaped(self, closing: str, unterminated: str, item: ItemType) -> _State | None:
        """A quoted token with backslash escapes that must end on the same line."""
        while True:
            c = self.next()
            if c == "\\":
                c = self.next()
                if c not in (EOF_CHAR, "\n"):
                    continue
            if c in (EOF_CHAR, "\n"):
                self.errorf(unterminated)
                return None
            if c == closing:
                break
        self.emit(item)
        return self.lex_inside_action

    def lex_number(self) -> _State | None:
        ok = self.scan_number()
        is_complex = ok and self.peek() in ("+", "-")
        if is_complex:  # 1+2i: a second number that ends in i
            ok = self.scan_number() and self.input[self.pos - 1] == "i"
        if not ok:
            self.errorf(f"bad number syntax: {_go_quote(self.input[self.start : self.pos])}")
            return None
        self.emit(ItemType.COMPLEX if is_complex else ItemType.NUMBER)
        return self.lex_inside_action

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 10 + 1 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 16 + 6 + 1 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if is_alphanumeric(self.peek()):
            self.next()
            return False
        return True

    def lex_quote(self) -> _State | None:
        return self._lex_escaped('"', "unterminated quoted string", ItemType.STRING)

    def lex_raw_quote(self) -> _State | None:
        while True:
            c = self.next()
            if c == EOF_CHAR:
                self.errorf("unterminated raw quoted string")
                return None
            if c == "`":
                break
        self.emit(ItemType.RAW_STRING)
        return self.lex_inside_action


def _go_quote(s: str) -> str:
    from crmtpl.gotemplate.gostrconv import quote

    return quote(s)


def _has_left_trim_marker(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] == "-" and s[i + 1] in _SPACE_CHARS


def _has_right_trim_marker(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] in _SPACE_CHARS and s[i + 1] == "-"


def _left_trim_length(s: str, i: int) -> int:
    j = i
    while j < len(s) and s[j] in _SPACE_CHARS:
        j += 1
    return j - i


def lex(text: str) -> list[Item]:
    """Scan ``text`` into items, ending with EOF or an ERROR item."""
    return Lexer(text).items
