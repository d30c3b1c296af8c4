"""Test files written by crmtpl: ``test --update`` and ``run --record --write-test``.

The expectations are written as TOML; a value that holds a known secret (in any encoding)
is refused, so a test file, like a recording, can always be committed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crmtpl.errors import CrmtplError
from crmtpl.recording.redaction import Redactor
from crmtpl.testing.spec import TestSpec
from crmtpl.variables import VariableContext

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class SecretInTestFileError(CrmtplError):
    """An expectation would have written a secret; the file was left as it was."""


def toml_value(value: Any) -> str:
    """A TOML value: strings, numbers, booleans, arrays and inline tables (null as ``{{any}}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if value is None:
        return '"{{any}}"'
    return json.dumps(str(value), ensure_ascii=False)


def toml_key(key: str) -> str:
    """A bare key when possible, else a quoted one."""
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def expect_section(
    match: str, records: Sequence[Mapping[str, str]], requests: Iterable[Any]
) -> str:
    """The ``[expect]`` section (and its ``[[expect.requests]]``)."""
    lines = ["[expect]", f"match = {toml_value(match)}", "records = ["]
    lines += [f"  {toml_value(dict(record))}," for record in records]
    lines.append("]")
    for request in requests:
        lines += ["", "[[expect.requests]]"]
        lines.append(f"method = {toml_value(request.method)}")
        lines.append(f"url = {toml_value(request.url)}")
        if request.body is not None:
            lines.append(f"body = {toml_value(request.body)}")
    return "\n".join(lines) + "\n"


def _check(text: str, secrets: Mapping[str, str], path: Path) -> None:
    if Redactor(secrets).leaks(text):
        raise SecretInTestFileError(
            f"{path}: the expectations would hold a secret; the file was not written",
            hint="a record field carries a credential: leave it out of the expected records",
        )


def write_spec(
    spec: TestSpec, records: Sequence[Mapping[str, str]], secrets: Mapping[str, str]
) -> None:
    """Rewrite the ``[expect]`` section of a test file with the records of a new run."""
    original = spec.path.read_text(encoding="utf-8")
    head = re.split(r"(?m)^\[\[?expect", original, maxsplit=1)[0].rstrip() + "\n\n"
    text = head + expect_section(spec.match, records, spec.requests)
    _check(text, secrets, spec.path)
    spec.path.write_text(text, encoding="utf-8")


def new_test_text(
    path: Path,
    *,
    template: Path,
    scenario: str,
    recording: Path,
    inputs: Mapping[str, Any],
    records: Sequence[Mapping[str, str]],
    secrets: Mapping[str, str],
) -> str:
    """A whole test file for a run that just succeeded (``run --record --write-test``)."""
    folder = path.parent.resolve()
    lines = [
        f"# written by crmtpl run {scenario} --record --write-test; re-record with",
        f"# crmtpl test {path.name} --update",
        f"template = {toml_value(os.path.relpath(template.resolve(), folder))}",
        f"scenario = {toml_value(scenario)}",
        f"recording = {toml_value(os.path.relpath(recording.resolve(), folder))}",
        "",
        "[inputs]",
    ]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in inputs.items()]
    text = "\n".join(lines) + "\n\n" + expect_section("exact", records, [])
    _check(text, secrets, path)
    return text


def inputs_from_run(
    scenario: str, phone: str | None, pbx_values: Mapping[str, str], assignments: Iterable[str]
) -> dict[str, Any]:
    """The ``[inputs]`` of a test from a run's options (secret ``--var`` values left out)."""
    from crmtpl.secrets import is_secret_name

    inputs: dict[str, Any] = {}
    if phone is not None:
        inputs["phone"] = phone
    if scenario == "create-contact":
        inputs["first_name"] = pbx_values.get("FirstName", "")
        inputs["last_name"] = pbx_values.get("LastName", "")
        inputs["number"] = pbx_values.get("BusinessNumber", "")
    elif pbx_values:
        inputs["call"] = dict(pbx_values)
    variables = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if name and not is_secret_name(name):
            variables[name] = value
    if variables:
        inputs["vars"] = variables
    return inputs


def write_test_file(
    path: Path,
    *,
    template: Path,
    scenario: str,
    recording: Path,
    inputs: Mapping[str, Any],
    records: Sequence[Mapping[str, str]],
    secrets: Mapping[str, str],
) -> None:
    """Write a new test file for a recorded run (refusing a secret)."""
    text = new_test_text(
        path,
        template=template,
        scenario=scenario,
        recording=recording,
        inputs=inputs,
        records=records,
        secrets=secrets,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise CrmtplError(f"cannot write {path}: {problem.strerror or problem}") from problem


def write_run_test(
    path: Path,
    template: Path,
    scenario_id: str,
    recording: Path,
    records: Sequence[Mapping[str, str]],
    context: VariableContext,
    phone: str | None,
    pbx_values: Mapping[str, str],
    assignments: Iterable[str],
    token_secrets: Iterable[str] = (),
) -> None:
    """``run --record DIR --write-test FILE``: the test file for the run that just ended.

    Its inputs are everything the run was given but secrets: ``--phone``, the call values
    of ``--call FILE`` and of the flags, and the custom fields given with ``--var``,
    ``--vars-file`` or ``CRMTPL_VAR_*`` (so the test replays with nothing else set)."""
    from crmtpl.recording.replay import secrets_by_name
    from crmtpl.render.scenarios import ALIAS_OF
    from crmtpl.variables import USER_SOURCES, Source

    scenario = ALIAS_OF.get(scenario_id, scenario_id)
    call_values = {
        v.name: v.value
        for v in context
        if v.source is Source.PBX and v.origin.startswith("--call ") and not v.secret
    }
    given = [f"{v.name}={v.value}" for v in context if v.source in USER_SOURCES and not v.secret]
    write_test_file(
        path,
        template=template,
        scenario=scenario,
        recording=recording,
        inputs=inputs_from_run(
            scenario, phone, {**call_values, **pbx_values}, [*given, *assignments]
        ),
        records=records,
        secrets=secrets_by_name(context, token_secrets),
    )
