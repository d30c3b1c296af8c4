"""CT971-CT975: each request of a template against a small API description."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from crmtpl.lint import Diagnostic, lint_source, runner
from crmtpl.lint.runner import expand_inputs, lint_inputs
from crmtpl.openapi.description import ApiDescription, load_description
from tests.unit.lint.helpers import MINIMAL, variant

URL = "https://crm.example.com/api/contacts?phone={{UrlEncode .Phone}}"


def _operation(**extra: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **extra}


def _query(name: str, required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": {"type": "string"}}


BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "object"}}},
}
PATHS: dict[str, Any] = {
    "/api/contacts": {
        "get": _operation(parameters=[_query("phone"), _query("limit", required=False)]),
        "post": _operation(requestBody=BODY),
    },
    "/api/contacts/{id}": {"get": _operation(), "delete": _operation()},
    "/api/users": {
        "get": _operation(
            parameters=[{"name": "X-Account", "in": "header", "required": True}],
        )
    },
    "/api/tickets": {
        "get": _operation(
            parameters=[{"name": "Authorization", "in": "header", "required": True}],
        )
    },
}


def _api(tmp_path: Path, paths: dict[str, Any] | None = None, **top: Any) -> ApiDescription:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Fixture API", "version": "1"},
        "paths": PATHS if paths is None else paths,
        **top,
    }
    file = tmp_path / "api.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    return load_description(file)


def _api_findings(text: str, api: ApiDescription | None) -> list[Diagnostic]:
    result = lint_source(text.encode(), display_name="t.xml", api=api)
    return [d for d in result.diagnostics if d.rule.startswith("CT97")]


def _with_url(url: str, method: str = "GET", parameters: str = "") -> str:
    text = variant((URL, url))
    if method != "GET":
        text = variant(('Method="GET"', f'Method="{method}"'), base=text)
    if parameters:
        text = variant(
            ("<Parameters></Parameters>", f"<Parameters>{parameters}</Parameters>"), base=text
        )
    return text


def _column(text: str, needle: str, line_of: str | None = None) -> tuple[int, int]:
    """1-based line and column of ``needle`` (in the first line holding ``line_of``)."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if (line_of or needle) in line and needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_a_request_that_matches_its_operation_gives_nothing(tmp_path: Path) -> None:
    assert _api_findings(MINIMAL, _api(tmp_path)) == []


def test_without_a_description_nothing_is_checked() -> None:
    assert _api_findings(_with_url("https://crm.example.com/api/contcts"), None) == []


def test_a_misspelt_segment_is_pointed_at_with_the_path_it_should_be(tmp_path: Path) -> None:
    text = _with_url("https://crm.example.com/api/contcts?phone={{UrlEncode .Phone}}")
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT971" and found.severity.value == "error"
    assert (found.line, found.column) == _column(text, "contcts?")
    assert found.span.end_column - found.span.start_column == len("contcts")
    assert found.message == (
        "GET /api/contcts: no GET operation of the API description has 'contcts' there; "
        "GET /api/contacts has 'contacts'"
    )
    assert found.hint == "did you mean GET /api/contacts? (path segments are case-sensitive)"


def test_a_path_that_exists_with_other_methods_names_them(tmp_path: Path) -> None:
    text = _with_url("https://crm.example.com/api/contacts/{{.ContactId}}", method="PUT")
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT971"
    assert "no PUT operation at /api/contacts/{{.ContactId}}; it takes DELETE, GET there" in (
        found.message
    )
    assert found.hint == "use one of DELETE, GET"
    assert (found.line, found.column) == _column(text, "/api/contacts/{{")


def test_a_path_nothing_is_like_gets_the_closest_paths_or_says_there_are_none(
    tmp_path: Path,
) -> None:
    text = _with_url("https://crm.example.com/v9/leads/find")
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT971"
    assert found.message == "no operation of the API description matches GET /v9/leads/find"
    assert found.hint == "the description (Fixture API) has no path ending like this one"
    text = _with_url("https://crm.example.com/api/contact")
    [near] = _api_findings(text, _api(tmp_path))
    assert near.hint is not None and "did you mean GET /api/contacts" in near.hint


