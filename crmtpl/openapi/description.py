"""An API's OpenAPI description, loaded offline: its operations with resolved schemas.

:func:`load_description` reads a file or a folder of JSON or YAML files (OpenAPI 3.0/3.1 or
Swagger 2.0), follows every ``$ref`` into the same file or into files beside it (never over
the network: a remote ``$ref`` is left unresolved and told in :attr:`ApiDescription.notes`),
and returns the operations with their parameters, request body schema and response schemas,
``$ref``s replaced by what they point to. Recursive schemas stay recursive (a resolved
schema may contain itself), so walkers must stop at a node they have seen.

Descriptions are untrusted input: YAML is read with the safe loader, files larger than
:data:`MAX_FILE_BYTES` are refused, and a ``$ref`` may only lead to a file in the folder of
the description (or below it).
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

#: A JSON Schema (or OpenAPI Schema Object) with its ``$ref``s resolved.
JsonSchema = Mapping[str, Any]

MAX_FILE_BYTES = 64 * 1024 * 1024
#: A description's folder holds at most this many entries (files and folders, all levels).
MAX_FOLDER_ENTRIES = 5000
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DESCRIPTION_SUFFIXES = (".json", ".yaml", ".yml")


class DescriptionError(Exception):
    """A description that cannot be read; the message names the file and says why."""


@dataclass(frozen=True)
class Parameter:
    """A parameter of an operation: in ``path``, ``query``, ``header`` or ``cookie``."""

    name: str
    location: str
    required: bool
    schema: JsonSchema | None = None
    examples: tuple[str, ...] = ()  # the parameter's own example values (strings)
    description: str = ""  # its own (or its schema's) description, the first 500 characters


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the description declares it."""

    method: str  # upper case
    path: str  # the path template, as in the description: /crm/v3/objects/{objectType}
    server_paths: tuple[
        str, ...
    ]  # the path part of each server URL ("" for none), no slash at the end
    operation_id: str | None
    summary: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_media_types: tuple[str, ...]
    request_schema: JsonSchema | None  # of the JSON (or form) request body
    request_body_required: bool
    responses: Mapping[str, JsonSchema | None]  # status ("200", "2XX", "default") -> schema
    source: Path

    @property
    def label(self) -> str:
        """``GET /path`` as people write it."""
        return f"{self.method} {self.path}"

    def success_schema(self) -> JsonSchema | None:
        """The schema of the first successful answer (2xx, then ``default``), if any."""
        for status in sorted(self.responses):
            if status.startswith("2") and self.responses[status] is not None:
                return self.responses[status]
        return self.responses.get("default")

    def full_paths(self) -> tuple[str, ...]:
        """The path template behind each server's base path."""
        return tuple(base + self.path for base in self.server_paths) or (self.path,)


