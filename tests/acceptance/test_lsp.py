"""`crmtpl lsp` driven end to end over stdio by pytest-lsp's client, as an editor would:
initialize, open a template with a mistake, diagnostics with the right range and code, an
edit that fixes it and the diagnostics clearing, hover, completion, definition,
references, the outline, a code action, shutdown."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.support import REPO_ROOT

BROKEN = (REPO_ROOT / "tests/fixtures/templates/beginner/method-lowercase/template.xml").read_text(
    encoding="utf-8"
)
GOOD = (REPO_ROOT / "examples/sandbox.xml").read_text(encoding="utf-8")
BOTTLECRM = (REPO_ROOT / "crmtpl/gallery/bottlecrm.xml").read_text(encoding="utf-8")
URI = "file:///work/templates/sandbox.xml"
BOTTLE_URI = "file:///work/templates/bottlecrm.xml"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "crmtpl", "lsp"])
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        initialization_options={"debounce": 0.3},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def _position(text: str, needle: str, within: int = 0) -> types.Position:
    """The LSP position ``within`` characters into the first ``needle`` (ASCII lines)."""
    offset = text.index(needle) + within
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def _open(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def _errors(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio
async def test_diagnostics_appear_on_open_and_clear_after_the_fixing_edit(
    client: LanguageClient,
) -> None:
    errors = _errors(await _open(client, URI, BROKEN))
    assert [d.code for d in errors] == ["CT604"]
    found = errors[0]
    assert found.range == types.Range(
        start=types.Position(line=191, character=44), end=types.Position(line=191, character=48)
    )
    assert found.source == "crmtpl"
    assert found.code_description is not None
    assert found.code_description.href.endswith("/docs/rules.md#ct604-request-method-invalid")
    assert "case-sensitive" in found.message
    fixed_range = types.Range(start=found.range.start, end=found.range.end)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=fixed_range, text="POST")
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert _errors(client.diagnostics[URI]) == []


@pytest.mark.asyncio
async def test_columns_count_utf16_code_units(client: LanguageClient) -> None:
    # An astral character before the mistake: two UTF-16 code units, one character.
    text = BROKEN.replace(
        '        <Request Name="CallJournal" Method="post"',
        '        <!-- 📞 --><Request Name="CallJournal" Method="post"',
    )
    errors = _errors(await _open(client, URI, text))
    assert [d.code for d in errors] == ["CT604"]
    assert errors[0].range.start == types.Position(line=191, character=44 + len("<!-- 📞 -->") + 1)


@pytest.mark.asyncio
async def test_a_file_that_does_not_load_gets_one_diagnostic_where_it_breaks(
    client: LanguageClient,
) -> None:
    text = GOOD.replace("/contacts/search?phone=", "/contacts/search?x=1&phone=", 1)
    diagnostics = await _open(client, URI, text)
    assert [d.code for d in diagnostics] == ["CT101"]
    assert diagnostics[0].range.start == _position(text, "&phone=")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    assert actions is not None
    quick = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix"]
    assert quick[0].edit is not None and quick[0].edit.changes is not None
    assert [e.new_text for e in quick[0].edit.changes[URI]] == ["&amp;"]


@pytest.mark.asyncio
async def test_code_action_offers_the_fix_of_the_diagnostic(client: LanguageClient) -> None:
    errors = _errors(await _open(client, URI, BROKEN))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=errors[0].range,
            context=types.CodeActionContext(diagnostics=errors),
        )
    )
    assert actions is not None
    quick = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix"]
    assert [a.title for a in quick] == ["write POST"]
    assert quick[0].edit is not None and quick[0].edit.changes is not None
    (edit,) = quick[0].edit.changes[URI]
    assert edit.range == errors[0].range
    assert edit.new_text == "POST"


@pytest.mark.asyncio
async def test_hover_on_a_variable_a_function_and_an_element(client: LanguageClient) -> None:
    await _open(client, URI, GOOD)
    url = 'URLFormat="{{.sandbox_url}}/none/api/v1/contacts/search?phone={{UrlEncode .Phone}}"'
    variable = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=_position(GOOD, url, url.index(".Phone") + 2),
        )
    )
    assert variable is not None and isinstance(variable.contents, types.MarkupContent)
    assert "**.Phone** (set by the PBX)" in variable.contents.value
    assert "Sample value:" in variable.contents.value
    assert "SyncContactAuto" in variable.contents.value
    function = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=_position(GOOD, url, url.index("UrlEncode") + 3),
        )
    )
    assert function is not None and isinstance(function.contents, types.MarkupContent)
    assert "**UrlEncode** (PBX function)" in function.contents.value
    element = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=_position(GOOD, "<Outputs Next=", 2),
        )
    )
    assert element is not None and isinstance(element.contents, types.MarkupContent)
    assert element.contents.value.startswith("**<Outputs>**")


@pytest.mark.asyncio
async def test_completion_inside_an_action_offers_variables_functions_keywords(
    client: LanguageClient,
) -> None:
    await _open(client, URI, GOOD)
    needle = "search?phone={{UrlEncode "
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=_position(GOOD, needle, len(needle)),
        )
    )
    assert isinstance(result, types.CompletionList)
    labels = {item.label for item in result.items}
    assert {".Phone", "UrlEncode", "printf", "if"} <= labels
    assert ".Call_Log_Status" not in labels  # a CallJournal variable, not in a lookup


@pytest.mark.asyncio
async def test_definition_and_references_of_a_custom_field_and_a_next_request(
    client: LanguageClient,
) -> None:
    await _open(client, BOTTLE_URI, BOTTLECRM)
    use = 'URLFormat="{{.base_url}}/api/users/"'
    location = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=BOTTLE_URI),
            position=_position(BOTTLECRM, use, use.index("base_url") + 1),
        )
    )
    declaration = 'Father="CustomFieldList" Name="base_url"'
    assert isinstance(location, types.Location)
    assert location.range.start == _position(BOTTLECRM, declaration, declaration.index("base_url"))
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=BOTTLE_URI),
            position=location.range.start,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert references is not None
    assert len(references) == BOTTLECRM.count("{{.base_url}}")
    assert _position(BOTTLECRM, use, use.index("base_url")) in [r.range.start for r in references]
    target = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=BOTTLE_URI),
            position=_position(BOTTLECRM, 'Next="ContactDetail"', 8),
        )
    )
    assert isinstance(target, types.Location)
    assert target.range.start == _position(BOTTLECRM, 'Name="ContactDetail"', 6)


@pytest.mark.asyncio
async def test_outline_lists_scenarios_requests_and_outputs(client: LanguageClient) -> None:
    await _open(client, URI, GOOD)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert symbols is not None
    tree = [s for s in symbols if isinstance(s, types.DocumentSymbol)]
    names = [s.name for s in tree]
    assert "AuthMethod" in names and "SyncContactAuto" in names and "CallJournal" in names
    lookup = tree[names.index("SyncContactAuto")]
    assert lookup.children is not None
    request = lookup.children[0]
    assert request.name == "contacts"
    assert request.children is not None
    assert "ContactsId" in [o.name for o in request.children]


@pytest.mark.asyncio
async def test_other_xml_files_get_no_diagnostics(client: LanguageClient) -> None:
    pom = '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n'
    assert list(await _open(client, "file:///work/pom.xml", pom)) == []


def _change(client: LanguageClient, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio
async def test_a_burst_of_edits_is_linted_once_after_the_last(client: LanguageClient) -> None:
    assert _errors(await _open(client, URI, GOOD)) == []
    _change(client, 2, BROKEN)
    _change(client, 3, GOOD)
    _change(client, 4, BROKEN)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in _errors(client.diagnostics[URI])] == ["CT604"]
    with pytest.raises(TimeoutError):  # nothing more: versions 2 and 3 were never linted
        await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 1.0
        )


@pytest.mark.asyncio
async def test_the_description_the_settings_name_checks_the_requests(
    client: LanguageClient, tmp_path: Path
) -> None:
    # The settings file `crmtpl validate` reads names the CRM's API description: the
    # editor shows the same CT971 at the misspelt path segment.
    shutil.copytree(
        REPO_ROOT / "tests/servers/prism/specs/src/hubspot", tmp_path / "specs" / "hubspot"
    )
    (tmp_path / ".crmtpl.toml").write_text('openapi = "specs/hubspot"\n', encoding="utf-8")
    (tmp_path / "templates").mkdir()
    text = (
        REPO_ROOT / "tests/fixtures/templates/api-mistakes/hubspot-path-misspelt/template.xml"
    ).read_text(encoding="utf-8")
    uri = (tmp_path / "templates" / "hubspot.xml").as_uri()
    errors = _errors(await _open(client, uri, text))
    assert [d.code for d in errors] == ["CT971"]
    assert errors[0].range == types.Range(
        start=types.Position(line=91, character=147), end=types.Position(line=91, character=152)
    )
    elsewhere = (tmp_path.parent / f"{tmp_path.name}-plain.xml").as_uri()  # no settings
    assert _errors(await _open(client, elsewhere, text)) == []
