"""Executing templates: the value mapping, options, and Go's exec errors."""

from __future__ import annotations

import pytest

from crmtpl.gotemplate import (
    JSONNumber,
    StringMap,
    TemplateExecError,
    UnknownZoneError,
    parse,
    render,
)

DATA = {
    "a": "x",
    "n": JSONNumber("1672531199"),
    "f": 1.5,
    "i": 3,
    "list": ["p", "q", "r"],
    "m": {"b": 2, "a": 1},
    "nil": None,
    "users": [{"name": "Ann"}, {"name": "Bob"}],
}


@pytest.mark.parametrize(
    ("text", "output"),
    [
        ("{{.a}} {{.n}} {{.f}} {{.i}} {{.list}} {{.m}}", "x 1672531199 1.5 3 [p q r] map[a:1 b:2]"),
        ("{{.nil}} {{print .nil}} {{.users}}", "<no value> <nil> [map[name:Ann] map[name:Bob]]"),
        ("{{.missing}}", "<no value>"),
        ('{{if eq .n "1672531199"}}string compare{{end}}', "string compare"),
        ("{{range $i, $u := .users}}{{if $i}},{{end}}{{$u.name}}{{end}}", "Ann,Bob"),
        ("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", "a=1;b=2;"),
        ('{{printf "%T %T %T %5.2f|%-4s|%q" .n .f .list .f .a .a}}', 'json.Number float64 []interface {}  1.50|x   |"x"'),
        ("{{slice .list 1}} {{index .list 2}} {{len .a}}", "[q r] r 1"),
        ("{{slice .list 0 4}}", "[p q r <nil>]"),  # capacity 4, as encoding/json builds it
        ('{{slice "é" 0 1}}{{slice "é" 1 2}}', "é"),  # bytes re-joined
        ("{{html .a}}{{js \"<'\"}}{{urlquery \"a b&\"}}", "x\\u003C\\'a+b%26"),
        ("{{.n.Int64}} {{.n.String}}", "1672531199 1672531199"),
        ("{{- /* trim */ -}}  a  {{- 1 -}}  b", "a1b"),
    ],
)  # fmt: skip
def test_outputs(text: str, output: str) -> None:
    assert render(text, DATA) == output


def test_exec_error_text_position_and_partial_output() -> None:
    template = parse("é ok\n  {{.a.b}} tail")
    with pytest.raises(TemplateExecError) as caught:
        template.execute(DATA)
    error = caught.value
    assert error.message == (
        'template: tpl:2:6: executing "tpl" at <.a.b>: can\'t evaluate field b in type interface {}'
    )
    assert error.partial_output == "é ok\n  "
    assert error.offset == 11  # the node Go names: the last field of the chain
    assert (error.line, error.col) == (2, 7)  # 1-based characters (Go's 2:6: 0-based bytes)


def test_json_number_is_not_a_string_for_pbx_functions() -> None:
    with pytest.raises(
        TemplateExecError, match=r"wrong type for value; expected string; got json\.Number"
    ):
        render("{{ToMillis .n}}", DATA)


def test_missingkey_modes() -> None:
    template = parse("[{{.missing}}]")
    assert template.execute(DATA) == "[<no value>]"
    assert template.execute(DATA, missingkey="zero") == "[<no value>]"
    assert template.execute(StringMap(a="x"), missingkey="zero") == "[]"
    with pytest.raises(TemplateExecError, match='map has no entry for key "missing"') as caught:
        template.execute(DATA, missingkey="error")
    assert caught.value.partial_output == "["
    with pytest.raises(ValueError, match="unrecognized option: missingkey=bogus"):
        template.execute(DATA, missingkey="bogus")


def test_string_map_values_are_plain_strings() -> None:
    with pytest.raises(TemplateExecError, match="can't evaluate field x in type string"):
        render("{{.Phone.x}}", StringMap(Phone="+1"))


def test_no_data_is_go_nil() -> None:
    assert render("{{.}} {{.a}}", None) == "<no value> <no value>"
    with pytest.raises(TemplateExecError, match='nil data; no entry for key "a"'):
        render("{{.a}}", None, missingkey="error")


def test_recursion_stops_at_go_depth_limit() -> None:
    with pytest.raises(TemplateExecError, match=r"exceeded maximum template depth \(100000\)"):
        render('{{define "T"}}{{template "T" .}}{{end}}{{template "T" .}}', DATA)


def test_time_zone_option() -> None:
    text = '{{TimeFormat .n "yyyy-MM-dd HH:mm:ssZz" "0"}}'
    data = StringMap(n="1672531199")
    assert render(text, data) == "2022-12-31 23:59:59Z"
    assert render(text, data, tz="Europe/Berlin") == "2023-01-01 00:59:59+01:00"
    with pytest.raises(UnknownZoneError, match="unknown time zone Nowhere/City"):
        render(text, data, tz="Nowhere/City")


def test_without_pbx_functions() -> None:
    assert render("{{len .a}}", DATA, pbx_funcs=False) == "1"


def test_values_outside_the_mapping_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot be passed to a Go template"):
        render("{{.}}", object())
