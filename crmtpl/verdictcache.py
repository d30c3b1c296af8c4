"""Remembers which templates validate found free of errors, so render and run start fast.

``crmtpl render`` and ``crmtpl run`` ask validate's diagnosis before sending anything
(:func:`crmtpl.lint.diagnosis.blocking_diagnostics`). Loading the linter and running every
rule costs more than the rest of a lookup against a local CRM, and most runs repeat a
template that has not changed. Like ``ruff`` and ``eslint --cache``, crmtpl keeps the
verdict "no error in scenario S" for a template text, and skips the linter when it is asked
again about the same text with the same crmtpl.

Only the clean verdict is kept: a template with an error is linted every time, so its
findings are always printed by the linter itself. An entry is used only when

* the template text stored in it equals the one being run, character for character (the
  file name, from its CRC-32 and length, only finds it), and
* its code fingerprint equals the running crmtpl's: the version and the size and
  modification time of every file of the packages whose code decides a verdict (lint,
  template, gotemplate, gjson), so a changed rule or engine never reuses an old verdict.

The folder is the one of the packaged tables' cache (``$CRMTPL_CACHE_DIR``, else the XDG
cache folder); ``CRMTPL_NO_CACHE=1`` turns it off. A folder that cannot be written only
costs the lint. Nothing here imports the linter.
"""

from __future__ import annotations

import json
import os
import zlib
from functools import cache
from pathlib import Path

from crmtpl import __version__
from crmtpl.template.tomlcache import cache_dir

#: Bumped when what is stored changes shape.
_FORMAT = 1
#: The packages whose code decides a verdict.
_VERDICT_PACKAGES = ("lint", "template", "gotemplate", "gjson")


@cache
def code_fingerprint() -> str:
    """The running crmtpl as far as verdicts go: its version and, for every file of the
    packages that decide a verdict, its name, size and modification time."""
    root = Path(__file__).resolve().parent
    parts = [__version__]
    for package in _VERDICT_PACKAGES:
        for folder, subfolders, files in os.walk(root / package):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml")):
                    info = os.stat(os.path.join(folder, name))
                    parts.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return f"{zlib.crc32(chr(10).join(parts).encode()):08x}-{len(parts)}"


def _path(text: str) -> Path:
    data = text.encode("utf-8", "surrogatepass")
    return cache_dir() / f"clean-v{_FORMAT}-{zlib.crc32(data):08x}-{len(data)}.json"


def _enabled() -> bool:
    return os.environ.get("CRMTPL_NO_CACHE") != "1"


def _entry(text: str) -> dict[str, object] | None:
    try:
        entry = json.loads(_path(text).read_bytes())
    except (OSError, ValueError):
        return None
    if (
        isinstance(entry, dict)
        and entry.get("source") == text
        and entry.get("code") == code_fingerprint()
        and isinstance(entry.get("clean"), list)
    ):
        return entry
    return None


def known_clean(text: str, scenario: str) -> bool:
    """True when validate found no error for ``scenario`` in exactly this template text,
    with exactly this crmtpl."""
    if not _enabled():
        return False
    entry = _entry(text)
    return entry is not None and scenario in entry["clean"]  # type: ignore[operator]


def remember_clean(text: str, scenario: str) -> None:
    """Record that validate found no error for ``scenario`` in this template text."""
    if not _enabled():
        return
    entry = _entry(text) or {"source": text, "code": code_fingerprint(), "clean": []}
    clean = entry["clean"]
    assert isinstance(clean, list)
    if scenario in clean:
        return
    clean.append(scenario)
    path = _path(text)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
