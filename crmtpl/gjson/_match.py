"""tidwall/match: the ``*`` / ``?`` wildcard matcher behind gjson keys and ``%`` queries.

``*`` matches any run of characters, ``?`` exactly one character (a rune, not a byte) and
``\\c`` the character ``c``; a pattern ending in a lone backslash never matches. gjson calls
``MatchLimit(str, pattern, 10000)``: a match that recurses more than ``10000 * len(str)``
times (counting bytes) gives up and counts as no match.
"""

from __future__ import annotations

from crmtpl.gjson._scan import utf8_len

_NO_MATCH, _MATCH, _STOP = 0, 1, 2
_LIMIT = 10000
_WILD = frozenset("*?\\")


def match_limit(text: str, pattern: str) -> bool:
    """``match.MatchLimit(text, pattern, 10000)`` as gjson uses it: True on a match."""
    if pattern == "*":
        return True
    if not _WILD.intersection(pattern):
        return text == pattern
    budget = [0, utf8_len(text) * _LIMIT]
    return _match(text, pattern, budget) == _MATCH


def _match(text: str, pattern: str, budget: list[int]) -> int:
    if budget[0] > budget[1]:
        return _STOP
    budget[0] += 1
    while pattern:
        wild = False
        pc = pattern[0]
        if pc == "?":
            if not text:
                return _NO_MATCH
        elif pc == "*":
            stars = len(pattern) - len(pattern.lstrip("*"))
            pattern = pattern[stars - 1 :]
            if len(pattern) == 1:
                return _MATCH
            text, pattern, ok = _trim_suffix(text, pattern)
            if not ok:
                return _NO_MATCH
            if len(pattern) == 1:
                return _MATCH
            result = _match(text, pattern[1:], budget)
            if result != _NO_MATCH:
                return result
            if not text:
                return _NO_MATCH
            wild = True
        else:
            if not text:
                return _NO_MATCH
            if pc == "\\":
                pattern = pattern[1:]
                if not pattern:
                    return _NO_MATCH
                pc = pattern[0]
            if text[0] != pc:
                return _NO_MATCH
        text = text[1:]
        if not wild:
            pattern = pattern[1:]
    return _MATCH if not text else _NO_MATCH


def _trim_suffix(text: str, pattern: str) -> tuple[str, str, bool]:
    """matchTrimSuffix: match the literal tail after a leading ``*`` from the right."""
    ok = True
    while text and len(pattern) > 1:
        pc = pattern[-1]
        size = 1
        run = 0
        while pattern[len(pattern) - size - run - 1] == "\\":
            run += 1
        escaped = run % 2 == 1
        if escaped:
            size += 1
        if pc == "*" and not escaped:
            ok = True
            break
        if not ((pc == "?" and not escaped) or pc == text[-1]):
            ok = False
            break
        text = text[:-1]
        pattern = pattern[:-size]
    return text, pattern, ok