@dataclass(frozen=True)
class ApiDescription:
    """The operations of one or more description files, and what could not be resolved."""

    title: str
    version: str
    operations: tuple[Operation, ...]
    files: tuple[Path, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- reading files ---------------------------------------------------------------------


def read_document(path: Path) -> Any:
    """The parsed content of one JSON or YAML file; :class:`DescriptionError` if unreadable."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device could be read forever
            raise DescriptionError(f"{path}: not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            raise DescriptionError(
                f"{path}: {status.st_size} bytes, more than the {MAX_FILE_BYTES} allowed"
            )
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # the file may grow after the stat
    except OSError as error:
        raise DescriptionError(f"{path}: cannot read it ({error.strerror or error})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DescriptionError(f"{path}: more than the {MAX_FILE_BYTES} bytes allowed")
    text = raw.decode("utf-8-sig", errors="replace")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except RecursionError:
            raise DescriptionError(f"{path}: the description nests too deeply to be read") from None
        except json.JSONDecodeError as error:
            if path.suffix.lower() == ".json":
                raise DescriptionError(
                    f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg})"
                ) from None
    return _read_yaml(path, text)


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_BOOL_PATTERN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


@cache
def _yaml_loader() -> Any:
    """PyYAML's safe loader (libyaml's when present) reading the JSON data model, as YAML
    1.2 does: a timestamp stays the string it is written as (``2016-11-16T25:44:00Z`` in an
    example is text to OpenAPI, not a date that fails to construct), and only true and
    false are booleans (a property called ``on``, ``yes`` or ``no`` keeps its name)."""
    import yaml  # loaded only for YAML descriptions

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("JsonModelLoader", (base,), {})
    resolvers: dict[Any, list[tuple[str, Any]]] = {}
    for first, known in base.yaml_implicit_resolvers.items():
        kept = []
        for tag, pattern in known:
            if tag == _TIMESTAMP_TAG:
                continue
            if tag == _BOOL_TAG:  # YAML 1.2 and JSON: only true and false (not on, yes, no)
                pattern = _BOOL_PATTERN
            kept.append((tag, pattern))
        resolvers[first] = kept
    loader.yaml_implicit_resolvers = resolvers
    return loader


def _read_yaml(path: Path, text: str) -> Any:
    import yaml  # loaded only for YAML descriptions

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or "not YAML"
        raise DescriptionError(f"{where}: {problem}") from None
    except (ValueError, TypeError, OverflowError) as error:  # a value PyYAML cannot build
        raise DescriptionError(f"{path}: a value cannot be read ({error})") from None


def is_root(document: Any) -> bool:
    """True for an OpenAPI or Swagger document (not a file of shared components)."""
    return isinstance(document, dict) and ("openapi" in document or "swagger" in document)


# -- $ref resolution -------------------------------------------------------------------


class _Resolver:
    """Replaces ``$ref``s by their targets, across files of one folder, offline."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.documents: dict[Path, Any] = {}
        self.done: dict[tuple[Path, int], Any] = {}
        #: The $refs being followed: one met again leads back to itself.
        self.following: set[tuple[Path, int]] = set()
        self.notes: list[str] = []

    def document(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self.documents:
            if path != self.root and self.root not in path.parents:
                raise DescriptionError(f"{path}: outside the description's folder {self.root}")
            self.documents[path] = read_document(path)
        return self.documents[path]

    def resolve(self, node: Any, file: Path) -> Any:
        """``node`` with every ``$ref`` below it replaced (shared and cyclic nodes kept so)."""
        key = (file, id(node))
        if key in self.done:
            return self.done[key]
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if key in self.following:
                    self._note(file, f"$ref {ref} leads back to itself (a $ref cycle)")
                    return {"x-unresolved": ref}
                target = self._follow(ref, file)
                if target is None:
                    return {k: v for k, v in node.items() if k != "$ref"} | {"x-unresolved": ref}
                target_node, target_file = target
                self.following.add(key)
                try:
                    resolved = self.resolve(target_node, target_file)
                finally:
                    self.following.discard(key)
                self.done[key] = resolved
                return resolved
            out: dict[str, Any] = {}
            self.done[key] = out
            for name, value in node.items():
                out[name] = self.resolve(value, file)
            return out
        if isinstance(node, list):
            items: list[Any] = []
            self.done[key] = items
            items.extend(self.resolve(value, file) for value in node)
            return items
        return node

    def _follow(self, ref: str, file: Path) -> tuple[Any, Path] | None:
        location, _, pointer = ref.partition("#")
        if urlsplit(location).scheme in ("http", "https", "ftp", "file"):
            self._note(file, f"the remote $ref {ref} is not followed (checks are offline)")
            return None
        target_file = (file.parent / unquote(location)).resolve() if location else file
        try:
            document = self.document(target_file)
        except DescriptionError as error:
            # the reason without the absolute path the error starts with: the $ref says which
            reason = str(error).removeprefix(f"{target_file}: ")
            reason = reason.replace("cannot read it", f"cannot read {location}", 1)
            self._note(file, f"$ref {ref}: {reason}")
            return None
        node = _pointer(document, pointer)
        if node is None:
            where = f"in {location}" if location else "in this file"
            self._note(file, f"$ref {ref} leads nowhere (no {pointer or '/'} {where})")
            return None
        return node, target_file

    def _note(self, file: Path, text: str) -> None:
        """Tell ``text`` about ``file``, named by its path in the description's folder."""
        try:
            name = file.resolve().relative_to(self.root).as_posix()
        except ValueError:
            name = file.name
        note = f"{name}: {text}"
        if note not in self.notes:
            self.notes.append(note)


def _pointer(document: Any, pointer: str) -> Any:
    """The node a JSON pointer (``/components/schemas/Contact``) names, or None."""
    node = document
    for raw in pointer.split("/")[1:] if pointer else []:
        step = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


# -- operations ------------------------------------------------------------------------


def _server_paths(document: Mapping[str, Any], servers: Any) -> tuple[str, ...]:
    """The base paths of OpenAPI 3 servers (variables at their defaults) or Swagger's basePath."""
    if "swagger" in document:
        base = document.get("basePath")
        return (str(base).rstrip("/"),) if isinstance(base, str) else ("",)
    if not isinstance(servers, list) or not servers:
        return ("",)
    paths: list[str] = []
    for server in servers:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        variables = server.get("variables")
        for name, variable in (variables if isinstance(variables, dict) else {}).items():
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + str(name) + "}", str(variable["default"]))
        path = urlsplit(url).path if "://" in url else url
        path = path.rstrip("/")
        if path not in paths:
            paths.append(path)
    return tuple(paths) or ("",)


