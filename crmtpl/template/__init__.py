"""Templates as data: the typed model, the hardened loader with its source map, the catalogue.

Public API::

    from crmtpl.template import load_template, LoadedTemplate, TemplateFileError
    from crmtpl.template import Template, Scenario, Request, Parameter, Outputs, Output
    from crmtpl.template import SourceMap, SourceSpan, XmlElement, XmlAttribute
    from crmtpl.template.catalogue import catalogue   # the format's facts, as data
"""

from __future__ import annotations

from crmtpl.template.load_errors import TemplateFileError
from crmtpl.template.loader import MAX_TEMPLATE_BYTES, LoadedTemplate, load_template
from crmtpl.template.model import (
    Information,
    Output,
    Outputs,
    Parameter,
    Request,
    Scenario,
    Template,
)
from crmtpl.template.source import (
    LiteralWhitespace,
    SourceMap,
    SourceSpan,
    XmlAttribute,
    XmlComment,
    XmlDeclaration,
    XmlElement,
)

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "Information",
    "LiteralWhitespace",
    "LoadedTemplate",
    "Output",
    "Outputs",
    "Parameter",
    "Request",
    "Scenario",
    "SourceMap",
    "SourceSpan",
    "Template",
    "TemplateFileError",
    "XmlAttribute",
    "XmlComment",
    "XmlDeclaration",
    "XmlElement",
    "load_template",
]
