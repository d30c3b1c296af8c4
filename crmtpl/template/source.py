"""Where everything in a template file is: spans, elements, attributes, comments.

The loader builds one :class:`SourceMap` per file. Every element keeps the character
offsets of its tags and attributes; line:column pairs are computed on demand from one
shared :class:`LineIndex`, so loading stays cheap and every position stays exact.

Conventions (the json report format relies on them):

* lines and columns are 1-based; columns count characters (Unicode code points), a tab
  counts as one column;
* lines are separated by ``\\n`` only (a ``\\r\\n`` pair ends a line at its ``\\n``; a lone
  ``\\r`` does not start a line, exactly as Go's XML decoder counts lines);
* a span's end is exclusive: ``end_column`` is the column just after its last character;
* offsets are 0-based indexes into :attr:`SourceMap.text` (the decoded file without a BOM).

An attribute value is stored as Go's ``encoding/xml`` decodes it (entities and character
references replaced, literal newlines and tabs kept, ``\\r\\n`` and lone ``\\r`` read as
``\\n``). :meth:`XmlAttribute.position_of` maps an offset inside that decoded value back to
the file, so an error at character 17 of a ``URLFormat`` is reported where that character
is written, even after ``&quot;`` or ``&#xA;``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """A range of the file: 1-based lines and character columns, end exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    start_offset: int
    end_offset: int

    @property
    def start(self) -> tuple[int, int]:
        """``(line, column)`` of the first character."""
        return (self.start_line, self.start_column)

    @property
    def end(self) -> tuple[int, int]:
        """``(line, column)`` just after the last character."""
        return (self.end_line, self.end_column)

    def __str__(self) -> str:
        return f"{self.start_line}:{self.start_column}-{self.end_line}:{self.end_column}"


class LineIndex:
    """Turns character offsets of one text into line:column pairs."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        """Number of lines (a final line without ``\\n`` counts; an empty text has one)."""
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, column)``, both 1-based, of the character at ``offset``."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect_right(self._starts, offset) - 1
        return (index + 1, offset - self._starts[index] + 1)

    def span(self, start: int, end: int) -> SourceSpan:
        """The :class:`SourceSpan` of the offsets ``[start, end)``."""
        start_line, start_column = self.position(start)
        end_line, end_column = self.position(max(end, start))
        return SourceSpan(start_line, start_column, end_line, end_column, start, max(end, start))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break ('' when out of range)."""
        if line < 1 or line > len(self._starts):
            return ""
        begin = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[begin:end].rstrip("\r")


@dataclass(frozen=True, slots=True)
class LiteralWhitespace:
    """A literal newline or tab written inside an attribute value.

    Go keeps it, a conformant XML parser turns it into a space: ``&#xA;`` / ``&#x9;`` are
    the portable forms. ``char`` is ``"\\n"``, ``"\\r\\n"``, ``"\\r"`` or ``"\\t"``.
    """

    attribute: str
    char: str
    span: SourceSpan