def _parameters(*lists: Any) -> tuple[Parameter, ...]:
    """Path-level then operation-level parameters, the later overriding by (name, in)."""
    found: dict[tuple[str, str], Parameter] = {}
    for values in lists:
        for raw in values if isinstance(values, list) else []:
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                continue
            location = str(raw.get("in", ""))
            schema = raw.get("schema")
            if schema is None and location not in ("body",):  # Swagger 2: type on the parameter
                schema = {k: v for k, v in raw.items() if k in ("type", "format", "enum", "items")}
            found[(raw["name"], location)] = Parameter(
                name=raw["name"],
                location=location,
                required=bool(raw.get("required")) or location == "path",
                schema=schema if isinstance(schema, dict) else None,
                examples=_parameter_examples(raw),
                description=_parameter_description(raw, schema),
            )
    return tuple(found.values())


def _parameter_description(raw: dict[str, Any], schema: Any) -> str:
    """A parameter's ``description``, else its schema's (text only, at most 500 characters)."""
    for text in (
        raw.get("description"),
        schema.get("description") if isinstance(schema, dict) else None,
    ):
        if isinstance(text, str) and text.strip():
            return text[:500]
    return ""


def _parameter_examples(raw: dict[str, Any]) -> tuple[str, ...]:
    """A parameter's ``example`` and the values of its ``examples`` map, strings only."""
    shown: list[Any] = [raw.get("example")]
    examples = raw.get("examples")
    if isinstance(examples, dict):
        shown += [e.get("value") for e in examples.values() if isinstance(e, dict)]
    return tuple(value for value in shown if isinstance(value, str) and value)


def _json_media(content: Any) -> tuple[tuple[str, ...], JsonSchema | None]:
    """The media types of a content map, and the schema of its JSON (else form) one."""
    if not isinstance(content, dict):
        return (), None
    media_by_type = {str(t): media for t, media in content.items()}
    types = tuple(media_by_type)
    preferred = sorted(types, key=lambda t: (not t.startswith("application/json"), "json" not in t))
    for media_type in preferred:
        media = media_by_type[media_type]
        if isinstance(media, dict) and isinstance(media.get("schema"), dict):
            return types, media["schema"]
    return types, None


