"""Variable precedence, provenance, vars files and secret masking."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from crmtpl.errors import UsageError
from crmtpl.render.varsfile import load_mapping_file
from crmtpl.secrets import MASK, Masker, is_sensitive_header
from crmtpl.variables import (
    Source,
    Variable,
    VariableContext,
    env_variables,
    parse_assignment,
)


def test_highest_precedence_wins_whatever_the_order_added() -> None:
    context = VariableContext()
    context.set("Phone", "5503302", Source.SAMPLE, "PBX sample")
    context.set("Phone", "+4930123", Source.FLAG, "--var")
    context.set("Phone", "111", Source.ENV, "CRMTPL_VAR_Phone")
    winner = context.get("Phone")
    assert winner is not None
    assert winner.value == "+4930123"
    assert winner.describe() == "flag (--var)"
    assert context.data() == {"Phone": "+4930123"}


def test_precedence_order_is_the_documented_one() -> None:
    assert [s.value for s in Source] == [
        "flag",
        "file",
        "env",
        "credential",
        "auth",
        "output",
        "pbx",
        "sample",
        "default",
    ]


def test_secret_names_mask_every_layer() -> None:
    context = VariableContext()
    context.set("password", "from-keyring-secret", Source.CREDENTIAL, "keyring")
    context.set("password", "from-flag-secret", Source.FLAG, "--var")
    context.mark_secret("password")
    winner = context.get("password")
    assert winner is not None and winner.secret
    assert sorted(context.secret_values()) == ["from-flag-secret", "from-keyring-secret"]


def test_copy_is_independent() -> None:
    base = VariableContext([Variable("a", "1", Source.SAMPLE, "")])
    child = base.copy()
    child.set("a", "2", Source.OUTPUT, "ContactsId")
    assert base.data() == {"a": "1"}
    assert child.data() == {"a": "2"}


def test_parse_assignment() -> None:
    assert parse_assignment("api_key=a=b") == ("api_key", "a=b")
    assert parse_assignment("empty=") == ("empty", "")
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_assignment("novalue")


def test_env_variables_keep_the_name_case() -> None:
    found = env_variables({"CRMTPL_VAR_api_key": "k", "OTHER": "x", "CRMTPL_VAR_": "y"})
    assert [(v.name, v.value, v.source) for v in found] == [("api_key", "k", Source.ENV)]


def test_vars_files_in_three_formats(tmp_path: Path) -> None:
    toml = tmp_path / "vars.toml"
    toml.write_text('api_key = "k1"\nStartTimeUnix = 1672531199\nflag = true\n')
    assert load_mapping_file(toml) == {
        "api_key": "k1",
        "StartTimeUnix": "1672531199",
        "flag": "true",
    }
    js = tmp_path / "call.json"
    js.write_text('{"Talk_Duration_Sec": 69, "ratio": 1.50, "Call_From": "A<1>"}')
    assert load_mapping_file(js) == {
        "Talk_Duration_Sec": "69",
        "ratio": "1.50",
        "Call_From": "A<1>",
    }
    env = tmp_path / ".env"
    env.write_text("# comment\nexport api_key=\"k 2\"\nuser=alice\nq='lit\\n'\n")
    assert load_mapping_file(env) == {"api_key": "k 2", "user": "alice", "q": "lit\\n"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{nope", "not valid JSON"),
        ("list.json", "[1]", "expected a JSON object"),
        ("nested.toml", "[table]\na = 1\n", "must be a string, number or boolean"),
        ("bad.env", "just words\n", "expected NAME=VALUE"),
    ],
)
def test_bad_vars_files_are_usage_errors(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        load_mapping_file(path)


def test_missing_vars_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_mapping_file(tmp_path / "absent.toml")


def test_masker_hides_a_secret_and_its_encodings() -> None:
    secret = "p@ss word+1"
    masker = Masker([secret])
    encoded = base64.b64encode(secret.encode()).decode()
    text = f"raw {secret} url p%40ss%20word%2B1 form p%40ss+word%2B1 b64 {encoded}"
    masked = masker.text(text)
    assert secret not in masked
    assert "p%40ss" not in masked
    assert encoded not in masked
    assert masked.count(MASK) == 4


def test_masker_ignores_tiny_values_and_can_be_disabled() -> None:
    assert Masker(["ab"]).text("abc") == "abc"
    assert Masker(["secret-value"], enabled=False).text("secret-value") == "secret-value"


@pytest.mark.parametrize(
    "name",
    ["Authorization", "X-Api-Key", "x-auth-token", "Token", "api-key", "X-API-TOKEN", "Cookie"],
)
def test_credential_headers_are_sensitive(name: str) -> None:
    assert is_sensitive_header(name)


@pytest.mark.parametrize("name", ["Accept", "Content-Type", "X-Request-Id", "User-Agent"])
def test_ordinary_headers_are_not_sensitive(name: str) -> None:
    assert not is_sensitive_header(name)


def test_header_masking_keeps_the_scheme() -> None:
    masker = Masker([])
    assert masker.header("Authorization", "Bearer abc.def") == f"Bearer {MASK}"
    assert masker.header("Authorization", "Basic YWxpY2U6czNjcmV0") == f"Basic {MASK}"
    assert masker.header("X-Api-Key", "k3y") == MASK
    assert masker.header("Accept", "application/json") == "application/json"
