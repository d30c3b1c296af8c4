"""``basic``: ``Authorization: Basic <base64 of the rendered Base64EncodedCredential>``."""

from __future__ import annotations

import base64
from collections.abc import Callable

from crmtpl.auth.base import AuthStrategy
from crmtpl.variables import Source, VariableContext

BASIC_STRING = "basic_string"


class BasicAuth(AuthStrategy):
    """Derives ``basic_string``; the catalogue's header pattern uses it."""

    name = "basic"

    def derive_variables(
        self, context: VariableContext, credential: Callable[[], str | None]
    ) -> None:
        """``basic_string`` = Base64 of the rendered credential (unless given), secret."""
        if BASIC_STRING in context:
            return
        raw = credential()
        if raw is None:
            return
        encoded = base64.b64encode(raw.encode()).decode()
        context.set(BASIC_STRING, encoded, Source.AUTH, "Base64EncodedCredential", secret=True)
