"""A contact search through a filter parameter (``filter=``, ``where=``): such a parameter
takes an expression in the CRM's own syntax, not the bare number.

When the parameter's own examples show how one field is compared
(``emails.primaryEmail[eq]:foo@example.com``, ``email==x``), the expression is written the
same way on the records' phone field; otherwise the number is sent alone and the choice
says that the filter is to be written.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from crmtpl.openapi.description import Parameter
from crmtpl.scaffold.words import squash

#: Query parameters that take a filter expression.
FILTER_PARAMETERS = ("filter", "filters", "where", "criteria", "conditions")

#: One field compared for equality: ``field[eq]:value``, ``field==value``, ``field:value``.
_COMPARISON = re.compile(
    r"^(?P<field>[A-Za-z_][\w.]*)(?P<op>\[(?:eq|equals|is)\]:|==|:|=)(?P<value>[^,()]+)$"
)
PHONE = "{{UrlEncode .Phone}}"


def is_filter(parameter: Parameter) -> bool:
    """True for a query parameter that takes a filter expression."""
    return squash(parameter.name) in FILTER_PARAMETERS


def examples(parameter: Parameter) -> list[str]:
    """The parameter's example values, then its schema's."""
    schema = parameter.schema or {}
    shown: list[object] = [*parameter.examples, schema.get("example")]
    listed = schema.get("examples")
    if isinstance(listed, list):
        shown += listed
    return [value for value in shown if isinstance(value, str) and value]


def phone_expression(parameter: Parameter, field: str) -> tuple[str, str] | None:
    """The query value comparing ``field`` (a path inside a record, no list in it) with the
    number, URL-encoded around ``{{UrlEncode .Phone}}``, and the example it follows; None
    when no example compares one field."""
    if not field or "#" in field.split(".") or any(p.isdigit() for p in field.split(".")):
        return None
    for example in examples(parameter):
        match = _COMPARISON.match(example.strip())
        if match is None:
            continue
        value = match["value"]
        quoted = len(value) > 1 and value[0] == value[-1] == '"'
        literal = quote(field + match["op"], safe="")
        number = f"%22{PHONE}%22" if quoted else PHONE
        return literal + number, example
    return None
