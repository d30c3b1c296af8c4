"""``valid``: gjson's ``Valid``, strict RFC 8259 JSON, and ``quote``: ``AppendJSONString``.

gjson's validator accepts exactly standard JSON: one value, whitespace limited to space,
tab, CR and LF, no NaN or Infinity, no control characters inside strings. Python's ``json``
module checks the same grammar in C once its extensions (NaN, Infinity) are refused; a
document nested too deeply for it falls back to an iterative checker with the same rules.
"""

from __future__ import annotations

import json
import re


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)

_WS = r"[ \t\n\r]*"
_STRING = r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_TOKEN = re.compile(
    rf"{_WS}(?:(?P<scalar>{_STRING}|{_NUMBER}|true|false|null)|(?P<open>[\[{{])|(?P<close>[\]}}]))"
)
_KEY = re.compile(rf"{_WS}({_STRING}){_WS}:")
_COMMA = re.compile(rf"{_WS},")
_END = re.compile(_WS)
_EMPTY_ARRAY_END = re.compile(_WS + r"\]")
_EMPTY_OBJECT_END = re.compile(_WS + r"}")


def valid(json_text: str) -> bool:
    """True when ``json_text`` is one valid JSON value (gjson's ``Valid``)."""
    try:
        _DECODER.decode(json_text)
    except (ValueError, RecursionError):
        return _valid_iterative(json_text) if _maybe_deep(json_text) else False
    return True


def _maybe_deep(text: str) -> bool:
    return text.count("[") + text.count("{") > 200


def _valid_iterative(text: str) -> bool:
    """The same grammar with an explicit stack, for any depth."""
    stack: list[str] = []
    i = 0
    n = len(text)
    expect_value = True
    while True:
        if expect_value:
            if stack and stack[-1] == "{":
                key = _KEY.match(text, i)
                if key is None:
                    return False
                i = key.end()
            token = _TOKEN.match(text, i)
            if token is None:
                return False
            i = token.end()
            opener = token.group("open")
            if opener:
                # An empty container closes at once.
                close = (_EMPTY_ARRAY_END if opener == "[" else _EMPTY_OBJECT_END).match(text, i)
                if close is not None:
                    i = close.end()
                else:
                    stack.append(opener)
                    continue
            elif token.group("close"):
                return False
        # After a value: a comma, the container's end, or the end of the text.
        if not stack:
            return _END.match(text, i).end() == n  # type: ignore[union-attr]
        comma = _COMMA.match(text, i)
        if comma is not None:
            i = comma.end()
            expect_value = True
            continue
        closing = _TOKEN.match(text, i)
        if closing is None or closing.group("close") is None:
            return False
        if (closing.group("close") == "]") != (stack[-1] == "["):
            return False
        stack.pop()
        i = closing.end()
        expect_value = False


def quote(text: str) -> str:
    """``AppendJSONString``: ``text`` as a JSON string the way gjson writes one.

    Control characters become ``\\n \\r \\t`` or ``\\u00XX``, ``< > &`` become ``\\u003c``
    and so on, U+2028/U+2029 are escaped, bytes that are not UTF-8 become ``\\ufffd``.
    """
    return '"' + _QUOTE_NEEDED.sub(_quote_char, text) + '"'


_QUOTE_NEEDED = re.compile('[\x00-\x1f<>&\\\\"\u2028\u2029\ud800-\udfff]')
_QUOTE_MAP = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", '"': '\\"'}


def _quote_char(found: re.Match[str]) -> str:
    ch = found.group()
    mapped = _QUOTE_MAP.get(ch)
    if mapped is not None:
        return mapped
    if "\ud800" <= ch <= "\udfff":
        return "\\ufffd"
    return f"\\u{ord(ch):04x}"