class XmlAttribute:
    """One attribute as written: name and value spans, and the value as Go decodes it.

    ``value_start``/``value_end`` are the offsets of the raw value between the quotes.
    """

    __slots__ = (
        "_escapes",
        "_lines",
        "_literals",
        "name",
        "name_end",
        "name_start",
        "quote",
        "value",
        "value_end",
        "value_start",
    )

    def __init__(
        self,
        lines: LineIndex,
        name: str,
        value: str,
        name_start: int,
        value_start: int,
        value_end: int,
        quote: str,
        escapes: tuple[tuple[int, int, int], ...] = (),
        literals: tuple[int, ...] = (),
    ) -> None:
        self._lines = lines
        self.name = name
        self.value = value
        self.name_start = name_start
        self.name_end = name_start + len(name)
        self.value_start = value_start
        self.value_end = value_end
        self.quote = quote
        # (decoded index, raw offset relative to value_start, raw length) of every
        # decoded character that is not written as itself: entities, character
        # references, and \r\n / \r read as \n. Sorted by decoded index.
        self._escapes = escapes
        # Raw offsets of literal \n, \r and \t inside the value (\r\n as its \r).
        self._literals = literals

    def __repr__(self) -> str:
        return f"XmlAttribute({self.name!r}, {self.value!r})"

    @property
    def raw_value(self) -> str:
        """The value exactly as written between the quotes."""
        return self._lines.text[self.value_start : self.value_end]

    @property
    def name_span(self) -> SourceSpan:
        """Where the attribute's name is written."""
        return self._lines.span(self.name_start, self.name_end)

    @property
    def value_span(self) -> SourceSpan:
        """Where the raw value is written, without the quotes."""
        return self._lines.span(self.value_start, self.value_end)

    @property
    def span(self) -> SourceSpan:
        """The whole ``Name="value"``, quotes included."""
        return self._lines.span(self.name_start, self.value_end + 1)

    def raw_offset(self, offset: int) -> int:
        """File offset where the decoded character at ``offset`` is written.

        Offsets are clamped to ``[0, len(value)]``; ``len(value)`` maps to the closing
        quote. A character written as an entity maps to the entity's ``&``.
        """
        offset = min(max(offset, 0), len(self.value))
        escapes = self._escapes
        if not escapes or offset < escapes[0][0]:
            return self.value_start + offset
        index = bisect_right(escapes, (offset, 1 << 62, 0)) - 1
        decoded, raw, raw_length = escapes[index]
        if offset == decoded:
            return self.value_start + raw
        return self.value_start + raw + raw_length + (offset - decoded - 1)

    def _raw_end(self, offset: int) -> int:
        """File offset just after the written form of the decoded character ``offset``."""
        escapes = self._escapes
        if escapes:
            index = bisect_right(escapes, (offset, 1 << 62, 0)) - 1
            if index >= 0 and escapes[index][0] == offset:
                return self.value_start + escapes[index][1] + escapes[index][2]
        return self.raw_offset(offset) + 1

    def position_of(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` in the file of the decoded value's character ``offset``."""
        return self._lines.position(self.raw_offset(offset))

    def span_of(self, start: int, end: int) -> SourceSpan:
        """The file span covering the decoded value's characters ``[start, end)``."""
        length = len(self.value)
        start = min(max(start, 0), length)
        end = min(max(end, start), length)
        raw_start = self.raw_offset(start)
        raw_end = self._raw_end(end - 1) if end > start else raw_start
        return self._lines.span(raw_start, raw_end)

    def literal_whitespace(self) -> tuple[LiteralWhitespace, ...]:
        """Every literal newline or tab written inside this value."""
        text = self._lines.text
        found = []
        for raw in self._literals:
            char = text[raw]
            if char == "\r" and text.startswith("\r\n", raw):
                char = "\r\n"
            found.append(LiteralWhitespace(self.name, char, self._lines.span(raw, raw + len(char))))
        return tuple(found)


class XmlElement:
    """One element of the document with the offsets of its tags and attributes.

    ``attributes`` maps each name to its last occurrence (as Go's struct unmarshalling
    reads a repeated attribute); ``attribute_list`` keeps every occurrence in document
    order, so a repeated attribute can be reported.
    """

    __slots__ = (
        "_lines",
        "attribute_list",
        "attributes",
        "children",
        "end",
        "name",
        "parent",
        "self_closing",
        "start",
        "tag_end",
        "text_parts",
    )

    def __init__(self, lines: LineIndex, name: str, start: int, parent: XmlElement | None) -> None:
        self._lines = lines
        self.name = name
        self.start = start  # offset of '<'
        self.tag_end = start  # offset just after the start tag's '>'
        self.end = start  # offset just after the end tag (or of '/>')
        self.self_closing = False
        self.parent = parent
        self.children: list[XmlElement] = []
        self.attributes: dict[str, XmlAttribute] = {}
        self.attribute_list: list[XmlAttribute] = []
        self.text_parts: list[str] = []

    def __repr__(self) -> str:
        line, column = self._lines.position(self.start)
        return f"<XmlElement {self.name} at {line}:{column}>"

    @property
    def text(self) -> str:
        """The element's own character data, decoded (CDATA included; runs of only
        whitespace between tags, i.e. indentation, are not kept)."""
        return "".join(self.text_parts)

    def get(self, name: str) -> str | None:
        """The decoded value of attribute ``name``, or None when it is absent."""
        attribute = self.attributes.get(name)
        return None if attribute is None else attribute.value

    def attribute(self, name: str) -> XmlAttribute | None:
        """The attribute ``name`` (its last occurrence), or None."""
        return self.attributes.get(name)

    def child(self, name: str) -> XmlElement | None:
        """The first child element called ``name``, or None."""
        for child in self.children:
            if child.name == name:
                return child
        return None

    def children_named(self, name: str) -> list[XmlElement]:
        """Every child element called ``name``, in document order."""
        return [child for child in self.children if child.name == name]

    def iter(self) -> Iterator[XmlElement]:
        """This element and all its descendants, in document order (no recursion)."""
        pending = [self]
        while pending:
            element = pending.pop()
            yield element
            pending.extend(reversed(element.children))

    @property
    def duplicate_attributes(self) -> list[XmlAttribute]:
        """Occurrences of an attribute name that a later occurrence overrides."""
        if len(self.attribute_list) == len(self.attributes):
            return []
        return [a for a in self.attribute_list if self.attributes[a.name] is not a]

    @property
    def line(self) -> int:
        """Line of the start tag's ``<``."""
        return self._lines.position(self.start)[0]

    @property
    def start_tag_span(self) -> SourceSpan:
        """The start tag, from ``<`` to its ``>`` (or ``/>``)."""
        return self._lines.span(self.start, self.tag_end)

    @property
    def name_span(self) -> SourceSpan:
        """The element name inside the start tag."""
        return self._lines.span(self.start + 1, self.start + 1 + len(self.name))

    @property
    def span(self) -> SourceSpan:
        """The whole element, start tag to end tag."""
        return self._lines.span(self.start, self.end)

    @property
    def end_tag_span(self) -> SourceSpan | None:
        """The end tag ``</Name>``, or None for a self-closing element."""
        if self.self_closing:
            return None
        begin = self._lines.text.rfind("</", self.tag_end, self.end)
        return self._lines.span(begin, self.end)

    def literal_whitespace(self) -> tuple[LiteralWhitespace, ...]:
        """Literal newlines/tabs inside this element's attribute values, in order."""
        found: list[LiteralWhitespace] = []
        for attribute in self.attribute_list:
            if attribute._literals:
                found.extend(attribute.literal_whitespace())
        return tuple(found)


@dataclass(frozen=True, slots=True)
class XmlComment:
    """An XML comment: its text between ``<!--`` and ``-->`` and where it is.

    ``parent`` is the element that contains it (None outside the root element).
    Inline suppressions such as ``<!-- crmtpl: ignore RULE-ID -->`` are read from these.
    """

    text: str
    span: SourceSpan
    parent: XmlElement | None


@dataclass(frozen=True, slots=True)
class XmlDeclaration:
    """The ``<?xml …?>`` declaration, when the file has one."""

    version: str | None
    encoding: str | None
    standalone: str | None
    span: SourceSpan


class SourceMap:
    """Every position of one loaded template file.

    ``elements`` lists all elements in document order; ``comments`` all comments.
    """

    __slots__ = ("comments", "declaration", "elements", "lines", "root")

    def __init__(
        self,
        lines: LineIndex,
        root: XmlElement,
        elements: list[XmlElement],
        comments: list[XmlComment],
        declaration: XmlDeclaration | None,
    ) -> None:
        self.lines = lines
        self.root = root
        self.elements = elements
        self.comments = comments
        self.declaration = declaration

    @property
    def text(self) -> str:
        """The decoded text of the file (BOM removed); offsets index into it."""
        return self.lines.text

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, column)`` of a file offset."""
        return self.lines.position(offset)

    def span(self, start: int, end: int) -> SourceSpan:
        """The span of the file offsets ``[start, end)``."""
        return self.lines.span(start, end)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, for showing a caret under a span."""
        return self.lines.line_text(line)

    def attribute_of(self, node: XmlElement, attr_name: str) -> XmlAttribute:
        """The attribute ``attr_name`` of ``node``; KeyError names both when it is absent."""
        attribute = node.attributes.get(attr_name)
        if attribute is None:
            raise KeyError(f"<{node.name}> at line {node.line} has no attribute {attr_name!r}")
        return attribute

    def value_position(self, node: XmlElement, attr_name: str, offset: int) -> tuple[int, int]:
        """File ``(line, column)`` of character ``offset`` of an attribute's decoded value.

        Entities (``&quot;``, ``&#xA;`` …) shift columns, a literal newline moves to the
        next line; an offset inside an entity's decoded character maps to its ``&``.
        """
        return self.attribute_of(node, attr_name).position_of(offset)

    def value_span(self, node: XmlElement, attr_name: str, start: int, end: int) -> SourceSpan:
        """File span of the decoded value's characters ``[start, end)`` of an attribute."""
        return self.attribute_of(node, attr_name).span_of(start, end)

    def literal_whitespace(self) -> list[LiteralWhitespace]:
        """Every literal newline/tab inside any attribute value of the file, in order."""
        found: list[LiteralWhitespace] = []
        for element in self.elements:
            found.extend(element.literal_whitespace())
        return found
