"""Issue 14 item 5: a CR/LF in a rendered header stops ``run`` before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.errors import ExitCode
from crmtpl.render.request import RenderedRequest
from crmtpl.run.headercheck import HeaderInjectionError, check_header_lines
from crmtpl.secrets import MASK, Masker
from tests.hostile_server import hostile_server
from tests.templates import api_key_template

KEY = "victim-api-key-7f3a9c"


CASES = [
    ("X-Api-Key", "{{.api_key}}&#13;&#10;X-Injected: 1", "CT647"),
    ("X-Trace", "{{.api_key}}&#10;X-Injected: 1", "CT647"),
    ("X-Api-Key&#13;&#10;X-Injected: 1", "{{.api_key}}", "CT643"),
]


@pytest.mark.parametrize(("name", "value", "rule"), CASES)
def test_run_refuses_a_header_with_a_line_break_before_sending(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    rule: str,
) -> None:
    """validate's finding stops run first; with --force, run's own check still refuses."""
    monkeypatch.setenv("CRMTPL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CRMTPL_VAR_api_key", KEY)
    with hostile_server() as server:
        template = tmp_path / "inject.xml"
        template.write_text(
            api_key_template(server.url, name="Inject", key="inject_crm", header=(name, value))
        )
        stopped = run(["-vv", "run", "lookup", str(template), "--phone", "+15550100"])
        first = capsys.readouterr()
        forced = run(["-vv", "run", "lookup", str(template), "--phone", "+15550100", "--force"])
        assert server.received == []
    captured = capsys.readouterr()
    assert stopped == ExitCode.FINDINGS
    assert f"error {rule} " in first.err
    assert "nothing was sent" in first.err
    assert forced == ExitCode.FINDINGS
    assert "line break (CR or LF)" in captured.err
    assert "nothing was sent" in captured.err
    assert "retry" not in captured.err.lower()
    assert KEY not in first.out + first.err + captured.out + captured.err


def test_the_value_is_masked_by_value_and_by_header_name() -> None:
    masker = Masker([KEY])
    rendered = RenderedRequest(
        "SyncContactAuto", "Contacts", "GET", "http://x", [("X-Trace", f"{KEY}\r\nX-Injected: 1")]
    )
    with pytest.raises(HeaderInjectionError) as raised:
        check_header_lines(rendered, masker)
    assert KEY not in str(raised.value)
    assert f"{MASK}\\r\\nX-Injected: 1" in str(raised.value)
    assert raised.value.exit_code == ExitCode.FINDINGS
    assert not getattr(raised.value, "retryable", False)


def test_clean_headers_pass() -> None:
    rendered = RenderedRequest("S", "R", "GET", "http://x", [("Accept", "application/json")])
    check_header_lines(rendered, Masker([KEY]))
