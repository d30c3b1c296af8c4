"""The editor never waits long for an API description: a large one is read in the
background, an unreadable one is a message."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from crmtpl.lsp.apidescription import DescriptionCache


def _large_description(folder: Path, paths: int = 4000) -> Path:
    lines = ["openapi: 3.0.0", "info: {title: Big, version: '1'}", "paths:"]
    for n in range(paths):
        lines += [
            f"  /things{n}/{{id}}:",
            "    get:",
            f"      operationId: getThing{n}",
            "      responses:",
            "        '200':",
            "          content:",
            "            application/json:",
            "              schema: {type: object, properties: {id: {type: string}}}",
        ]
    spec = folder / "api.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return spec


def test_a_description_too_slow_to_wait_for_is_read_in_the_background(tmp_path: Path) -> None:
    spec = _large_description(tmp_path)
    loaded = threading.Event()
    cache = DescriptionCache(wait=0.0, on_loaded=loaded.set)
    assert cache.description(spec) is None
    assert cache.problem is not None and "still reading" in cache.problem
    assert loaded.wait(120)
    api = cache.description(spec)
    assert api is not None and len(api.operations) == 4000
    assert cache.description(spec) is api  # kept until a file changes


def test_a_description_read_in_time_is_used_at_once(tmp_path: Path) -> None:
    spec = _large_description(tmp_path, paths=2)
    api = DescriptionCache().description(spec)
    assert api is not None and len(api.operations) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_named_as_the_description_is_a_message(tmp_path: Path) -> None:
    pipe = tmp_path / "api.yaml"
    os.mkfifo(pipe)
    cache = DescriptionCache()
    assert cache.description(pipe) is None
    assert cache.problem is not None and "not a regular file" in cache.problem
