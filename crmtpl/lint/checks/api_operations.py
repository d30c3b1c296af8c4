"""Requests against the CRM's API description (CT971-CT975, ``validate --openapi``).

Runs only when the CLI gives lint a description (:attr:`LintContext.api`). Each request's
URL is rendered with sample values and its path matched to an operation from the end
(:mod:`crmtpl.openapi.matching`: the base URL is the administrator's). Segments an action
printed match any segment; a path the template wrote nothing of is not judged.

- CT971: no operation of the request's method has its path (the other methods of a path
  that exists are named; else the closest paths).
- CT972: a required query parameter is missing from the URL (a form body's fields count:
  many servers read both).
- CT973: a required header is missing. Headers of the request and of ``AuthMethod`` count,
  ``Authorization`` when the auth method sends it (basic, bearertoken, oauth2), and the
  headers an HTTP client sets itself are not asked for. Security schemes (API-key headers)
  are the auth rules' business, not this one's.
- CT974: the operation requires a body and the request sends none.
- CT975: the request sends a body to an operation that declares none (a GET with a body
  is CT664's, with or without a description).

``crmtpl.openapi`` is imported only here, inside the check, when there is a description.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from crmtpl.lint.context import LintContext
from crmtpl.lint.registry import check
from crmtpl.lint.requesturl import RenderedUrl, Segment, rendered_url
from crmtpl.lint.templated import templated_values
from crmtpl.template import Request, SourceSpan

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription, Operation
    from crmtpl.openapi.matching import OperationMatch

RULES = ("CT971", "CT972", "CT973", "CT974", "CT975")
#: Headers the HTTP client sends on its own (or that describe the body, which CT66x judge).
CLIENT_HEADERS = frozenset(
    {"accept", "accept-encoding", "connection", "content-length", "content-type", "host"}
    | {"user-agent"}
)
#: Auth methods whose requests carry an ``Authorization`` header the PBX adds.
AUTHORIZATION_METHODS = frozenset({"basic", "bearertoken", "oauth2"})
_PARAMETER = re.compile(r"\{[^{}/]+\}")
_HTTP_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})


@check(*RULES)
def requests_against_the_api(ctx: LintContext) -> None:
    """Every request of every scenario matched to an operation of ``ctx.api``."""
    api = ctx.api
    if api is None:
        return
    for value in templated_values(ctx):
        request = value.request
        if value.kind != "url" or request is None or value.owner is not request:
            continue
        found = request_operation(ctx, request)
        url = rendered_url(ctx, value)
        if found is None or url is None:
            continue
        _query_parameters(ctx, request, found, url)
        _headers(ctx, request, found, url)
        _body(ctx, request, found)


_CACHE_KEY = "api-operation"


def request_operation(ctx: LintContext, request: Request) -> OperationMatch | None:
    """The operation of ``ctx.api`` that ``request`` calls, or None: no description, no
    method the PBX knows, a path an action makes unknowable, or no operation (then CT971
    is reported, once). Decided once per request (cached in ``ctx.cache``), so that every
    CT97x check judges a request against the same operation, or skips it."""
    api = ctx.api
    if api is None:
        return None
    cache: dict[int, OperationMatch | None] = ctx.cache.setdefault(_CACHE_KEY, {})
    key = id(request)
    if key not in cache:
        cache[key] = None
        method = (request.method or "").strip().upper()
        value = next(
            (
                v
                for v in templated_values(ctx)
                if v.kind == "url" and v.request is request and v.owner is request
            ),
            None,
        )
        # no method, or one the PBX does not know: CT60x say so
        url = rendered_url(ctx, value) if value is not None and method in _HTTP_METHODS else None
        if url is not None and url.knowable:
            cache[key] = _operation(ctx, api, method, url)
    return cache[key]


# -- CT971: the operation -----------------------------------------------------------------


def _operation(
    ctx: LintContext, api: ApiDescription, method: str, url: RenderedUrl
) -> OperationMatch | None:
    """The operation the request calls; None (after CT971 when it calls none) when unknown."""
    from crmtpl.openapi.matching import closest_paths, match_operation, operations_on_path

    found = match_operation(api, method, url.path)
    if found is not None:
        typo = _misspelt(api, method, url) if found.path_parameters else None
        if typo is not None and typo[0].text not in found.path_parameters.values():
            typo = None  # the segment matched a literal of the found path: no misspelling
        if typo is None and not _literal_taken_for_parameter(ctx, api, method, url, found):
            return found
        if typo is None:
            return None
    else:
        loose = _loose_matches(api, url.segments)
        if any(operation.method == method for operation in loose):
            return None  # an action's value may make it match: not knowable here
        typo = _misspelt(api, method, url)
        others = sorted(
            {op.method for op in (*operations_on_path(api, url.path), *loose)} - {method}
        )
    if typo is not None:  # a literal segment one typo away from an operation of this method
        segment, expected, label = typo
        ctx.report(
            "CT971",
            _span_of_output(ctx, url, segment.start, segment.end),
            f"{method} {url.shown_path}: no {method} operation of the API description has "
            f"{segment.text!r} there; {label} has {expected!r}",
            hint=f"did you mean {label}? (path segments are case-sensitive)",
        )
        return None
    if found is not None:
        return found
    if others:
        listed = ", ".join(others)
        ctx.report(
            "CT971",
            _path_span(ctx, url),
            f"the API has no {method} operation at {url.shown_path}; it takes {listed} there",
            hint=f'use Method="{others[0]}"' if len(others) == 1 else f"use one of {listed}",
        )
        return None
    ranked = closest_paths(api, url.path, limit=12)  # this method's paths first
    closest = [p for p in ranked if p.startswith(f"{method} ")][:3] or ranked[:3]
    ctx.report(
        "CT971",
        _path_span(ctx, url),
        f"no operation of the API description matches {method} {url.shown_path}",
        hint=f"the description's closest paths: {', '.join(closest)}"
        if closest
        else f"the description ({api.title or 'this API'}) has no path ending like this one",
    )
    return None


def _literal_count(template: str) -> int:
    return sum(1 for part in template.split("/") if part and not _PARAMETER.search(part))


def _literal_taken_for_parameter(
    ctx: LintContext, api: ApiDescription, method: str, url: RenderedUrl, found: OperationMatch
) -> bool:
    """CT971 when the match binds a segment the template wrote to a path parameter
    (``/contacts/search`` as ``/contacts/{contactId}``) while another method has that very
    path: the method is wrong. True when reported."""
    from crmtpl.openapi.matching import match_operation

    own = {segment.text for segment in url.segments if not segment.templated}
    bound = [name for name, value in found.path_parameters.items() if value in own]
    if not bound:
        return False
    better = []
    for other in sorted({op.method for op in api.operations} - {method}):
        match = match_operation(api, other, url.path)
        if match is not None and _literal_count(match.matched_template) > _literal_count(
            found.matched_template
        ):
            better.append(match)
    if not better:
        return False
    name = bound[0]
    methods = ", ".join(match.operation.method for match in better)
    ctx.report(
        "CT971",
        ctx.attribute_span(url.value.request or url.value.owner, "Method"),
        f"{method} {url.shown_path} calls {found.operation.label} with {name} "
        f"{found.path_parameters[name]!r}; the path {better[0].matched_template} is "
        f"{methods} only",
        hint=f'use Method="{better[0].operation.method}"',
    )
    return True


#: How alike a segment must be to a literal one of a path to be taken for its misspelling.
TYPO_RATIO = 0.75


def _misspelt(
    api: ApiDescription, method: str, url: RenderedUrl
) -> tuple[Segment, str, str] | None:
    """The template's own segment that, spelt like a literal segment of an operation of
    ``method`` (the only difference), would match it; with that literal segment and the
    operation's label."""
    import difflib

    from crmtpl.openapi.matching import path_segments

    best: tuple[float, Segment, str, str] | None = None
    for operation in api.operations:
        if operation.method != method:
            continue
        for template in dict.fromkeys((*operation.full_paths(), operation.path)):
            wanted = path_segments(template)
            if not wanted or len(wanted) > len(url.segments):
                continue
            tail = url.segments[len(url.segments) - len(wanted) :]
            wrong = [
                (w, s) for w, s in zip(wanted, tail, strict=True) if not _segment_matches(w, s)
            ]
            if len(wrong) != 1 or _PARAMETER.search(wrong[0][0]):
                continue
            expected, segment = wrong[0]
            ratio = difflib.SequenceMatcher(None, expected, segment.text).ratio()
            if ratio >= TYPO_RATIO and (best is None or ratio > best[0]):
                best = (ratio, segment, expected, f"{method} {template}")
    return None if best is None else best[1:]


