"""Static analysis for the linter: parse without executing and list what a template uses.

``analyze(text)`` reports the parse error Go would give (if any), every field reference
(``.Phone``, ``.a.b``, ``$.a``), variable and function call with its character offset and
length in ``text``, and problems: unknown functions (Go rejects them at parse time, but only
the first; here each is listed) and wrong argument counts for known functions (which Go
only finds when the call runs). Results are cached: the linter asks about many identical
attribute texts.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from crmtpl.gotemplate.errors import TemplateParseError
from crmtpl.gotemplate.functions import PBX, FuncSet
from crmtpl.gotemplate.nodes import (
    ActionNode,
    BranchNode,
    ChainNode,
    CommandNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    Node,
    PipeNode,
    RangeNode,
    TemplateNode,
    VariableNode,
    WithNode,
)
from crmtpl.gotemplate.parser import Tree, parse_templates


@dataclass(frozen=True)
class FieldRef:
    """A field path such as ``.a.b`` (``path == ("a", "b")``).

    ``offset``/``length`` cover the whole text (``$x.a.b`` included when ``base`` is a
    variable). ``base`` is ``"."`` for dot-relative fields, else the variable (``"$"``,
    ``"$x"``). ``dot_is_root`` is True when the field is certainly read from the data
    passed to the template (top level of the main template, outside range/with bodies).
    ``tested`` is True when the field is only tested for truth: the whole condition of an
    ``if``/``with``/``range`` (``{{if .Company}}``) or an operand of ``and``/``or``/``not``
    in one. A missing value is simply false there, where printing it gives ``<no value>``.
    ``guarded`` is True inside the body of an ``if`` that tests the same field
    (``{{if .a}}{{.a}}{{end}}``): it is only used when it has a value.
    """

    path: tuple[str, ...]
    offset: int
    length: int
    base: str = "."
    dot_is_root: bool = True
    tested: bool = False
    guarded: bool = False


@dataclass(frozen=True)
class VariableRef:
    """A variable occurrence: ``kind`` is ``declare`` (``:=``), ``assign`` (``=``) or ``use``."""

    name: str
    offset: int
    length: int
    kind: str


@dataclass(frozen=True)
class FuncCall:
    """A function call: ``nargs`` counts the piped value (``{{.x | UrlEncode}}`` is 1)."""

    name: str
    nargs: int
    offset: int
    length: int


@dataclass(frozen=True)
class Problem:
    """Something Go would reject: an unknown function or a wrong argument count.

    ``message`` is Go's own wording; ``suggestion`` a known function of the same name but
    for letter case or a small typo (``urlEncode`` -> ``UrlEncode``), if any.
    """

    kind: str  # "unknown_function" | "wrong_arg_count"
    message: str
    offset: int
    length: int
    suggestion: str | None = None


@dataclass(frozen=True)
class TemplateAnalysis:
    """What ``analyze`` found in one template text."""

    text: str
    error: TemplateParseError | None
    fields: tuple[FieldRef, ...]
    variables: tuple[VariableRef, ...]
    calls: tuple[FuncCall, ...]
    problems: tuple[Problem, ...]
    template_names: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when Go would parse the text and no call has a wrong argument count."""
        return self.error is None and not self.problems


def analyze(text: str, *, funcs: FuncSet = PBX) -> TemplateAnalysis:
    """Parse ``text`` (without executing it) and report its fields, calls and problems."""
    return _analyze(text, funcs)


@lru_cache(maxsize=4096)
def _analyze(text: str, funcs: FuncSet) -> TemplateAnalysis:
    error: TemplateParseError | None = None
    try:
        trees = parse_templates(text, name="tpl", funcs=funcs)
    except TemplateParseError as strict_error:
        error = strict_error
        try:
            trees = parse_templates(text, name="tpl", funcs=None)
        except TemplateParseError:
            return TemplateAnalysis(text, error, (), (), (), (), ())
    collector = _Collector(funcs)
    for name, tree in trees.items():
        collector.walk_tree(tree, is_main=name == "tpl")
    problems = tuple(sorted(collector.problems, key=lambda p: p.offset))
    return TemplateAnalysis(
        text,
        error,
        tuple(sorted(collector.fields, key=lambda f: f.offset)),
        tuple(sorted(collector.variables, key=lambda v: v.offset)),
        tuple(sorted(collector.calls, key=lambda c: c.offset)),
        problems,
        tuple(sorted(trees)),
    )


