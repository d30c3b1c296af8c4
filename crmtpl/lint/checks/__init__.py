"""The rule modules, one per family; importing this package registers every check.

Each module decorates its functions with :func:`crmtpl.lint.registry.check`. The checks
read facts (scenario ids, allowed values, availability of variables) from the catalogue
(:mod:`crmtpl.template.catalogue`), never from literals of their own.
"""

from __future__ import annotations

from crmtpl.lint.checks import (
    answers,
    api_operations,
    api_schemas,
    auth,
    bodies,
    headers,
    information,
    outputs,
    requests,
    scenarios,
    structure,
    templates,
    uncertain,
    variables,
    xmlfile,
)

__all__ = [
    "answers",
    "api_operations",
    "api_schemas",
    "auth",
    "bodies",
    "headers",
    "information",
    "outputs",
    "requests",
    "scenarios",
    "structure",
    "templates",
    "uncertain",
    "variables",
    "xmlfile",
]
