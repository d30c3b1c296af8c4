"""crmtpl.gjson: a faithful Python implementation of tidwall/gjson 1.14.4.

The PBX evaluates every ``Output Path`` of a template with gjson against the CRM's JSON
response and stores ``Result.String()``. This package reproduces gjson's observable
behaviour over the raw JSON text (no decoding into Python objects): the complete path syntax,
the modifiers, gjson's handling of duplicate keys (first match) and of malformed documents,
and Go's number formatting. It is a pure library: no I/O, no printing.

    >>> from crmtpl import gjson
    >>> gjson.get('{"data":[{"id":7},{"id":8}]}', "data.#.id").str
    '[7,8]'

``check_path`` is the linter's companion: it flags paths that can only be mistakes.
"""

from __future__ import annotations

from crmtpl.gjson._engine import buf_for, get_text
from crmtpl.gjson._engine import get as _get_view
from crmtpl.gjson._result import Result, ResultType
from crmtpl.gjson._result import parse as _parse_view
from crmtpl.gjson._scan import Buf
from crmtpl.gjson._valid import valid as _valid
from crmtpl.gjson.check import PathProblem, check_path

__all__ = [
    "PathProblem",
    "Result",
    "ResultType",
    "check_path",
    "get",
    "get_many",
    "parse",
    "valid",
]


def get(json_text: str, path: str) -> Result:
    """Evaluate the gjson ``path`` against ``json_text`` (``gjson.Get``)."""
    return get_text(json_text, path)


def get_many(json_text: str, *paths: str) -> list[Result]:
    """Evaluate several paths against the same document (``gjson.GetMany``)."""
    buf = buf_for(json_text)
    return [_get_view(buf, 0, len(json_text), path) for path in paths]


def parse(json_text: str) -> Result:
    """The first value of ``json_text`` (``gjson.Parse``); no validation."""
    return _parse_view(Buf(json_text), 0, len(json_text))


def valid(json_text: str) -> bool:
    """True when ``json_text`` is one valid JSON value (``gjson.Valid``)."""
    return _valid(json_text)
