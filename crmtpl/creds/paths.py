"""Where crmtpl keeps per-user files (only the opt-in insecure credential file, for now)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

CONFIG_DIR_ENV = "CRMTPL_CONFIG_DIR"
INSECURE_FILE_NAME = "credentials-insecure.json"


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user configuration directory.

    ``$CRMTPL_CONFIG_DIR`` if set; otherwise ``%APPDATA%\\crmtpl`` on Windows,
    ``~/Library/Application Support/crmtpl`` on macOS and ``$XDG_CONFIG_HOME/crmtpl``
    (default ``~/.config/crmtpl``) elsewhere.
    """
    environ = os.environ if environ is None else environ
    override = environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = environ.get("APPDATA")
        return Path(base) / "crmtpl" if base else Path.home() / "AppData" / "Roaming" / "crmtpl"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "crmtpl"
    xdg = environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "crmtpl"


def insecure_file_path(environ: Mapping[str, str] | None = None) -> Path:
    """The plain-text credential file written only with ``--insecure-storage``."""
    return config_dir(environ) / INSECURE_FILE_NAME
