"""One secrecy policy across commands: a field named like a secret is one, whatever its editor.

A template for the sandbox gets a custom field ``private_key`` with ``Editor="string"``,
sent in a header whose name does not look sensitive (``X-Client-Signature``), so only the
name policy of :mod:`crmtpl.secrets` can hide it. render (every format), run (every
verbosity, table and json) and ``auth status`` must all treat it as a secret.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl
from tests.e2e.test_secret_canary import assert_hidden
from tests.support import REPO_ROOT

PRIVATE_KEY = "pk-canary-3e5d7a91"
API_KEY = ["--var", "api_key=sandbox-api-key"]
SIGNING_FIELD = (
    '<Parameter Father="CustomFieldList" Name="private_key" Editor="string" '
    'Title="Signing key"></Parameter>\n'
    '        <Parameter Father="PopulateTemplateString" Name="X-Client-Signature" '
    'Type="Header" Value="{{.private_key}}"></Parameter>\n        '
)


@pytest.fixture(scope="module")
def signing_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """examples/sandbox-apikey.xml plus a string-editor ``private_key`` sent in a header."""
    source = (REPO_ROOT / "examples" / "sandbox-apikey.xml").read_text(encoding="utf-8")
    anchor = '<Parameter Father="PopulateTemplateString" Name="X-Api-Key"'
    assert anchor in source
    path: Path = tmp_path_factory.mktemp("policy") / "signing.xml"
    path.write_text(source.replace(anchor, SIGNING_FIELD + anchor, 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fmt", ["http", "curl", "json"])
def test_render_masks_a_string_editor_private_key(signing_template: str, fmt: str) -> None:
    key = ["--var", f"private_key={PRIVATE_KEY}"]
    done = crmtpl("render", "lookup", signing_template, "--format", fmt, *API_KEY, *key)
    assert done.returncode == 0, done.stderr
    assert "X-Client-Signature" in done.stdout
    assert_hidden(done.stdout + done.stderr, PRIVATE_KEY)
    shown = crmtpl(
        "render", "lookup", signing_template, "--format", fmt, "--show-secrets", *API_KEY, *key
    )
    assert PRIVATE_KEY in shown.stdout


@pytest.mark.parametrize(
    "options",
    [["-v"], ["-vv"], ["-v", "--format", "json"], ["-vv", "--format", "json"]],
    ids=["-v", "-vv", "-v json", "-vv json"],
)
def test_run_masks_a_string_editor_private_key(
    sandbox: Sandbox, signing_template: str, options: list[str]
) -> None:
    verbosity, rest = options[0], options[1:]
    done = crmtpl(
        verbosity,
        "run",
        "lookup",
        signing_template,
        "--phone",
        "5503302",
        *rest,
        *API_KEY,
        "--var",
        f"private_key={PRIVATE_KEY}",
    )
    assert done.returncode == 0, done.stderr
    assert "William" in done.stdout
    if verbosity == "-vv":  # -vv prints every request header
        assert "X-Client-Signature: ********" in done.stdout + done.stderr
    assert_hidden(done.stdout + done.stderr, PRIVATE_KEY)


def test_auth_status_calls_the_private_key_a_secret(signing_template: str, tmp_path: Path) -> None:
    env = cli_env(
        CRMTPL_CONFIG_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    stored = crmtpl(
        "auth",
        "set",
        signing_template,
        "--insecure-storage",
        "--from-stdin",
        stdin=f"private_key={PRIVATE_KEY}\napi_key=sandbox-api-key\n",
        env=env,
    )
    assert stored.returncode == 0, stored.stderr
    status = crmtpl("auth", "status", signing_template, "--format", "json", env=env)
    assert status.returncode == 0, status.stderr
    assert_hidden(status.stdout + status.stderr, PRIVATE_KEY)
    fields = {field["name"]: field for field in json.loads(status.stdout)["fields"]}
    assert fields["private_key"]["secret"] is True
    text = crmtpl("auth", "status", signing_template, env=env)
    assert text.returncode == 0, text.stderr
    assert "private_key" in text.stdout
    assert_hidden(text.stdout + text.stderr, PRIVATE_KEY)
    # The stored value is used by render, and masked there too.
    rendered = crmtpl("render", "lookup", signing_template, "--format", "curl", env=env)
    assert rendered.returncode == 0, rendered.stderr
    assert_hidden(rendered.stdout + rendered.stderr, PRIVATE_KEY)
