"""A string custom field's ``Value`` as the template's default: lowest precedence, never a
secret's, told by render and run (the sandbox examples' ``sandbox_url``)."""

from __future__ import annotations

import pytest

from crmtpl.render.context import ContextRequest, build_context, defaults_used, template_defaults
from crmtpl.template import load_template
from crmtpl.variables import Source, custom_field_default
from tests.support import REPO_ROOT

SANDBOX = REPO_ROOT / "examples" / "sandbox.xml"
DEFAULT = "http://127.0.0.1:8765"


def test_the_value_of_a_string_field_is_used_when_nothing_else_gives_one() -> None:
    context = build_context(
        load_template(SANDBOX), ContextRequest(use_credentials=False, environ={})
    )
    variable = context.get("sandbox_url")
    assert variable is not None
    assert (variable.value, variable.source) == (DEFAULT, Source.DEFAULT)
    assert variable.describe() == "default (the template's Value)"
    assert [v.name for v in defaults_used(context, ["sandbox_url", "Phone"])] == ["sandbox_url"]


def test_env_beats_the_default_and_var_beats_env() -> None:
    loaded = load_template(SANDBOX)
    environ = {"CRMTPL_VAR_sandbox_url": "http://127.0.0.1:9000"}
    from_env = build_context(loaded, ContextRequest(use_credentials=False, environ=environ))
    variable = from_env.get("sandbox_url")
    assert variable is not None and variable.value == "http://127.0.0.1:9000"
    assert variable.source is Source.ENV
    assert defaults_used(from_env, ["sandbox_url"]) == []
    from_flag = build_context(
        loaded,
        ContextRequest(
            assignments=["sandbox_url=http://127.0.0.1:9001"],
            use_credentials=False,
            environ=environ,
        ),
    )
    winner = from_flag.get("sandbox_url")
    assert winner is not None and (winner.value, winner.source) == (
        "http://127.0.0.1:9001",
        Source.FLAG,
    )


@pytest.mark.parametrize(
    ("name", "editor", "value", "default"),
    [
        ("sandbox_url", "string", DEFAULT, DEFAULT),
        ("subdomain", None, "acme", "acme"),  # no Editor: a string field
        ("sandbox_url", "string", "", None),  # empty Value: no default
        ("password", "password", "hunter2", None),  # a secret's Value is never used
        ("api_token", "string", "abc", None),  # a name that says secret
        ("region", "list", "eu,us", None),  # a list's Value holds its choices
    ],
)
def test_only_a_non_empty_value_of_a_plain_string_field_is_a_default(
    name: str, editor: str | None, value: str, default: str | None
) -> None:
    assert custom_field_default(name, editor, value) == default


def test_every_sandbox_example_and_tutorial_step_defaults_to_port_8765() -> None:
    templates = sorted((REPO_ROOT / "examples").glob("sandbox*.xml"))
    templates += sorted((REPO_ROOT / "docs" / "tutorial").glob("step-*.xml"))
    assert len(templates) == 17
    for template in templates:
        loaded = load_template(template)
        assert template_defaults(loaded) == {"sandbox_url": DEFAULT}, template
        body = loaded.text[loaded.text.index("<Information") :]
        assert "127.0.0.1:8765/" not in body, template  # no address written out
