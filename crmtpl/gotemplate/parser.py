"""The parser: items to trees, a recursive-descent parser shaped like Go 1.19's.

Go's error messages depend on details of its parser: which token was read last (the line
in ``template: tpl:LINE:``), its three-token look-ahead, where variables go out of scope.
This parser keeps Go's token buffer (``next``/``peek``/``backup2``/``backup3``) so that the
same template fails with the same text.

``parse_templates`` returns every tree of a text: the main one and each ``define``/
``block``, keyed by name, as Go's ``parse.Parse`` does.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from crmtpl.gotemplate.errors import TemplateParseError
from crmtpl.gotemplate.gostrconv import (
    StrconvError,
    parse_float,
    parse_int,
    parse_uint,
    quote,
    unquote,
    unquote_char,
)
from crmtpl.gotemplate.lexer import Item, ItemType, Lexer
from crmtpl.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    Source,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
    child_nodes,
    is_empty_tree,
)

_OPERAND_START = frozenset(
    {
        ItemType.BOOL,
        ItemType.CHAR_CONSTANT,
        ItemType.COMPLEX,
        ItemType.DOT,
        ItemType.FIELD,
        ItemType.IDENTIFIER,
        ItemType.NUMBER,
        ItemType.NIL,
        ItemType.RAW_STRING,
        ItemType.STRING,
        ItemType.VARIABLE,
        ItemType.LEFT_PAREN,
    }
)
_NON_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
_MASK64 = (1 << 64) - 1


class _ItemStream:
    """The lexer's items, read in order by every tree of one parse (Go shares the lexer)."""

    __slots__ = ("index", "items")

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.index = 0

    def next_item(self) -> Item:
        item = self.items[min(self.index, len(self.items) - 1)]
        self.index += 1
        return item


