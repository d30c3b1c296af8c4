"""The catalogue is complete against the spec and consistent with itself and the model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmtpl.template import load_template
from crmtpl.template.catalogue import (
    Catalogue,
    CatalogueError,
    Certainty,
    Level,
    catalogue,
    load_catalogue,
)
from crmtpl.template.model import Information, Output, Parameter, Request
from tests.support import DATA_DIR, SPEC_EXAMPLES_DIR, run_oracle

CAT = catalogue()


def spec_text() -> str:
    """The format specification the catalogue was built from (a copy: tests/data/README.md)."""
    return (DATA_DIR / "spec" / "template-format.md").read_text(encoding="utf-8")


def spec_section(number: str) -> str:
    """Section ``number`` of the spec, up to the next heading of the same or a higher level."""
    text = spec_text()
    start = re.search(rf"^(#+) {re.escape(number)}\.? ", text, re.MULTILINE)
    assert start is not None, number
    level = len(start.group(1))
    end = re.search(rf"^#{{1,{level}}} ", text[start.end() :], re.MULTILINE)
    return text[start.start() : start.end() + (end.start() if end else len(text))]


def table_rows(section: str, first_header: str) -> list[list[str]]:
    """Rows of the markdown table whose header starts with ``first_header``."""
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def test_the_catalogue_is_loaded_once() -> None:
    assert catalogue() is CAT


def test_every_availability_matrix_row_of_the_spec_is_in_the_catalogue() -> None:
    section = spec_section("7.5")
    header = next(line for line in section.splitlines() if line.startswith("| Variable group"))
    columns = [cell.strip() for cell in header.strip().strip("|").split(" | ")][1:]
    titles = {c.title: c.id for c in CAT.contexts}
    context_ids = [titles[column] for column in columns]
    marks = {"✔": Level.DOC, "✔ (inf)": Level.INFERRED, "—": Level.NO}
    matrix_rows = [row for row in CAT.availability_rows if row.in_matrix]
    spec_rows = table_rows(section, "Variable group")
    assert len(spec_rows) == len(matrix_rows) == 11
    for spec_row, row in zip(spec_rows, matrix_rows, strict=True):
        assert spec_row[0].replace("`", "") == row.title
        for context_id, mark in zip(context_ids, spec_row[1:], strict=True):
            cell = row.cells[context_id]
            if mark.startswith("~"):
                assert cell.level is Level.EXAMPLE, (row.group, context_id)
            elif mark.startswith("✔ (`"):
                assert cell.level is Level.DOC
                assert cell.only_requests == (mark.split("`")[1],)
            else:
                assert cell.level is marks[mark], (row.group, context_id, mark)


def test_every_predefined_variable_of_section_7_is_in_the_catalogue() -> None:
    section = spec_section("7")
    names = set(re.findall(r"^\| [^|]*?`\{\{\.(\w+)\}\}`", section, re.MULTILINE))
    names |= set(re.findall(r", `\{\{\.(\w+)\}\}`", section))
    names.discard("ContactsId")  # "ContactsId etc.": outputs of the caller, not predefined
    assert len(names) >= 40
    assert names <= {v.name for v in CAT.variables}
    assert {v.name for v in CAT.variables} <= names


def test_enable_flags_match_section_6_4() -> None:
    rows = table_rows(spec_section("6.4"), "Flag")
    assert [(r[0].strip("`"), r[1].strip("`")) for r in rows] == [
        (f.flag, f.output) for f in CAT.enable_flags
    ]
    assert [f.flag for f in CAT.enable_flags if f.required] == [
        "ContactsIdEnable",
        "FirstNameEnable",
    ]


def test_scenarios_match_section_5_1() -> None:
    rows = table_rows(spec_section("5.1"), "Id")
    assert [r[0].strip("`") for r in rows] == list(CAT.scenario_ids)
    for row in rows:
        spec = CAT.scenario(row[0].strip("`"))
        assert spec is not None
        assert spec.type == row[1]


def test_the_uncertainty_register_is_complete_and_decided() -> None:
    rows = table_rows(spec_section("18"), "#")
    assert [r[0] for r in rows] == [u.id for u in CAT.uncertainties]
    assert [u.id for u in CAT.uncertainties] == [f"U{n}" for n in range(1, 21)]
    for uncertainty in CAT.uncertainties:
        assert uncertainty.crmtpl_choice and uncertainty.why and uncertainty.question


def test_references_between_entries_resolve() -> None:
    register = {u.id for u in CAT.uncertainties}
    scenario_ids = set(CAT.scenario_ids)
    groups = {row.group for row in CAT.availability_rows}
    context_ids = {c.id for c in CAT.contexts}
    provenances = [
        *(e.provenance for e in CAT.elements),
        *(a.provenance for a in CAT.information_attributes),
        *(s.provenance for s in CAT.scenarios),
        *(p.provenance for p in CAT.scenario_parameters),
        *(g.provenance for g in CAT.father_groups),
        *(m.provenance for m in CAT.auth_methods),
        *(v.provenance for v in CAT.variables),
        *(f.provenance for f in CAT.functions),
    ]
    assert all(p.uncertainty in register for p in provenances if p.uncertainty)
    assert {p.scenario for p in CAT.scenario_parameters} <= scenario_ids
    assert {c.scenario for c in CAT.contexts} <= scenario_ids
    for variable in CAT.variables:
        assert set(variable.groups) <= groups, variable.name
        assert variable.sample, variable.name
    for row in CAT.availability_rows:
        assert set(row.cells) == context_ids, row.group
    for scenario in CAT.scenarios:
        if scenario.gate_flag is not None:
            flag = CAT.information_attribute(scenario.gate_flag)
            assert flag is not None and flag.kind == "flag"
    auth_parameters = {p.name for p in CAT.parameters_for("AuthMethod")}
    for method in CAT.auth_methods:
        assert set(method.required_parameters) | set(method.optional_parameters) <= auth_parameters
        assert set(method.provides) <= {v.name for v in CAT.variables}
        assert set(method.parameter_values) <= auth_parameters
    methods = CAT.parameter("AuthMethod", "AuthMethod")
    assert methods is not None
    assert methods.values == tuple(m.name for m in CAT.auth_methods)


def test_element_attributes_match_the_model() -> None:
    expected = {
        "Information": Information.KNOWN_ATTRIBUTES,
        "Parameter": Parameter.KNOWN_ATTRIBUTES,
        "Request": Request.KNOWN_ATTRIBUTES,
        "Output": Output.KNOWN_ATTRIBUTES,
    }
    for name, attributes in expected.items():
        element = CAT.element(name)
        assert element is not None
        assert set(element.attributes) == attributes
    assert {a.name for a in CAT.information_attributes} == Information.KNOWN_ATTRIBUTES
    assert {a.name for a in CAT.request_attributes} == Request.KNOWN_ATTRIBUTES


def test_samples_are_fixed_and_consistent() -> None:
    samples = CAT.sample_values()
    assert samples["Phone"] == "5503302"
    assert samples["StartTimeUnix"] == "1672531199"
    assert int(samples["EndTimeUnix"]) - int(samples["StartTimeUnix"]) == int(
        samples["Talk_Duration_Sec"]
    )
    assert samples["Talk_Duration"] == "00:01:09"
    for variable in CAT.variables:
        if variable.values:
            assert variable.sample in variable.values, variable.name
    secrets = {v.name for v in CAT.variables if v.secret}
    assert secrets == {"AccessToken", "basic_string"}


def test_functions_and_timeformat_tokens() -> None:
    assert [(f.name, f.arity) for f in CAT.functions] == [
        ("TimeFormat", 3),
        ("ToMillis", 1),
        ("Capitalize", 1),
        ("UrlEncode", 1),
    ]
    url_encode = CAT.function_like("urlEncode")
    assert url_encode is not None and url_encode.name == "UrlEncode"
    capitalize = CAT.function_like("capitalize")
    assert capitalize is not None and capitalize.name == "Capitalize"
    assert CAT.function_like("printf") is None
    documented = {t.token for t in CAT.timeformat_tokens if t.documented}
    assert documented == {"yyyy", "MM", "dd", "HH", "mm", "ss"}


def test_availability_lookups() -> None:
    assert CAT.availability("Phone", "contact_search") is Level.DOC
    assert CAT.availability("Phone", "common") is Level.EXAMPLE
    assert CAT.availability("Phone", "call_journal") is Level.NO
    assert CAT.availability("CallerNumber", "call_journal") is Level.DOC
    assert CAT.availability("CallerNumber", "contact_url") is Level.EXAMPLE
    assert CAT.availability("redirect_uri", "auth") is Level.EXAMPLE
    assert CAT.availability("redirect_uri", "auth", parameter="AdditionalQueryString").available
    assert CAT.availability("redirect_uri", "auth", parameter="TokenEndPoint") is Level.NO
    assert CAT.availability("TicketId", "create_ticket", request="UpdateTicket") is Level.DOC
    assert CAT.availability("TicketId", "create_ticket", request="CreateNewTicket") is Level.NO
    assert CAT.availability("NoSuchVariable", "auth") is Level.NO
    assert CAT.dynamic_availability("global_info_outputs", "create_ticket") is Level.DOC
    assert CAT.dynamic_availability("global_info_outputs", "auth") is Level.NO
    assert CAT.dynamic_availability("previous_outputs", "common") is Level.DOC
    assert CAT.dynamic_availability("nothing", "common") is Level.NO
    names = {v.name for v in CAT.variables_in("create_contact")}
    assert {"FirstName", "LastName", "BusinessNumber", "DisplayName"} <= names
    assert "Phone" not in names


def test_context_for_templated_values() -> None:
    def context(scenario: str, parameter: str | None = None) -> str | None:
        found = CAT.context_for(scenario, parameter)
        return None if found is None else found.id

    assert context("AuthMethod", "TokenEndPoint") == "auth"
    assert context("SyncContactAuto", "URLFormat") == "contact_url"
    assert context("SyncContactAuto", "ContactFieldForUri") == "contact_search"
    assert context("SyncContactAuto") == "contact_search"
    assert context("CallJournal", "Description") == "call_journal"
    assert context("CallJournal") == "call_journal"
    assert context("Common") == "common"
    assert context("Unknown") is None


_FIELD = re.compile(r"\{\{[^}]*?\.([A-Za-z_]\w*)")


def test_every_variable_the_spec_examples_use_is_available_where_they_use_it() -> None:
    """The spec's complete examples are valid, so the catalogue must allow all they use."""
    examples = SPEC_EXAMPLES_DIR
    for path in sorted(Path(examples).glob("*.xml")):
        model = load_template(path).model
        defined = set(model.custom_field_names) | set(model.global_info_output_names)
        for scenario in model.scenarios:
            assert scenario.id is not None
            places: list[tuple[str | None, str | None, str]] = [
                (p.name, None, p.value or "") for p in scenario.parameters
            ]
            for request in scenario.requests:
                texts = [request.url_template or ""]
                texts += [p.value or "" for p in request.parameters]
                texts += [o.path or "" for o in request.output_list]
                places += [(None, request.name, text) for text in texts]
            for parameter, request, text in places:
                context = CAT.context_for(scenario.id, parameter)
                assert context is not None
                for name in _FIELD.findall(text):
                    if name in defined or name in {"Subject", "Description"} - {parameter}:
                        continue
                    if scenario.id == "Common":
                        continue  # previous outputs of the calling request
                    level = CAT.availability(name, context.id, parameter=parameter, request=request)
                    assert level.available, (path.name, scenario.id, parameter, request, name)