def _operations_of(document: Mapping[str, Any], source: Path) -> Iterator[Operation]:
    swagger = "swagger" in document
    base_servers = _server_paths(document, document.get("servers"))
    paths = document.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        path_servers = (
            _server_paths(document, item["servers"]) if item.get("servers") else base_servers
        )
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            servers = (
                _server_paths(document, raw["servers"]) if raw.get("servers") else path_servers
            )
            parameters = _parameters(item.get("parameters"), raw.get("parameters"))
            if swagger:
                media_types, body_schema, body_required = _swagger_body(raw, parameters, document)
                parameters = tuple(p for p in parameters if p.location not in ("body", "formData"))
            else:
                body = raw.get("requestBody")
                media_types, body_schema = _json_media(
                    body.get("content") if isinstance(body, dict) else None
                )
                body_required = isinstance(body, dict) and bool(body.get("required"))
            responses: dict[str, JsonSchema | None] = {}
            answers = raw.get("responses")
            for status, answer in (answers if isinstance(answers, dict) else {}).items():
                if not isinstance(answer, dict):
                    continue
                if swagger:
                    schema = answer.get("schema")
                    responses[str(status)] = schema if isinstance(schema, dict) else None
                else:
                    responses[str(status)] = _json_media(answer.get("content"))[1]
            tags = raw.get("tags")
            yield Operation(
                method=method.upper(),
                path=str(path),
                server_paths=servers,
                operation_id=raw.get("operationId")
                if isinstance(raw.get("operationId"), str)
                else None,
                summary=str(raw.get("summary") or raw.get("description") or "").strip(),
                tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                parameters=parameters,
                request_media_types=media_types,
                request_schema=body_schema,
                request_body_required=body_required,
                responses=responses,
                source=source,
            )


def _swagger_body(
    raw: Mapping[str, Any], parameters: tuple[Parameter, ...], document: Mapping[str, Any]
) -> tuple[tuple[str, ...], JsonSchema | None, bool]:
    """Swagger 2's request body: the ``in: body`` parameter, else the ``formData`` ones."""
    consumes = raw.get("consumes") or document.get("consumes") or ["application/json"]
    media_types = tuple(str(t) for t in consumes) if isinstance(consumes, list) else ()
    values = raw.get("parameters")
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict) and value.get("in") == "body":
            schema = value.get("schema")
            return (
                media_types,
                schema if isinstance(schema, dict) else None,
                bool(value.get("required")),
            )
    form = [p for p in parameters if p.location == "formData"]
    if not form:  # no body at all: ``consumes`` says nothing about this operation
        return (), None, False
    schema = {
        "type": "object",
        "properties": {p.name: p.schema or {} for p in form},
        "required": [p.name for p in form if p.required],
    }
    return media_types, schema, any(p.required for p in form)


# -- loading ---------------------------------------------------------------------------


def description_files(path: Path) -> list[Path]:
    """The description's files: ``path`` itself, or a folder's JSON and YAML files (sorted)."""
    if path.is_dir():
        files = []
        for count, entry in enumerate(path.rglob("*")):
            if count >= MAX_FOLDER_ENTRIES:  # "/" or a home folder: never a description's
                raise DescriptionError(
                    f"{path}: more than {MAX_FOLDER_ENTRIES} files and folders under it; "
                    "name the folder that holds only the description's files"
                )
            if entry.suffix.lower() in DESCRIPTION_SUFFIXES:
                files.append(entry)
        files.sort()
        if not files:
            raise DescriptionError(f"{path}: no .json, .yaml or .yml file in this folder")
        return files
    if not path.exists():
        raise DescriptionError(f"{path}: no such file or folder")
    return [path]


def load_description(path: Path) -> ApiDescription:
    """Every operation of the OpenAPI/Swagger document(s) at ``path`` (a file or a folder).

    In a folder, each file that is an OpenAPI or Swagger document contributes its
    operations; the others are only targets of ``$ref``s.
    """
    files = description_files(path)
    folder = path if path.is_dir() else path.resolve().parent  # the file, not its link
    resolver = _Resolver(folder)
    operations: list[Operation] = []
    roots: list[Path] = []
    title = version = ""
    for file in files:
        document = resolver.document(file)
        if not is_root(document):
            continue
        roots.append(file)
        try:
            resolved = resolver.resolve(document, file.resolve())
        except RecursionError:
            raise DescriptionError(f"{file}: the description nests too deeply to be read") from None
        info = resolved.get("info") if isinstance(resolved.get("info"), dict) else {}
        title = title or str(info.get("title") or "")
        version = version or str(info.get("version") or "")
        operations.extend(_operations_of(resolved, file))
    if not roots:
        what = "file" if len(files) == 1 else "of these files"
        raise DescriptionError(
            f"{path}: no {what} is an OpenAPI or Swagger description "
            "(none has a top-level 'openapi' or 'swagger' key)"
        )
    return ApiDescription(
        title=title,
        version=version,
        operations=tuple(operations),
        files=tuple(roots),
        notes=tuple(resolver.notes),
    )
