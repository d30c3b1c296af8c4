"""CT708: output paths judged against the CRM's recorded answers (validate --responses)."""

from __future__ import annotations

import json

from crmtpl.lint import Diagnostic, lint_source
from crmtpl.lint.answers import RecordedAnswer
from tests.support import REPO_ROOT

SANDBOX = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
CONTACTS = json.dumps(
    {"data": [{"id": 1001, "first_name": "William", "last_name": "Smith", "phone": "5503302"}]}
)


def in_contacts(old: str, new: str) -> str:
    """The sandbox template with ``old`` replaced in its SyncContactAuto > contacts request."""
    start = SANDBOX.index('<Request Name="contacts"')
    end = SANDBOX.index("</Request>", start)
    assert old in SANDBOX[start:end], old
    return SANDBOX[:start] + SANDBOX[start:end].replace(old, new, 1) + SANDBOX[end:]


def answer(body: str, request: str = "contacts") -> RecordedAnswer:
    return RecordedAnswer("SyncContactAuto", request, body, "rec/03-SyncContactAuto-contacts.json")


def ct708(text: str, *answers: RecordedAnswer) -> list[Diagnostic]:
    result = lint_source(text.encode(), display_name="t.xml", answers=answers)
    return [d for d in result.diagnostics if d.rule == "CT708"]


def test_without_answers_nothing_is_judged() -> None:
    broken = in_contacts('Path="data.#.first_name"', 'Path="data.#.firstname"')
    assert ct708(broken) == []


def test_a_misspelt_path_is_an_error_at_the_path_with_the_closest_real_one() -> None:
    broken = in_contacts('Path="data.#.first_name"', 'Path="data.#.firstname"')
    (found,) = ct708(broken, answer(CONTACTS))
    line = broken.splitlines()[found.line - 1]
    assert line[found.column - 1 :].startswith("data.#.firstname")
    assert found.severity.value == "error"
    assert "'data.#.firstname' of output FirstName in request 'contacts'" in found.message
    assert "rec/03-SyncContactAuto-contacts.json" in found.message
    assert found.hint is not None and 'Path="data.#.first_name"' in found.hint


def test_answers_of_another_request_are_not_used() -> None:
    broken = in_contacts('Path="data.#.first_name"', 'Path="data.#.firstname"')
    assert ct708(broken, answer(CONTACTS, request="leads")) == []


def test_the_evident_rule_of_run_holds_an_absent_key_or_a_null_is_data() -> None:
    # Company and Email are absent from this answer, with nothing spelt like them: a
    # record that leaves those fields out, not a template mistake.
    assert ct708(SANDBOX, answer(CONTACTS)) == []
    null_relation = json.dumps({"data": [{"id": 1, "first_name": "A", "company": None}]})
    nested = in_contacts('Path="data.#.company"', 'Path="data.#.company.name"')
    assert ct708(nested, answer(null_relation)) == []


def test_a_required_output_is_judged_even_when_the_key_is_simply_absent() -> None:
    broken = in_contacts('Path="data.#.id"', 'Path="data.#.contact_ref"')
    (found,) = ct708(broken, answer(CONTACTS))
    assert "output ContactsId" in found.message


def test_a_path_that_matches_one_of_several_answers_is_fine() -> None:
    broken = in_contacts('Path="data.#.first_name"', 'Path="data.#.firstname"')
    other = json.dumps({"data": [{"id": 7, "firstname": "Ann", "first_name": "Ann"}]})
    assert ct708(broken, answer(CONTACTS), answer(other)) == []


def test_an_empty_answer_and_fewer_results_are_not_judged() -> None:
    broken = in_contacts('Path="data.#.first_name"', 'Path="data.#.firstname"')
    assert ct708(broken, answer('{"data": []}')) == []


def test_an_inline_suppression_silences_it() -> None:
    broken = in_contacts(
        '<Output Name="FirstName" Path="data.#.first_name" Type=""></Output>',
        "<!-- crmtpl: ignore CT708 - recorded before the rename -->\n"
        '            <Output Name="FirstName" Path="data.#.firstname" Type=""></Output>',
    )
    assert ct708(broken, answer(CONTACTS)) == []
