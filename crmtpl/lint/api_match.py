"""Which operation of the CRM's API description a request of the template calls.

One decision for every CT97x check: :func:`crmtpl.lint.checks.api_operations.request_operation`
renders the URL with sample values, matches its path from the end, and tells a real match
from a word of the path taken for a path parameter or a misspelt segment (CT971). The schema
checks judge a request only against the operation that decision found, so a request CT971
reports is not judged again against an operation it does not call.

Only imported when lint has a description (``validate --openapi``): it loads
:mod:`crmtpl.openapi`.
"""

from __future__ import annotations

from crmtpl.lint.checks.api_operations import request_operation
from crmtpl.lint.context import LintContext
from crmtpl.openapi.matching import OperationMatch
from crmtpl.template import Request


def matched_operation(ctx: LintContext, request: Request) -> OperationMatch | None:
    """The operation ``request`` calls (decided once per request), or None without a
    description, a method, a URL that renders, or an operation that matches."""
    return request_operation(ctx, request)
