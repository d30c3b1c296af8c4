"""The API description a document is checked against, from the settings ``validate`` reads.

The settings file nearest to the document's folder (``.crmtpl.toml`` or ``[tool.crmtpl]``
of ``pyproject.toml``) may name the CRM's OpenAPI description (``openapi = "..."``); the
editor then shows the CT97x findings ``crmtpl validate`` reports. A description is loaded
once and loaded again only when one of its files changes. A settings file or description
that cannot be read gives no API checks and one message, kept in :attr:`problem`, never an
exception.

A description is read in a thread of its own, and a document waits for it at most
:data:`LOAD_WAIT_SECONDS`: a large description (or a settings file of a downloaded project
that names one) must not freeze the editor. Until it is read the document gets the other
checks; :attr:`DescriptionCache.on_loaded` is called (from the loading thread) once it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from crmtpl.errors import UsageError
from crmtpl.lint.config import discover_settings

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription

#: Modification times of a description's files: it is loaded again when they change.
_Stamp = tuple[tuple[str, int], ...]

#: How long a document waits for its description before it is checked without it.
LOAD_WAIT_SECONDS = 3.0


def document_folder(uri: str) -> Path | None:
    """The folder of a ``file:`` document; None for other schemes (an unsaved buffer)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path)).parent


def _stamp(path: Path) -> _Stamp:
    from crmtpl.openapi.description import description_files

    files = description_files(path)
    return tuple((str(file), file.stat().st_mtime_ns) for file in files)


@dataclass
class DescriptionCache:
    """The descriptions the documents' settings name, by path, loaded when first needed."""

    loaded: dict[Path, tuple[_Stamp, ApiDescription]] = field(default_factory=dict)
    #: The last reason a description could not be used (shown once by the server).
    problem: str | None = None
    #: The descriptions being read, with the stamp they were started for.
    loading: dict[Path, tuple[_Stamp, Future[ApiDescription]]] = field(default_factory=dict)
    #: How long a document waits for its description (seconds).
    wait: float = LOAD_WAIT_SECONDS
    #: Called from the loading thread once a description a document did not wait for is
    #: read (the server lints the open documents again).
    on_loaded: Callable[[], None] | None = None
    #: The descriptions a document stopped waiting for.
    late: set[Path] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def for_document(self, uri: str) -> ApiDescription | None:
        """The description the settings of ``uri``'s folder name, or None."""
        folder = document_folder(uri)
        if folder is None:
            return None
        try:
            path = discover_settings(folder).openapi
        except UsageError as error:
            self.problem = str(error)
            return None
        return None if path is None else self.description(path)

    def description(self, path: Path) -> ApiDescription | None:
        """The description at ``path``, loaded again only when one of its files changed."""
        from crmtpl.openapi.description import DescriptionError

        try:
            stamp = _stamp(path)
        except (DescriptionError, OSError) as error:
            self._failed(path, error)
            return None
        known = self.loaded.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        job = self.loading.get(path)
        if job is None or job[0] != stamp:
            job = (stamp, self._start(path))
            self.loading[path] = job
        try:
            api = job[1].result(timeout=self.wait)
        except FutureTimeout:
            with self._lock:
                late = not job[1].done()
                if late:  # on_loaded once it is read: a document went on without it
                    self.late.add(path)
            if not late:
                return self.description(path)
            self.problem = (
                f"openapi {path}: still reading this large description; "
                "the API checks (CT97x) start once it is read"
            )
            return None
        except (DescriptionError, OSError, RecursionError) as error:
            self.loading.pop(path, None)
            self._failed(path, error)
            return None
        self.loading.pop(path, None)
        self.loaded[path] = (stamp, api)
        return api

    def _failed(self, path: Path, error: BaseException) -> None:
        self.problem = f"openapi {path}: {error}"
        self.loaded.pop(path, None)

    def _start(self, path: Path) -> Future[ApiDescription]:
        """Read the description in a daemon thread (exiting the editor never waits for it)."""
        from crmtpl.openapi.description import load_description

        future: Future[ApiDescription] = Future()

        def read() -> None:
            try:
                api = load_description(path)
            except BaseException as error:  # handed to the waiting document
                future.set_exception(error)
                return
            with self._lock:
                future.set_result(api)
                waited = path in self.late
                self.late.discard(path)
            if waited and self.on_loaded is not None:
                self.on_loaded()

        threading.Thread(target=read, name="crmtpl-openapi", daemon=True).start()
        return future
