"""Names given with --var, --vars-file or --call that the template never uses are a
warning with "did you mean" (issue 15); names the template or crmtpl reads are not."""

from __future__ import annotations

from pathlib import Path

from crmtpl.render.context import ContextRequest, build_context
from crmtpl.render.unused import names_the_template_reads, unused_given_variables
from crmtpl.template import load_template
from tests.support import REPO_ROOT

BOTTLECRM = REPO_ROOT / "crmtpl" / "gallery" / "bottlecrm.xml"
BASIC = REPO_ROOT / "examples" / "sandbox-basic.xml"


def _unused(template: Path, request: ContextRequest) -> list[tuple[str, str, str | None]]:
    loaded = load_template(template)
    request.use_credentials = False
    if request.environ is None:
        request.environ = {}
    context = build_context(loaded, request)
    return [(u.name, u.given_by, u.hint) for u in unused_given_variables(loaded, context)]


def test_a_misspelt_custom_field_on_the_command_line_is_named_with_the_fix() -> None:
    found = _unused(BOTTLECRM, ContextRequest(assignments=["baseurl=https://crm.example"]))
    assert found == [("baseurl", "--var", "did you mean base_url?")]


def test_a_misspelt_line_of_a_vars_file_is_named_with_the_file(tmp_path: Path) -> None:
    vars_file = tmp_path / "sandbox.env"
    vars_file.write_text("username=demo\npasword=demo-password\n", encoding="utf-8")
    found = _unused(BASIC, ContextRequest(vars_file=vars_file))
    assert found == [("pasword", f"the vars file {vars_file}", "did you mean password?")]


def test_a_misspelt_call_variable_is_named(tmp_path: Path) -> None:
    call = tmp_path / "call.json"
    call.write_text('{"CallerNumber": "5503302", "Talk_Duration_sec": "69"}', encoding="utf-8")
    found = _unused(BASIC, ContextRequest(call_file=call))
    assert found == [("Talk_Duration_sec", f"--call {call}", "did you mean Talk_Duration_Sec?")]


def test_used_fields_predefined_variables_and_env_values_are_not_warned(tmp_path: Path) -> None:
    request = ContextRequest(
        assignments=["base_url=https://crm.example", "Phone=5503302", "CallerName=Ada"],
        environ={"CRMTPL_VAR_nothing_here": "1"},
    )
    assert _unused(BOTTLECRM, request) == []


def test_the_names_a_template_reads_include_root_fields_only() -> None:
    names = names_the_template_reads(load_template(BOTTLECRM))
    assert {"base_url", "Phone"} <= names
