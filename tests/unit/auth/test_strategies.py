"""Auth strategies: one per catalogue method, each signing requests the way the PBX does."""

from __future__ import annotations

import base64

import pytest

from crmtpl.auth.base import ACCESS_TOKEN
from crmtpl.auth.hints import auth_command
from crmtpl.auth.registry import STRATEGIES, needs_token_manager, strategy_for
from crmtpl.lint import rule_table
from crmtpl.template import load_template
from crmtpl.template.catalogue import catalogue
from crmtpl.variables import Source, VariableContext
from tests.support import REPO_ROOT


def test_every_catalogue_method_has_exactly_one_strategy() -> None:
    assert set(STRATEGIES) == {method.name for method in catalogue().auth_methods}
    for name, strategy in STRATEGIES.items():
        assert strategy.spec.name == name
        assert set(strategy.lint_rules) <= {rule.id for rule in rule_table().rules}


def test_what_each_method_needs_and_provides_comes_from_the_catalogue() -> None:
    assert strategy_for("oauth2").required_parameters == ("AuthEndPoint", "TokenEndPoint")
    assert strategy_for("basic").provides == ("basic_string",)
    assert [n for n, s in STRATEGIES.items() if s.uses_tokens] == ["oauth2", "bearertoken"]
    assert strategy_for("") is STRATEGIES["none"]
    assert strategy_for(" OAuth2 ") is STRATEGIES["oauth2"]


def test_basic_derives_a_secret_basic_string_and_signs_with_it() -> None:
    template = load_template(REPO_ROOT / "examples" / "sandbox-basic.xml").model
    context = VariableContext()
    strategy_for("basic").derive_variables(context, lambda: "demo:demo-password")
    encoded = base64.b64encode(b"demo:demo-password").decode()
    assert context.data()["basic_string"] == encoded
    assert encoded in context.secret_values()
    header = strategy_for("basic").authorization_header(context.data(), template)
    assert header == ("Authorization", f"Basic {encoded}")


def test_none_adds_no_header() -> None:
    template = load_template(REPO_ROOT / "examples" / "sandbox-apikey.xml").model
    assert strategy_for("none").authorization_header({"api_key": "k"}, template) is None


def test_token_methods_use_a_placeholder_until_run_and_the_token_type() -> None:
    template = load_template(REPO_ROOT / "examples" / "sandbox-bearer.xml").model
    context = VariableContext()
    strategy = strategy_for("bearertoken")
    strategy.derive_variables(context, lambda: None)
    assert context.data()[ACCESS_TOKEN] == "<AccessToken>"
    header = strategy.authorization_header({ACCESS_TOKEN: "tok-123"}, template)
    assert header is not None and header[1].endswith(" tok-123")


@pytest.mark.parametrize(
    ("source", "needed"), [(Source.FLAG, False), (Source.ENV, False), (Source.CREDENTIAL, True)]
)
def test_a_token_given_by_the_user_needs_no_manager(source: Source, needed: bool) -> None:
    context = VariableContext()
    context.set(ACCESS_TOKEN, "tok", source, "test")
    assert needs_token_manager("oauth2", context) is needed
    assert needs_token_manager("basic", VariableContext()) is False


def test_auth_command_names_the_profile_only_when_given() -> None:
    assert auth_command("login", "crm.xml") == "crmtpl auth login crm.xml"
    assert auth_command("set", "crm.xml", "work") == "crmtpl auth set crm.xml --profile work"
