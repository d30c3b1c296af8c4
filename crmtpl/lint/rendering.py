"""Go templates for the checks: cached analyses, sample data, rendering, parse-tree walks.

Sample values make rendering reproducible: predefined variables take the catalogue's
samples; a custom field its first list option or its own name; an output (of
``GetGlobalInfo`` or any request) its own name. Every other name a value refers to gets
its own name as well, so a render never prints ``<no value>`` (undefined variables are
reported by their own rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from crmtpl import gotemplate
from crmtpl.gotemplate.nodes import (
    ActionNode,
    BranchNode,
    ChainNode,
    CommandNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    Node,
    PipeNode,
    TemplateNode,
    TextNode,
    VariableNode,
)
from crmtpl.lint.context import LintContext
from crmtpl.lint.templated import TemplatedValue

_GO_LOCATION = re.compile(r"^template: [^:]*:\d+(?::\d+)?: (?:executing \"[^\"]*\" )?")
_SAMPLES_KEY = "sample-data"


def go_message(error: gotemplate.GoTemplateError) -> str:
    """Go's error text without ``template: tpl:1:2:`` (positions are given in the file)."""
    return _GO_LOCATION.sub("", error.message)


def analysis(text: str) -> gotemplate.TemplateAnalysis:
    """The (cached) analysis of a template text."""
    return gotemplate.analyze(text)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> gotemplate.Template | None:
    try:
        return gotemplate.parse(text)
    except gotemplate.GoTemplateError:
        return None


def parsed(text: str) -> gotemplate.Template | None:
    """The parsed template (cached), or None when it does not parse."""
    return _parsed(text)


def base_samples(ctx: LintContext) -> dict[str, str]:
    """Sample values of every name a template can use (computed once per template)."""
    cached = ctx.cache.get(_SAMPLES_KEY)
    if cached is not None:
        return dict(cached)
    data: dict[str, str] = {}
    for _scenario, request in ctx.model.requests():
        for output in request.output_list:
            if output.name:
                data[output.name] = output.name
    for name in ctx.model.global_info_output_names:
        data[name] = name
    data.update(ctx.catalogue.sample_values())
    for scenario in ctx.model.scenarios:
        for field in scenario.custom_fields:
            if not field.name:
                continue
            options = [o.strip() for o in (field.value or "").split(",") if o.strip()]
            data[field.name] = options[0] if field.editor == "list" and options else field.name
    ctx.cache[_SAMPLES_KEY] = dict(data)
    return data


def sample_data(ctx: LintContext, value: TemplatedValue) -> dict[str, str]:
    """Sample data for one value: the base samples plus every other name it refers to."""
    data = base_samples(ctx)
    for ref in analysis(value.text).fields:
        if ref.path and ref.path[0] not in data:
            data[ref.path[0]] = ref.path[0]
    return data


@dataclass(frozen=True, slots=True)
class Rendered:
    """The output of a render, or the Go error that stopped it."""

    output: str | None
    error: gotemplate.GoTemplateError | None


def render(text: str, data: dict[str, str]) -> Rendered:
    """Execute ``text`` on ``data`` as a ``map[string]string``, as the PBX does."""
    template = parsed(text)
    if template is None:
        return Rendered(None, None)
    try:
        return Rendered(template.execute(gotemplate.StringMap(data)), None)
    except gotemplate.GoTemplateError as error:
        return Rendered(None, error)
    except (TypeError, ValueError, RecursionError) as error:
        return Rendered(None, gotemplate.GoTemplateError(str(error)))