class Tree:
    """One named template being parsed (Go's ``parse.Tree``)."""

    def __init__(
        self,
        name: str,
        parse_name: str,
        text: str,
        funcs: Collection[str] | None,
        tree_set: dict[str, Tree],
        stream: _ItemStream,
    ) -> None:
        self.name = name
        self.parse_name = parse_name
        self.text = text
        self.funcs = funcs  # None: do not check function names (Go's SkipFuncCheck)
        self.tree_set = tree_set
        self.stream = stream
        self.root: ListNode = ListNode(0)
        self.vars: list[str] = ["$"]
        self.token: list[Item] = [Item(ItemType.ERROR, 0, "", 0)] * 3
        self.peek_count = 0
        self.action_line = 0
        self.range_depth = 0

    # --- token buffer -----------------------------------------------------------------

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.stream.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.stream.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        while True:
            token = self.next()
            if token.typ != ItemType.SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # --- errors -------------------------------------------------------------------------

    def error(self, message: str, *, pos: int | None = None) -> TemplateParseError:
        """The error to raise: Go's text, with the line of the token read last."""
        last = self.token[0]
        text = f"template: {self.parse_name}:{last.line}: {message}"
        return TemplateParseError(text, self.text, last.pos if pos is None else pos)

    def expect(self, expected: ItemType, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            raise self.unexpected(token, context)
        return token

    def expect_one_of(self, expected1: ItemType, expected2: ItemType, context: str) -> Item:
        token = self.next_non_space()
        if token.typ not in (expected1, expected2):
            raise self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> TemplateParseError:
        """The error for an unexpected token (a lexer error item is reported as such)."""
        if token.typ == ItemType.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            return self.error(f"{token}{extra}", pos=token.pos)
        return self.error(f"unexpected {token} in {context}", pos=token.pos)

    # --- structure ----------------------------------------------------------------------

    def parse(self) -> None:
        """Parse the top level: text, actions and definitions until EOF."""
        self.root = ListNode(self.peek().pos)
        while self.peek().typ != ItemType.EOF:
            if self.peek().typ == ItemType.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == ItemType.DEFINE:
                    definition = self._subtree("definition")
                    definition.parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                raise self.error(f"unexpected {n}", pos=n.pos)
            self.root.nodes.append(n)

    def _subtree(self, name: str) -> Tree:
        return Tree(name, self.parse_name, self.text, self.funcs, self.tree_set, self.stream)

    def add(self) -> None:
        """Record this tree in the set (Go's ``Tree.add``)."""
        existing = self.tree_set.get(self.name)
        if existing is None or is_empty_tree(existing.root):
            self.tree_set[self.name] = self
            return
        if not is_empty_tree(self.root):
            raise self.error(f"template: multiple definition of template {quote(self.name)}")

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(ItemType.STRING, ItemType.RAW_STRING, context)
        try:
            self.name = unquote(name.val)
        except StrconvError as exc:
            raise self.error(str(exc), pos=name.pos) from None
        self.expect(ItemType.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            raise self.error(f"unexpected {end} in {context}", pos=end.pos)
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        node_list = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != ItemType.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return node_list, n
            node_list.nodes.append(n)
        raise self.error("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == ItemType.TEXT:
            return TextNode(token.pos, token.val)
        if token.typ == ItemType.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        raise self.unexpected(token, "input")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == ItemType.BLOCK:
            return self.block_control()
        if typ == ItemType.BREAK:
            return self.break_control(token)
        if typ == ItemType.CONTINUE:
            return self.continue_control(token)
        if typ == ItemType.ELSE:
            return self.else_control()
        if typ == ItemType.END:
            return self.end_control()
        if typ == ItemType.IF:
            return self.if_control()
        if typ == ItemType.RANGE:
            return self.range_control()
        if typ == ItemType.TEMPLATE:
            return self.template_control()
        if typ == ItemType.WITH:
            return self.with_control()
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, self.pipeline("command", ItemType.RIGHT_DELIM))

    def break_control(self, keyword: Item) -> Node:
        token = self.next_non_space()
        if token.typ != ItemType.RIGHT_DELIM:
            raise self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            raise self.error("{{break}} outside {{range}}", pos=keyword.pos)
        return BreakNode(keyword.pos)

    def continue_control(self, keyword: Item) -> Node:
        token = self.next_non_space()
        if token.typ != ItemType.RIGHT_DELIM:
            raise self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            raise self.error("{{continue}} outside {{range}}", pos=keyword.pos)
        return ContinueNode(keyword.pos)

    def parse_control(
        self, allow_else_if: bool, context: str
    ) -> tuple[int, PipeNode, ListNode, ListNode | None]:
        var_count = len(self.vars)
        try:
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            node_list, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(nxt, ElseNode):
                if allow_else_if and self.peek().typ == ItemType.IF:
                    # {{else if x}} is parsed as {{else}}{{if x}}...{{end}}{{end}}, with the
                    # inner if ending at the single {{end}}.
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(self.if_control())
                else:
                    else_list, nxt = self.item_list()
                    if not isinstance(nxt, EndNode):
                        raise self.error(f"expected end; found {nxt}", pos=nxt.pos)
            return pipe.pos, pipe, node_list, else_list
        finally:
            del self.vars[var_count:]

    def if_control(self) -> Node:
        return IfNode(*self.parse_control(True, "if"))

    def range_control(self) -> Node:
        return RangeNode(*self.parse_control(False, "range"))

    def with_control(self) -> Node:
        return WithNode(*self.parse_control(False, "with"))

    def end_control(self) -> Node:
        return EndNode(self.expect(ItemType.RIGHT_DELIM, "end").pos)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ == ItemType.IF:
            return ElseNode(peek.pos)
        token = self.expect(ItemType.RIGHT_DELIM, "else")
        return ElseNode(token.pos)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        block = self._subtree(name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            raise self.error(f"unexpected {end} in {context}", pos=end.pos)
        block.add()
        return TemplateNode(token.pos, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != ItemType.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        return TemplateNode(token.pos, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (ItemType.STRING, ItemType.RAW_STRING):
            try:
                return unquote(token.val)
            except StrconvError as exc:
                raise self.error(str(exc), pos=token.pos) from None
        raise self.unexpected(token, context)

    # --- pipelines ----------------------------------------------------------------------

    def pipeline(self, context: str, end: ItemType) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos)
        while True:  # declarations; loops only for the second variable of a range
            v = self.peek_non_space()
            if v.typ != ItemType.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (ItemType.ASSIGN, ItemType.DECLARE):
                pipe.is_assign = nxt.typ == ItemType.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val, (v.pos, v.pos + len(v.val))))
                self.vars.append(v.val)
            elif nxt.typ == ItemType.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val, (v.pos, v.pos + len(v.val))))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (
                        ItemType.VARIABLE,
                        ItemType.RIGHT_DELIM,
                        ItemType.RIGHT_PAREN,
                    ):
                        continue
                    raise self.error("range can only initialize variables")
                raise self.error(f"too many declarations in {context}")
            elif token_after_variable.typ == ItemType.SPACE:
                self.backup3(v, token_after_variable)
            else:
                self.backup2(v)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                raise self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.error(f"missing value for {context}", pos=pipe.pos)
        for i, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], _NON_EXECUTABLE):
                raise self.error(f"non executable command in pipeline stage {i + 2}", pos=cmd.pos)

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == ItemType.SPACE:
                continue
            if token.typ in (ItemType.RIGHT_DELIM, ItemType.RIGHT_PAREN):
                self.backup()
            elif token.typ != ItemType.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not cmd.args:
            raise self.error("empty command", pos=cmd.pos)
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == ItemType.FIELD:
            chain = ChainNode(self.peek().pos, node)
            end = chain.pos
            while self.peek().typ == ItemType.FIELD:
                field = self.next()
                chain.add(field.val)
                end = field.pos + len(field.val)
            if isinstance(node, FieldNode):
                node = FieldNode(chain.pos, str(chain), (node.span[0], end))
            elif isinstance(node, VariableNode):
                node = VariableNode(chain.pos, str(chain), (node.span[0], end))
            elif isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                raise self.error(f"unexpected . after term {quote(str(node))}", pos=chain.pos)
            else:
                node = chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == ItemType.IDENTIFIER:
            if self.funcs is not None and token.val not in self.funcs:
                raise self.error(f"function {quote(token.val)} not defined", pos=token.pos)
            return IdentifierNode(token.pos, token.val)
        if typ == ItemType.DOT:
            return DotNode(token.pos)
        if typ == ItemType.NIL:
            return NilNode(token.pos)
        if typ == ItemType.VARIABLE:
            return self.use_var(token)
        if typ == ItemType.FIELD:
            return FieldNode(token.pos, token.val, (token.pos, token.pos + len(token.val)))
        if typ == ItemType.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if typ in (ItemType.CHAR_CONSTANT, ItemType.COMPLEX, ItemType.NUMBER):
            try:
                return new_number(token.pos, token.val, typ)
            except StrconvError as exc:
                raise self.error(str(exc), pos=token.pos) from None
        if typ == ItemType.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", ItemType.RIGHT_PAREN)
        if typ in (ItemType.STRING, ItemType.RAW_STRING):
            try:
                text = unquote(token.val)
            except StrconvError as exc:
                raise self.error(str(exc), pos=token.pos) from None
            return StringNode(token.pos, token.val, text)
        self.backup()
        return None

    def use_var(self, token: Item) -> VariableNode:
        v = VariableNode(token.pos, token.val, (token.pos, token.pos + len(token.val)))
        if v.ident[0] in self.vars:
            return v
        raise self.error(f"undefined variable {quote(v.ident[0])}", pos=token.pos)


