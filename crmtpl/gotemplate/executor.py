"""The executor: compiled trees run against data, as Go 1.19's ``text/template/exec.go``.

Each parse-tree node is compiled once into a Python closure ``(state, dot) -> ...``; running
a template is calling the root closure. The closures follow Go's evaluation order step by
step, including where Go records "the current node" (``s.at(node)``), because Go's error
text names that node: ``template: tpl:1:2: executing "tpl" at <.a.b>: ...``.

Values flowing through are the stand-ins of :mod:`crmtpl.gotemplate.values`; ``INVALID``
is Go's zero ``reflect.Value`` and ``Iface`` a value taken out of an ``interface{}`` slot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final
from zoneinfo import ZoneInfo

from crmtpl.gotemplate.builtins import CallError, indirect, is_true, truth
from crmtpl.gotemplate.fmt import format_value, sprintf
from crmtpl.gotemplate.functions import JSON_NUMBER_METHODS, GoFunc, ParamKind
from crmtpl.gotemplate.gostrconv import quote
from crmtpl.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from crmtpl.gotemplate.values import INVALID, Iface, JSONNumber, StringMap, sorted_keys

MAX_EXEC_DEPTH: Final = 100000  # Go's maxExecDepth

MISSING_KEY_INVALID: Final = 0
MISSING_KEY_ZERO: Final = 1
MISSING_KEY_ERROR: Final = 2


class _Missing:
    """Go's ``missingVal``: no final (piped) argument."""

    __slots__ = ()


MISSING: Final = _Missing()


class ExecFailure(Exception):
    """An execution error on its way to the top: Go's message and the offending node."""

    def __init__(self, message: str, node: Node | None, template_name: str) -> None:
        super().__init__(message)
        self.message = message
        self.node = node
        self.template_name = template_name


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class State:
    """Go's ``state``: output, variable stack, current node, template name and depth."""

    __slots__ = ("depth", "missingkey", "name", "node", "out", "templates", "vars", "zone")

    def __init__(
        self,
        name: str,
        templates: Mapping[str, Callable[[State, object], None]],
        missingkey: int,
        zone: ZoneInfo | None,
        dot: object,
    ) -> None:
        self.name = name
        self.templates = templates
        self.missingkey = missingkey
        self.zone = zone
        self.out: list[str] = []
        self.vars: list[list[object]] = [["$", dot]]
        self.node: Node | None = None
        self.depth = 0

    def error(self, message: str) -> ExecFailure:
        """The failure to raise: Go's message at the current node."""
        return ExecFailure(message, self.node, self.name)

    def set_var(self, name: str, value: object) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        raise self.error(f"undefined variable: {name}")

    def var_value(self, name: str) -> object:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        raise self.error(f"undefined variable: {name}")


Walker = Callable[[State, object], None]
Evaluator = Callable[[State, object], object]
CommandFn = Callable[[State, object, object], object]


def _unwrap(value: object) -> object:
    """After each pipeline stage Go digs into an ``interface{}`` (nil becomes invalid)."""
    if type(value) is Iface:
        inner = value.v
        return INVALID if inner is None else inner
    return value


def _ideal_constant(node: NumberNode) -> tuple[object, str | None]:
    """Go's ``idealConstant``: the constant's value, or the error it raises."""
    text = node.text
    if node.is_complex:
        return node.complex128, None
    is_hex_int = (
        len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")
    )
    if (
        node.is_float
        and not is_hex_int
        and not text.startswith("'")
        and any(c in text for c in ".eEpP")
    ):
        return node.float64, None
    if node.is_int:
        return node.int64, None
    if node.is_uint:
        return None, f"{text} overflows int"
    return INVALID, None


def _validate(st: State, value: object, kind: ParamKind | None) -> object:
    """Go's ``validateType`` for the three parameter kinds (None: no type, as in a chain)."""
    if kind is None or kind is ParamKind.VALUE:
        return value
    if kind is ParamKind.ANY:
        if value is INVALID:
            return None
        if type(value) is Iface:
            return value.v
        return value
    # ParamKind.STRING
    if type(value) is str:
        return value
    if value is INVALID:
        raise st.error("invalid value; expected string")
    if type(value) is Iface:
        inner = value.v
        if type(inner) is str:
            return inner
        if inner is None:
            raise st.error("wrong type for value; expected string; got interface {}")
        value = inner
    from crmtpl.gotemplate.values import go_type_name

    raise st.error(f"wrong type for value; expected string; got {go_type_name(value)}")


