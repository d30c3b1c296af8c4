"""Printing rendered requests: a readable HTTP message, a curl command, a JSON document.

Every function takes a :class:`~crmtpl.secrets.Masker`; secrets are masked unless
the masker was built disabled (``--show-secrets``).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from typing import Any

from crmtpl.render.request import RenderedRequest
from crmtpl.secrets import Masker
from crmtpl.variables import Variable


def pretty_body(body: str) -> str:
    """A JSON body indented for reading (invalid JSON is returned as is)."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


def http_message(request: RenderedRequest, masker: Masker, *, pretty: bool = True) -> str:
    """The request as an HTTP/1.1 message: request line, headers, blank line, body."""
    lines = [f"{request.method} {masker.text(request.url)}"]
    lines += [f"{name}: {masker.header(name, value)}" for name, value in request.headers]
    if request.body:
        body = pretty_body(request.body) if pretty and request.body_is_json else request.body
        lines += ["", masker.text(body)]
    return "\n".join(lines)


def curl_command(request: RenderedRequest, masker: Masker) -> str:
    """A curl command that sends the same request; pasteable into a POSIX shell."""
    parts = ["curl", "-sS", "-X", request.method, shlex.quote(masker.text(request.url))]
    for name, value in request.headers:
        parts += ["-H", shlex.quote(f"{name}: {masker.header(name, value)}")]
    if request.body is not None and request.body != "":
        parts += ["--data-raw", shlex.quote(masker.text(request.body))]
    return " \\\n  ".join(_group_curl(parts))


def _group_curl(parts: list[str]) -> list[str]:
    """Keep each option with its value on one line."""
    grouped = [" ".join(parts[:5])]
    rest = parts[5:]
    for index in range(0, len(rest), 2):
        grouped.append(" ".join(rest[index : index + 2]))
    return grouped


def request_document(request: RenderedRequest, masker: Masker) -> dict[str, Any]:
    """One request in the json output contract (docs/json-output.md)."""
    return {
        "name": request.name,
        "method": request.method,
        "url": masker.text(request.url),
        "headers": [[name, masker.header(name, value)] for name, value in request.headers],
        "body": masker.text(request.body) if request.body is not None else None,
        "body_is_json": request.body_is_json,
    }


def variable_document(variable: Variable, masker: Masker, *, used: bool = True) -> dict[str, Any]:
    """One variable in the json output: name, value (masked if secret), source."""
    value = variable.value
    if variable.secret and masker.enabled:
        value = masker.text(value) if len(value) >= 4 else "********"
    return {
        "name": variable.name,
        "value": value,
        "source": variable.source.value,
        "origin": variable.origin,
        "secret": variable.secret,
        "placeholder": variable.placeholder,
        "used": used,
    }


def render_document(
    scenario: str,
    requests: Sequence[dict[str, Any]],
    variables: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The whole ``crmtpl render --format json`` document."""
    return {
        "scenario": scenario,
        "requests": list(requests),
        "variables": list(variables),
        "problems": list(problems),
    }
