"""Refuse a rendered header that would break the HTTP message (issue 14, item 5).

A CR or LF in a header name or value ends the header line early: the PBX would send a
broken request or an extra header the template smuggled in
(``{{.api_key}}&#13;&#10;X-Injected: 1``).
``run`` stops *before* sending, with the value masked, and the error is a template problem
(exit 1), never a retryable network failure.
"""

from __future__ import annotations

from crmtpl.errors import FindingsError
from crmtpl.render.request import RenderedRequest
from crmtpl.secrets import Masker

_LINE_BREAKS = ("\r", "\n")


class HeaderInjectionError(FindingsError):
    """A rendered header name or value holds CR or LF (exit 1: bad template input)."""


def _shown(text: str, masker: Masker, sensitive_name: str | None = None) -> str:
    masked = masker.header(sensitive_name, text) if sensitive_name else masker.text(text)
    return repr(masked)


def check_header_lines(rendered: RenderedRequest, masker: Masker) -> None:
    """Raise :class:`HeaderInjectionError` when a header of ``rendered`` holds CR or LF."""
    for name, value in rendered.headers:
        if any(mark in name for mark in _LINE_BREAKS):
            where, shown = "name", _shown(name, masker)
        elif any(mark in value for mark in _LINE_BREAKS):
            where, shown = "value", _shown(value, masker, name)
        else:
            continue
        raise HeaderInjectionError(
            f"{rendered.name}: the header {masker.text(name.splitlines()[0] or name)!r} has a "
            f"line break (CR or LF) in its {where} ({shown}); the PBX would send a broken "
            "request or an injected header, so nothing was sent",
            hint="remove the line break from the header in the template (a &#13; or &#10; "
            "in the attribute, or a value that holds one); crmtpl validate shows where",
        )
