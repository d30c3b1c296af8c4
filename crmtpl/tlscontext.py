"""The TLS context of the HTTP client, its system trust store read on first use.

``ssl.create_default_context()`` reads the system's CA certificates at once: 20-30 ms of
every ``crmtpl run``, most of which talk plain HTTP to a local or test CRM and never
open a TLS connection. :func:`system_trust_context` returns the same context (TLS
client, certificates required, host names checked, ``SSLKEYLOGFILE`` honoured) whose
certificates are loaded by the first ``wrap_socket`` / ``wrap_bio``, before any
handshake: verification is never weaker, only later. ``--ca-bundle`` keeps the eager
``create_default_context(cafile=...)`` so a bad bundle is reported before anything is
sent.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any


class _DeferredTrustContext(ssl.SSLContext):
    """An ``SSLContext`` that loads the default CA certificates before its first use."""

    _load_lock: threading.Lock
    _loaded: bool

    def _load_trust(self) -> None:
        if self._loaded:
            return
        with self._load_lock:
            if not self._loaded:
                self.load_default_certs(ssl.Purpose.SERVER_AUTH)
                self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """Load the trust store, then wrap as ``SSLContext.wrap_socket`` does."""
        self._load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        """Load the trust store, then wrap as ``SSLContext.wrap_bio`` does."""
        self._load_trust()
        return super().wrap_bio(*args, **kwargs)


def system_trust_context() -> ssl.SSLContext:
    """What ``ssl.create_default_context()`` makes, the CA certificates read on first use."""
    context = _DeferredTrustContext(ssl.PROTOCOL_TLS_CLIENT)
    context._load_lock = threading.Lock()
    context._loaded = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment and hasattr(context, "keylog_filename"):
        context.keylog_filename = keylog
    return context
