"""Turning a response and a request's outputs into records (spec §6.4, §9, U13).

Each ``Output@Path`` (rendered first) is evaluated with gjson. A path with ``#`` yields an
array; the PBX zips the parallel arrays into records: record *i* takes element *i* of every
array output. The spec leaves the exact rule open (U13); crmtpl's reading, documented in
docs/run.md:

* the number of records is the length of the longest array output;
* an element missing from a shorter array is an empty value, and a warning says which
  outputs had different lengths (gjson's ``a.#.f`` skips elements without ``f``, so the
  arrays can misalign);
* an output whose result is not an array (``data.0.id``, ``id``) has the same value in
  every record; when no output is an array there is exactly one record;
* a value is what the PBX stores: gjson's ``Result.String()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from crmtpl import gjson


@dataclass(frozen=True)
class OutputValue:
    """One output evaluated against a response."""

    name: str
    path: str
    exists: bool
    is_array: bool
    values: tuple[str, ...]  # one per element for arrays, else exactly one


@dataclass
class Extraction:
    """The records of one response, and what was odd about them."""

    outputs: list[OutputValue]
    records: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def evaluate_output(json_text: str, name: str, path: str) -> OutputValue:
    """Evaluate one output path as the PBX does."""
    result = gjson.get(json_text, path)
    if result.is_array and _path_collects(path):
        return OutputValue(name, path, result.exists, True, tuple(r.str for r in result.array()))
    return OutputValue(name, path, result.exists, False, (result.str,))


def _path_collects(path: str) -> bool:
    """True when a path gathers many values (``#.f``, ``#(...)#``), not a plain array field."""
    return "#" in path


def assemble_records(
    json_text: str, outputs: Sequence[tuple[str, str]], *, request: str = ""
) -> Extraction:
    """Evaluate ``(name, rendered path)`` pairs and zip them into records.

    An empty body (a 204 answer, say: Zoho's search when nothing matches) has no records.
    """
    if not json_text.strip():
        return Extraction([])
    values = [evaluate_output(json_text, name, path) for name, path in outputs]
    extraction = Extraction(values)
    arrays = [v for v in values if v.is_array]
    if arrays:
        lengths = {v.name: len(v.values) for v in arrays}
        count = max(lengths.values())
        if len(set(lengths.values())) > 1:
            described = ", ".join(f"{name}={length}" for name, length in lengths.items())
            where = f" in {request}" if request else ""
            extraction.warnings.append(
                f"the # outputs{where} have different lengths ({described}); record i takes "
                "element i of each, so values may belong to different contacts"
            )
    else:
        count = 1 if values else 0
    for index in range(count):
        record: dict[str, str] = {}
        for value in values:
            if value.is_array:
                record[value.name] = value.values[index] if index < len(value.values) else ""
            else:
                record[value.name] = value.values[0]
        extraction.records.append(record)
    return extraction
