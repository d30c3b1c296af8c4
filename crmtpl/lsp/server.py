"""The pygls server: documents in, diagnostics, hovers, completions, navigation and fixes
out. Each handler converts positions and calls the plain modules of this package.

Diagnostics are published when a document opens and, debounced, after edits: each change
restarts a short timer (``debounce`` seconds, 0.15 by default; an editor may send
``initializationOptions: {"debounce": 0}``), so typing does not lint every keystroke.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from crmtpl import __version__
from crmtpl.lint.fixes import fix_text, lint_text
from crmtpl.lsp import convert
from crmtpl.lsp.apidescription import DescriptionCache
from crmtpl.lsp.completion import completions
from crmtpl.lsp.hover import hover_at
from crmtpl.lsp.navigation import Symbol, definition, references, symbols
from crmtpl.template import LoadedTemplate, TemplateFileError, load_template

DEFAULT_DEBOUNCE = 0.15
# A template's root is <Information>: other XML files an editor sends get no diagnostics.
_TEMPLATE_ROOT = re.compile(
    r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE(?:[^[>]|\[.*?\])*>)\s*)*"
    r"<(?i:information)[\s>/]",
    re.S,
)
FIX_ALL = "source.fixAll.crmtpl"

_COMPLETION_KINDS = {
    "element": types.CompletionItemKind.Class,
    "attribute": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.EnumMember,
    "variable": types.CompletionItemKind.Variable,
    "function": types.CompletionItemKind.Function,
    "keyword": types.CompletionItemKind.Keyword,
}
_SYMBOL_KINDS = {
    "scenario": types.SymbolKind.Module,
    "request": types.SymbolKind.Function,
    "output": types.SymbolKind.Field,
}


@dataclass
class Settings:
    """What the editor may tune through ``initializationOptions``."""

    debounce: float = DEFAULT_DEBOUNCE
    rules_url: str = convert.RULES_URL


class TemplateServer(LanguageServer):
    """The language server with its per-document timers and settings."""

    def __init__(self) -> None:
        super().__init__("crmtpl", __version__)
        self.settings = Settings()
        self.timers: dict[str, asyncio.TimerHandle] = {}
        #: The API descriptions the settings files name (``openapi = "..."``): CT97x.
        self.descriptions = DescriptionCache()
        self.told: set[str] = set()

    def view(self, uri: str) -> convert.DocumentView:
        """The current text of a document, with its position conversion."""
        document = self.workspace.get_text_document(uri)
        encoding = str(self.workspace.position_encoding or "utf-16")
        return convert.DocumentView(document.source, encoding)

    def loaded(self, uri: str) -> tuple[convert.DocumentView, LoadedTemplate | None]:
        """The document and its template, None while it does not load."""
        view = self.view(uri)
        try:
            return view, load_template(view.body, display_name=uri)
        except TemplateFileError:
            return view, None

    def publish(self, uri: str) -> None:
        """Lint a document and send its diagnostics."""
        self.timers.pop(uri, None)
        document = self.workspace.get_text_document(uri)
        view = self.view(uri)
        found = []
        if holds_template(view.body):
            self.watch_descriptions()
            api = self.descriptions.for_document(uri)
            self.tell_problem()
            result = lint_text(view.body, display_name=uri, api=api)
            found = [
                convert.diagnostic(d, view, uri, self.settings.rules_url)
                for d in result.diagnostics
            ]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )

    def watch_descriptions(self) -> None:
        """Lint the open documents again when a description read in the background is
        ready (one too large to wait for was left out of their first lint)."""
        if self.descriptions.on_loaded is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in the server's loop (a unit test): nothing to redo
            return

        def loaded() -> None:  # in the loading thread
            loop.call_soon_threadsafe(self.publish_open)

        self.descriptions.on_loaded = loaded

    def publish_open(self) -> None:
        """Lint every open document again."""
        for uri in list(self.workspace.text_documents):
            self.publish(uri)

    def tell_problem(self) -> None:
        """Show, once each, why a settings file or API description could not be used."""
        problem = self.descriptions.problem
        if problem is None or problem in self.told:
            return
        self.told.add(problem)
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=f"crmtpl: {problem}")
        )

    def publish_later(self, uri: str) -> None:
        """Lint after the debounce delay; a newer change restarts the delay."""
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if self.settings.debounce <= 0:
            self.publish(uri)
            return
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.settings.debounce, self.publish, uri)


def holds_template(text: str) -> bool:
    """True when the document's root element is ``<Information>`` (comments before it
    allowed), as in every template."""
    return _TEMPLATE_ROOT.match(text) is not None


def _read_options(options: Any) -> Settings:
    settings = Settings()
    if isinstance(options, dict):
        debounce = options.get("debounce")
        if isinstance(debounce, int | float) and 0 <= debounce <= 10:
            settings.debounce = float(debounce)
        url = options.get("rulesUrl")
        if isinstance(url, str) and url:
            settings.rules_url = url
    return settings


def build_server() -> TemplateServer:
    """A server with every feature registered."""
    server = TemplateServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TemplateServer, params: types.InitializeParams) -> None:
        ls.settings = _read_options(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TemplateServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TemplateServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TemplateServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TemplateServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = ls.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TemplateServer, params: types.HoverParams) -> types.Hover | None:
        view, loaded = ls.loaded(params.text_document.uri)
        if loaded is None:
            return None
        found = hover_at(loaded, view.offset(params.position))
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown),
            range=view.range(found.start, found.end),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["<", " ", ".", '"', "{"]),
    )
    def complete(ls: TemplateServer, params: types.CompletionParams) -> types.CompletionList:
        view = ls.view(params.text_document.uri)
        items = [
            types.CompletionItem(
                label=c.label, kind=_COMPLETION_KINDS[c.kind], detail=c.detail or None
            )
            for c in completions(view.body, view.offset(params.position))
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def goto_definition(
        ls: TemplateServer, params: types.DefinitionParams
    ) -> types.Location | None:
        uri = params.text_document.uri
        view, loaded = ls.loaded(uri)
        if loaded is None:
            return None
        place = definition(loaded, view.offset(params.position))
        return None if place is None else types.Location(uri, view.range(place.start, place.end))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def find_references(ls: TemplateServer, params: types.ReferenceParams) -> list[types.Location]:
        uri = params.text_document.uri
        view, loaded = ls.loaded(uri)
        if loaded is None:
            return []
        offset = view.offset(params.position)
        found = references(loaded, offset, declaration=params.context.include_declaration)
        return [types.Location(uri, view.range(p.start, p.end)) for p in found]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def outline(
        ls: TemplateServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol]:
        view, loaded = ls.loaded(params.text_document.uri)
        return [] if loaded is None else [_symbol(s, view) for s in symbols(loaded)]

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_actions(ls: TemplateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return _code_actions(ls, params)

    return server


def _symbol(symbol: Symbol, view: convert.DocumentView) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        kind=_SYMBOL_KINDS[symbol.kind],
        range=view.range(symbol.whole.start, symbol.whole.end),
        selection_range=view.range(symbol.name_place.start, symbol.name_place.end),
        children=[_symbol(child, view) for child in symbol.children],
    )


def _overlaps(one: types.Range, other: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return (position.line, position.character)

    return key(one.start) <= key(other.end) and key(other.start) <= key(one.end)


def _code_actions(ls: TemplateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    view = ls.view(uri)
    result = lint_text(view.body, display_name=uri)
    actions = []
    for found in result.diagnostics:
        if found.fix is None:
            continue
        shown = convert.diagnostic(found, view, uri, ls.settings.rules_url)
        if not _overlaps(shown.range, params.range):
            continue
        actions.append(
            types.CodeAction(
                title=found.fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[shown],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: convert.edits(found.fix, view)}),
            )
        )
    if any(found.fix is not None for found in result.diagnostics):
        outcome = fix_text(view.body, display_name=uri)
        if outcome.changed:
            whole = view.range(0, len(view.body))
            actions.append(
                types.CodeAction(
                    title="fix every mechanical mistake (crmtpl)",
                    kind=FIX_ALL,
                    edit=types.WorkspaceEdit(
                        changes={uri: [types.TextEdit(range=whole, new_text=outcome.text)]}
                    ),
                )
            )
    return actions


def serve() -> None:
    """Run the server on stdin/stdout until the editor says exit."""
    build_server().start_io()
