"""CT951: a lookup's contacts without ContactsId, or that no name output names, are
findings of the run, at the template text they are about; a name the CRM left empty is
data, and a CT950 finding about the same output is the cause that explains it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crmtpl.http import HttpClient, HttpSettings
from crmtpl.run.runner import ScenarioRunner
from crmtpl.template import load_template
from crmtpl.variables import VariableContext
from tests.support import REPO_ROOT

SANDBOX = REPO_ROOT / "examples" / "sandbox.xml"


@pytest.fixture
def runner() -> Iterator[ScenarioRunner]:
    with HttpClient(HttpSettings()) as http:  # never used: the contacts are given
        yield ScenarioRunner(load_template(SANDBOX), VariableContext(), http)


def _judge(runner: ScenarioRunner, contacts: list[dict[str, str]]) -> list[str]:
    scenario = runner.template.scenario("SyncContactAuto")
    assert scenario is not None
    runner.judge_contacts(scenario, contacts)
    return [f"{f.rule} {f.line}:{f.column} {f.message}" for f in runner.findings]


def test_a_contact_without_contacts_id_is_a_finding_at_its_output(runner: ScenarioRunner) -> None:
    contacts = [
        {"ContactSyncType": "contacts", "ContactsId": "", "FirstName": "Ada"},
        {"ContactSyncType": "contacts", "ContactsId": "1002", "FirstName": "Bo"},
    ]
    assert _judge(runner, contacts) == [
        "CT951 109:45 1 of 2 contacts found by request 'contacts' has no ContactsId: "
        "the PBX cannot store a contact without its id"
    ]


def test_a_contact_type_no_name_output_names_is_a_finding(runner: ScenarioRunner) -> None:
    contacts = [{"ContactSyncType": "leads", "ContactsId": "7"}]
    (finding,) = _judge(runner, contacts)
    assert finding.startswith("CT951 ")
    assert "every contact found by request 'leads' has no FirstName and no LastName" in finding


def test_a_name_the_crm_left_empty_is_not_a_finding(runner: ScenarioRunner) -> None:
    contacts = [{"ContactSyncType": "contacts", "ContactsId": "1", "FirstName": "", "LastName": ""}]
    assert _judge(runner, contacts) == []
