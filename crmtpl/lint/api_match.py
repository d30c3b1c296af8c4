"""Which operation of the CRM's API description a request of the template calls.

The request's URL template is rendered with sample values (:mod:`crmtpl.lint.rendering`),
its path taken (a URL without a scheme, as ``{{.base_url}}/v3/contacts`` renders to, is a
path already) and matched from its end with the request's method by
:func:`crmtpl.openapi.matching.match_operation`. The answer is cached per request in
``ctx.cache``, so every CT97x check shares one render and one match.

Only imported when lint has a description (``validate --openapi``): it loads
:mod:`crmtpl.openapi`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crmtpl.lint.context import LintContext
from crmtpl.lint.rendering import analysis, base_samples, render
from crmtpl.openapi.matching import OperationMatch, match_operation
from crmtpl.template import Request

_CACHE_KEY = "api-operation"


def rendered_path(ctx: LintContext, request: Request) -> str | None:
    """The path of the request's URL rendered with sample values, or None when the URL
    does not render (an empty URL, a template error: other rules report those)."""
    template = request.url_template
    if not template:
        return None
    data = base_samples(ctx)
    for ref in analysis(template).fields:
        if ref.path and ref.path[0] not in data:
            data[ref.path[0]] = ref.path[0]
    rendered = render(template, data)
    if rendered.output is None:
        return None
    url = rendered.output.strip()
    if "://" in url:
        return urlsplit(url).path
    return url.split("?", 1)[0].split("#", 1)[0]


def matched_operation(ctx: LintContext, request: Request) -> OperationMatch | None:
    """The operation ``request`` calls (cached per request), or None without a description,
    a method, a URL that renders, or an operation that matches."""
    if ctx.api is None or not request.method:
        return None
    cache: dict[int, OperationMatch | None] = ctx.cache.setdefault(_CACHE_KEY, {})
    key = id(request)
    if key not in cache:
        path = rendered_path(ctx, request)
        cache[key] = None if path is None else match_operation(ctx.api, request.method, path)
    return cache[key]
