"""The packaged TOML tables (catalogue, rule table) parsed once, then read back fast.

Parsing ``catalogue.toml`` and ``rules.toml`` with ``tomllib`` takes 8-15 ms each on
every run; the parsed document, written as JSON to the user's cache folder, loads in
well under a millisecond (JSON, not pickle or marshal: reading it runs no code and
trusts nothing). The cache file holds the TOML text it was parsed from and is used only
when that text equals the packaged one, character for character, so a changed table is
never served from an old cache: it misses and is parsed again. (The file is named by
the CRC-32 and length of the text, which only finds it; hashlib would cost 2-3 ms of
OpenSSL loading for nothing the comparison does not already guarantee.) A cache file that
cannot be read, is truncated or is not the document's shape is ignored and rewritten;
a cache folder that cannot be written only costs the parse. ``CRMTPL_CACHE_DIR`` names
another folder; ``CRMTPL_NO_CACHE=1`` turns the cache off.

Only the packaged tables go through here: they come with crmtpl, not from a user.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

#: Bumped when what is stored changes shape.
_FORMAT = 2


def cache_dir() -> Path:
    """Where parsed tables are kept: ``$CRMTPL_CACHE_DIR``, else the XDG cache folder."""
    explicit = os.environ.get("CRMTPL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crmtpl"


def cache_path(data: bytes) -> Path:
    """The cache file of the TOML text ``data``."""
    return cache_dir() / f"toml-v{_FORMAT}-{zlib.crc32(data):08x}-{len(data)}.json"


def load_toml_cached(data: bytes) -> dict[str, Any]:
    """``tomllib.loads(data.decode("utf-8"))``, served from the cache when it holds it.

    Raises what ``tomllib.loads`` and ``bytes.decode`` raise for a bad table (a bad
    table is never cached).
    """
    text = data.decode("utf-8")
    if os.environ.get("CRMTPL_NO_CACHE") == "1":
        return _parse(text)
    path = cache_path(data)
    try:
        cached = json.loads(path.read_bytes())
    except (OSError, ValueError):
        cached = None
    if (
        isinstance(cached, dict)
        and cached.get("source") == text
        and isinstance(cached.get("document"), dict)
    ):
        return cached["document"]  # type: ignore[no-any-return]
    document = _parse(text)
    _store(path, {"source": text, "document": document})
    return document


def _parse(text: str) -> dict[str, Any]:
    import tomllib  # only on a miss: a run served from the cache never loads the parser

    return tomllib.loads(text)


def _store(path: Path, entry: dict[str, Any]) -> None:
    """Write the source and its parsed document atomically; any failure leaves no trace."""
    try:
        payload = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):  # a value JSON cannot hold (a TOML date): no cache
        return
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".toml-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        return


def packaged_bytes(package_file: str, name: str, package: str) -> bytes:
    """The bytes of the data file ``name`` beside ``package_file`` (a module's ``__file__``),
    read directly; through ``importlib.resources`` when the package is not in a folder
    (a zip import). Reading directly spares loading ``importlib.resources`` (~3 ms)."""
    try:
        return Path(package_file).with_name(name).read_bytes()
    except OSError:
        from importlib import resources

        return resources.files(package).joinpath(name).read_bytes()
