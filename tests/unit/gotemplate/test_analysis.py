"""analyze(): fields, variables, calls and problems with their positions, for the linter."""

from __future__ import annotations

from crmtpl.gotemplate import BUILTINS_ONLY, FieldRef, FuncCall, analyze


def test_fields_with_paths_offsets_and_lengths() -> None:
    text = "Hi {{.Phone}} {{ .a.b }}"
    analysis = analyze(text)
    assert analysis.ok
    assert analysis.fields == (
        FieldRef(("Phone",), 5, 6),
        FieldRef(("a", "b"), 17, 4),
    )
    assert [text[f.offset : f.offset + f.length] for f in analysis.fields] == [".Phone", ".a.b"]


def test_fields_inside_range_and_with_are_not_root_fields() -> None:
    analysis = analyze(
        "{{range .list}}{{.x}}{{$.Top}}{{end}}{{with .c}}{{.d}}{{else}}{{.e}}{{end}}"
    )
    roots = {f.path: f.dot_is_root for f in analysis.fields}
    assert roots == {
        ("list",): True,
        ("x",): False,
        ("Top",): True,
        ("c",): True,
        ("d",): False,
        ("e",): True,
    }
    top = next(f for f in analysis.fields if f.path == ("Top",))
    assert top.base == "$"


def test_fields_in_a_definition_are_not_root_fields() -> None:
    analysis = analyze('{{define "T"}}{{.inner}}{{end}}{{template "T" .outer}}')
    roots = {f.path: f.dot_is_root for f in analysis.fields}
    assert roots == {("inner",): False, ("outer",): True}


def test_variables_are_listed_with_their_role() -> None:
    analysis = analyze("{{$x := .a}}{{$x = 2}}{{range $i, $v := .l}}{{$v}}{{end}}")
    assert [(v.name, v.kind, v.offset) for v in analysis.variables] == [
        ("$x", "declare", 2),
        ("$x", "assign", 14),
        ("$i", "declare", 30),
        ("$v", "declare", 34),
        ("$v", "use", 46),
    ]


def test_calls_count_the_piped_value() -> None:
    analysis = analyze('{{.x | UrlEncode}}{{TimeFormat .t "yyyy" "1"}}{{len .l | printf "%d"}}')
    assert analysis.calls == (
        FuncCall("UrlEncode", 1, 7, 9),
        FuncCall("TimeFormat", 3, 20, 10),
        FuncCall("len", 1, 48, 3),
        FuncCall("printf", 2, 57, 6),
    )
    assert analysis.ok


def test_every_unknown_function_is_a_problem_with_a_suggestion() -> None:
    text = "{{urlEncode .a}} {{capitalize .b}} {{Frobnicate .c}}"
    analysis = analyze(text)
    assert analysis.error is not None
    assert analysis.error.message == 'template: tpl:1: function "urlEncode" not defined'
    problems = [(p.kind, p.message, p.offset, p.length, p.suggestion) for p in analysis.problems]
    assert problems == [
        ("unknown_function", 'function "urlEncode" not defined', 2, 9, "UrlEncode"),
        ("unknown_function", 'function "capitalize" not defined', 19, 10, "Capitalize"),
        ("unknown_function", 'function "Frobnicate" not defined', 37, 10, None),
    ]
    assert [f.path for f in analysis.fields] == [("a",), ("b",), ("c",)]


def test_wrong_argument_counts_use_go_wording() -> None:
    analysis = analyze('{{TimeFormat .t "yyyy"}}{{ToMillis}}{{and}}{{.a | Capitalize .b}}')
    assert [p.message for p in analysis.problems] == [
        "wrong number of args for TimeFormat: want 3 got 2",
        "wrong number of args for ToMillis: want 1 got 0",
        "wrong number of args for and: want at least 1 got 0",
        "wrong number of args for Capitalize: want 1 got 2",
    ]
    assert analysis.error is None
    assert not analysis.ok


def test_syntax_error_reports_position_and_nothing_else() -> None:
    analysis = analyze("{{if .a}}\n  {{.b}")
    assert analysis.error is not None
    assert analysis.error.message == "template: tpl:2: bad character U+007D '}'"
    assert (analysis.error.line, analysis.error.col) == (2, 5)
    assert analysis.fields == ()


def test_function_set_is_respected() -> None:
    analysis = analyze("{{UrlEncode .x}}", funcs=BUILTINS_ONLY)
    assert [p.kind for p in analysis.problems] == ["unknown_function"]


def test_results_are_cached() -> None:
    assert analyze("{{.cached}}") is analyze("{{.cached}}")


def test_fields_only_tested_for_truth_are_marked() -> None:
    from crmtpl.gotemplate import analyze

    def tested(text: str) -> dict[str, bool]:
        return {".".join(f.path): f.tested for f in analyze(text).fields}

    assert tested("{{if .a}}{{.b}}{{end}}") == {"a": True, "b": False}
    assert tested("{{if and .a (not .b)}}x{{end}}") == {"a": True, "b": True}
    assert tested('{{if eq .a "x"}}x{{end}}') == {"a": False}
    assert tested("{{with $.a}}{{.}}{{end}}") == {"a": True}
    assert tested("{{if .a | not}}x{{end}}") == {"a": False}
    assert tested("{{UrlEncode .a}}") == {"a": False}


def test_fields_printed_under_an_if_on_themselves_are_guarded() -> None:
    from crmtpl.gotemplate import analyze

    def guarded(text: str) -> list[tuple[str, bool]]:
        return [(".".join(f.path), f.guarded) for f in analyze(text).fields if not f.tested]

    assert guarded("{{if .a}}{{.a}}{{else}}{{.a}}{{end}}") == [("a", True), ("a", False)]
    assert guarded("{{if and .a .b}}{{.a}}-{{.b}}{{end}}") == [("a", True), ("b", True)]
    assert guarded("{{if or .a .b}}{{.a}}{{end}}") == [("a", False)]
    assert guarded("{{if .a}}{{.b}}{{end}}") == [("b", False)]
