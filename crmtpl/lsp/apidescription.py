"""The API description a document is checked against, from the settings ``validate`` reads.

The settings file nearest to the document's folder (``.crmtpl.toml`` or ``[tool.crmtpl]``
of ``pyproject.toml``) may name the CRM's OpenAPI description (``openapi = "..."``); the
editor then shows the CT97x findings ``crmtpl validate`` reports. A description is loaded
once and loaded again only when one of its files changes. A settings file or description
that cannot be read gives no API checks and one message, kept in :attr:`problem`, never an
exception.
"""

from __future__ import annotations

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
        from crmtpl.openapi.description import DescriptionError, load_description

        try:
            stamp = _stamp(path)
            known = self.loaded.get(path)
            if known is not None and known[0] == stamp:
                return known[1]
            api = load_description(path)
        except (DescriptionError, OSError, RecursionError) as error:
            self.problem = f"openapi {path}: {error}"
            self.loaded.pop(path, None)
            return None
        self.loaded[path] = (stamp, api)
        return api