def test_a_word_of_the_path_taken_for_a_parameter_with_the_wrong_method_says_so(
    tmp_path: Path,
) -> None:
    paths = {
        "/api/contacts/search": {"post": _operation(requestBody=BODY)},
        "/api/contacts/{id}": {"get": _operation()},
    }
    text = _with_url("https://crm.example.com/api/contacts/search")
    [found] = _api_findings(text, _api(tmp_path, paths))
    assert found.rule == "CT971"
    assert found.message == (
        "GET /api/contacts/search calls GET /api/contacts/{id} with id 'search'; "
        "the path /api/contacts/search is POST only"
    )
    assert found.hint == 'use Method="POST"'
    assert (found.line, found.column) == _column(text, 'GET"')


def test_the_base_url_and_the_servers_base_path_do_not_matter(tmp_path: Path) -> None:
    paths = {"/contacts": {"get": _operation(parameters=[_query("phone")])}}
    api = _api(tmp_path, paths, servers=[{"url": "https://crm.example.com/api"}])
    assert _api_findings(MINIMAL, api) == []
    text = _with_url("{{.api_key}}/contacts?phone={{UrlEncode .Phone}}")
    assert _api_findings(text, api) == []


def test_segments_an_action_prints_match_anything_and_an_all_template_path_is_not_judged(
    tmp_path: Path,
) -> None:
    api = _api(tmp_path)
    assert _api_findings(_with_url("https://crm.example.com/api/{{.api_key}}?phone=1"), api) == []
    assert _api_findings(_with_url("{{.api_key}}"), api) == []
    assert _api_findings(_with_url("https://{{.api_key}}/{{.Phone}}"), api) == []


def test_a_required_query_parameter_missing_is_pointed_at_in_the_query(tmp_path: Path) -> None:
    text = _with_url("https://crm.example.com/api/contacts?limit=5")
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT972" and found.severity.value == "error"
    assert (found.line, found.column) == _column(text, "?limit=5")
    assert "GET /api/contacts requires the query parameter phone" in found.message
    assert found.hint == "add &amp;phone=… to the URL"
    no_query = _with_url("https://crm.example.com/api/contacts")
    [bare] = _api_findings(no_query, _api(tmp_path))
    assert bare.rule == "CT972" and bare.hint == "add ?phone=… to the URL"
    assert (bare.line, bare.column) == _column(no_query, '/api/contacts"')


def test_a_query_the_template_may_print_whole_or_a_form_body_field_is_enough(
    tmp_path: Path,
) -> None:
    api = _api(tmp_path)
    assert _api_findings(_with_url("https://crm.example.com/api/contacts?{{.api_key}}"), api) == []
    form = '<Parameter Name="Data" Type="Body" Value="phone={{UrlEncode .Phone}}"></Parameter>'
    paths = {"/api/contacts": {"post": _operation(parameters=[_query("phone")])}}
    text = _with_url("https://crm.example.com/api/contacts", method="POST", parameters=form)
    assert [d.rule for d in _api_findings(text, _api(tmp_path, paths))] == ["CT975"]


def test_a_required_header_missing_is_a_warning_unless_auth_or_a_header_sends_it(
    tmp_path: Path,
) -> None:
    api = _api(tmp_path)
    text = _with_url("https://crm.example.com/api/users")
    [found] = _api_findings(text, api)
    assert found.rule == "CT973" and found.severity.value == "warning"
    assert "requires the header X-Account" in found.message
    assert (found.line, found.column) == _column(text, "/api/users")
    header = '<Parameter Father="PopulateTemplateString" Name="x-account" Type="Header" Value="1"></Parameter>'
    assert (
        _api_findings(_with_url("https://crm.example.com/api/users", parameters=header), api) == []
    )
    tickets = _with_url("https://crm.example.com/api/tickets")
    assert [d.rule for d in _api_findings(tickets, api)] == ["CT973"]
    basic = variant(('Value="none"', 'Value="basic"'), base=tickets)
    assert _api_findings(basic, api) == []


