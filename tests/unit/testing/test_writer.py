"""``run --record --write-test``: the test file holds every non-secret input of the run."""

from __future__ import annotations

from pathlib import Path

from crmtpl.testing.spec import load_spec
from crmtpl.testing.writer import write_run_test
from crmtpl.variables import Source, VariableContext
from tests.support import REPO_ROOT


def test_call_file_values_and_given_fields_are_inputs_and_secrets_are_not(
    tmp_path: Path,
) -> None:
    context = VariableContext()
    context.set("base_url", "http://127.0.0.1:8311", Source.ENV, "CRMTPL_VAR_base_url")
    # a password-editor field whose name does not say it is secret
    context.set("pat", "bcrm_pat_0123456789abcdef", Source.ENV, "CRMTPL_VAR_pat")
    context.mark_secret("pat")
    context.set("queue", "General", Source.FLAG, "--var")
    context.set("CallerNumber", "+14155550100", Source.PBX, "--call call.json")
    context.set("Talk_Duration_Sec", "0", Source.PBX, "--call call.json")
    context.set("CalleeNumber", "1001", Source.PBX, "command option")
    path = tmp_path / "tests" / "journal.test.toml"
    write_run_test(
        path,
        REPO_ROOT / "examples" / "sandbox.xml",
        "CallJournal",
        tmp_path / "recording",
        [{"InteractionId": "42"}],
        context,
        None,
        {"CalleeNumber": "1001"},
        ["queue=General"],
    )
    spec = load_spec(path)
    assert spec.scenario == "call-journal"
    assert spec.inputs["call"] == {
        "CallerNumber": "+14155550100",
        "Talk_Duration_Sec": "0",
        "CalleeNumber": "1001",
    }
    assert spec.inputs["vars"] == {"base_url": "http://127.0.0.1:8311", "queue": "General"}
    assert "bcrm_pat" not in path.read_text(encoding="utf-8")
