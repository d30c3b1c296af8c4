"""File and XML checks on a loaded document (CT107-CT109).

Failures that stop loading (not well-formed, DOCTYPE, size, encoding: CT101-CT106) are
turned into diagnostics by the checker, since there is no document to check then.
"""

from __future__ import annotations

from crmtpl.lint.context import LintContext
from crmtpl.lint.diagnostic import RelatedInfo
from crmtpl.lint.registry import check

_WHITESPACE_NAMES = {"\n": "newline", "\r\n": "newline", "\r": "carriage return", "\t": "tab"}
_PORTABLE = {"\n": "&#xA;", "\r\n": "&#xA;", "\r": "&#xD;", "\t": "&#x9;"}


@check("CT107")
def duplicate_attributes(ctx: LintContext) -> None:
    """A repeated attribute: not well-formed XML, and Go keeps only the last value."""
    for element in ctx.source.elements:
        for repeated in element.duplicate_attributes:
            last = element.attributes[repeated.name]
            ctx.report(
                "CT107",
                repeated.name_span,
                f"attribute {repeated.name} is written twice on <{element.name}>; the PBX "
                f"keeps only the last value ({last.value!r})",
                hint="remove one of them",
                related=[RelatedInfo("the value that is kept", last.name_span)],
            )


@check("CT108")
def literal_whitespace(ctx: LintContext) -> None:
    """Literal newlines and tabs inside attribute values: parsers disagree on them."""
    for element in ctx.source.elements:
        for attribute in element.attribute_list:
            found = attribute.literal_whitespace()
            if not found:
                continue
            first = found[0]
            counts: dict[str, int] = {}
            for item in found:
                kind = _WHITESPACE_NAMES[item.char]
                counts[kind] = counts.get(kind, 0) + 1
            count = " and ".join(
                f"{n} literal {kind}{'s' if n > 1 else ''}" for kind, n in sorted(counts.items())
            )
            portable = sorted(
                {f"{_PORTABLE[w.char]} for a {_WHITESPACE_NAMES[w.char]}" for w in found}
            )
            ctx.report(
                "CT108",
                first.span,
                f"{count} inside the {attribute.name} attribute of <{element.name}>: Go keeps "
                "them, a conformant XML parser turns them into spaces",
                hint="write " + ", ".join(portable) + " instead",
            )


@check("CT109")
def single_quoted_attributes(ctx: LintContext) -> None:
    """Single-quoted attributes: legal XML, untested on the PBX (reported once)."""
    quoted = [
        attribute
        for element in ctx.source.elements
        for attribute in element.attribute_list
        if attribute.quote == "'"
    ]
    if not quoted:
        return
    first = quoted[0]
    others = f" ({len(quoted)} attributes in this file)" if len(quoted) > 1 else ""
    ctx.report(
        "CT109",
        first.span,
        f"attribute {first.name} is quoted with single quotes{others}; every Yeastar "
        "example uses double quotes and the PBX's acceptance is untested",
        hint='use double quotes; write a " inside a value as &quot;',
    )