def test_a_required_body_missing_points_at_the_method(tmp_path: Path) -> None:
    text = _with_url("https://crm.example.com/api/contacts", method="POST")
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT974" and found.severity.value == "error"
    assert (found.line, found.column) == _column(text, 'POST"')
    body = '<Parameter Name="Data" Type="Body" Value="{&quot;a&quot;: 1}"></Parameter>'
    sent = _with_url("https://crm.example.com/api/contacts", method="POST", parameters=body)
    assert _api_findings(sent, _api(tmp_path)) == []


def test_a_body_sent_to_an_operation_that_takes_none_is_a_warning_at_the_body(
    tmp_path: Path,
) -> None:
    body = '<Parameter Name="Data" Type="Body" Value="{&quot;a&quot;: 1}"></Parameter>'
    url = "https://crm.example.com/api/contacts/{{.ContactId}}"
    text = _with_url(url, method="DELETE", parameters=body)
    [found] = _api_findings(text, _api(tmp_path))
    assert found.rule == "CT975" and found.severity.value == "warning"
    assert (found.line, found.column) == _column(text, "{&quot;a")
    assert found.message == (
        "DELETE /api/contacts/{id} takes no request body; the body of request 'contacts' "
        "is ignored (or refused)"
    )
    # A GET with a body is CT664's, with or without a description.
    assert _api_findings(_with_url(url, parameters=body), _api(tmp_path)) == []


def test_a_swagger_2_operation_without_a_body_parameter_takes_no_body(tmp_path: Path) -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "Old", "version": "1"},
        "basePath": "/api",
        "consumes": ["application/json"],
        "paths": {"/contacts": {"delete": {"parameters": [_query("phone")], "responses": {}}}},
    }
    (tmp_path / "swagger.json").write_text(json.dumps(document), encoding="utf-8")
    api = load_description(tmp_path / "swagger.json")
    assert api.operations[0].request_media_types == ()
    body = '<Parameter Name="Data" Type="Body" Value="{&quot;a&quot;: 1}"></Parameter>'
    text = variant(
        ("<Parameters></Parameters>", f"<Parameters>{body}</Parameters>"),
        ('Method="GET"', 'Method="DELETE"'),
    )
    assert [d.rule for d in _api_findings(text, api)] == ["CT975"]


def test_the_pool_gives_each_worker_the_description_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _api(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    wrong = _with_url("https://crm.example.com/api/contcts?phone=1")
    for number in range(6):
        (folder / f"{number}.xml").write_text(wrong if number % 2 else MINIMAL, encoding="utf-8")
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 4)
    inputs = expand_inputs([str(folder)])
    pooled = lint_inputs(inputs, jobs=2, api=api)
    alone = lint_inputs(inputs, jobs=1, api=api)
    assert [r.diagnostics for r in pooled.files] == [r.diagnostics for r in alone.files]
    rules = [[d.rule for d in r.diagnostics if d.rule.startswith("CT97")] for r in pooled.files]
    assert rules == [[], ["CT971"]] * 3
    shutil.rmtree(folder)


def test_a_segment_that_matches_its_path_is_no_misspelling_of_a_sibling(tmp_path: Path) -> None:
    """``/accounts/{id}/agents`` is matched whole: that ``agent_bots`` (a sibling path) is
    one typo away from ``agents`` says nothing, since no path parameter took the segment."""
    paths = {
        "/api/accounts/{account_id}/agents": {"get": _operation()},
        "/api/accounts/{account_id}/agent_bots": {"get": _operation()},
    }
    text = _with_url("https://crm.example.com/api/accounts/{{.account_id}}/agents")
    assert _api_findings(text, _api(tmp_path, paths)) == []


def test_a_misspelt_literal_taken_by_a_path_parameter_is_still_reported(tmp_path: Path) -> None:
    paths = {
        "/api/accounts/{account_id}/agents": {"get": _operation()},
        "/api/accounts/{account_id}/{view}": {"get": _operation()},
    }
    text = _with_url("https://crm.example.com/api/accounts/{{.account_id}}/agnts")
    [found] = _api_findings(text, _api(tmp_path, paths))
    assert found.rule == "CT971" and "has 'agnts' there" in found.message