def _segment_matches(template: str, segment: Segment) -> bool:
    if segment.templated:
        return True
    from crmtpl.openapi.matching import segment_matches

    return segment_matches(template, segment.text)


def _loose_matches(api: ApiDescription, segments: tuple[Segment, ...]) -> list[Operation]:
    """Operations (any method) whose path matches the end of ``segments`` when every
    segment an action printed may be anything."""
    from crmtpl.openapi.matching import path_segments

    found = []
    for operation in api.operations:
        for template in (*operation.full_paths(), operation.path):
            wanted = path_segments(template)
            if not wanted or len(wanted) > len(segments):
                continue
            tail = segments[len(segments) - len(wanted) :]
            if all(_segment_matches(w, s) for w, s in zip(wanted, tail, strict=True)):
                found.append(operation)
                break
    return found


def _span_of_output(ctx: LintContext, url: RenderedUrl, start: int, end: int) -> SourceSpan:
    """The file span of the template text behind output ``[start, end)``; the attribute's
    value when it cannot be traced."""
    first = url.source_offset(start)
    last = url.source_offset(end - 1) if end > start else None
    value = url.value
    if first is None or last is None or last < first:
        return ctx.attribute_span(value.owner, value.attribute)
    return ctx.value_part_span(value.owner, value.attribute, first, last + 1)


