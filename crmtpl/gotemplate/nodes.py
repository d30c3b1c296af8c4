"""The parse tree: one class per node kind of Go's ``text/template/parse``.

Every node carries ``pos``, the character offset Go would report for it (for a field chain
``.a.b`` that is the offset of ``.b``, as in Go). Field and variable nodes also carry
``span``, the character range of their whole text, for the linter. ``str(node)`` is Go's
``Node.String()``, which appears in error messages (``at <.a.b>``).
"""

from __future__ import annotations

from bisect import bisect_right

from crmtpl.gotemplate.gostrconv import quote


class Source:
    """The template text, shared by its nodes, with a line index built on first use."""

    __slots__ = ("_line_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, counted in characters."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


_NO_SOURCE = Source("")


class Node:
    """Base of all nodes: ``pos``, a character offset into the template text, and through
    the shared ``src`` its 1-based ``line`` and ``col`` (in characters)."""

    __slots__ = ("pos", "src")

    def __init__(self, pos: int) -> None:
        self.pos = pos
        self.src = _NO_SOURCE

    @property
    def line(self) -> int:
        """1-based line of ``pos``."""
        return self.src.line_col(self.pos)[0]

    @property
    def col(self) -> int:
        """1-based column of ``pos``, in characters."""
        return self.src.line_col(self.pos)[1]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r} @{self.pos})"


class ListNode(Node):
    """A sequence of nodes."""

    __slots__ = ("nodes",)

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.nodes: list[Node] = []

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


class TextNode(Node):
    """Plain text outside actions."""

    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text

    def __str__(self) -> str:
        return self.text


class CommentNode(Node):
    """A ``{{/* comment */}}`` (kept only for completeness; the lexer skips comments)."""

    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


class PipeNode(Node):
    """A pipeline with optional declarations: ``$x := a | b``."""

    __slots__ = ("cmds", "decl", "is_assign")

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(str(v) for v in self.decl) + " := "
        return text + " | ".join(str(c) for c in self.cmds)


class ActionNode(Node):
    """An action that prints (or declares): ``{{pipeline}}``."""

    __slots__ = ("pipe",)

    def __init__(self, pos: int, pipe: PipeNode) -> None:
        super().__init__(pos)
        self.pipe = pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class CommandNode(Node):
    """One stage of a pipeline: a function, field or value and its arguments."""

    __slots__ = ("args",)

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.args: list[Node] = []

    def __str__(self) -> str:
        parts = []
        for arg in self.args:
            parts.append(f"({arg})" if isinstance(arg, PipeNode) else str(arg))
        return " ".join(parts)


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("ident",)

    def __init__(self, pos: int, ident: str) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    """``$x`` or ``$x.a.b``: ``ident`` is ``["$x", "a", "b"]``."""

    __slots__ = ("ident", "span")

    def __init__(self, pos: int, name: str, span: tuple[int, int]) -> None:
        super().__init__(pos)
        self.ident = name.split(".")
        self.span = span

    def __str__(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    """The cursor ``.``."""

    __slots__ = ()

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    """The untyped constant ``nil``."""

    __slots__ = ()

    def __str__(self) -> str:
        return "nil"


class FieldNode(Node):
    """``.a.b``: ``ident`` is ``["a", "b"]``."""

    __slots__ = ("ident", "span")

    def __init__(self, pos: int, name: str, span: tuple[int, int]) -> None:
        super().__init__(pos)
        self.ident = name[1:].split(".")
        self.span = span

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    """A term followed by fields: ``(pipeline).a.b``."""

    __slots__ = ("field", "node")

    def __init__(self, pos: int, node: Node) -> None:
        super().__init__(pos)
        self.node = node
        self.field: list[str] = []

    def add(self, field: str) -> None:
        self.field.append(field[1:] if field.startswith(".") else field)

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return head + "".join("." + f for f in self.field)


class BoolNode(Node):
    """``true`` or ``false``."""

    __slots__ = ("true",)

    def __init__(self, pos: int, true: bool) -> None:
        super().__init__(pos)
        self.true = true

    def __str__(self) -> str:
        return "true" if self.true else "false"


class NumberNode(Node):
    """A numeric constant with every interpretation Go gives it."""

    __slots__ = (
        "complex128",
        "float64",
        "int64",
        "is_complex",
        "is_float",
        "is_int",
        "is_uint",
        "text",
        "uint64",
    )

    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    """A string constant: ``quoted`` is the source text, ``text`` its value."""

    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, quoted: str, text: str) -> None:
        super().__init__(pos)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class EndNode(Node):
    """``{{end}}`` (only while parsing)."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    """``{{else}}`` (only while parsing)."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{else}}"


class BranchNode(Node):
    """Common shape of if, range and with."""

    __slots__ = ("else_list", "list", "pipe")
    keyword = ""

    def __init__(
        self, pos: int, pipe: PipeNode, list_: ListNode, else_list: ListNode | None
    ) -> None:
        super().__init__(pos)
        self.pipe = pipe
        self.list = list_
        self.else_list = else_list

    def __str__(self) -> str:
        text = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            text += "{{else}}" + str(self.else_list)
        return text + "{{end}}"


class IfNode(BranchNode):
    """``{{if pipeline}} list {{else}} list {{end}}``."""

    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    """``{{range pipeline}} list {{else}} list {{end}}``."""

    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    """``{{with pipeline}} list {{else}} list {{end}}``."""

    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    """``{{break}}``."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    """``{{continue}}``."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    """``{{template "name" pipeline}}`` (also the call half of ``block``)."""

    __slots__ = ("name", "pipe")

    def __init__(self, pos: int, name: str, pipe: PipeNode | None) -> None:
        super().__init__(pos)
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        text = "{{template " + quote(self.name)
        if self.pipe is not None:
            text += " " + str(self.pipe)
        return text + "}}"


def child_nodes(node: Node) -> list[Node]:
    """The direct children of a node (statements, pipelines, commands, arguments)."""
    if isinstance(node, ListNode):
        return list(node.nodes)
    if isinstance(node, BranchNode):
        children: list[Node] = [node.pipe, node.list]
        if node.else_list is not None:
            children.append(node.else_list)
        return children
    if isinstance(node, ActionNode):
        return [node.pipe]
    if isinstance(node, TemplateNode):
        return [] if node.pipe is None else [node.pipe]
    if isinstance(node, PipeNode):
        return [*node.decl, *node.cmds]
    if isinstance(node, CommandNode):
        return list(node.args)
    if isinstance(node, ChainNode):
        return [node.node]
    return []


def is_empty_tree(node: Node | None) -> bool:
    """Go's ``parse.IsEmptyTree``: only whitespace text and comments."""
    if node is None or isinstance(node, CommentNode):
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return _go_trim_space(node.text) == ""
    return False


_UNICODE_SPACES = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _go_trim_space(s: str) -> str:
    """``bytes.TrimSpace``: strips Unicode white space (Go's unicode.IsSpace)."""
    return s.strip(_UNICODE_SPACES)
