"""No secret reaches any output unless --show-secrets: render, run, auth, every format.

Real secrets of the sandbox and a planted canary are searched for, raw and encoded, in
everything the CLI prints, successful runs and failures alike.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl

CANARY = "canary-7f3c9e1d+secret"
BASIC = ["--var", "username=demo", "--var", "password=demo-password"]
APIKEY = ["--var", "api_key=sandbox-api-key"]
BEARER = ["--var", "client_id=crmtpl-sandbox", "--var", "client_secret=sandbox-secret"]


def forms(secret: str) -> list[str]:
    """The ways a secret can show up: raw, URL-encoded, Base64 (alone and as user:secret)."""
    return [
        secret,
        quote(secret, safe=""),
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"demo:{secret}".encode()).decode(),
    ]


def assert_hidden(output: str, *secrets: str) -> None:
    for secret in secrets:
        for form in forms(secret):
            assert form not in output, f"{form!r} leaked"


#: (template, scenario, variables, the secret its requests carry)
RENDER_CASES = [
    ("examples/sandbox-basic.xml", "lookup", BASIC, "demo-password"),
    ("examples/sandbox-apikey.xml", "lookup", APIKEY, "sandbox-api-key"),
    ("examples/sandbox-bearer.xml", "auth", BEARER, "sandbox-secret"),
]


@pytest.mark.parametrize("fmt", ["http", "curl", "json"])
@pytest.mark.parametrize(("template", "scenario", "variables", "secret"), RENDER_CASES)
def test_render_masks_secrets_in_every_format(
    template: str, scenario: str, variables: list[str], secret: str, fmt: str
) -> None:
    done = crmtpl("render", scenario, template, "--format", fmt, *variables)
    assert done.returncode == 0, done.stderr
    assert_hidden(done.stdout + done.stderr, secret)
    shown = crmtpl("render", scenario, template, "--format", fmt, "--show-secrets", *variables)
    assert (
        secret in shown.stdout
        or base64.b64encode(f"demo:{secret}".encode()).decode() in shown.stdout
    )


@pytest.mark.parametrize("fmt", ["http", "json"])
def test_list_vars_masks_secrets(fmt: str) -> None:
    done = crmtpl(
        "render", "lookup", "examples/sandbox-basic.xml", "--list-vars", "--format", fmt, *BASIC
    )
    assert done.returncode == 0, done.stderr
    assert "password" in done.stdout
    assert_hidden(done.stdout + done.stderr, "demo-password")


@pytest.mark.parametrize(
    ("template", "variables", "secret"),
    [
        ("examples/sandbox-basic.xml", BASIC, "demo-password"),
        ("examples/sandbox-apikey.xml", APIKEY, "sandbox-api-key"),
        ("examples/sandbox-bearer.xml", BEARER, "sandbox-secret"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_run_with_full_traces_masks_secrets(
    sandbox: Sandbox, template: str, variables: list[str], secret: str, fmt: str
) -> None:
    done = crmtpl(
        "-vv", "run", "lookup", template, "--phone", "5503302", "--format", fmt, *variables
    )
    assert done.returncode == 0, done.stderr
    assert "William" in done.stdout
    assert_hidden(done.stdout + done.stderr, secret)


def test_a_failed_run_does_not_echo_the_rejected_secret(sandbox: Sandbox) -> None:
    done = crmtpl(
        "-vv",
        "run",
        "lookup",
        "examples/sandbox-basic.xml",
        "--phone",
        "5503302",
        "--var",
        "username=demo",
        "--var",
        f"password={CANARY}",
    )
    assert done.returncode == 5
    assert_hidden(done.stdout + done.stderr, CANARY)


def test_a_canary_from_the_environment_stays_hidden_in_dry_run(sandbox: Sandbox) -> None:
    env = cli_env(CRMTPL_VAR_api_key=CANARY)
    done = crmtpl("-vv", "run", "users", "examples/sandbox-apikey.xml", "--dry-run", env=env)
    assert done.returncode == 0, done.stderr
    assert_hidden(done.stdout + done.stderr, CANARY)


def test_auth_status_never_prints_a_value(tmp_path: object) -> None:
    env = cli_env(
        CRMTPL_CONFIG_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    stored = crmtpl(
        "auth",
        "set",
        "examples/sandbox-apikey.xml",
        "--insecure-storage",
        "--from-stdin",
        stdin=f"api_key={CANARY}\n",
        env=env,
    )
    assert stored.returncode == 0, stored.stderr
    for fmt in ("text", "json"):
        status = crmtpl("auth", "status", "examples/sandbox-apikey.xml", "--format", fmt, env=env)
        assert status.returncode == 0, status.stderr
        assert "api_key" in status.stdout
        assert_hidden(status.stdout + status.stderr, CANARY)