class Compiler:
    """Compiles the trees of one template set into closures, resolving function names."""

    def __init__(self, funcs: Mapping[str, GoFunc]) -> None:
        self.funcs = funcs

    # --- statements ------------------------------------------------------------------

    def walker(self, node: Node) -> Walker:
        """The closure that executes a statement node."""
        if isinstance(node, ListNode):
            return self._list(node)
        if isinstance(node, TextNode):
            text = node.text

            def run_text(st: State, dot: object) -> None:
                st.out.append(text)

            return run_text
        if isinstance(node, ActionNode):
            return self._action(node)
        if isinstance(node, (IfNode, WithNode)):
            return self._if_or_with(node)
        if isinstance(node, RangeNode):
            return self._range(node)
        if isinstance(node, TemplateNode):
            return self._template(node)
        if isinstance(node, BreakNode):

            def run_break(st: State, dot: object) -> None:
                raise _Break

            return run_break
        if isinstance(node, ContinueNode):

            def run_continue(st: State, dot: object) -> None:
                raise _Continue

            return run_continue
        if isinstance(node, CommentNode):
            return _no_op
        raise TypeError(f"unknown node: {node}")

    def _list(self, node: ListNode) -> Walker:
        if len(node.nodes) == 1:
            return self.walker(node.nodes[0])
        if not node.nodes:
            return _no_op
        # Text is kept as a plain string: appending it needs no call.
        steps: list[str | Walker] = [
            n.text if isinstance(n, TextNode) else self.walker(n) for n in node.nodes
        ]

        def run_list(st: State, dot: object) -> None:
            out = st.out
            for step in steps:
                if type(step) is str:
                    out.append(step)
                else:
                    step(st, dot)  # type: ignore[operator]

        return run_list

    def _action(self, node: ActionNode) -> Walker:
        pipe = self.pipeline(node.pipe)
        if node.pipe.decl:

            def run_declaration(st: State, dot: object) -> None:
                pipe(st, dot)

            return run_declaration

        def run_action(st: State, dot: object) -> None:
            value = pipe(st, dot)
            if type(value) is str:
                st.out.append(value)
            else:
                st.out.append("<no value>" if value is INVALID else format_value(value))

        return run_action

    def _if_or_with(self, node: IfNode | WithNode) -> Walker:
        pipe = self.pipeline(node.pipe)
        body = self.walker(node.list)
        else_body = self.walker(node.else_list) if node.else_list is not None else None
        is_with = isinstance(node, WithNode)

        def run_if(st: State, dot: object) -> None:
            mark = len(st.vars)
            try:
                value = pipe(st, dot)
                if is_true(value):
                    body(st, value if is_with else dot)
                elif else_body is not None:
                    else_body(st, dot)
            finally:
                del st.vars[mark:]

        return run_if

    def _range(self, node: RangeNode) -> Walker:
        pipe = self.pipeline(node.pipe)
        body = self.walker(node.list)
        else_body = self.walker(node.else_list) if node.else_list is not None else None
        ndecl = len(node.pipe.decl)

        def one_iteration(st: State, mark: int, index: object, elem: object) -> None:
            if ndecl > 0:
                st.vars[-1][1] = elem
            if ndecl > 1:
                st.vars[-2][1] = index
            try:
                body(st, elem)
            except _Continue:
                pass
            finally:
                del st.vars[mark:]

        def run_range(st: State, dot: object) -> None:
            st.node = node
            outer = len(st.vars)
            try:
                value, _ = indirect(pipe(st, dot))
                mark = len(st.vars)
                if isinstance(value, list):
                    if value:
                        for i, elem in enumerate(value):
                            one_iteration(st, mark, i, Iface(elem))
                        return
                elif isinstance(value, dict):
                    if value:
                        plain = isinstance(value, StringMap)
                        for key in sorted_keys(value):
                            elem = value[key]
                            one_iteration(st, mark, key, elem if plain else Iface(elem))
                        return
                elif value is not INVALID:
                    raise st.error("range can't iterate over " + sprintf("%v", [value]))
                if else_body is not None:
                    else_body(st, dot)
            except _Break:
                pass
            finally:
                del st.vars[outer:]

        return run_range

    def _template(self, node: TemplateNode) -> Walker:
        pipe = self.pipeline(node.pipe) if node.pipe is not None else None
        name = node.name

        def run_template(st: State, dot: object) -> None:
            st.node = node
            callee = st.templates.get(name)
            if callee is None:
                raise st.error(f"template {quote(name)} not defined")
            if st.depth == MAX_EXEC_DEPTH:
                raise st.error(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
            new_dot = pipe(st, dot) if pipe is not None else INVALID
            saved = st.vars, st.name, st.node
            st.vars = [["$", new_dot]]
            st.name = name
            st.depth += 1
            try:
                callee(st, new_dot)
            finally:
                st.vars, st.name, st.node = saved
                st.depth -= 1

        return run_template

    # --- pipelines and commands -------------------------------------------------------

    def pipeline(self, pipe: PipeNode) -> Evaluator:
        """Go's ``evalPipeline``: run the commands, feeding each result to the next."""
        cmds = [self.command(c) for c in pipe.cmds]
        names = [v.ident[0] for v in pipe.decl]
        is_assign = pipe.is_assign
        if len(cmds) == 1 and not names:
            first = pipe.cmds[0].args
            if len(first) == 1 and isinstance(first[0], FieldNode):
                return self._field_pipeline(first[0], cmds[0])
            only = cmds[0]

            def run_single(st: State, dot: object) -> object:
                st.node = pipe
                value = only(st, dot, MISSING)
                if type(value) is Iface:
                    inner = value.v
                    return INVALID if inner is None else inner
                return value

            return run_single

        def run_pipeline(st: State, dot: object) -> object:
            st.node = pipe
            value: object = MISSING
            for cmd in cmds:
                value = _unwrap(cmd(st, dot, value))
            for name in names:
                if is_assign:
                    st.set_var(name, value)
                else:
                    st.vars.append([name, value])
            return value

        return run_pipeline

    @staticmethod
    def _field_pipeline(field: FieldNode, general: CommandFn) -> Evaluator:
        """A pipeline that is just ``.a.b``: a direct walk through plain dicts.

        Anything but a present key in a plain ``dict`` at every step takes the general
        path, which then reproduces Go's behaviour (missing keys, errors) exactly.
        """
        idents = tuple(field.ident)

        def run_field_pipeline(st: State, dot: object) -> object:
            value = dot
            for name in idents:
                if type(value) is not dict:
                    break
                value = value.get(name, _ABSENT)
                if value is _ABSENT:
                    break
            else:
                st.node = field
                return INVALID if value is None else value
            st.node = field
            return _unwrap(general(st, dot, MISSING))

        return run_field_pipeline

    def command(self, cmd: CommandNode) -> CommandFn:
        """Go's ``evalCommand``: the first word decides what the command is."""
        first = cmd.args[0]
        args = cmd.args
        if isinstance(first, FieldNode):
            return self._field_command(first, args)
        if isinstance(first, ChainNode):
            return self._chain(first, args)
        if isinstance(first, IdentifierNode):
            return self._function(first, cmd, args)
        if isinstance(first, PipeNode):
            inner = self.pipeline(first)

            def run_pipe_command(st: State, dot: object, final: object) -> object:
                _not_a_function(st, args, final)
                return inner(st, dot)

            return run_pipe_command
        if isinstance(first, VariableNode):
            return self._variable(first, args)
        return self._literal_command(first, args)

    def _literal_command(self, first: Node, args: list[Node]) -> CommandFn:
        if isinstance(first, NilNode):

            def run_nil(st: State, dot: object, final: object) -> object:
                st.node = first
                _not_a_function(st, args, final)
                raise st.error("nil is not a command")

            return run_nil
        if isinstance(first, DotNode):

            def run_dot(st: State, dot: object, final: object) -> object:
                st.node = first
                _not_a_function(st, args, final)
                return dot

            return run_dot
        constant = self._constant(first)

        def run_literal(st: State, dot: object, final: object) -> object:
            st.node = first
            _not_a_function(st, args, final)
            return constant(st)

        return run_literal

    @staticmethod
    def _constant(node: Node) -> Callable[[State], object]:
        """A bool, string or number constant (Go's ``evalEmptyInterface`` of a literal)."""
        if isinstance(node, BoolNode):
            value: object = node.true
        elif isinstance(node, StringNode):
            value = node.text
        elif isinstance(node, NumberNode):
            value, error = _ideal_constant(node)
            if error is not None:
                message = error

                def overflow(st: State) -> object:
                    st.node = node
                    raise st.error(message)

                return overflow
        else:
            raise TypeError(f"can't evaluate command {node}")

        def constant(st: State) -> object:
            st.node = node
            return value

        return constant

    # --- fields, variables, chains ---------------------------------------------------------

    def _field_command(self, field: FieldNode, args: list[Node] | None) -> CommandFn:
        idents = field.ident
        evaluate = self._field_chain(field, idents)

        def run_field(st: State, dot: object, final: object) -> object:
            st.node = field
            return evaluate(st, dot, dot, args, final)

        return run_field

    def _field_chain(
        self, node: Node, idents: list[str]
    ) -> Callable[[State, object, object, list[Node] | None, object], object]:
        """Go's ``evalFieldChain``: every field but the last takes no arguments."""
        head = idents[:-1]
        last = idents[-1]

        def run_chain(
            st: State, dot: object, receiver: object, args: list[Node] | None, final: object
        ) -> object:
            for name in head:
                receiver = self._eval_field(st, dot, name, node, None, MISSING, receiver)
            return self._eval_field(st, dot, last, node, args, final, receiver)

        return run_chain

    def _eval_field(
        self,
        st: State,
        dot: object,
        name: str,
        node: Node,
        args: list[Node] | None,
        final: object,
        receiver: object,
    ) -> object:
        """Go's ``evalField`` for the receivers a template can meet."""
        t = type(receiver)
        if t is dict:
            if (args is not None and len(args) > 1) or final is not MISSING:
                raise st.error(f"{name} is not a method but has arguments")
            try:
                return Iface(receiver[name])  # type: ignore[index]
            except KeyError:
                return self._missing_key(st, name, plain=False)
        if receiver is INVALID:
            if st.missingkey == MISSING_KEY_ERROR:
                raise st.error(f"nil data; no entry for key {quote(name)}")
            return INVALID
        static_type: str | None = None
        if t is Iface:
            inner = receiver.v  # type: ignore[attr-defined]
            if inner is None:
                raise st.error(f"nil pointer evaluating interface {{}}.{name}")
            static_type = "interface {}"
            receiver = inner
            t = type(receiver)
        if isinstance(receiver, dict):
            if (args is not None and len(args) > 1) or final is not MISSING:
                raise st.error(f"{name} is not a method but has arguments")
            plain = isinstance(receiver, StringMap)
            if name in receiver:
                value = receiver[name]
                return value if plain else Iface(value)
            return self._missing_key(st, name, plain=plain)
        if t is JSONNumber:
            method = JSON_NUMBER_METHODS.get(name)
            if method is not None:
                return self._call_method(st, method, receiver, node, args, final)
        if static_type is None:
            from crmtpl.gotemplate.values import go_type_name

            static_type = go_type_name(receiver)
        raise st.error(f"can't evaluate field {name} in type {static_type}")

    @staticmethod
    def _missing_key(st: State, name: str, *, plain: bool) -> object:
        mode = st.missingkey
        if mode == MISSING_KEY_INVALID:
            return INVALID
        if mode == MISSING_KEY_ZERO:
            return "" if plain else Iface(None)
        raise st.error(f"map has no entry for key {quote(name)}")

    @staticmethod
    def _call_method(
        st: State,
        method: GoFunc,
        receiver: object,
        node: Node,
        args: list[Node] | None,
        final: object,
    ) -> object:
        given = (len(args) - 1 if args else 0) + (final is not MISSING)
        if given != 0:
            raise st.error(f"wrong number of args for {method.name}: want 0 got {given}")
        try:
            return method.impl(str(receiver))
        except CallError as exc:
            st.node = node
            raise st.error(f"error calling {method.name}: {exc}") from None

    def _variable(self, var: VariableNode, args: list[Node] | None) -> CommandFn:
        name = var.ident[0]
        rest = var.ident[1:]
        chain = self._field_chain(var, rest) if rest else None

        def run_variable(st: State, dot: object, final: object) -> object:
            st.node = var
            value = st.var_value(name)
            if chain is None:
                _not_a_function(st, args, final)
                return value
            return chain(st, dot, value, args, final)

        return run_variable

    def _chain(self, chain_node: ChainNode, args: list[Node] | None) -> CommandFn:
        head = self.argument(chain_node.node, None)
        fields = self._field_chain(chain_node, chain_node.field)

        def run_chain(st: State, dot: object, final: object) -> object:
            st.node = chain_node
            receiver = head(st, dot)
            return fields(st, dot, receiver, args, final)

        return run_chain

    # --- functions ------------------------------------------------------------------------

    def _function(self, ident: IdentifierNode, cmd: Node, args: list[Node] | None) -> CommandFn:
        """Go's ``evalFunction`` + ``evalCall`` for a named function."""
        name = ident.ident
        fn = self.funcs.get(name)
        if fn is None:
            message = f"{quote(name)} is not a defined function"

            def run_undefined(st: State, dot: object, final: object) -> object:
                st.node = ident
                raise st.error(message)

            return run_undefined
        call_args = args[1:] if args is not None else []
        params = fn.params
        num_fixed = len(params) - 1 if fn.variadic else len(call_args)
        arg_fns: list[Evaluator] = []
        for i, arg in enumerate(call_args):
            if i < min(num_fixed, len(params)):
                kind = params[i]
            else:  # the variadic part, or arguments Go rejects before evaluating them
                kind = params[-1] if params else ParamKind.ANY
            arg_fns.append(self.argument(arg, kind))
        impl = fn.impl
        wants_zone = fn.wants_zone
        is_and_or = fn.builtin and name in ("and", "or")
        short_circuit_on = name == "or"
        nargs = len(call_args)

        def run_function(st: State, dot: object, final: object) -> object:
            st.node = ident
            num_in = nargs + (final is not MISSING)
            if fn.variadic:
                if num_in < num_fixed:
                    raise st.error(
                        f"wrong number of args for {name}: want at least {num_fixed} got {nargs}"
                    )
            elif num_in != len(params):
                raise st.error(f"wrong number of args for {name}: want {len(params)} got {num_in}")
            if is_and_or:
                value: object = INVALID
                for arg_fn in arg_fns:
                    value = arg_fn(st, dot)
                    if truth(value) == short_circuit_on:
                        return value
                if final is not MISSING:
                    value = final
                return value
            argv = [arg_fn(st, dot) for arg_fn in arg_fns]
            if final is not MISSING:
                # The piped value fills the next fixed parameter, or the variadic part.
                variadic_part = fn.variadic and num_in - 1 >= num_fixed
                kind = params[-1] if variadic_part else params[num_in - 1]
                argv.append(_validate(st, final, kind))
            try:
                if wants_zone:
                    return impl(*argv, st.zone)
                return impl(*argv)
            except CallError as exc:
                st.node = cmd
                raise st.error(f"error calling {name}: {exc}") from None

        return run_function

    def argument(self, node: Node, kind: ParamKind | None) -> Evaluator:
        """Go's ``evalArg``: evaluate one argument and convert it to the parameter kind."""
        if isinstance(node, DotNode):

            def run_dot(st: State, dot: object) -> object:
                st.node = node
                return _validate(st, dot, kind)

            return run_dot
        if isinstance(node, NilNode):

            def run_nil(st: State, dot: object) -> object:
                st.node = node
                if kind is ParamKind.VALUE:
                    return INVALID
                if kind is ParamKind.ANY:
                    return None
                raise st.error(f"cannot assign nil to {kind.value if kind else '<nil>'}")

            return run_nil
        if isinstance(node, FieldNode):
            field_fn = self._field_command(node, [node])
            return self._validated(node, kind, field_fn)
        if isinstance(node, VariableNode):
            var_fn = self._variable(node, None)
            return self._validated(node, kind, var_fn)
        if isinstance(node, PipeNode):
            pipe = self.pipeline(node)

            def run_pipe(st: State, dot: object) -> object:
                st.node = node
                return _validate(st, pipe(st, dot), kind)

            return run_pipe
        if isinstance(node, IdentifierNode):
            fn = self._function(node, node, None)
            return self._validated(node, kind, fn)
        if isinstance(node, ChainNode):
            chain_fn = self._chain(node, None)
            return self._validated(node, kind, chain_fn)
        if kind is ParamKind.STRING:
            if isinstance(node, StringNode):
                text = node.text

                def run_string(st: State, dot: object) -> object:
                    st.node = node
                    return text

                return run_string
            message = f"expected string; found {node}"

            def run_not_string(st: State, dot: object) -> object:
                st.node = node
                raise st.error(message)

            return run_not_string
        constant = self._constant(node)

        def run_constant(st: State, dot: object) -> object:
            st.node = node
            return constant(st)

        return run_constant

    @staticmethod
    def _validated(node: Node, kind: ParamKind | None, command: CommandFn) -> Evaluator:
        def run_validated(st: State, dot: object) -> object:
            st.node = node
            return _validate(st, command(st, dot, MISSING), kind)

        return run_validated


_ABSENT: Final = object()


def _no_op(st: State, dot: object) -> None:
    return None


def _not_a_function(st: State, args: list[Node] | None, final: object) -> None:
    if (args is not None and len(args) > 1) or final is not MISSING:
        assert args
        raise st.error(f"can't give argument to non-function {args[0]}")
