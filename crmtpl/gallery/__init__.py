"""The gallery: templates for real CRMs and helpdesks that ship with crmtpl.

``catalog.toml`` beside this module lists them (system, file, auth, what the scenarios do,
how each is verified); the templates are the ``.xml`` files of this folder.
``crmtpl new --from NAME`` starts a new template from one of them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from crmtpl.suggest import did_you_mean

GALLERY_DIR = Path(__file__).resolve().parent
CATALOG = GALLERY_DIR / "catalog.toml"


class GalleryError(Exception):
    """A name the gallery does not hold (the message names the closest one)."""


@dataclass(frozen=True)
class GalleryEntry:
    """One template of the gallery, as ``catalog.toml`` describes it."""

    name: str
    system: str
    file: str
    provider: str
    auth: str
    summary: str
    verified: str
    openapi: str | None = None

    @property
    def path(self) -> Path:
        """The template file."""
        return GALLERY_DIR / self.file


@cache
def gallery_entries() -> tuple[GalleryEntry, ...]:
    """Every entry of the catalogue, in its order."""
    with CATALOG.open("rb") as handle:
        raw = tomllib.load(handle)
    entries = []
    for name, table in raw.items():
        fields = {key: str(value) for key, value in table.items()}
        entries.append(GalleryEntry(name=name, **fields))
    return tuple(entries)


def gallery_entry(name: str) -> GalleryEntry:
    """The entry called ``name`` (case-insensitive); :class:`GalleryError` if there is none."""
    entries = {entry.name: entry for entry in gallery_entries()}
    found = entries.get(name.lower())
    if found is not None:
        return found
    hint = did_you_mean(name, entries)
    known = ", ".join(entries)
    message = f"the gallery has no template called {name!r}"
    raise GalleryError(f"{message}; {hint}" if hint else f"{message} (it has: {known})")