def _path_span(ctx: LintContext, url: RenderedUrl) -> SourceSpan:
    """The path the template wrote: from its first own segment to the path's end."""
    own = [segment for segment in url.segments if not segment.templated]
    start = own[0].start
    if start > 0 and url.output[start - 1] == "/":
        start -= 1  # the slash that opens it, when the template wrote that too
        if url.traced is not None and not url.traced.from_literal(start):
            start += 1
    return _span_of_output(ctx, url, start, url.segments[-1].end)


# -- CT972: query parameters ----------------------------------------------------------------


def _form_fields(request: Request) -> set[str]:
    """The field names of a form-encoded body (``a=1&b=2``); none for JSON or no body."""
    body = request.body
    text = (body.value or "").strip() if body is not None else ""
    if not text or text[0] in "{[" or "=" not in text:
        return set()
    return {key for key, _value in parse_qsl(text, keep_blank_values=True)}


def _label(found: OperationMatch) -> str:
    """``METHOD /path`` of the operation as matched (its server's base path included)."""
    return f"{found.operation.method} {found.matched_template}"


def _query_parameters(
    ctx: LintContext, request: Request, found: OperationMatch, url: RenderedUrl
) -> None:
    operation = found.operation
    required = [p.name for p in operation.parameters if p.location == "query" and p.required]
    if not required or url.query_is_templated():
        return
    given = url.query_keys() | _form_fields(request)
    missing = [name for name in required if name not in given]
    if not missing:
        return
    listed = ", ".join(missing)
    query_at = url.output.find("?", url.path_end)
    span = (
        _span_of_output(ctx, url, query_at, len(url.output))
        if query_at >= 0
        else _path_span(ctx, url)
    )
    example = "&amp;".join(f"{name}=…" for name in missing)
    ctx.report(
        "CT972",
        span,
        f"{_label(found)} requires the query parameter{'s' if len(missing) > 1 else ''} "
        f"{listed}, which request '{request.name or ''}' does not send",
        hint=f"add {'&amp;' if query_at >= 0 else '?'}{example} to the URL",
    )


# -- CT973: headers -----------------------------------------------------------------------


def _sent_headers(ctx: LintContext, request: Request) -> set[str]:
    names = {(p.name or "").strip().lower() for p in (*ctx.model.global_headers, *request.headers)}
    if (ctx.model.auth_method or "").strip().lower() in AUTHORIZATION_METHODS:
        names.add("authorization")
    return names


def _headers(ctx: LintContext, request: Request, found: OperationMatch, url: RenderedUrl) -> None:
    operation = found.operation
    sent = _sent_headers(ctx, request)
    for parameter in operation.parameters:
        name = parameter.name.strip().lower()
        if parameter.location != "header" or not parameter.required:
            continue
        if name in sent or name in CLIENT_HEADERS:
            continue
        ctx.report(
            "CT973",
            _path_span(ctx, url),
            f"{_label(found)} requires the header {parameter.name}, which request "
            f"'{request.name or ''}' does not send",
            hint=f'add <Parameter Father="PopulateTemplateString" Name="{parameter.name}" '
            'Type="Header" Value="…"> to the request (or to AuthMethod for every request)',
        )


# -- CT974, CT975: the body -----------------------------------------------------------------


def _body(ctx: LintContext, request: Request, found: OperationMatch) -> None:
    operation = found.operation
    body = request.body
    sends = body is not None and bool((body.value or "").strip())
    if operation.request_body_required and not sends:
        ctx.report(
            "CT974",
            ctx.attribute_span(request, "Method"),
            f"{_label(found)} requires a request body; request '{request.name or ''}' sends none",
            hint='add <Parameter Name="Data" Type="Body" Value="…"> with what the API expects',
        )
    declares = operation.request_schema is not None or bool(operation.request_media_types)
    if sends and body is not None and not declares and operation.method != "GET":  # GET: CT664
        ctx.report(
            "CT975",
            ctx.attribute_span(body, "Value"),
            f"{_label(found)} takes no request body; the body of request "
            f"'{request.name or ''}' is ignored (or refused)",
            hint="send these values as query parameters, or check Method and URL",
        )