# -- parse-tree walks ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """A function call in a template: its name, its arguments as Go receives them (the
    piped value last, ``PIPED``), and where its name is."""

    name: str
    args: tuple[Node | None, ...]
    offset: int


def _walk_lists(node: Node | None) -> Iterator[PipeNode]:
    if node is None:
        return
    if isinstance(node, ListNode):
        for child in node.nodes:
            yield from _walk_lists(child)
    elif isinstance(node, ActionNode):
        yield node.pipe
    elif isinstance(node, BranchNode):
        yield node.pipe
        yield from _walk_lists(node.list)
        yield from _walk_lists(node.else_list)
    elif isinstance(node, TemplateNode) and node.pipe is not None:
        yield node.pipe


def _pipes_in(pipe: PipeNode) -> Iterator[PipeNode]:
    yield pipe
    for command in pipe.cmds:
        for arg in command.args:
            if isinstance(arg, PipeNode):
                yield from _pipes_in(arg)
            elif isinstance(arg, ChainNode) and isinstance(arg.node, PipeNode):
                yield from _pipes_in(arg.node)


def function_calls(text: str) -> list[Command]:
    """Every function call of a parsing template, with its effective arguments."""
    template = parsed(text)
    if template is None:
        return []
    calls: list[Command] = []
    for tree in template.trees.values():
        for top in _walk_lists(tree.root):
            for pipe in _pipes_in(top):
                for index, command in enumerate(pipe.cmds):
                    first = command.args[0] if command.args else None
                    if not isinstance(first, IdentifierNode):
                        continue
                    args: list[Node | None] = list(command.args[1:])
                    if index > 0:
                        args.append(None)  # the piped value comes last
                    calls.append(Command(first.ident, tuple(args), first.pos))
    return calls


@dataclass(frozen=True, slots=True)
class PrintedField:
    """A field printed by an action, and whether a function of ``wrappers`` wraps it."""

    name: str
    offset: int
    length: int
    wrapped: bool


def printed_fields(text: str, wrappers: frozenset[str]) -> list[PrintedField]:
    """Fields whose value an action prints, each with: does a ``wrappers`` call wrap it?

    ``{{UrlEncode .Phone}}`` and ``{{.Phone | UrlEncode}}`` are wrapped; ``{{.Phone}}`` is
    not. Fields only tested by ``if``/``with``/``range`` are not printed and left out.
    """
    template = parsed(text)
    if template is None:
        return []
    found: list[PrintedField] = []
    for tree in template.trees.values():
        for node in _actions(tree.root):
            _pipe_fields(node.pipe, False, wrappers, found)
    return found


def _actions(node: Node | None) -> Iterator[ActionNode]:
    if isinstance(node, ListNode):
        for child in node.nodes:
            yield from _actions(child)
    elif isinstance(node, ActionNode):
        if not node.pipe.decl:
            yield node
    elif isinstance(node, BranchNode):
        yield from _actions(node.list)
        yield from _actions(node.else_list)


def _is_wrapper(command: CommandNode, wrappers: frozenset[str]) -> bool:
    first = command.args[0] if command.args else None
    return isinstance(first, IdentifierNode) and first.ident in wrappers


def _pipe_fields(
    pipe: PipeNode, wrapped: bool, wrappers: frozenset[str], found: list[PrintedField]
) -> None:
    commands = pipe.cmds
    for index, command in enumerate(commands):
        inside = (
            wrapped
            or _is_wrapper(command, wrappers)
            or any(_is_wrapper(c, wrappers) for c in commands[index + 1 :])
        )
        for arg in command.args:
            _operand_fields(arg, inside, wrappers, found)


def _operand_fields(
    node: Node, wrapped: bool, wrappers: frozenset[str], found: list[PrintedField]
) -> None:
    if isinstance(node, FieldNode):
        start, end = node.span
        found.append(PrintedField(node.ident[0], start, end - start, wrapped))
    elif isinstance(node, VariableNode) and node.ident[0] == "$" and len(node.ident) > 1:
        start, end = node.span
        found.append(PrintedField(node.ident[1], start, end - start, wrapped))
    elif isinstance(node, PipeNode):
        _pipe_fields(node, wrapped, wrappers, found)
    elif isinstance(node, ChainNode):
        _operand_fields(node.node, wrapped, wrappers, found)


# -- rendered output back to template text ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of the output: from ``out_start``, made by the template at ``source``.

    ``literal`` pieces copy template text character by character; the others are the
    output of actions, all attributed to the action's first character."""

    out_start: int
    out_end: int
    source: int
    literal: bool


@dataclass(frozen=True, slots=True)
class TracedRender:
    """A rendering with a map from each output character to the template text behind it."""

    output: str
    pieces: tuple[_Piece, ...]

    def source_offset(self, position: int) -> int | None:
        """The template offset that produced output character ``position`` (None: past
        the end)."""
        for piece in self.pieces:
            if piece.out_start <= position < piece.out_end:
                return piece.source + (position - piece.out_start if piece.literal else 0)
        return None

    def from_literal(self, position: int) -> bool:
        """True when output character ``position`` was copied from the template's own
        text (False: an action printed it, so its value depends on the data)."""
        for piece in self.pieces:
            if piece.out_start <= position < piece.out_end:
                return piece.literal
        return False


def _literal_texts(text: str) -> list[tuple[int, str]] | None:
    """``(offset, text)`` of each top-level text of a template made of text and printing
    actions only (no if/range/with/define, no variable declarations), else None."""
    template = parsed(text)
    if template is None or len(template.trees) != 1:
        return None
    root = next(iter(template.trees.values())).root
    texts: list[tuple[int, str]] = []
    for node in root.nodes:
        if isinstance(node, TextNode):
            if text[node.pos : node.pos + len(node.text)] != node.text:
                return None
            texts.append((node.pos, node.text))
        elif not isinstance(node, ActionNode) or node.pipe.decl:
            return None
    return texts


def render_traced(text: str, data: dict[str, str]) -> TracedRender | None:
    """Render ``text`` on ``data`` and remember which template text made each output
    character, by rendering its literal texts and its actions one by one (actions without
    declarations do not depend on each other). None when the template has control flow or
    fails to render."""
    texts = _literal_texts(text)
    if texts is None:
        return None
    pieces: list[_Piece] = []
    output: list[str] = []
    length = 0
    cursor = 0
    for offset, literal in [*texts, (len(text), "")]:
        if offset > cursor:  # the actions between two texts
            gap = render(text[cursor:offset], data)
            if gap.output is None:
                return None
            start = cursor + text[cursor:offset].find("{{")
            pieces.append(_Piece(length, length + len(gap.output), start, False))
            output.append(gap.output)
            length += len(gap.output)
        if literal:
            pieces.append(_Piece(length, length + len(literal), offset, True))
            output.append(literal)
            length += len(literal)
        cursor = offset + len(literal)
    whole = "".join(output)
    full = render(text, data)
    if full.output != whole:
        return None
    return TracedRender(whole, tuple(pieces))
