"""`crmtpl lsp` without pygls installed: a clear error naming the install command."""

from __future__ import annotations

import subprocess
import sys

# Runs the real CLI in a Python where importing pygls fails, as it does where the lsp
# extra is not installed.
_WITHOUT_PYGLS = """
import sys
class NoPygls:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split(".")[0] in ("pygls", "lsprotocol"):
            raise ImportError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, NoPygls)
from crmtpl.cli import run
sys.exit(run(["lsp"]))
"""


def test_lsp_without_pygls_says_how_to_install_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_PYGLS], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "crmtpl lsp needs pygls, which is not installed" in done.stderr
    assert "pip install 'crmtpl[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