# --- numbers ------------------------------------------------------------------------------


def _to_int64(f: float) -> int:
    """Go's float64 -> int64 conversion on amd64 (out of range gives the 'indefinite' value)."""
    if math.isfinite(f) and -(2.0**63) <= f < 2.0**63:
        return int(f)
    return -(1 << 63)


def _to_uint64(f: float) -> int:
    """Go's float64 -> uint64 conversion on amd64."""
    if not math.isfinite(f):
        return 1 << 63
    if f < 2.0**63:
        return _to_int64(f) & _MASK64
    y = f - 2.0**63
    if y < 2.0**63:
        return (int(y) ^ (1 << 63)) & _MASK64
    return 0


def _simplify_complex(n: NumberNode) -> None:
    n.is_float = n.complex128.imag == 0
    if n.is_float:
        n.float64 = n.complex128.real
        n.is_int = float(_to_int64(n.float64)) == n.float64
        if n.is_int:
            n.int64 = _to_int64(n.float64)
        n.is_uint = float(_to_uint64(n.float64)) == n.float64
        if n.is_uint:
            n.uint64 = _to_uint64(n.float64)


class _Scanner:
    """The bit of ``fmt``'s scanner that ``fmt.Sscan`` uses to read a complex128."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.buf: list[str] = []

    def accept(self, chars: str) -> bool:
        if self.i < len(self.text) and self.text[self.i] in chars:
            self.buf.append(self.text[self.i])
            self.i += 1
            return True
        return False

    def float_token(self) -> str:
        """Go's ``floatToken``: greedy, not rigorous (ParseFloat judges the result)."""
        self.buf = []
        if self.accept("nN") and self.accept("aA") and self.accept("nN"):
            return "".join(self.buf)
        self.accept("+-")
        if self.accept("iI") and self.accept("nN") and self.accept("fF"):
            return "".join(self.buf)
        digits, exponent = "0123456789_", "eEpP"
        if self.accept("0") and self.accept("xX"):
            digits, exponent = "0123456789aAbBcCdDeEfF_", "pP"
        while self.accept(digits):
            pass
        if self.accept("."):
            while self.accept(digits):
                pass
        if self.accept(exponent):
            self.accept("+-")
            while self.accept("0123456789_"):
                pass
        return "".join(self.buf)


