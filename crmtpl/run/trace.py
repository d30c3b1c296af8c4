"""The ``-v`` / ``-vv`` trace of a run: each exchange and each output as it happens.

Text only, built here so every string from outside (URLs, reasons, headers, bodies, output
values) is made safe once, by :func:`crmtpl.controlchars.make_visible`, with secrets
masked; the CLI prints the text on stderr.
"""

from __future__ import annotations

import json

from crmtpl.controlchars import make_visible
from crmtpl.render.formats import pretty_body
from crmtpl.run.records import OutputValue
from crmtpl.run.result import Exchange
from crmtpl.secrets import Masker

#: Bodies longer than this are cut in the -vv trace.
BODY_LIMIT = 20000


def _message(headers: list[tuple[str, str]], body: str, masker: Masker) -> list[str]:
    lines = [
        "  " + make_visible(f"{name}: {masker.header(name, value)}", one_line=True)
        for name, value in headers
    ]
    if body:
        lines += ["  " + line for line in make_visible(masker.text(body)).split("\n")]
    return lines


def format_exchange(exchange: Exchange, masker: Masker, verbosity: int) -> str:
    """``→ GET url  scenario › request`` and ``← 200 OK  12 ms, 345 bytes``; with
    ``verbosity >= 2`` the headers and bodies too."""
    request = exchange.request
    note = f" ({exchange.note})" if exchange.note else ""
    head = f"→ {request.method} {masker.text(request.url)} {request.scenario} › {request.name}"
    lines = [make_visible(head + note, one_line=True)]
    if verbosity >= 2:
        lines += _message(request.headers, request.body or "", masker)
    response = exchange.response
    if response is None:
        lines.append("← no response")
        return "\n".join(lines) + "\n"
    lines.append(
        make_visible(f"← {response.status} {response.reason}", one_line=True)
        + f" {response.elapsed_ms:.0f} ms, {len(response.content)} bytes"
    )
    if verbosity >= 2:
        text = response.text
        body = pretty_body(text) if len(text) < BODY_LIMIT else text[:BODY_LIMIT] + "\n…"
        lines += _message(response.headers, body, masker)
    return "\n".join(lines) + "\n"


def format_outputs(request: str, outputs: list[OutputValue], masker: Masker) -> str:
    """Each output of a request: its name, the rendered GJSON path and what it gave."""
    lines = [make_visible(f"  outputs of {request}:", one_line=True)]
    for output in outputs:
        if not output.exists:
            got = "no value"
        elif output.is_array:
            got = masker.text(json.dumps(list(output.values), ensure_ascii=False))
        else:
            got = masker.text(json.dumps(output.values[0], ensure_ascii=False))
        lines.append("    " + make_visible(f"{output.name} ← {output.path} = {got}", one_line=True))
    return "\n".join(lines) + "\n"
