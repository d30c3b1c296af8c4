"""Neovim's built-in LSP client (headless) starts `crmtpl lsp`, opens a template with a
mistake, and receives the diagnostic at the right place. Skips on a machine without nvim,
fails under CI (CI installs Debian's neovim, see .ci/services.sh)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO_ROOT, in_ci

INIT = Path(__file__).parent / "neovim" / "init.lua"
BROKEN = REPO_ROOT / "tests/fixtures/templates/beginner/method-lowercase/template.xml"


def _nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        message = "nvim is not installed (apt-get install neovim)"
        if in_ci():
            pytest.fail(message + " (CI must provide it)")
        pytest.skip(message)
    return found


def test_neovim_receives_the_diagnostics_of_a_template(tmp_path: Path) -> None:
    nvim = _nvim()
    template = tmp_path / "template.xml"
    shutil.copyfile(BROKEN, template)
    out = tmp_path / "diagnostics.json"
    env = {
        **os.environ,
        "CRMTPL_LSP_CMD": json.dumps([sys.executable, "-m", "crmtpl", "lsp"]),
        "CRMTPL_NVIM_OUT": str(out),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(INIT), str(template)],
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["arrived"] is True
    errors = [d for d in result["diagnostics"] if d["severity"] == 1]
    assert [(d["code"], d["lnum"], d["col"]) for d in errors] == [("CT604", 191, 44)]
    assert "'post' is not an HTTP method" in errors[0]["message"]
