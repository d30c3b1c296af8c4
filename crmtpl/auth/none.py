"""``none``: the PBX adds no credentials.

An API key is this method plus a custom field sent by a ``PopulateTemplateString`` header
of the AuthMethod scenario (``X-Api-Key: {{.api_key}}``, examples/sandbox-apikey.xml): the
header is rendered like any other, and the key is masked by the secrecy policy.
"""

from __future__ import annotations

from crmtpl.auth.base import AuthStrategy


class NoAuth(AuthStrategy):
    """No Authorization header, no token, nothing derived."""

    name = "none"
