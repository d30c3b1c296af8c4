"""A server's error answer as a user reads it: the message whole, bounded and made safe.

A 422 or 404 usually says exactly what is wrong (``"talk_seconds" must be a number``,
``the list is at /api/v2/...``); cutting it to a few words hides the reason. Like
httpie, crmtpl shows the body: the ``message``/``error``/``detail`` of a JSON answer when it
has one, else the body text, up to :data:`MESSAGE_LIMIT` characters, with control
characters shown as escapes and secrets masked.
"""

from __future__ import annotations

import json
from typing import Any

from crmtpl.controlchars import make_visible
from crmtpl.http import HttpResponse
from crmtpl.secrets import Masker

#: The longest server message shown (characters); longer ones end with "… (N more)".
MESSAGE_LIMIT = 2000
_MESSAGE_KEYS = ("message", "error_description", "detail", "error", "errors", "title")


def _message_of(document: Any) -> str | None:
    """The human message of a JSON error document, or None."""
    if not isinstance(document, dict):
        return None
    parts = []
    for key in _MESSAGE_KEYS:
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
        elif isinstance(value, dict):
            inner = _message_of(value)
            if inner:
                parts.append(inner)
        elif isinstance(value, list) and value:
            parts.append(json.dumps(value, ensure_ascii=False))
    unique = list(dict.fromkeys(parts))
    return "; ".join(unique) or None


def server_message(response: HttpResponse, masker: Masker, limit: int = MESSAGE_LIMIT) -> str:
    """What the server said, whole up to ``limit`` characters, safe to print."""
    text = response.text.strip()
    try:
        message = _message_of(json.loads(text)) if text else None
    except ValueError:
        message = None
    shown = " ".join((message or text).split()) or "(empty body)"
    if len(shown) > limit:
        shown = f"{shown[:limit]}… ({len(shown) - limit} more characters; -vv shows them)"
    return make_visible(masker.text(shown), one_line=True)
