"""Merge vendor OpenAPI 3 files into one spec Prism can mock, fixing what makes Prism fail.

Fixes, applied to the merged spec:

* a response media type ``*/*`` becomes ``application/json`` (Prism: "Cannot find
  serializer for */*");
* ``"example": null`` is removed (Prism would answer ``null``, which fails the schema);
* a media type's ``example`` written as JSON text (``"{\"id\": ...}"``: Atlassian's
  descriptions) becomes the object or array it spells (Prism would answer a JSON string);
* a schema ``type`` written as a .NET type name (``bool``, ``int``, ``double``, ``DateTime``,
  ``obj``, ``List<int>``: HaloPSA's query parameters) becomes its JSON Schema type (Prism
  silently checks nothing against an unknown type: ``search_phonenumbers=yes`` would pass);
* ``--relax SCHEMA:field1,field2`` drops fields from a schema's ``required`` list (HubSpot
  marks ``after`` and ``sorts`` required in ``PublicObjectSearchRequest``; the live API does
  not require them);
* ``--string-param PATH:NAME`` makes the parameter NAME of every operation of PATH a
  string (Intercom declares ``contact_id`` of ``/contacts/{contact_id}/notes`` an integer,
  while its ids, its own examples included, are hex strings such as
  ``6762f0ad1bb69f9f2193bb62``: Prism would refuse every real id with 422);
* ``--no-zero-max-length`` removes every ``maxLength: 0`` (Insightly's description marks
  unlimited fields such as a note's ``BODY`` with it; as JSON Schema it allows only the
  empty string, so Prism would refuse every note with a body);
* ``--only-paths P1,P2`` keeps only these paths and the components they reach through
  ``$ref``s (Prism 5.14 does not finish loading Twenty's generated description of 234
  paths; the templates use four of them);
* ``--flatten-relations`` makes every schema ``$ref`` inside a component schema a plain
  ``{"type": "object"}`` (Twenty's record schemas all refer to one another, person to
  company to person...: Prism 5.14 does not finish dereferencing them; requests are
  checked as before, the relations inside answers are no longer);
* ``--server URL`` replaces ``servers``.

An input may be ``FILE::PREFIX::NS``: every path of FILE gets PREFIX in front and every
component (except security schemes) is renamed NS + name, with its ``$ref``s rewritten, so
that two versions of one API (Pipedrive v1 and v2) share one mock. Components with the same
name in several files must be identical (they are for HubSpot's CRM object specs); otherwise
the first is kept with a warning. Inputs are JSON (start.sh converts YAML with js-yaml).

usage: python3 normalize_spec.py OUT.json IN[::PREFIX[::NS]]... [--relax S:f1,f2]
       [--string-param PATH:NAME] [--no-zero-max-length] [--only-paths P1,P2]
       [--flatten-relations] [--server URL]
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any

COMPONENT_REF = "#/components/"
SECURITY_REF = "#/components/securitySchemes/"
#: .NET type names some generated descriptions use as a schema type, and their JSON Schema type.
DOTNET_TYPES = {
    "bool": "boolean",
    "int": "integer",
    "long": "integer",
    "double": "number",
    "float": "number",
    "decimal": "number",
    "DateTime": "string",
    "obj": "object",
    "List<int>": "array",
}


@dataclass
class Arguments:
    """The command line, parsed."""

    output: str
    inputs: list[str] = field(default_factory=list)
    relax: list[str] = field(default_factory=list)
    string_params: list[str] = field(default_factory=list)
    no_zero_max_length: bool = False
    only_paths: list[str] = field(default_factory=list)
    flatten_relations: bool = False
    server: str | None = None


def parse_arguments(argv: list[str]) -> Arguments:
    """OUT, the inputs, and the options (``--relax``, ``--string-param``, ...)."""
    files: list[str] = []
    relax: list[str] = []
    string_params: list[str] = []
    no_zero_max_length = False
    only_paths: list[str] = []
    flatten_relations = False
    server = None
    words = iter(argv)
    for word in words:
        if word == "--relax":
            relax.append(next(words))
        elif word == "--string-param":
            string_params.append(next(words))
        elif word == "--no-zero-max-length":
            no_zero_max_length = True
        elif word == "--only-paths":
            only_paths += [p for p in next(words).split(",") if p]
        elif word == "--flatten-relations":
            flatten_relations = True
        elif word == "--server":
            server = next(words)
        else:
            files.append(word)
    if len(files) < 2:
        raise SystemExit(__doc__)
    return Arguments(
        output=files[0],
        inputs=files[1:],
        relax=relax,
        string_params=string_params,
        no_zero_max_length=no_zero_max_length,
        only_paths=only_paths,
        flatten_relations=flatten_relations,
        server=server,
    )


def rename_refs(node: Any, namespace: str) -> None:
    """Prefix every local component ``$ref`` (except security schemes) with ``namespace``."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(COMPONENT_REF)
            and not ref.startswith(SECURITY_REF)
        ):
            parts = ref.split("/")
            parts[3] = namespace + parts[3]
            node["$ref"] = "/".join(parts)
        for value in node.values():
            rename_refs(value, namespace)
    elif isinstance(node, list):
        for value in node:
            rename_refs(value, namespace)


