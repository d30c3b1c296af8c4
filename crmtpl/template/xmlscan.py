"""A strict, single-pass XML scanner that records every position and decodes like Go.

Why not lxml: a conformant parser normalises a literal newline or tab inside an attribute
value to a space and forgets where each character was written. The PBX reads templates with
Go's ``encoding/xml``, which keeps them. This scanner reads the document once, checks XML
1.0 well-formedness for everything a template can contain, and yields attribute values the
way Go decodes them, with the offsets needed to map any character back to the file.

Hardening is by construction: a DOCTYPE is rejected before anything is resolved, only the
five predefined entities and character references are known, nothing is fetched.

Where Go is laxer than XML (text or a second element after the root, no whitespace between
attributes, an XML declaration that is not at the start, a surrogate character reference)
this scanner follows XML and says so. Two Go readings are kept on purpose: a repeated
attribute is recorded (the last one wins, as in Go's struct unmarshalling) so a linter can
point at it, and ``\\r\\n`` / ``\\r`` inside values read as ``\\n``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from crmtpl.template.load_errors import TemplateFileError
from crmtpl.template.source import (
    LineIndex,
    SourceMap,
    XmlAttribute,
    XmlComment,
    XmlDeclaration,
    XmlElement,
)

_NAME_START = (
    ":A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\xb7\u0300-\u036f\u203f-\u2040"
_LEGAL_CHARS = "\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
#: The same classes cut to ASCII: on an ASCII document they match exactly the same
#: characters, and they compile in microseconds where the full ones take 5-15 ms each
#: (Python's regex compiler tabulates every code point of a wide range).
_ASCII_NAME_START = ":A-Z_a-z"
_ASCII_NAME_CHAR = _ASCII_NAME_START + r"\-.0-9"
_ASCII_LEGAL_CHARS = "\t\n\r\x20-\x7f"


@dataclass(frozen=True)
class _Patterns:
    """The expressions that involve XML names or the legal character range."""

    start_tag: re.Pattern[str]
    attribute: re.Pattern[str]
    attribute_value: re.Pattern[str]
    end_tag: re.Pattern[str]
    name_at: re.Pattern[str]
    reference: re.Pattern[str]
    pi_target: re.Pattern[str]
    illegal_char: re.Pattern[str]


def _compile_patterns(name_start: str, name_char: str, legal: str) -> _Patterns:
    name = f"[{name_start}][{name_char}]*"
    return _Patterns(
        start_tag=re.compile(f"<({name})"),
        attribute=re.compile(f"[ \t\r\n]+({name})[ \t\r\n]*=[ \t\r\n]*([\"'])"),
        attribute_value=re.compile(
            f"[ \t\r\n]+({name})[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"<]*)\"|'([^'<]*)')"
        ),
        end_tag=re.compile(f"</({name})[ \t\r\n]*>"),
        name_at=re.compile(name),
        reference=re.compile(f"&(?:#x([0-9a-fA-F]{{1,8}})|#([0-9]{{1,9}})|({name}));"),
        pi_target=re.compile(f"<\\?({name})"),
        illegal_char=re.compile(f"[^{legal}]"),
    )


_ASCII_PATTERNS = _compile_patterns(_ASCII_NAME_START, _ASCII_NAME_CHAR, _ASCII_LEGAL_CHARS)


@functools.cache
def _unicode_patterns() -> _Patterns:
    """The full expressions, compiled the first time a document is not pure ASCII."""
    return _compile_patterns(_NAME_START, _NAME_CHAR, _LEGAL_CHARS)


def patterns_for(text: str) -> _Patterns:
    """The expressions to scan ``text`` with: the ASCII ones when it is pure ASCII."""
    return _ASCII_PATTERNS if text.isascii() else _unicode_patterns()


_TAG_CLOSE = re.compile(r"[ \t\r\n]*(/?)>")
_NEEDS_DECODING = re.compile(r"[&\r]")
_LITERAL_WHITESPACE = re.compile(r"\r\n?|[\n\t]")
_NOT_SPACE = re.compile(r"[^ \t\r\n]")
_INDENTATION = re.compile(r"[ \t\r\n]*<")
_SPACES = re.compile(r"[ \t\r\n]*")
_EQUALS = re.compile(r"[ \t\r\n]*(=?)[ \t\r\n]*")
_DECLARATION = re.compile(
    r"<\?xml"
    r"(?:[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"]*)\"|'([^']*)'))?"
    r"(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"]*)\"|'([^']*)'))?"
    r"(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"]*)\"|'([^']*)'))?"
    r"[ \t\r\n]*\?>"
)

_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# What an escape's group 1 decodes to, for the predefined entities and common references.
_KNOWN_REFERENCES = {
    **_PREDEFINED,
    **{f"#x{n:X}": chr(n) for n in (0x9, 0xA, 0xD, 0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E)},
    **{f"#x{n:x}": chr(n) for n in (0x9, 0xA, 0xD, 0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E)},
    **{f"#{n}": chr(n) for n in (9, 10, 13, 32, 34, 38, 39, 60, 62)},
}
# An escape: a well-formed reference (group 1 without & and ;) or \r\n / \r read as \n.
_ESCAPE = re.compile(r"&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]{1,8}|#[0-9]{1,9});|\r\n?")
_ENTITY_HINT = (
    "only &amp; &lt; &gt; &quot; &apos; and character references such as &#xA; are "
    "allowed; write a literal & as &amp;"
)
_QUOTE_HINT = (
    'separate attributes with a space; a " inside a "-quoted value must be written &quot; '
    "(an unescaped quote ends the value early)"
)


def _legal_code_point(number: int) -> bool:
    return (
        number in (0x9, 0xA, 0xD)
        or 0x20 <= number <= 0xD7FF
        or 0xE000 <= number <= 0xFFFD
        or 0x10000 <= number <= 0x10FFFF
    )


class XmlScanner:
    """Scans one decoded document; :meth:`scan` returns its :class:`SourceMap`."""

    def __init__(self, text: str, display_name: str) -> None:
        self.text = text
        self.patterns = patterns_for(text)
        self.display_name = display_name
        self.lines = LineIndex(text)
        self.elements: list[XmlElement] = []
        self.comments: list[XmlComment] = []
        self.stack: list[XmlElement] = []
        self.root: XmlElement | None = None
        self.declaration: XmlDeclaration | None = None

    # -- errors ------------------------------------------------------------------------

    def error(
        self, offset: int, message: str, *, hint: str | None = None, reason: str = ""
    ) -> TemplateFileError:
        """A load error at ``offset`` (reason ``not-well-formed`` unless given)."""
        line, column = self.lines.position(offset)
        return TemplateFileError(
            message,
            reason=reason or "not-well-formed",
            display_name=self.display_name,
            hint=hint,
            line=line,
            column=column,
        )

    # -- the scan ----------------------------------------------------------------------

    def scan(self) -> SourceMap:
        """Check and read the whole document; raise :class:`TemplateFileError` if not XML."""
        text = self.text
        illegal = self.patterns.illegal_char.search(text)
        if illegal is not None:
            raise self.error(
                illegal.start(),
                f"illegal character U+{ord(illegal.group()):04X}: XML does not allow this "
                "control character anywhere in a document",
                hint="remove it (the PBX's Go parser rejects it too)",
            )
        position = self._declaration()
        length = len(text)
        find = text.find
        indentation = _INDENTATION.match
        end_tag = self.patterns.end_tag.match
        stack = self.stack
        while True:
            # Between tags there is almost always only indentation: skip it in one match.
            gap = indentation(text, position)
            if gap is not None:
                less = gap.end() - 1
            else:
                less = find("<", position)
                if less < 0:
                    self._character_data(position, length)
                    break
                self._character_data(position, less)
            following = text[less + 1 : less + 2]
            if following == "/":
                found = end_tag(text, less)
                if found is None or not stack or stack[-1].name != found.group(1):
                    raise self._end_tag_error(less)
                position = stack.pop().end = found.end()
            elif following == "!":
                position = self._markup_declaration(less)
            elif following == "?":
                position = self._processing_instruction(less)
            else:
                position = self._start_tag(less)
        if self.stack:
            open_element = self.stack[-1]
            line, column = self.lines.position(open_element.start)
            raise self.error(
                length,
                f"unexpected end of file: <{open_element.name}> opened at {line}:{column} "
                "is never closed",
                hint=f"add </{open_element.name}>",
            )
        if self.root is None:
            raise self.error(
                length,
                "no root element: the document is empty or holds only comments",
                hint="a template starts with <Information …>",
                reason="empty",
            )
        return SourceMap(self.lines, self.root, self.elements, self.comments, self.declaration)

    def _declaration(self) -> int:
        text = self.text
        if not text.startswith("<?xml"):
            return 0
        after = text[5:6]
        if after not in (" ", "\t", "\r", "\n", "?"):
            return 0  # a processing instruction such as <?xml-stylesheet …?>
        match = _DECLARATION.match(text)
        if match is None:
            raise self.error(
                0,
                "malformed XML declaration",
                hint='write <?xml version="1.0" encoding="UTF-8"?> or leave the line out',
            )
        version = match.group(1) if match.group(1) is not None else match.group(2)
        encoding = match.group(3) if match.group(3) is not None else match.group(4)
        standalone = match.group(5) if match.group(5) is not None else match.group(6)
        if version is None:
            raise self.error(
                0,
                "the XML declaration has no version",
                hint='write <?xml version="1.0" encoding="UTF-8"?> or leave the line out',
            )
        version_offset = text.find(version, 5)
        if version != "1.0":
            raise self.error(
                version_offset,
                f'the XML declaration says version="{version}", but the PBX reads templates '
                "with Go's encoding/xml, which accepts only 1.0 (Go: xml: unsupported "
                f'version "{version}"; only version 1.0 is supported)',
                hint='declare version="1.0" or leave the declaration out; the documentation\'s '
                '"XML 1.1" does not apply to the declaration (spec §2, U8)',
                reason="xml-version",
            )
        if encoding is not None and encoding.lower() != "utf-8":
            raise self.error(
                text.find(encoding, version_offset),
                f'the XML declaration says encoding="{encoding}", but the PBX\'s Go XML parser '
                f'reads only UTF-8 (Go: xml: encoding "{encoding}" declared but '
                "Decoder.CharsetReader is nil)",
                hint='save the file as UTF-8 and declare encoding="UTF-8" (or leave it out)',
                reason="xml-encoding",
            )
        if standalone is not None and standalone not in ("yes", "no"):
            raise self.error(0, f'standalone="{standalone}" must be "yes" or "no"')
        self.declaration = XmlDeclaration(
            version, encoding, standalone, self.lines.span(0, match.end())
        )
        return match.end()

    def _character_data(self, start: int, end: int) -> None:
        """Check text between tags; keep it (decoded) unless it is only whitespace."""
        text = self.text
        first = _NOT_SPACE.search(text, start, end)
        if first is None:
            return
        if not self.stack:
            where = "after" if self.root is not None else "before"
            raise self.error(
                first.start(),
                f"text {where} the root element: only whitespace and comments may "
                "stand outside <Information>",
                hint="remove the stray text",
            )
        close = text.find("]]>", start, end)
        if close >= 0:
            raise self.error(close, "']]>' is not allowed in text", hint="write ]]&gt;")
        if _NEEDS_DECODING.search(text, start, end) is None:
            self.stack[-1].text_parts.append(text[start:end])
            return
        value, _escapes = self.decode(start, end)
        self.stack[-1].text_parts.append(value)

    def decode(self, start: int, end: int) -> tuple[str, tuple[tuple[int, int, int], ...]]:
        """Decode text[start:end] as Go does; return the value and its escape table.

        The table lists ``(decoded index, raw offset from start, raw length)`` for every
        character not written as itself (a reference, or ``\\r\\n``/``\\r`` read as ``\\n``).
        """
        text = self.text
        parts: list[str] = []
        escapes: list[tuple[int, int, int]] = []
        add_part = parts.append
        add_escape = escapes.append
        known = _KNOWN_REFERENCES
        position = start
        shift = start  # raw offset minus decoded index, plus start
        references = 0
        for escape in _ESCAPE.finditer(text, start, end):
            at, after = escape.span()
            add_part(text[position:at])
            key = escape.group(1)
            if key is None:
                add_part("\n")
            else:
                references += 1
                char = known.get(key)
                add_part(char if char is not None else self._char_reference(key, at))
            add_escape((at - shift, at - start, after - at))
            shift += after - at - 1
            position = after
        add_part(text[position:end])
        if references != text.count("&", start, end):
            raise self._first_bad_reference(start, end)
        return "".join(parts), tuple(escapes)

    def _char_reference(self, key: str, at: int) -> str:
        number = int(key[2:], 16) if key[1] == "x" else int(key[1:])
        if not _legal_code_point(number):
            raise self.error(
                at,
                f"character reference &{key}; is not a legal XML character (U+{number:04X})",
                hint="XML allows tab (&#x9;), newline (&#xA;), carriage return (&#xD;) and "
                "characters from U+0020 on, but no surrogates",
            )
        return chr(number)

    def _first_bad_reference(self, start: int, end: int) -> TemplateFileError:
        """The error for the first '&' of text[start:end] that is not a valid reference."""
        text = self.text
        at = text.find("&", start, end)
        while at >= 0:
            reference = self.patterns.reference.match(text, at, end)
            if reference is None:
                return self._bad_reference(at, end)
            name = reference.group(3)
            if name is not None and name not in _PREDEFINED:
                return self.error(
                    at,
                    f"undefined entity &{name};: templates may use no entity but the five "
                    "predefined ones (a DTD is never read)",
                    hint=_ENTITY_HINT,
                    reason="entity",
                )
            at = text.find("&", reference.end(), end)
        return self.error(start, "malformed reference")  # unreachable: counts differed

    def _bad_reference(self, at: int, end: int) -> TemplateFileError:
        text = self.text
        if text.startswith("&#", at):
            return self.error(
                at,
                "malformed character reference: write &#NNN; (decimal) or &#xHHHH; (hex, "
                "lower-case x)",
                hint="a newline is &#xA;",
            )
        name = self.patterns.name_at.match(text, at + 1, end)
        if name is not None and not text.startswith(";", name.end()):
            return self.error(
                at,
                f"unescaped '&' before {name.group()!r} (Go: invalid character entity, "
                "no semicolon)",
                hint="write a literal & as &amp; — in a URL: ?a=1&amp;b=2",
            )
        return self.error(at, "unescaped '&'", hint="write a literal & as &amp;")

    # -- tags --------------------------------------------------------------------------

    def _start_tag(self, less: int) -> int:
        """Read a start tag and its attributes; a malformed one is diagnosed apart."""
        text = self.text
        head = self.patterns.start_tag.match(text, less)
        stack = self.stack
        if head is None or (self.root is not None and not stack):
            raise self._start_tag_error(less)
        parent = stack[-1] if stack else None
        lines = self.lines
        element = XmlElement(lines, head.group(1), less, parent)
        attributes = element.attributes
        attribute_list = element.attribute_list
        match_attribute = self.patterns.attribute_value.match
        position = head.end()
        while (found := match_attribute(text, position)) is not None:
            name, double, single = found.groups()
            position = found.end()
            value_end = position - 1
            if double is not None:
                value = double
                quote = '"'
            else:
                value = single
                quote = "'"
            value_start = value_end - len(value)
            literals: tuple[int, ...] = ()
            if "\n" in value or "\t" in value or "\r" in value:
                literals = self._literals(value_start, value_end)
            escapes: tuple[tuple[int, int, int], ...] = ()
            if "&" in value or "\r" in value:
                value, escapes = self.decode(value_start, value_end)
            attribute = XmlAttribute(
                lines,
                name,
                value,
                found.start(1),
                value_start,
                value_end,
                quote,
                escapes,
                literals,
            )
            attributes[name] = attribute
            attribute_list.append(attribute)
        close = _TAG_CLOSE.match(text, position)
        if close is None:
            raise self._start_tag_error(less)
        end = close.end()
        element.tag_end = end
        self.elements.append(element)
        if parent is None:
            self.root = element
        else:
            parent.children.append(element)
        if close.group(1):
            element.self_closing = True
            element.end = end
        else:
            stack.append(element)
        return end

    def _literals(self, start: int, end: int) -> tuple[int, ...]:
        """Raw offsets of literal newlines/tabs in text[start:end] (\\r\\n counted once)."""
        return tuple(m.start() for m in _LITERAL_WHITESPACE.finditer(self.text, start, end))

    def _start_tag_error(self, less: int) -> TemplateFileError:
        """Walk a start tag that did not match, to say exactly what is wrong in it."""
        text = self.text
        head = self.patterns.start_tag.match(text, less)
        if head is None:
            following = text[less + 1 : less + 2]
            if following and following not in " \t\r\n":
                return self.error(
                    less + 1,
                    f"invalid element name starting with {following!r}: names start with a "
                    "letter or '_'",
                    hint="a literal < in text is written &lt;",
                )
            return self.error(
                less,
                "'<' that does not start a tag",
                hint="write a literal < as &lt;",
            )
        if self.root is not None and not self.stack:
            return self.error(
                less,
                f"a second root element <{head.group(1)}>: a document has exactly one root",
                hint="put everything inside <Information>",
            )
        name = head.group(1)
        position = head.end()
        after_value = False
        while True:
            found = self.patterns.attribute.match(text, position)
            if found is None:
                break
            quote = found.group(2)
            value_start = found.end()
            value_end = text.find(quote, value_start)
            if value_end < 0:
                return self.error(
                    value_start - 1,
                    f"attribute {found.group(1)}: the value's closing {quote} is missing",
                    hint=f"end the value with {quote}",
                )
            less_inside = text.find("<", value_start, value_end)
            if less_inside >= 0:
                return self.error(
                    less_inside,
                    f"unescaped '<' inside the value of attribute {found.group(1)} "
                    "(Go: unescaped < inside quoted string)",
                    hint="write < as &lt; (and > as &gt;) inside attribute values",
                )
            position = value_end + 1
            after_value = True
            last_attribute = found.group(1)
        if _TAG_CLOSE.match(text, position) is not None:
            return self.error(less, f"malformed start tag <{name}>")
        spaces = _SPACES.match(text, position)
        at = spaces.end() if spaces is not None else position
        if at >= len(text):
            return self.error(
                less,
                f"unexpected end of file inside the start tag <{name}>",
                hint="close the tag with >",
            )
        if after_value and at == position and text[at] not in "/>":
            return self.error(
                at,
                f"expected whitespace, '>' or '/>' after the value of attribute {last_attribute}",
                hint=_QUOTE_HINT,
            )
        attribute = self.patterns.name_at.match(text, at)
        if attribute is not None and at > position:
            rest = _EQUALS.match(text, attribute.end())
            if rest is None or not rest.group(1):
                return self.error(
                    at,
                    f"attribute {attribute.group()} has no value (Go: attribute name without = "
                    "in element)",
                    hint=f'write {attribute.group()}="…"',
                )
            return self.error(
                rest.end(),
                f"the value of attribute {attribute.group()} is not quoted (Go: unquoted or "
                "missing attribute value in element)",
                hint=f'write {attribute.group()}="…"',
            )
        if text[at] == "/" and not text.startswith("/>", at):
            return self.error(at, "'/' must be followed by '>'", hint="write />")
        return self.error(
            at,
            f"unexpected {text[at]!r} in the start tag <{name}>",
            hint='attributes are written Name="value", separated by spaces',
        )

    def _end_tag_error(self, less: int) -> TemplateFileError:
        """Say what is wrong with the end tag at ``less``."""
        found = self.patterns.end_tag.match(self.text, less)
        if found is None:
            return self.error(less, "malformed end tag", hint="write </Name>")
        name = found.group(1)
        if not self.stack:
            return self.error(less, f"end tag </{name}> without a matching start tag")
        element = self.stack[-1]
        line, column = self.lines.position(element.start)
        return self.error(
            less,
            f"element <{element.name}> (opened at {line}:{column}) closed by </{name}>",
            hint=f"close <{element.name}> before </{name}>",
        )

    def _markup_declaration(self, less: int) -> int:
        text = self.text
        if text.startswith("<!--", less):
            return self._comment(less)
        if text.startswith("<![CDATA[", less):
            if not self.stack:
                raise self.error(less, "a CDATA section outside the root element")
            close = text.find("]]>", less + 9)
            if close < 0:
                raise self.error(less, "unterminated CDATA section", hint="end it with ]]>")
            content = text[less + 9 : close]
            self.stack[-1].text_parts.append(content.replace("\r\n", "\n").replace("\r", "\n"))
            return close + 3
        if text.startswith("<!DOCTYPE", less):
            raise self.error(
                less,
                "DOCTYPE declarations are not allowed: crmtpl never reads a DTD nor expands "
                "its entities (external entities and entity bombs are rejected unresolved)",
                hint="remove the <!DOCTYPE …> declaration; templates need none",
                reason="doctype",
            )
        raise self.error(
            less,
            "unsupported markup declaration (entity, element or attribute declarations are "
            "not allowed in templates)",
            hint="remove it",
            reason="doctype",
        )

    def _comment(self, less: int) -> int:
        text = self.text
        close = text.find("-->", less + 4)
        if close < 0:
            raise self.error(less, "unterminated comment", hint="end it with -->")
        body = text[less + 4 : close]
        double_dash = body.find("--")
        if double_dash >= 0 or body.endswith("-"):
            where = less + 4 + (double_dash if double_dash >= 0 else len(body) - 1)
            raise self.error(
                where,
                "'--' is not allowed inside a comment (Go: invalid sequence \"--\" not "
                "allowed in comments)",
                hint="use a single '-' or another character",
            )
        parent = self.stack[-1] if self.stack else None
        self.comments.append(XmlComment(body, self.lines.span(less, close + 3), parent))
        return close + 3

    def _processing_instruction(self, less: int) -> int:
        text = self.text
        target = self.patterns.pi_target.match(text, less)
        if target is None:
            raise self.error(less, "malformed processing instruction")
        close = text.find("?>", target.end())
        if close < 0:
            raise self.error(less, "unterminated processing instruction", hint="end it with ?>")
        if target.group(1).lower() == "xml":
            raise self.error(
                less,
                "the XML declaration <?xml …?> is allowed only at the very start of the file",
                hint="move it to the first line, column 1, or remove it",
            )
        if close > target.end() and text[target.end()] not in " \t\r\n":
            raise self.error(target.end(), "malformed processing instruction")
        return close + 2


def scan_document(text: str, display_name: str) -> SourceMap:
    """Check and read one decoded template document into its :class:`SourceMap`."""
    return XmlScanner(text, display_name).scan()
