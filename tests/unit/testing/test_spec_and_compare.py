"""Test files: what they must say, how records and requests are compared, how they are written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lxml import etree

from crmtpl.errors import ExitCode
from crmtpl.testing.compare import compare_records, compare_requests
from crmtpl.testing.execute import TestOutcome
from crmtpl.testing.reports import REPORTERS
from crmtpl.testing.spec import ExpectedRequest, TestFileError, load_spec
from crmtpl.testing.suite import exit_code
from crmtpl.testing.writer import SecretInTestFileError, new_test_text, write_spec

GOOD = """
template = "crm.xml"
scenario = "lookup"
recording = "rec"
[inputs]
phone = "5503302"
vars = { username = "demo" }
[expect]
match = "subset"
records = [{ ContactsId = "1001", FirstName = "William" }]
[[expect.requests]]
method = "GET"
url = "http://crm.test/contacts?phone={{any}}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "one.test.toml"
    path.write_text(text)
    return path


def test_a_good_file_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, GOOD))
    assert (spec.name, spec.scenario_id) == ("one", "SyncContactAuto")
    assert spec.template == (tmp_path / "crm.xml").resolve()
    assert spec.recording == (tmp_path / "rec").resolve()
    assert spec.records == [{"ContactsId": "1001", "FirstName": "William"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("template = ", "not valid TOML"),
        ('scenario = "lookup"\nrecording = "r"', "template"),
        (GOOD.replace('"lookup"', '"nope"'), "is not one of"),
        (GOOD.replace("username", "api_key"), "a secret"),
        (GOOD.replace('"subset"', '"most"'), "match"),
        (GOOD.replace("phone = ", "fone = "), "unknown input 'fone'"),
    ],
)
def test_bad_files_are_unreadable_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TestFileError, match=message) as failure:
        load_spec(write(tmp_path, text))
    assert failure.value.exit_code is ExitCode.TEMPLATE_UNLOADABLE


def test_subset_and_exact_records_name_each_differing_field() -> None:
    actual = [{"ContactsId": "1001", "FirstName": "", "Email": "w@x"}]
    expected = [{"ContactsId": "1001", "FirstName": "William"}]
    assert compare_records(expected, actual, "subset") == [
        'records[0].FirstName: expected "William", got ""'
    ]
    assert compare_records(actual, actual, "subset") == []
    assert compare_records([{"ContactsId": "1001"}], actual, "exact") == [
        'records[0].Email: not expected, got "w@x"',
        'records[0].FirstName: not expected, got ""',
    ]
    assert compare_records(expected, [], "exact") == [
        "records[0]: expected a record, the run produced none",
        "records: expected 1, the run produced 0",
    ]


def test_expected_requests_match_with_any_and_json_bodies() -> None:
    sent = [
        ("POST", "http://crm.test/calls?k={{secret:api_key}}", '{"Subject":"Call 12:01","to":"1"}')
    ]
    wanted = ExpectedRequest(
        "POST", "http://crm.test/calls?k={{secret:api_key}}", {"Subject": "{{any}}", "to": "1"}
    )
    assert compare_requests([wanted], sent) == []
    wrong = ExpectedRequest(
        "POST", "http://crm.test/calls?k={{any}}", {"Subject": "{{any}}", "to": "2"}
    )
    assert compare_requests([wrong], sent) == [
        "requests[0]: POST http://crm.test/calls?k={{any}} was not sent "
        "(sent: POST http://crm.test/calls?k={{secret:api_key}})"
    ]


def test_update_rewrites_the_expectations_and_keeps_the_rest(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, "# my test\n" + GOOD))
    write_spec(spec, [{"ContactsId": "1002", "Remark": 'a "quoted" note'}], {})
    text = spec.path.read_text()
    assert text.startswith("# my test\n")
    again = tomllib.loads(text)
    assert again["expect"]["records"] == [{"ContactsId": "1002", "Remark": 'a "quoted" note'}]
    assert again["expect"]["requests"][0]["url"] == "http://crm.test/contacts?phone={{any}}"


def test_writing_a_secret_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, GOOD))
    with pytest.raises(SecretInTestFileError):
        write_spec(spec, [{"Remark": "key is c2VjcmV0LWtleQ=="}], {"api_key": "secret-key"})
    assert spec.path.read_text() == GOOD
    with pytest.raises(SecretInTestFileError):
        new_test_text(
            tmp_path / "t.test.toml",
            template=tmp_path / "c.xml",
            scenario="lookup",
            recording=tmp_path / "r",
            inputs={},
            records=[{"X": "secret-key"}],
            secrets={"api_key": "secret-key"},
        )


def test_reports_and_exit_codes() -> None:
    good = TestOutcome("a.test.toml", "a", "lookup")
    bad = TestOutcome("b.test.toml", "b", "lookup", ['records[0].FirstName: expected "W", got ""'])
    unreadable = TestOutcome("c.test.toml", "c", unreadable=True, failures=["not valid TOML"])
    assert exit_code([good]) is ExitCode.OK
    assert exit_code([good, bad]) is ExitCode.FINDINGS
    assert exit_code([good, bad, unreadable]) is ExitCode.TEMPLATE_UNLOADABLE
    suite = etree.fromstring(REPORTERS["junit"]([good, bad, unreadable]).encode())
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    github = REPORTERS["github"]([bad])
    assert github.startswith("::error file=b.test.toml,title=crmtpl test b::records[0].FirstName")
    assert "3 tests: 1 passed, 1 failed, 1 unreadable" in REPORTERS["text"]([good, bad, unreadable])
