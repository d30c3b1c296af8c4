"""The parser: node positions, template sets and Go's parse error texts."""

from __future__ import annotations

import pytest

from crmtpl.gotemplate import TemplateParseError, parse
from crmtpl.gotemplate.functions import PBX
from crmtpl.gotemplate.nodes import ActionNode, FieldNode, IfNode, TemplateNode, VariableNode
from crmtpl.gotemplate.parser import parse_templates


def _first_arg(text: str) -> object:
    tree = parse_templates(text, name="tpl", funcs=PBX)["tpl"]
    action = tree.root.nodes[0]
    assert isinstance(action, ActionNode)
    return action.pipe.cmds[0].args[0]


def test_field_chain_position_is_that_of_its_last_field_as_in_go() -> None:
    field = _first_arg("{{.a.b}}")
    assert isinstance(field, FieldNode)
    assert field.ident == ["a", "b"]
    assert field.pos == 4  # Go reports <.a.b> at column 4
    assert field.span == (2, 6)
    assert str(field) == ".a.b"


def test_variable_with_fields() -> None:
    var = _first_arg("{{$.x.y}}")
    assert isinstance(var, VariableNode)
    assert var.ident == ["$", "x", "y"]
    assert var.span == (2, 7)


def test_nodes_print_as_go_prints_them() -> None:
    tree = parse_templates('{{if eq .a "x" | not}}{{template "T" .}}{{end}}', name="tpl", funcs=PBX)
    node = tree["tpl"].root.nodes[0]
    assert isinstance(node, IfNode)
    assert str(node) == '{{if eq .a "x" | not}}{{template "T" .}}{{end}}'
    assert isinstance(node.list.nodes[0], TemplateNode)


def test_define_and_block_make_named_templates() -> None:
    template = parse('{{define "T"}}t{{end}}{{block "B" .}}b{{end}}main')
    assert template.template_names == ["B", "T", "tpl"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{.a}", "template: tpl:1: bad character U+007D '}'"),
        ("{{if .a}}", "template: tpl:1: unexpected EOF"),
        ("{{urlEncode .x}}", 'template: tpl:1: function "urlEncode" not defined'),
        ("{{1 | 2}}", "template: tpl:1: non executable command in pipeline stage 2"),
        ("a\n{{if}}{{end}}", "template: tpl:2: missing value for if"),
        ("{{\n.a", "template: tpl:2: unclosed action started at tpl:1"),
        ("{{range $a, $b, $c := .l}}{{end}}", "template: tpl:1: too many declarations in range"),
        ('{{define "T"}}a{{end}}{{define "T"}}b{{end}}',
         'template: tpl:1: template: multiple definition of template "T"'),
    ],
)  # fmt: skip
def test_parse_errors_read_as_go_writes_them(text: str, message: str) -> None:
    with pytest.raises(TemplateParseError) as caught:
        parse(text)
    assert caught.value.message == message
    assert str(caught.value) == message


def test_parse_error_position_is_in_characters() -> None:
    with pytest.raises(TemplateParseError) as caught:
        parse("é✓\n  {{ urlEncode .x }}")
    error = caught.value
    assert error.offset == 8
    assert (error.line, error.col) == (2, 6)


def test_function_set_decides_which_names_exist() -> None:
    from crmtpl.gotemplate import BUILTINS_ONLY

    parse("{{UrlEncode .x}}")
    with pytest.raises(TemplateParseError, match='function "UrlEncode" not defined'):
        parse("{{UrlEncode .x}}", funcs=BUILTINS_ONLY)


def test_every_node_knows_its_line_and_column_in_characters() -> None:
    template = parse("é\n  {{if .a}}\n{{.b.c}}{{end}}")
    branch = template.trees["tpl"].root.nodes[1]
    assert isinstance(branch, IfNode)
    assert (branch.line, branch.col) == (2, 8)  # Go places an if at its pipeline
    action = branch.list.nodes[1]
    assert isinstance(action, ActionNode)
    field = action.pipe.cmds[0].args[0]
    assert isinstance(field, FieldNode)
    assert (field.pos, field.line, field.col) == (18, 3, 5)  # at ".c", as Go places chains
