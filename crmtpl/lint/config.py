"""Settings of a lint run, and where they come from: ``.crmtpl.toml`` or ``pyproject.toml``.

``.crmtpl.toml`` holds the keys at its top level; ``pyproject.toml`` under
``[tool.crmtpl]``::

    select = ["ALL"]             # ids, names, id prefixes (CT8) or ALL; default ALL
    ignore = ["CT108", "key-format"]
    strict = false               # warnings fail the run too
    exclude = ["vendor/**"]      # files skipped when directories are expanded
    openapi = "specs/hubspot"    # the CRM's API description (file or folder) the
                                 # templates are checked against (CT97x), relative to
                                 # the settings file; validate --openapi overrides it

Without ``--config`` the nearest of those files is used, searching from the current
directory up to the repository root (a folder with ``.git``) or the file-system root; a
``pyproject.toml`` without ``[tool.crmtpl]`` does not count. Unknown keys are left for
other commands; a known key of the wrong type is a usage error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from crmtpl.errors import UsageError
from crmtpl.lint.ruletable import RuleTable

CONFIG_NAMES = (".crmtpl.toml", "pyproject.toml")


@dataclass(frozen=True)
class LintSettings:
    """Which rules run, whether warnings fail, which files directory walks skip."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()
    source: Path | None = None
    #: The CRM's API description (a file or folder), resolved against the settings file.
    openapi: Path | None = None

    def enabled_rules(self, table: RuleTable) -> frozenset[str]:
        """The selected rule ids minus the ignored ones; unknown selectors are usage errors."""
        selected = _resolve(table, self.select, "select")
        ignored = _resolve(table, self.ignore, "ignore")
        return frozenset(selected - ignored)

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        strict: bool | None = None,
    ) -> LintSettings:
        """Command-line options on top: ``select`` replaces, ``ignore`` adds, ``strict`` sets."""
        settings = self
        if select is not None:
            settings = replace(settings, select=tuple(select))
        if ignore is not None:
            settings = replace(settings, ignore=(*settings.ignore, *ignore))
        if strict:
            settings = replace(settings, strict=True)
        return settings


def split_selectors(values: Iterable[str]) -> list[str]:
    """``["CT1,CT2", "CT3"]`` → ``["CT1", "CT2", "CT3"]`` (options may repeat or use commas)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _resolve(table: RuleTable, selectors: Iterable[str], what: str) -> set[str]:
    ids: set[str] = set()
    for selector in selectors:
        found = table.resolve(selector)
        if not found:
            raise UsageError(
                f"{what}: {selector!r} is not a rule id, rule name or id prefix",
                hint="crmtpl rules lists them all",
            )
        ids.update(found)
    return ids


def _strings(table: Mapping[str, Any], key: str, where: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key} must be a list of strings")
    return tuple(split_selectors(value)) if key != "exclude" else tuple(value)


def settings_from_table(table: Mapping[str, Any], where: Path) -> LintSettings:
    """Settings from the keys of a config table (``[tool.crmtpl]`` or a ``.crmtpl.toml``)."""
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise UsageError(f"{where}: strict must be true or false")
    return LintSettings(
        select=_strings(table, "select", where) or ("ALL",),
        ignore=_strings(table, "ignore", where),
        strict=strict,
        exclude=_strings(table, "exclude", where),
        source=where,
        openapi=_description_path(table, where),
    )


def _description_path(table: Mapping[str, Any], where: Path) -> Path | None:
    """The ``openapi`` key: a path relative to the settings file's folder, or None."""
    value = table.get("openapi")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise UsageError(
            f"{where}: openapi must be the path of an OpenAPI description (a file or folder)",
            hint='for example openapi = "specs/hubspot", relative to this settings file',
        )
    return where.parent / Path(value.strip()).expanduser()


def _read_table(path: Path) -> Mapping[str, Any] | None:
    """The crmtpl table of a config file, or None for a pyproject.toml without one."""
    import tomllib  # only where a settings file is found

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path} is not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("crmtpl") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [tool.crmtpl] must be a table")
        return table
    return document


def load_settings(path: Path) -> LintSettings:
    """Settings from an explicit config file (``--config``); a usage error when unreadable."""
    table = _read_table(path)
    if table is None:
        raise UsageError(f"{path} has no [tool.crmtpl] table")
    return settings_from_table(table, path)


def discover_settings(start: Path) -> LintSettings:
    """Settings of the nearest config file above ``start``, or the defaults."""
    directory = start.resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                table = _read_table(candidate)
                if table is not None:
                    return settings_from_table(table, candidate)
        if (folder / ".git").exists():
            break
    return LintSettings()
