"""``Template``: a parsed template set, compiled once and executed many times."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from crmtpl.gotemplate.errors import TemplateExecError
from crmtpl.gotemplate.executor import (
    MAX_EXEC_DEPTH,
    MISSING_KEY_ERROR,
    MISSING_KEY_INVALID,
    MISSING_KEY_ZERO,
    Compiler,
    ExecFailure,
    State,
    Walker,
)
from crmtpl.gotemplate.functions import PBX, FuncSet
from crmtpl.gotemplate.gostrconv import quote
from crmtpl.gotemplate.gotime import load_location
from crmtpl.gotemplate.nodes import Node, TemplateNode, child_nodes
from crmtpl.gotemplate.parser import parse_templates
from crmtpl.gotemplate.values import INVALID, go_bytes, normalize_str

_MISSING_KEY_MODES: Final = {
    "default": MISSING_KEY_INVALID,
    "invalid": MISSING_KEY_INVALID,
    "zero": MISSING_KEY_ZERO,
    "error": MISSING_KEY_ERROR,
}

# Python frames a template call adds beyond the nesting of the called tree, so that Go's
# limit of 100000 nested calls is reached before Python's recursion limit.
_FRAMES_PER_TEMPLATE_CALL: Final = 4
_PARSE_FRAMES_PER_CHAR: Final = 8
_SHALLOW_TEXT: Final = 100  # texts this short cannot nest deep enough to need more frames
_COMFORTABLE_FRAMES: Final = 300  # executions this deep run within Python's default limit
_recursion_lock = threading.Lock()
_recursion_users: list[int] = []


@contextmanager
def deep_recursion(frames: int) -> Iterator[None]:
    """Raise Python's recursion limit to at least ``frames`` for the duration.

    Python 3.11 runs Python-to-Python calls without using the C stack, so a high limit is
    safe for the executor's closures; the previous limit comes back when the last user
    leaves.
    """
    with _recursion_lock:
        if not _recursion_users:
            _recursion_users.append(sys.getrecursionlimit())
        _recursion_users.append(frames)
        sys.setrecursionlimit(max(max(_recursion_users), sys.getrecursionlimit()))
    try:
        yield
    finally:
        with _recursion_lock:
            _recursion_users.remove(frames)
            if len(_recursion_users) == 1:
                sys.setrecursionlimit(_recursion_users.pop())


def parse_recursion_frames(text: str) -> int:
    """A recursion limit that lets the parser follow any nesting ``text`` can hold."""
    return 1000 + _PARSE_FRAMES_PER_CHAR * len(text)


def _shape(root: Node) -> tuple[int, bool]:
    """(deepest nesting, whether a template is called) of a tree, found without recursion."""
    deepest = 0
    calls = False
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        calls = calls or isinstance(node, TemplateNode)
        stack.extend((child, depth + 1) for child in child_nodes(node))
    return deepest, calls


class Template:
    """A parsed template and its ``define``/``block`` templates, ready to execute."""

    def __init__(self, text: str, *, name: str = "tpl", funcs: FuncSet = PBX) -> None:
        self.text = text
        self.name = name
        self.funcs = funcs
        if len(text) > _SHALLOW_TEXT:
            with deep_recursion(parse_recursion_frames(text)):
                self._build()
        else:
            self._build()

    def _build(self) -> None:
        self.trees = parse_templates(self.text, name=self.name, funcs=self.funcs)
        compiler = Compiler(self.funcs)
        self._compiled: dict[str, Walker] = {
            name: compiler.walker(tree.root) for name, tree in self.trees.items()
        }
        shapes = [_shape(tree.root) for tree in self.trees.values()]
        self._recursive = any(calls for _, calls in shapes)
        # Executing takes a few Python frames per nesting level of the tree.
        self._frames = 3 * max(depth for depth, _ in shapes)
        self._deep = self._frames > _COMFORTABLE_FRAMES

    @property
    def template_names(self) -> list[str]:
        """Names of all templates in the set (the main one and each define/block)."""
        return sorted(self.trees)

    def execute(self, data: object, *, missingkey: str = "default", tz: str | None = None) -> str:
        """Run the template on ``data`` (see the value mapping) and return the output.

        ``missingkey`` is Go's option (``default``/``invalid``, ``zero``, ``error``); ``tz``
        the IANA zone ``TimeFormat`` treats as the PBX's local zone (None: UTC). Raises
        TemplateExecError (with ``partial_output``), ValueError for a bad option or zone
        (Go's text), TypeError for data outside the value mapping.
        """
        mode = _MISSING_KEY_MODES.get(missingkey)
        if mode is None:
            raise ValueError(f"unrecognized option: missingkey={missingkey}")
        zone = load_location(tz) if tz is not None else None
        dot = INVALID if data is None else data
        state = State(self.name, self._compiled, mode, zone, dot)
        root = self._compiled[self.name]
        try:
            if self._recursive:
                # Go allows 100000 nested template calls; each costs the frames of the
                # deepest tree (a call can sit at the bottom of its nesting).
                frames = (self._frames + _FRAMES_PER_TEMPLATE_CALL) * (MAX_EXEC_DEPTH + 1)
                with deep_recursion(frames + 1000):
                    root(state, dot)
            elif self._deep:
                with deep_recursion(self._frames + 1000):
                    root(state, dot)
            else:
                root(state, dot)
        except ExecFailure as failure:
            raise self._exec_error(failure, state) from None
        return _finish("".join(state.out))

    def _exec_error(self, failure: ExecFailure, state: State) -> TemplateExecError:
        partial = _finish("".join(state.out))
        node = failure.node
        name = quote(failure.template_name)
        if node is None:
            message = f"template: {failure.template_name}: {failure.message}"
            return TemplateExecError(message, self.text, None, partial)
        line, col = go_location(self.text, node.pos)
        message = (
            f"template: {self.name}:{line}:{col}: executing {name} at <{node}>: {failure.message}"
        )
        return TemplateExecError(message, self.text, node.pos, partial)


def go_location(text: str, pos: int) -> tuple[int, int]:
    """Go's ``ErrorContext`` location: 1-based line and 0-based *byte* column."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = text.count("\n", 0, pos) + 1
    prefix = text[line_start:pos]
    col = len(prefix) if prefix.isascii() else len(go_bytes(prefix))
    return line, col


def _finish(output: str) -> str:
    """Join bytes split by byte-wise operations back into characters where they fit."""
    return normalize_str(output)
