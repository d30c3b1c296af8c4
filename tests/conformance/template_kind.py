"""Run one ``template`` corpus case through crmtpl.gotemplate, the way the oracle runs it.

The oracle (``tests/oracle/main.go``) applies the case in this order: the
``tz`` zone, the ``funcs`` set, the ``missingkey`` option, the ``data`` (decoded per
``data_mode``), then parse and execute; the first failure names the phase. This module does
the same and returns ``{ok, output, error, phase}``.

``data`` arrives as parsed JSON. JSON numbers may already be ``JSONNumber`` (the
conformance test loads the corpus with hooks that keep their exact text) or plain
int/float (a generated case, which the oracle sees through ``json.dumps``); both end up
as the same Go value.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from crmtpl.gotemplate import (
    BUILTINS_ONLY,
    PBX,
    JSONNumber,
    StringMap,
    TemplateExecError,
    TemplateParseError,
    UnknownZoneError,
    parse,
)
from crmtpl.gotemplate.gostrconv import StrconvError, parse_float
from crmtpl.gotemplate.gotime import load_location
from crmtpl.gotemplate.values import go_bytes, to_valid_utf8

_MISSINGKEY_OPTIONS = {"default", "invalid", "zero", "error"}


class DataError(ValueError):
    """The case's data cannot be decoded as Go would (Go's ``json`` error text)."""


def load_case_line(line: str) -> dict[str, Any]:
    """Parse one corpus line keeping every JSON number's exact text as a JSONNumber."""
    result: dict[str, Any] = json.loads(line, parse_int=JSONNumber, parse_float=JSONNumber)
    return result


def _clean_text(s: str) -> str:
    """Go's JSON decoder turns lone surrogates into U+FFFD."""
    if s.isascii():
        return s
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s)


def _number_text(value: object) -> str:
    if isinstance(value, JSONNumber):
        return str(value)
    return json.dumps(value)


def _as_json_number(value: Any) -> Any:
    """Decode like ``json.Decoder.UseNumber()`` into ``interface{}``."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, JSONNumber)):
        return JSONNumber(_number_text(value))
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return [_as_json_number(v) for v in value]
    if isinstance(value, dict):
        return {_clean_text(k): _as_json_number(v) for k, v in value.items()}
    raise DataError(f"unsupported JSON value {value!r}")


def _as_float64(value: Any) -> Any:
    """Decode like ``json.Unmarshal`` into ``interface{}`` (numbers become float64)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, JSONNumber)):
        text = _number_text(value)
        try:
            return parse_float(text)
        except StrconvError:
            raise DataError(
                f"json: cannot unmarshal number {text} into Go value of type float64"
            ) from None
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return [_as_float64(v) for v in value]
    if isinstance(value, dict):
        return {_clean_text(k): _as_float64(v) for k, v in value.items()}
    raise DataError(f"unsupported JSON value {value!r}")


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, JSONNumber)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _as_string_map(value: Any) -> StringMap:
    """Decode like ``json.Unmarshal`` into ``map[string]string`` (first error wins)."""
    if not isinstance(value, dict):
        raise DataError(
            f"json: cannot unmarshal {_json_kind(value)} into Go value of type map[string]string"
        )
    result = StringMap()
    first_error: str | None = None
    for key, item in value.items():
        if item is None:
            result[_clean_text(key)] = ""
        elif isinstance(item, str) and not isinstance(item, JSONNumber):
            result[_clean_text(key)] = _clean_text(item)
        elif first_error is None:
            first_error = f"json: cannot unmarshal {_json_kind(item)} into Go value of type string"
    if first_error is not None:
        raise DataError(first_error)
    return result


def decode_data(case: dict[str, Any]) -> Any:
    """The Go value the oracle builds from ``data`` and ``data_mode``."""
    if "data" not in case or case["data"] is None:
        return None
    data = case["data"]
    mode = case.get("data_mode") or "number"
    if mode == "number":
        return _as_json_number(data)
    if mode == "float64":
        return _as_float64(data)
    if mode == "string":
        return _as_string_map(data)
    raise DataError(f'unknown data_mode "{mode}"')


def _output_fields(output: str) -> dict[str, Any]:
    text = to_valid_utf8(output)
    fields: dict[str, Any] = {"output": text}
    if text != output:  # not valid UTF-8: the oracle adds the raw bytes
        fields["output_b64"] = base64.b64encode(go_bytes(output)).decode("ascii")
    return fields


def run_template_case(case: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one template case; returns the oracle's result shape."""
    tz = case.get("tz") or ""
    if tz:
        try:
            load_location(tz)
        except UnknownZoneError as exc:
            return {"ok": False, "output": "", "error": str(exc), "phase": "data"}
    funcs_name = case.get("funcs") or "pbx"
    if funcs_name not in ("pbx", "none"):
        return {
            "ok": False,
            "output": "",
            "error": f'unknown funcs "{funcs_name}"',
            "phase": "data",
        }
    missingkey = case.get("missingkey") or ""
    if missingkey and missingkey not in _MISSINGKEY_OPTIONS:
        message = f"unrecognized option: missingkey={missingkey}"
        return {"ok": False, "output": "", "error": message, "phase": "option"}
    try:
        data = decode_data(case)
    except DataError as exc:
        return {"ok": False, "output": "", "error": str(exc), "phase": "data"}
    text = _clean_text(case.get("template", ""))
    try:
        template = parse(
            text,
            name=case.get("name") or "tpl",
            funcs=PBX if funcs_name == "pbx" else BUILTINS_ONLY,
        )
    except TemplateParseError as exc:
        return {"ok": False, "output": "", "error": exc.message, "phase": "parse"}
    try:
        output = template.execute(data, missingkey=missingkey or "default", tz=tz or "UTC")
    except TemplateExecError as exc:
        return {
            "ok": False,
            **_output_fields(exc.partial_output),
            "error": exc.message,
            "phase": "exec",
        }
    return {"ok": True, **_output_fields(output), "error": ""}
