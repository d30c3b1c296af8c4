"""Reading ``--vars-file`` and ``--call`` files: TOML, JSON or ``.env``.

Each holds a flat mapping of variable names to values. The PBX passes strings, so numbers
and booleans are turned into the text a user wrote (``1672531199`` → ``"1672531199"``,
``true`` → ``"true"``); nested tables and lists are refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from crmtpl.errors import UsageError


def load_mapping_file(path: Path, *, what: str = "--vars-file") -> dict[str, str]:
    """Read a flat NAME → value mapping from TOML, JSON or .env, by extension or content."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as problem:
        raise UsageError(f"{what} {path}: no such file") from problem
    except (OSError, UnicodeDecodeError) as problem:
        raise UsageError(f"{what} {path}: cannot read it ({problem})") from problem
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in {".toml", ".env"} and text.lstrip().startswith("{")):
        return _from_json(text, path, what)
    if suffix == ".toml":
        return _from_toml(text, path, what)
    if suffix == ".env" or path.name.startswith(".env"):
        return _from_dotenv(text, path, what)
    try:
        return _from_toml(text, path, what)
    except UsageError:
        return _from_dotenv(text, path, what)


def _stringify(name: str, value: object, path: Path, what: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    if value is None:
        return ""
    raise UsageError(
        f"{what} {path}: {name!r} must be a string, number or boolean, not {type(value).__name__}",
        hint="the PBX passes every variable as text; flatten nested values",
    )


def _from_json(text: str, path: Path, what: str) -> dict[str, str]:
    try:
        loaded = json.loads(text, parse_float=str, parse_int=str)
    except json.JSONDecodeError as problem:
        raise UsageError(
            f"{what} {path}:{problem.lineno}:{problem.colno}: not valid JSON ({problem.msg})"
        ) from problem
    if not isinstance(loaded, dict):
        raise UsageError(f"{what} {path}: expected a JSON object of NAME: value")
    return {str(k): _stringify(str(k), v, path, what) for k, v in loaded.items()}


def _from_toml(text: str, path: Path, what: str) -> dict[str, str]:
    import tomllib  # only for a TOML variables file

    try:
        loaded = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise UsageError(f"{what} {path}: not valid TOML ({problem})") from problem
    return {k: _stringify(k, v, path, what) for k, v in loaded.items()}


def _from_dotenv(text: str, path: Path, what: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"{what} {path}:{number}: expected NAME=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            quote_char, value = value[0], value[1:-1]
            if quote_char == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        values[name] = value
    return values
