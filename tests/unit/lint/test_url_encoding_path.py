"""CT825 says what an unencoded variable does where it stands: in the path, or the query."""

from __future__ import annotations

from pathlib import Path

from crmtpl.lint import lint_source
from tests.support import REPO_ROOT

EXAMPLE = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
QUERY = "/contacts/search?phone={{UrlEncode .Phone}}"


def _ct825(tmp_path: Path, url_part: str) -> str:
    template = tmp_path / "t.xml"
    template.write_text(EXAMPLE.replace(QUERY, url_part), encoding="utf-8")
    (finding,) = [d for d in lint_source(template).diagnostics if d.rule == "CT825"]
    return finding.message


def test_a_phone_in_the_path_is_about_dot_segments(tmp_path: Path) -> None:
    message = _ct825(tmp_path, "/contacts/by-phone/{{.Phone}}")
    assert "in the path" in message and "../" in message


def test_a_phone_in_the_query_is_about_the_plus(tmp_path: Path) -> None:
    message = _ct825(tmp_path, "/contacts/search?phone={{.Phone}}")
    assert "arrives as a space" in message and "in the path" not in message
