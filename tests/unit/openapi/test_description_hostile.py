"""Hostile descriptions: odd shapes, deep nesting, $ref cycles, special files. Each one
loads or is refused with a DescriptionError naming the file, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtpl.openapi.description import DescriptionError, load_description

BASE: dict[str, Any] = {"openapi": "3.0.0", "info": {"title": "x", "version": "1"}}


def _load(tmp_path: Path, text: str, suffix: str = ".json") -> Any:
    path = tmp_path / f"api{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        return load_description(path)
    except DescriptionError as error:
        assert str(path) in str(error)
        return error


@pytest.mark.parametrize(
    "document",
    [
        BASE | {"servers": [{"url": "/a", "variables": [1]}], "paths": {"/a": {"get": {}}}},
        BASE | {"paths": {"/a": {"get": {"responses": [1]}}}},
        BASE | {"paths": {"/a": {"get": {"responses": "abc"}}}},
        BASE | {"paths": {"/a": {"get": {"requestBody": {"content": []}}}}},
        {"swagger": "2.0", "paths": {"/a": {"get": {"parameters": 5}}}},
        {"swagger": "2.0", "paths": {"/a": {"post": {"parameters": {"in": "body"}}}}},
        {"swagger": "2.0", "basePath": 3, "paths": {"/a": {"get": {"responses": 7}}}},
    ],
    ids=[
        "variables",
        "responses-list",
        "responses-str",
        "content-list",
        "parameters-int",
        "parameters-dict",
        "swagger-int",
    ],
)
def test_odd_shapes_load_without_a_traceback(tmp_path: Path, document: Any) -> None:
    api = _load(tmp_path, json.dumps(document))
    assert not isinstance(api, DescriptionError)
    assert len(api.operations) == 1


def test_yaml_keys_that_are_not_strings_load(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.0\npaths:\n  1:\n    get:\n      parameters:\n        - name: 5\n"
        "        - {name: x, in: [1]}\n"
        "      responses: {200: {content: {1: {schema: {type: object}}}}}\n"
    )
    api = _load(tmp_path, text, ".yaml")
    assert not isinstance(api, DescriptionError)
    (operation,) = api.operations
    assert operation.path == "1"
    assert operation.responses["200"] == {"type": "object"}


def test_json_nested_too_deeply_is_a_description_error(tmp_path: Path) -> None:
    depth = 100_000
    error = _load(tmp_path, '{"openapi": "3.0.0", "x": ' + "[" * depth + "]" * depth + "}")
    assert isinstance(error, DescriptionError)
    assert "nests too deeply" in str(error)


def test_a_ref_cycle_is_a_note_not_a_recursion(tmp_path: Path) -> None:
    document = BASE | {
        "components": {
            "schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
            }
        },
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/A"}}
                            }
                        }
                    }
                }
            }
        },
    }
    api = _load(tmp_path, json.dumps(document))
    assert not isinstance(api, DescriptionError)
    assert any("cycle" in note for note in api.notes)
    assert api.operations[0].responses["200"] is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "api.yaml"
    os.mkfifo(pipe)
    with pytest.raises(DescriptionError, match="not a regular file"):
        load_description(pipe)


def test_a_device_that_never_ends_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DescriptionError, match="not a regular file"):
        load_description(Path("/dev/zero"))


_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
_KEYS = st.sampled_from(
    [
        "get",
        "post",
        "parameters",
        "responses",
        "200",
        "content",
        "application/json",
        "schema",
        "requestBody",
        "servers",
        "url",
        "variables",
        "default",
        "name",
        "in",
        "body",
        "formData",
        "consumes",
        "tags",
        "$ref",
        "#/paths",
        "summary",
        "operationId",
        "required",
        "type",
    ]
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(swagger=st.booleans(), paths=_TREES, servers=_TREES)
def test_any_shape_loads_or_is_a_description_error(
    tmp_path: Path, swagger: bool, paths: Any, servers: Any
) -> None:
    head = {"swagger": "2.0"} if swagger else {"openapi": "3.0.0"}
    document = head | {
        "paths": {"/a": paths, "/b": {"get": paths, "post": paths}},
        "servers": servers,
        "basePath": servers,
    }
    _load(tmp_path, json.dumps(document))


def test_a_description_named_through_a_symlink_loads(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "api.json").write_text(json.dumps(BASE | {"paths": {"/a": {"get": {}}}}))
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "api.json").symlink_to(tmp_path / "real" / "api.json")
    assert len(load_description(tmp_path / "link" / "api.json").operations) == 1


def test_a_symlink_in_the_folder_cannot_lead_out_of_it(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text(json.dumps(BASE))
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "api.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(DescriptionError, match="outside the description's folder"):
        load_description(tmp_path / "specs")


def test_a_folder_with_too_many_entries_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmtpl.openapi import description

    monkeypatch.setattr(description, "MAX_FOLDER_ENTRIES", 10)
    for n in range(11):
        (tmp_path / f"notes{n}.txt").write_text("x")
    (tmp_path / "api.json").write_text(json.dumps(BASE))
    with pytest.raises(DescriptionError, match="more than 10 files and folders"):
        load_description(tmp_path)
