"""What is at an offset of a loaded template: the element, the attribute, the character of
the decoded value, the ``{{ }}`` action and the word under the cursor, and where it lives
(scenario, request, parameter) so the catalogue can say what is available there."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmtpl.template import LoadedTemplate, XmlAttribute, XmlElement

_WORD = re.compile(r"[$.]?[A-Za-z_][A-Za-z0-9_]*")
_ACTION = re.compile(r"\{\{.*?(?:\}\}|$)", re.DOTALL)


@dataclass(frozen=True)
class Spot:
    """The place of the cursor. ``part`` is ``"element"`` (the tag name), ``"name"`` (an
    attribute name), ``"value"`` (inside a value) or ``"tag"`` (elsewhere in a start tag,
    or in text)."""

    element: XmlElement
    part: str
    attribute: XmlAttribute | None = None
    index: int = 0  # the decoded value's character under the cursor

    @property
    def scenario_id(self) -> str | None:
        """``Id`` of the enclosing ``<Scenario>``, or None."""
        node = _enclosing(self.element, "Scenario")
        return None if node is None else node.get("Id")

    @property
    def request(self) -> XmlElement | None:
        """The enclosing ``<Request>``, or None."""
        return _enclosing(self.element, "Request")

    @property
    def parameter_name(self) -> str | None:
        """``Name`` of a scenario-level ``<Parameter>`` the cursor is in (None in a
        request: request values share the request's context)."""
        if self.element.name != "Parameter" or self.request is not None:
            return None
        return self.element.get("Name")


@dataclass(frozen=True)
class Word:
    """A word of a value: ``.Name`` (a field), ``$x`` (a variable) or a bare identifier,
    with its decoded offsets and whether it sits inside a ``{{ }}`` action."""

    text: str
    start: int
    end: int
    in_action: bool

    @property
    def field(self) -> str | None:
        """The field name of ``.Name`` (None for other words)."""
        return self.text[1:] if self.text.startswith(".") else None


def _enclosing(node: XmlElement | None, name: str) -> XmlElement | None:
    while node is not None and node.name != name:
        node = node.parent
    return node


def decoded_index(attribute: XmlAttribute, offset: int) -> int:
    """The decoded value's character written at file ``offset`` (inside an entity: the
    character the entity stands for)."""
    low, high = 0, len(attribute.value)
    while low < high:
        middle = (low + high + 1) // 2
        if attribute.raw_offset(middle) <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def spot_at(loaded: LoadedTemplate, offset: int) -> Spot | None:
    """The innermost element whose start tag or content holds ``offset``, and the part of
    it under the cursor; None outside the root element."""
    node = _innermost(loaded.source.root, offset)
    if node is None:
        return None
    if node.start <= offset < node.tag_end:
        for attribute in node.attribute_list:
            if attribute.name_start <= offset <= attribute.name_end:
                return Spot(node, "name", attribute)
            if attribute.value_start <= offset <= attribute.value_end:
                return Spot(node, "value", attribute, decoded_index(attribute, offset))
        name = node.name_span
        if name.start_offset <= offset <= name.end_offset:
            return Spot(node, "element")
    return Spot(node, "tag")


def _innermost(node: XmlElement, offset: int) -> XmlElement | None:
    if not node.start <= offset < max(node.end, node.tag_end):
        return None
    for child in node.children:
        found = _innermost(child, offset)
        if found is not None:
            return found
    return node


def actions(value: str) -> list[tuple[int, int]]:
    """Decoded ``[start, end)`` of every ``{{ }}`` action (an unclosed one runs to the end)."""
    return [(m.start(), m.end()) for m in _ACTION.finditer(value)]


def word_at(value: str, index: int) -> Word | None:
    """The word of ``value`` that holds (or ends at) ``index``, or None."""
    inside = any(start <= index <= end for start, end in actions(value))
    for match in _WORD.finditer(value):
        if match.start() <= index <= match.end():
            return Word(match.group(), match.start(), match.end(), inside)
        if match.start() > index:
            break
    return None


def field_uses(value: str) -> list[tuple[str, int, int]]:
    """Every ``.Name`` inside the actions of a value: (name, decoded start, decoded end)."""
    found = []
    for start, end in actions(value):
        for match in _WORD.finditer(value, start, end):
            text = match.group()
            if text.startswith(".") and (match.start() == 0 or value[match.start() - 1] in " ({"):
                found.append((text[1:], match.start(), match.end()))
    return found


def all_attributes(loaded: LoadedTemplate) -> list[tuple[XmlElement, XmlAttribute]]:
    """Every attribute of every element, in document order."""
    return [
        (node, attribute) for node in loaded.source.root.iter() for attribute in node.attribute_list
    ]