_COMPLEX_ERROR = "syntax error scanning complex number"


def _convert_float(text: str) -> float:
    """Go's ``ss.convertFloat``: ParseFloat, plus decimal mantissas with a binary exponent."""
    p = text.find("p")
    if p >= 0 and "x" not in text and "X" not in text:
        try:
            mantissa = parse_float(text[:p])
        except StrconvError:
            raise StrconvError(
                f"strconv.ParseFloat: parsing {quote(text)}: invalid syntax"
            ) from None
        try:
            exp = parse_int(text[p + 1 :], 10, 64)
        except StrconvError:
            raise StrconvError(f"strconv.Atoi: parsing {quote(text)}: invalid syntax") from None
        return math.ldexp(mantissa, exp)
    return parse_float(text)


def _parse_complex(text: str) -> complex:
    """``fmt.Sscan`` of ``text`` into a complex128, with fmt's errors."""
    scanner = _Scanner(text)
    parens = scanner.accept("(")
    real_text = scanner.float_token()
    scanner.buf = []
    if not scanner.accept("+-"):
        raise StrconvError(_COMPLEX_ERROR)
    sign = "".join(scanner.buf)
    imag_text = sign + scanner.float_token()
    if not scanner.accept("i"):
        raise StrconvError(_COMPLEX_ERROR)
    if parens and not scanner.accept(")"):
        raise StrconvError(_COMPLEX_ERROR)
    return complex(_convert_float(real_text), _convert_float(imag_text))


def new_number(pos: int, text: str, typ: ItemType) -> NumberNode:
    """Go's ``Tree.newNumber``: every reading of a numeric constant, or StrconvError."""
    n = NumberNode(pos, text)
    if typ == ItemType.CHAR_CONSTANT:
        rune, _, tail = unquote_char(text[1:], text[0])
        if tail != "'":
            raise StrconvError(f"malformed character constant: {text}")
        n.int64 = n.uint64 = rune
        n.is_int = n.is_uint = n.is_float = True
        n.float64 = float(rune)
        return n
    if typ == ItemType.COMPLEX:
        n.complex128 = _parse_complex(text)
        n.is_complex = True
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        try:
            f = parse_float(text[:-1])
        except StrconvError:
            pass
        else:
            n.is_complex = True
            n.complex128 = complex(0, f)
            _simplify_complex(n)
            return n
    u = 0
    try:
        u = parse_uint(text)
        n.is_uint = True
        n.uint64 = u
    except StrconvError:
        pass
    try:
        i = parse_int(text)
        n.is_int = True
        n.int64 = i
        if i == 0:
            n.is_uint = True
            n.uint64 = u
    except StrconvError:
        pass
    if n.is_int:
        n.is_float = True
        n.float64 = float(n.int64)
    elif n.is_uint:
        n.is_float = True
        n.float64 = float(n.uint64)
    else:
        try:
            f = parse_float(text)
        except StrconvError:
            pass
        else:
            if not any(c in text for c in ".eEpP"):
                raise StrconvError(f"integer overflow: {quote(text)}")
            n.is_float = True
            n.float64 = f
            if float(_to_int64(f)) == f:
                n.is_int = True
                n.int64 = _to_int64(f)
            if float(_to_uint64(f)) == f:
                n.is_uint = True
                n.uint64 = _to_uint64(f)
    if not (n.is_int or n.is_uint or n.is_float):
        raise StrconvError(f"illegal number syntax: {quote(text)}")
    return n


# --- entry point --------------------------------------------------------------------------


def parse_templates(text: str, *, name: str, funcs: Collection[str] | None) -> dict[str, Tree]:
    """Parse ``text`` into its named trees (the main one is ``name``); raise TemplateParseError.

    ``funcs`` are the function names the text may call; None skips the check (Go's
    ``SkipFuncCheck`` mode, used by the analysis).
    """
    lexer = Lexer(text)
    stream = _ItemStream(lexer.items)
    tree_set: dict[str, Tree] = {}
    tree = Tree(name, name, text, funcs, tree_set, stream)
    tree.parse()
    tree.add()
    source = Source(text)
    for each in tree_set.values():
        stack: list[Node] = [each.root]
        while stack:
            node = stack.pop()
            node.src = source
            stack.extend(child_nodes(node))
    return tree_set
