"""A faithful Go ``text/template`` engine (Go 1.19) with the Yeastar PBX functions.

The PBX renders every template attribute with Go's ``text/template`` plus four custom
functions; this package evaluates templates exactly as Go does, error texts included, as a
pure library (no I/O).

Public API::

    parse(text, *, name="tpl", funcs=PBX) -> Template        # raises TemplateParseError
    Template.execute(data, *, missingkey="default", tz=None) -> str
    render(text, data, *, name="tpl", pbx_funcs=True, missingkey="default", tz=None) -> str
    analyze(text, *, funcs=PBX) -> TemplateAnalysis          # for the linter; never raises
    PBX_FUNCTIONS                                            # {"TimeFormat": 3, ...}

Function sets: ``PBX`` (Go's builtins and the PBX functions, the default) and
``BUILTINS_ONLY``.

Errors: ``GoTemplateError`` (``.message`` is Go's text, ``.offset`` a character offset into
the template or None, ``.line``/``.col`` 1-based, in characters), with the subclasses
``TemplateParseError`` and ``TemplateExecError`` (``.partial_output``: what Go had written
before the error).

Value mapping (Python value -> Go value the template sees):

- ``str`` -> ``string``; ``bool`` -> ``bool``; ``int`` -> ``int``; ``float`` -> ``float64``;
- ``None`` -> ``nil`` (top level: no data; inside a list or dict: a nil ``interface{}``);
- ``list`` -> ``[]interface {}``; ``dict`` with ``str`` keys -> ``map[string]interface {}``;
- ``JSONNumber`` (a ``str`` subclass) -> ``json.Number``, what Go's JSON decoder gives with
  ``UseNumber``: a *string* type holding the exact digits;
- ``StringMap`` (a ``dict`` subclass of ``str`` -> ``str``) -> ``map[string]string``, the
  flat string variables of the corpus' ``string`` data mode.

Anything else raises TypeError when the template reaches it. Templates only ever read dict
keys and list items, never Python attributes: no ``eval``, no ``getattr``. Go strings are
bytes: invalid UTF-8 produced by byte-wise operations is carried as surrogate escapes
(U+DC80..U+DCFF) and re-joined in the output where it forms valid UTF-8.
"""

from __future__ import annotations

from crmtpl.gotemplate.analysis import (
    FieldRef,
    FuncCall,
    Problem,
    TemplateAnalysis,
    VariableRef,
    analyze,
)
from crmtpl.gotemplate.errors import (
    GoTemplateError,
    TemplateExecError,
    TemplateParseError,
    line_col,
)
from crmtpl.gotemplate.functions import (
    BUILTINS_ONLY,
    PBX,
    PBX_FUNCTIONS,
    FuncSet,
)
from crmtpl.gotemplate.gotime import UnknownZoneError
from crmtpl.gotemplate.template import Template
from crmtpl.gotemplate.values import JSONNumber, StringMap


def parse(text: str, *, name: str = "tpl", funcs: FuncSet | None = None) -> Template:
    """Parse ``text`` as Go would; ``funcs`` defaults to the builtins plus the PBX functions."""
    return Template(text, name=name, funcs=PBX if funcs is None else funcs)


def render(
    text: str,
    data: object,
    *,
    name: str = "tpl",
    pbx_funcs: bool = True,
    missingkey: str = "default",
    tz: str | None = None,
) -> str:
    """Parse and execute in one step (see ``Template.execute`` for the options)."""
    template = Template(text, name=name, funcs=PBX if pbx_funcs else BUILTINS_ONLY)
    return template.execute(data, missingkey=missingkey, tz=tz)


__all__ = [
    "BUILTINS_ONLY",
    "PBX",
    "PBX_FUNCTIONS",
    "FieldRef",
    "FuncCall",
    "FuncSet",
    "GoTemplateError",
    "JSONNumber",
    "Problem",
    "StringMap",
    "Template",
    "TemplateAnalysis",
    "TemplateExecError",
    "TemplateParseError",
    "UnknownZoneError",
    "VariableRef",
    "analyze",
    "line_col",
    "parse",
    "render",
]