class _Collector:
    """Walks parse trees and records references, calls and problems."""

    def __init__(self, funcs: FuncSet) -> None:
        self.funcs = funcs
        self.fields: list[FieldRef] = []
        self.variables: list[VariableRef] = []
        self.calls: list[FuncCall] = []
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._guards: list[frozenset[tuple[str, ...]]] = []

    def walk_tree(self, tree: Tree, *, is_main: bool) -> None:
        self._walk(tree.root, dot_is_root=is_main, dollar_is_root=is_main)

    def _walk(self, node: Node | None, *, dot_is_root: bool, dollar_is_root: bool) -> None:
        if node is None:
            return
        if isinstance(node, ListNode):
            for child in node.nodes:
                self._walk(child, dot_is_root=dot_is_root, dollar_is_root=dollar_is_root)
        elif isinstance(node, ActionNode):
            self._pipe(node.pipe, dot_is_root, dollar_is_root)
        elif isinstance(node, BranchNode):
            self._pipe(node.pipe, dot_is_root, dollar_is_root, condition=True)
            body_root = dot_is_root and not isinstance(node, (RangeNode, WithNode))
            guards = _guarded_paths(node) if isinstance(node, IfNode) else frozenset()
            self._guards.append(guards)
            self._walk(node.list, dot_is_root=body_root, dollar_is_root=dollar_is_root)
            self._guards.pop()
            self._walk(node.else_list, dot_is_root=dot_is_root, dollar_is_root=dollar_is_root)
        elif isinstance(node, TemplateNode) and node.pipe is not None:
            self._pipe(node.pipe, dot_is_root, dollar_is_root)

    def _pipe(
        self,
        pipe: PipeNode,
        dot_is_root: bool,
        dollar_is_root: bool,
        *,
        condition: bool = False,
    ) -> None:
        for var in pipe.decl:
            kind = "assign" if pipe.is_assign else "declare"
            self.variables.append(VariableRef(var.ident[0], var.pos, len(var.ident[0]), kind))
        # a truth test: the condition is one command, and nothing is declared or piped
        tested = condition and not pipe.decl and len(pipe.cmds) == 1
        for index, cmd in enumerate(pipe.cmds):
            self._command(cmd, index > 0, dot_is_root, dollar_is_root, tested=tested)

    def _command(
        self,
        cmd: CommandNode,
        piped: bool,
        dot_is_root: bool,
        dollar_is_root: bool,
        *,
        tested: bool = False,
    ) -> None:
        first = cmd.args[0]
        if isinstance(first, IdentifierNode):
            self._call(first, len(cmd.args) - 1 + piped)
            args = cmd.args[1:]
            tested = tested and first.ident in _TRUTH_FUNCTIONS
        else:
            args = cmd.args
            tested = tested and len(args) == 1
        for arg in args:
            self._operand(arg, dot_is_root, dollar_is_root, tested=tested)

    def _operand(
        self, node: Node, dot_is_root: bool, dollar_is_root: bool, *, tested: bool = False
    ) -> None:
        if isinstance(node, FieldNode):
            start, end = node.span
            path = tuple(node.ident)
            guarded = dot_is_root and any(path in guards for guards in self._guards)
            self.fields.append(
                FieldRef(path, start, end - start, ".", dot_is_root, tested, guarded)
            )
        elif isinstance(node, VariableNode):
            name = node.ident[0]
            start, end = node.span
            if id(node) not in self._seen:
                self._seen.add(id(node))
                self.variables.append(VariableRef(name, start, len(name), "use"))
            if len(node.ident) > 1:
                root = name == "$" and dollar_is_root
                self.fields.append(
                    FieldRef(tuple(node.ident[1:]), start, end - start, name, root, tested)
                )
        elif isinstance(node, IdentifierNode):
            self._call(node, 0)
        elif isinstance(node, PipeNode):
            self._pipe(node, dot_is_root, dollar_is_root, condition=tested)
        elif isinstance(node, ChainNode):
            self._operand(node.node, dot_is_root, dollar_is_root)

    def _call(self, ident: IdentifierNode, nargs: int) -> None:
        name = ident.ident
        self.calls.append(FuncCall(name, nargs, ident.pos, len(name)))
        fn = self.funcs.get(name)
        if fn is None:
            self.problems.append(
                Problem(
                    "unknown_function",
                    f'function "{name}" not defined',
                    ident.pos,
                    len(name),
                    _suggest(name, self.funcs),
                )
            )
            return
        if fn.variadic:
            if nargs < fn.min_args:
                self.problems.append(
                    Problem(
                        "wrong_arg_count",
                        f"wrong number of args for {name}: want at least {fn.min_args} got {nargs}",
                        ident.pos,
                        len(name),
                    )
                )
        elif nargs != fn.min_args:
            self.problems.append(
                Problem(
                    "wrong_arg_count",
                    f"wrong number of args for {name}: want {fn.min_args} got {nargs}",
                    ident.pos,
                    len(name),
                )
            )


def _guarded_paths(node: IfNode) -> frozenset[tuple[str, ...]]:
    """Fields an ``if`` body may rely on having a value: ``.a`` in ``if .a`` or ``if and .a .b``."""
    pipe = node.pipe
    if pipe.decl or len(pipe.cmds) != 1:
        return frozenset()
    args = pipe.cmds[0].args
    first = args[0]
    if isinstance(first, IdentifierNode):
        if first.ident != "and":
            return frozenset()
        args = args[1:]
    elif len(args) != 1:
        return frozenset()
    return frozenset(tuple(a.ident) for a in args if isinstance(a, FieldNode))


#: Built-ins that only test their operands for truth: a missing value is simply false.
_TRUTH_FUNCTIONS = frozenset({"and", "or", "not"})


def _suggest(name: str, funcs: FuncSet) -> str | None:
    lowered = {f.lower(): f for f in funcs}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, list(funcs), n=1, cutoff=0.8)
    return close[0] if close else None
