"""Completions from the document text before the cursor, so they work while the file is
half-typed and does not load: element names after ``<``, attribute names inside a start
tag, enum values inside a value, and inside ``{{ }}`` the variables available at that spot
(the catalogue's availability per scenario, custom fields, global outputs), the PBX's and
Go's functions and the keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmtpl.lsp.words import GO_FUNCTIONS, KEYWORDS
from crmtpl.template.catalogue import Catalogue, catalogue

_ELEMENT_START = re.compile(r"<([A-Za-z]*)$")
_ATTRIBUTE = re.compile(r"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_SCENARIO = re.compile(r"<Scenario\b[^>]*?\bId\s*=\s*\"([^\"]*)\"")
_CUSTOM_FIELD = re.compile(
    r"<Parameter\b(?=[^>]*\bFather\s*=\s*\"CustomFieldList\")[^>]*?\bName\s*=\s*\"([^\"]+)\""
)
_OUTPUT_NAME = re.compile(r"<Output\b[^>]*?\bName\s*=\s*\"([^\"]+)\"")


@dataclass(frozen=True)
class Completion:
    """One proposal: the text, its kind (element, attribute, value, variable, function,
    keyword) and a short description."""

    label: str
    kind: str
    detail: str = ""


def completions(text: str, offset: int) -> list[Completion]:
    """What may be typed at ``offset`` of ``text``."""
    before = text[:offset]
    cat = catalogue()
    tag_start = before.rfind("<")
    if tag_start < 0 or before.rfind(">") > tag_start:
        return []
    tag = before[tag_start:]
    if _ELEMENT_START.search(tag):
        return _elements(cat)
    opened = re.match(r"<([A-Za-z][\w.-]*)", tag)
    if opened is None:
        return []
    element = opened.group(1)
    quote_at, attribute = _open_value(tag)
    if attribute is None:
        return _attributes(cat, element)
    value = tag[quote_at + 1 :]
    if value.rfind("{{") > value.rfind("}}"):
        return _in_action(cat, text, before, tag, element)
    return _values(cat, element, attribute, before)


def _open_value(tag: str) -> tuple[int, str | None]:
    """Where the value the cursor is in opens, and its attribute name (None outside one)."""
    quote: str | None = None
    opened_at = -1
    for index, char in enumerate(tag):
        if quote is None and char in "\"'":
            quote, opened_at = char, index
        elif char == quote:
            quote = None
    if quote is None:
        return -1, None
    name = re.search(r"([\w.:-]+)\s*=\s*$", tag[:opened_at])
    return opened_at, (name.group(1) if name else "")


def _elements(cat: Catalogue) -> list[Completion]:
    return [Completion(e.name, "element", e.note) for e in cat.elements]


def _attributes(cat: Catalogue, element: str) -> list[Completion]:
    if element == "Information":
        return [Completion(a.name, "attribute", a.meaning) for a in cat.information_attributes]
    if element == "Request":
        return [Completion(a.name, "attribute", a.meaning) for a in cat.request_attributes]
    spec = cat.element(element)
    return [] if spec is None else [Completion(a, "attribute") for a in spec.attributes]


def _values(cat: Catalogue, element: str, attribute: str, before: str) -> list[Completion]:
    spec = None
    if element == "Information":
        spec = cat.information_attribute(attribute)
    elif element == "Request":
        spec = cat.request_attribute(attribute)
    if spec is not None:
        return [Completion(v, "value", spec.meaning) for v in spec.values]
    scenario = _scenario_before(before)
    if element == "Scenario" and attribute == "Id":
        return [Completion(s.id, "value", s.description) for s in cat.scenarios]
    if element == "Parameter" and attribute == "Father":
        return [Completion(g.name, "value", g.purpose) for g in cat.father_groups]
    if element == "Parameter" and attribute == "Editor":
        return [Completion(e.name, "value", e.note) for e in cat.editors]
    if element == "Parameter" and attribute == "Name" and scenario is not None:
        return [Completion(p.name, "value", p.meaning) for p in cat.parameters_for(scenario)]
    return []


def _scenario_before(before: str) -> str | None:
    found = None
    for found in _SCENARIO.finditer(before):  # noqa: B007  (the last one is wanted)
        pass
    return None if found is None else found.group(1)


def _in_action(cat: Catalogue, text: str, before: str, tag: str, element: str) -> list[Completion]:
    scenario = _scenario_before(before)
    in_request = before.rfind("<Request") > before.rfind("</Request>")
    parameter = None
    if element == "Parameter" and not in_request:
        parameter = {m.group(1): m.group(2) for m in _ATTRIBUTE.finditer(tag)}.get("Name")
    items: list[Completion] = []
    context = None if scenario is None else cat.context_for(scenario, parameter)
    variables = cat.variables if context is None else cat.variables_in(context.id)
    items.extend(Completion("." + v.name, "variable", v.meaning) for v in variables)
    custom = context is None or cat.dynamic_availability("custom_fields", context.id).available
    if custom:
        names = dict.fromkeys(m.group(1) for m in _CUSTOM_FIELD.finditer(text))
        items.extend(Completion("." + n, "variable", "custom field") for n in names)
    if context is None or cat.dynamic_availability("global_info_outputs", context.id).available:
        items.extend(
            Completion("." + n, "variable", "GetGlobalInfo output") for n in _global_outputs(text)
        )
    items.extend(Completion(f.name, "function", f.signature) for f in cat.functions)
    items.extend(Completion(n, "function", s[0]) for n, s in GO_FUNCTIONS.items())
    items.extend(Completion(k, "keyword") for k in KEYWORDS)
    return items


def _global_outputs(text: str) -> list[str]:
    start = text.find('Id="GetGlobalInfo"')
    if start < 0:
        return []
    end = text.find("</Scenario>", start)
    return list(dict.fromkeys(_OUTPUT_NAME.findall(text, start, end if end > 0 else len(text))))
