"""What ``crmtpl render`` (and ``run --dry-run``) prints, built in the core like lint's
reporters: one formatter per ``--format`` name, registered in :data:`FORMATTERS`.

Formatters return text; the CLI prints it and tells about the render's problems on
stderr. Template text is untrusted too: the http view shows control characters as
escapes (:func:`crmtpl.controlchars.make_visible`); curl quotes them for the shell; JSON
escapes them itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from crmtpl.choices import RenderFormat
from crmtpl.controlchars import make_visible
from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.render.documents import result_document, variable_rows
from crmtpl.render.formats import curl_command, http_message, pretty_body
from crmtpl.render.renderer import RenderResult
from crmtpl.render.request import RenderedRequest
from crmtpl.secrets import Masker, is_secret_name
from crmtpl.variables import VariableContext

#: A ``<Name>`` placeholder for a value known only at run time (not Go's ``<no value>``).
_PLACEHOLDER = re.compile(r"<[A-Za-z_][A-Za-z0-9_]*>")


@dataclass(frozen=True)
class RenderView:
    """A render result and what is needed to show it."""

    result: RenderResult
    context: VariableContext
    masker: Masker
    #: validate's error-level findings that ``--force`` went past (json: ``"findings"``).
    findings: Sequence[Diagnostic] = ()


def json_problems(result: RenderResult) -> list[RenderedRequest]:
    """Requests whose body should be JSON but is not, leaving out those whose template
    failed (their body is the unrendered text, and the template error says why)."""
    failed = {issue.request for issue in result.errors}
    return [
        r for r in result.requests if r.name not in failed and r.body_json_problem() is not None
    ]


def has_placeholders(result: RenderResult) -> bool:
    """True when a shown value holds a ``<Name>`` known only at run time."""
    shown = [v for r in result.requests for _, v in r.headers]
    shown += [r.url for r in result.requests] + [r.body or "" for r in result.requests]
    return any(_PLACEHOLDER.search(text) for text in shown)


def _broken_body(body: str, line: int, column: int) -> list[str]:
    lines = []
    for number, text in enumerate(body.splitlines() or [""], start=1):
        lines.append(f"{number:>4} | {make_visible(text)}")
        if number == line:
            lines.append(f"     | {' ' * (column - 1)}^ not valid JSON here")
    return lines


def format_http(view: RenderView) -> str:
    """Each request as an HTTP/1.1 message under a ``### scenario › request`` title."""
    masker = view.masker
    broken = json_problems(view.result)
    blocks = []
    for rendered in view.result.requests:
        lines = [make_visible(f"### {rendered.scenario} › {rendered.name}", one_line=True)]
        lines.append(make_visible(http_message(replace(rendered, body=None), masker)))
        if rendered.body:
            lines.append("")
            problem = rendered.body_json_problem() if rendered in broken else None
            if problem is not None:
                lines += _broken_body(masker.text(rendered.body), problem.line, problem.column)
            elif rendered.body_is_json:
                lines.append(make_visible(masker.text(pretty_body(rendered.body))))
            else:
                lines.append(make_visible(masker.text(rendered.body)))
        blocks.append("\n".join(lines))
    if view.result.contact_url is not None:
        url = masker.text(view.result.contact_url)
        blocks.append(make_visible(f"contact URL: {url}", one_line=True))
    return "".join(block + "\n\n" for block in blocks).removesuffix("\n")


def format_curl(view: RenderView) -> str:
    """Each request as a curl command (pasteable into a POSIX shell)."""
    blocks = []
    for rendered in view.result.requests:
        title = make_visible(f"# {rendered.scenario} › {rendered.name}", one_line=True)
        blocks.append(f"{title}\n{curl_command(rendered, view.masker)}")
    if view.result.contact_url is not None:
        url = view.masker.text(view.result.contact_url)
        blocks.append(make_visible(f"# contact URL: {url}", one_line=True))
    return "".join(block + "\n\n" for block in blocks).removesuffix("\n")


def format_json(view: RenderView) -> str:
    """The render JSON document (docs/json-output.md)."""
    document = result_document(view.result, view.context, view.masker, view.findings)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RenderFormatter = Callable[[RenderView], str]

#: ``--format`` name -> formatter; the names are :class:`crmtpl.choices.RenderFormat`.
FORMATTERS: dict[str, RenderFormatter] = {
    "http": format_http,
    "curl": format_curl,
    "json": format_json,
}

assert set(FORMATTERS) == {name.value for name in RenderFormat}, "see crmtpl.choices"


def format_render(view: RenderView, format_name: str) -> str:
    """The rendered requests in the named format (KeyError for an unknown name)."""
    return FORMATTERS[format_name](view)


def format_variables(view: RenderView, as_json: bool) -> str:
    """``--list-vars``: every variable the requests use, its value and where it came from."""
    rows = variable_rows(view.result, view.context, view.masker)
    if as_json:
        document = {"scenario": view.result.scenario_id, "variables": rows}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    table = [["name", "value", "source"]]
    for row in rows:
        value = "missing" if row["value"] is None else make_visible(row["value"], one_line=True)
        source = row["source"] + (f" ({row['origin']})" if row.get("origin") else "")
        table.append([row["name"], value, make_visible(source, one_line=True)])
    widths = [max(len(r[i]) for r in table) for i in range(2)]
    lines = [f"variables used by {view.result.scenario_id}"]
    for name, value, source in table:
        lines.append(f"{name.ljust(widths[0])}  {value.ljust(widths[1])}  {source}".rstrip())
    missing = [r["name"] for r in rows if r["value"] is None]
    if missing:
        lines.append(f"missing: {', '.join(missing)} ({_missing_hint(missing)})")
    return "\n".join(lines) + "\n"


def _missing_hint(missing: list[str]) -> str:
    """--var for ordinary values; crmtpl auth set or CRMTPL_VAR_* for secrets."""
    if any(is_secret_name(name) for name in missing):
        return (
            "set them with --var NAME=VALUE; secrets with crmtpl auth set or CRMTPL_VAR_NAME, "
            "never on the command line"
        )
    return "set them with --var NAME=VALUE"
