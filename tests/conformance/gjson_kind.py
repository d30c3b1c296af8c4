"""The gjson kinds of the conformance harness: what the Go oracle reports, from crmtpl.gjson.

For kind ``gjson`` the oracle prints ``Result.Exists()``, ``Type.String()``, ``Raw``,
``String()``, ``Index``, ``Indexes`` (left out when empty), ``Int()``, ``Float()`` formatted
with ``strconv.FormatFloat(f, 'g', -1, 64)``, ``Bool()``, ``IsArray()``, ``IsObject()``, and
``str_b64`` / ``raw_b64`` when a value is not valid UTF-8 (its JSON encoder then writes
U+FFFD for each bad byte). For kind ``gjson_valid`` it prints ``gjson.Valid``.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from crmtpl import gjson
from crmtpl.gjson._gonum import format_float_g

_SURROGATE = re.compile("[\ud800-\udfff]")


def go_input(text: str) -> str:
    """The string Go decodes from a JSON case line: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _go_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _as_go_json_string(data: bytes) -> str:
    """What Go's encoding/json writes for bytes: each invalid byte becomes U+FFFD."""
    out: list[str] = []
    i = 0
    while i < len(data):
        for size in (1, 2, 3, 4):
            chunk = data[i : i + size]
            try:
                out.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                continue
            i += size
            break
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def _text_fields(name: str, value: str, out: dict[str, Any]) -> None:
    if _SURROGATE.search(value) is None:
        out[name] = value
        return
    data = _go_bytes(value)
    out[name] = _as_go_json_string(data)
    out[name + "_b64"] = base64.b64encode(data).decode("ascii")


def run_gjson_case(case: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one ``gjson`` or ``gjson_valid`` case the way the oracle reports it."""
    json_text = go_input(case.get("json", ""))
    if case["kind"] == "gjson_valid":
        return {"valid": gjson.valid(json_text)}
    result = gjson.get(json_text, go_input(case.get("path", "")))
    out: dict[str, Any] = {"exists": result.exists, "type": str(result.type)}
    _text_fields("raw", result.raw, out)
    _text_fields("str", result.str, out)
    out["index"] = result.index
    if result.indexes:
        out["indexes"] = list(result.indexes)
    out["int"] = result.int()
    out["float"] = format_float_g(result.float())
    out["bool"] = result.bool()
    out["is_array"] = result.is_array
    out["is_object"] = result.is_object
    return out
