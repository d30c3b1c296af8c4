"""Record assembly from parallel # arrays (spec U13, crmtpl's documented reading)."""

from __future__ import annotations

from crmtpl.run.records import assemble_records, evaluate_output

SEARCH = """{"data": [
  {"id": 1, "first": "William", "phone": "5503302"},
  {"id": 2, "first": "Wendy"},
  {"id": 3, "first": "Walter", "phone": "5503399"}
], "total": 3}"""


def test_record_i_takes_element_i_of_each_array() -> None:
    extraction = assemble_records(
        SEARCH, [("ContactsId", "data.#.id"), ("FirstName", "data.#.first")]
    )
    assert extraction.records == [
        {"ContactsId": "1", "FirstName": "William"},
        {"ContactsId": "2", "FirstName": "Wendy"},
        {"ContactsId": "3", "FirstName": "Walter"},
    ]
    assert extraction.warnings == []


def test_arrays_of_different_lengths_are_zipped_with_a_warning() -> None:
    extraction = assemble_records(
        SEARCH,
        [("ContactsId", "data.#.id"), ("BusinessNumber", "data.#.phone")],
        request="Contacts",
    )
    # gjson skips the element without "phone": the second phone belongs to Walter, not Wendy
    assert [r["BusinessNumber"] for r in extraction.records] == ["5503302", "5503399", ""]
    assert len(extraction.warnings) == 1
    assert "different lengths" in extraction.warnings[0]
    assert "ContactsId=3, BusinessNumber=2" in extraction.warnings[0]
    assert "in Contacts" in extraction.warnings[0]


def test_scalar_outputs_repeat_in_every_record() -> None:
    extraction = assemble_records(SEARCH, [("ContactsId", "data.#.id"), ("Company", "total")])
    assert [r["Company"] for r in extraction.records] == ["3", "3", "3"]


def test_only_scalars_make_one_record() -> None:
    extraction = assemble_records('{"id": 77, "name": "x"}', [("TicketId", "id")])
    assert extraction.records == [{"TicketId": "77"}]


def test_an_empty_result_array_makes_no_record() -> None:
    extraction = assemble_records('{"data": []}', [("ContactsId", "data.#.id")])
    assert extraction.records == []


def test_a_missing_scalar_is_empty_as_gjson_string() -> None:
    value = evaluate_output('{"a": 1}', "X", "b")
    assert not value.exists
    assert value.values == ("",)


def test_values_are_gjson_strings() -> None:
    extraction = assemble_records('{"data": [{"n": 1.50}, {"n": 1e3}]}', [("X", "data.#.n")])
    assert [r["X"] for r in extraction.records] == ["1.5", "1000"]


def test_query_all_then_index_is_a_scalar() -> None:
    doc = '{"ids": [{"type": "phone", "v": "1"}, {"type": "phone", "v": "2"}]}'
    extraction = assemble_records(doc, [("Second", 'ids.#(type=="phone")#|1.v')])
    assert extraction.records == [{"Second": "2"}]