def test_a_malformed_catalogue_fails_loudly() -> None:
    with pytest.raises(CatalogueError):
        load_catalogue(b"schema = 2")
    with pytest.raises(CatalogueError):
        load_catalogue(b"not toml = = =")
    with pytest.raises(CatalogueError, match="certainty"):
        load_catalogue(
            b"schema = 1\n[limits]\nmax_file_bytes = 1\nmax_global_headers = 1\n"
            b"max_custom_crm_templates = 1\nmax_custom_helpdesk_templates = 1\n"
            b'logo_max_bytes = 1\nlogo_formats = []\nlogo_size = "1"\n'
            b'[[editors]]\nname = "x"\ninput = "y"\ncertainty = "rumour"\n'
        )


def test_provenance_markers() -> None:
    search = CAT.scenario("SearchContact")
    assert search is not None
    assert search.provenance.certainty is Certainty.THIRD_PARTY
    assert search.provenance.marker == "3p [?]"
    url = CAT.request_attribute("URL")
    assert url is not None and url.provenance.uncertain
    assert isinstance(CAT, Catalogue)
    assert CAT.limits.max_file_bytes == 1024 * 1024


@pytest.mark.oracle
def test_function_examples_give_what_go_gives() -> None:
    cases: list[dict[str, object]] = []
    for function in CAT.functions:
        name, _, value = function.example_input.partition(" = ")
        cases.append(
            {
                "kind": "template",
                "template": function.example,
                "data": {name: value},
                "funcs": "pbx",
            }
        )
    answers = run_oracle(cases)
    for function, answer in zip(CAT.functions, answers, strict=True):
        assert answer["ok"], (function.name, answer["error"])
        assert answer["output"] == function.crmtpl_output, function.name