def load_input(argument: str) -> dict[str, Any]:
    """One input spec, with its path prefix and component namespace applied."""
    path, prefix, namespace = [*argument.split("::"), "", ""][:3]
    with open(path, encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    if prefix:
        spec["paths"] = {prefix.rstrip("/") + p: item for p, item in spec.get("paths", {}).items()}
    if namespace:
        components = spec.get("components", {})
        for section, entries in list(components.items()):
            if section != "securitySchemes":
                components[section] = {namespace + name: value for name, value in entries.items()}
        rename_refs(spec, namespace)
    return spec


def merge_component(
    section: str, target: dict[str, Any], name: str, value: Any, origin: str
) -> None:
    """Add one component to ``target``; OAuth2 scopes are united, other clashes warned about."""
    if name not in target:
        target[name] = value
        return
    if target[name] == value:
        return
    if section == "securitySchemes" and name == "oauth2":
        for flow, settings in value.get("flows", {}).items():
            kept = target[name]["flows"].setdefault(flow, settings)
            kept["scopes"].update(settings.get("scopes", {}))
        return
    print(
        f"warning: component {section}/{name} differs in {origin}; kept the first", file=sys.stderr
    )


def merge(specs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The first spec with the paths, components and tags of the others added."""
    (_, merged), rest = specs[0], specs[1:]
    merged.setdefault("components", {})
    for origin, spec in rest:
        for path, item in spec.get("paths", {}).items():
            if path in merged["paths"]:
                print(f"warning: duplicate path {path} from {origin} skipped", file=sys.stderr)
            else:
                merged["paths"][path] = item
        for section, entries in spec.get("components", {}).items():
            target = merged["components"].setdefault(section, {})
            for name, value in entries.items():
                merge_component(section, target, name, value, origin)
        tags = merged.setdefault("tags", [])
        for tag in spec.get("tags", []):
            if tag not in tags:
                tags.append(tag)
    return merged


def fix_for_prism(node: Any) -> None:
    """Drop null examples, serve ``*/*`` responses as JSON and give .NET type names their
    JSON Schema type, everywhere in ``node``."""
    if isinstance(node, dict):
        if "example" in node and node["example"] is None:
            del node["example"]
        example = node.get("example")
        if "schema" in node and isinstance(example, str) and example.lstrip()[:1] in ("{", "["):
            with contextlib.suppress(ValueError):  # text that only looks like JSON stays
                node["example"] = json.loads(example)
        kind = node.get("type")
        if isinstance(kind, str) and kind in DOTNET_TYPES:
            node["type"] = DOTNET_TYPES[kind]
            if kind == "List<int>":
                node.setdefault("items", {"type": "integer"})
        content = node.get("content")
        if isinstance(content, dict) and "*/*" in content and "application/json" not in content:
            content["application/json"] = content.pop("*/*")
        for value in node.values():
            fix_for_prism(value)
    elif isinstance(node, list):
        for value in node:
            fix_for_prism(value)


def relax_required(spec: dict[str, Any], rule: str) -> None:
    """Apply one ``SCHEMA:field1,field2`` rule: those fields are no longer required."""
    schema_name, _, names = rule.partition(":")
    schema = spec["components"]["schemas"][schema_name]
    dropped = set(names.split(","))
    schema["required"] = [name for name in schema.get("required", []) if name not in dropped]


def drop_zero_max_length(node: Any) -> None:
    """Remove every ``maxLength: 0`` in ``node``."""
    if isinstance(node, dict):
        if node.get("maxLength") == 0:
            del node["maxLength"]
        for value in node.values():
            drop_zero_max_length(value)
    elif isinstance(node, list):
        for value in node:
            drop_zero_max_length(value)


def make_param_string(spec: dict[str, Any], rule: str) -> None:
    """Apply one ``PATH:NAME`` rule: parameter NAME of every operation of PATH is a string."""
    path, _, name = rule.rpartition(":")
    item = spec["paths"][path]
    operations = [item] + [op for op in item.values() if isinstance(op, dict)]
    found = False
    for operation in operations:
        for parameter in operation.get("parameters", []):
            if isinstance(parameter, dict) and parameter.get("name") == name:
                parameter["schema"] = {"type": "string"}
                found = True
    if not found:
        raise SystemExit(f"--string-param {rule}: no parameter {name} in {path}")


def local_refs(node: Any) -> set[str]:
    """Every local ``$ref`` under ``node``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                found.add(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def keep_only_paths(spec: dict[str, Any], wanted: list[str]) -> None:
    """Drop every path but ``wanted``, then every component none of them reaches."""
    missing = [path for path in wanted if path not in spec.get("paths", {})]
    if missing:
        raise SystemExit(f"--only-paths: no such path {', '.join(missing)}")
    spec["paths"] = {path: spec["paths"][path] for path in wanted}
    components = spec.get("components") or {}
    kept: set[tuple[str, str]] = set()
    todo = local_refs(spec["paths"])
    while todo:
        parts = todo.pop().split("/")
        if len(parts) < 4 or parts[1] != "components" or (parts[2], parts[3]) in kept:
            continue
        kept.add((parts[2], parts[3]))
        todo |= local_refs(components.get(parts[2], {}).get(parts[3]))
    for kind, entries in components.items():
        if kind != "securitySchemes" and isinstance(entries, dict):
            components[kind] = {k: v for k, v in entries.items() if (kind, k) in kept}


def flatten_relations(spec: dict[str, Any]) -> None:
    """Every schema ``$ref`` inside a component schema becomes ``{"type": "object"}``."""

    def flat(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                return {"type": "object"}
            return {key: flat(value) for key, value in node.items()}
        if isinstance(node, list):
            return [flat(item) for item in node]
        return node

    schemas = (spec.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        schemas[name] = flat(schema)


def main(argv: list[str]) -> None:
    """Write the merged, fixed spec to OUT and say how many paths it has."""
    arguments = parse_arguments(argv)
    merged = merge([(argument, load_input(argument)) for argument in arguments.inputs])
    fix_for_prism(merged)
    for rule in arguments.relax:
        relax_required(merged, rule)
    for rule in arguments.string_params:
        make_param_string(merged, rule)
    if arguments.no_zero_max_length:
        drop_zero_max_length(merged)
    if arguments.only_paths:
        keep_only_paths(merged, arguments.only_paths)
    if arguments.flatten_relations:
        flatten_relations(merged)
    if arguments.server:
        merged["servers"] = [{"url": arguments.server}]
    with open(arguments.output, "w", encoding="utf-8") as handle:
        json.dump(merged, handle, indent=1)
    print(f"wrote {arguments.output}: {len(merged['paths'])} paths", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
