"""Where a template's fields sit in an answer: GJSON paths found from the response schema.

:func:`leaves` walks a (resolved, possibly recursive) schema and the examples in it, and
lists every scalar it can reach with its GJSON path (``#`` for every item of a list,
``0`` for the first item of a nested list). :func:`map_fields` picks, for each PBX field,
the leaf whose name fits best, inside the list of records when the answer is a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmtpl.gjson.escape import escape
from crmtpl.scaffold.words import squash

MAX_DEPTH = 7
#: At most this many schema (and example) nodes are visited in one walk: a description that
#: shares one schema under many names would otherwise be walked once per path to it.
MAX_NODES = 20_000


@dataclass(frozen=True)
class Leaf:
    """A scalar of the answer: its GJSON path, its name and its JSON type."""

    path: str
    name: str
    kind: str  # string, integer, number, boolean, or "" unknown
    depth: int


#: PBX field -> property names that fit it (squashed), best first.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "ContactsId": ("id", "contactid", "personid", "uuid", "recordid", "key"),
    "FirstName": ("firstname", "givenname", "fname", "first", "name", "fullname", "displayname"),
    "LastName": ("lastname", "surname", "familyname", "lname", "last"),
    "Company": (
        "company",
        "companyname",
        "organization",
        "organisation",
        "orgname",
        "accountname",
        "account",
        "orgid",
    ),
    "Email": ("email", "emailaddress", "primaryemail", "mail", "value", "emails"),
    "BusinessNumber": (
        "phone",
        "phonenumber",
        "primaryphonenumber",
        "primaryphone",
        "workphone",
        "businessphone",
        "telephone",
        "officephone",
        "number",
        "value",
        "phones",
    ),
    "MobileNumber": ("mobilephone", "mobile", "mobilenumber", "cellphone", "cell"),
    "BusinessFaxNumber": ("fax", "faxnumber", "businessfax"),
    "Street": ("street", "address", "streetaddress", "address1", "mailingstreet"),
    "City": ("city", "mailingcity", "town", "locality"),
    "State": ("state", "region", "province", "mailingstate"),
    "ZipCode": ("zip", "zipcode", "postalcode", "postcode", "mailingzip"),
    "Country": ("country", "mailingcountry", "countrycode"),
}
USER_FIELDS: dict[str, tuple[str, ...]] = {
    "UserUniqueId": ("id", "userid", "uuid", "key"),
    "FirstName": ("firstname", "givenname", "name", "fullname", "displayname", "username"),
    "LastName": ("lastname", "surname", "familyname"),
    "Email": ("email", "emailaddress", "mail"),
}
#: The containers whose name makes a fitting ``value`` leaf (``emails.0.value``).
_VALUE_PARENTS = {"Email": ("email", "emails"), "BusinessNumber": ("phone", "phones")}
#: The objects whose ``name`` fills a field (``company.name``).
_NAME_PARENTS = {"Company": ("company", "organization", "organisation", "org", "account")}


def _kind(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    return str(kind or "")


def _members(schema: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    members = schema.get(key)
    return [p for p in members if isinstance(p, Mapping)] if isinstance(members, list) else []


def _merged(
    schema: Mapping[str, Any],
    seen: frozenset[int] = frozenset(),
    memo: dict[int, tuple[Any, Mapping[str, Any]]] | None = None,
) -> Mapping[str, Any]:
    """A schema with its allOf parts (and the first oneOf/anyOf) merged into one object.

    A part met again inside its own merge is left out (descriptions may be recursive), and a
    part shared by several others is merged once (a chain of shared parts stays linear)."""
    memo = {} if memo is None else memo
    known = memo.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    parts = [schema, *_members(schema, "allOf")]
    for key in ("oneOf", "anyOf"):
        parts += _members(schema, key)[:1]
    parts = list({id(part): part for part in parts}.values())
    if len(parts) == 1:
        return schema
    seen = seen | {id(schema)}
    properties: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    for part in parts:
        if part is not schema and id(part) in seen:
            continue
        inner = _merged(part, seen, memo) if part is not schema else part
        merged.update({k: v for k, v in inner.items() if k not in ("allOf", "oneOf", "anyOf")})
        inner_properties = inner.get("properties")
        properties.update(inner_properties if isinstance(inner_properties, Mapping) else {})
    merged["properties"] = properties
    memo[id(schema)] = (schema, merged)
    return merged


class _Budget:
    """The nodes one walk may still visit, and the merged schemas it has made."""

    def __init__(self) -> None:
        self.left = MAX_NODES
        self.merged: dict[int, tuple[Any, Mapping[str, Any]]] = {}

    def spend(self) -> bool:
        """Count one visit; False once the walk has visited :data:`MAX_NODES` nodes."""
        self.left -= 1
        return self.left >= 0


def leaves(schema: Mapping[str, Any] | None) -> list[Leaf]:
    """Every scalar reachable in ``schema`` and in its examples, with its GJSON path."""
    found: dict[str, Leaf] = {}
    if schema is not None:
        _walk_schema(schema, [], found, set(), _Budget(), nested=False)
    return list(found.values())


def _join(parts: list[str]) -> str:
    return ".".join(parts)


def _walk_schema(
    schema: Mapping[str, Any],
    parts: list[str],
    found: dict[str, Leaf],
    seen: set[int],
    budget: _Budget,
    *,
    nested: bool,
) -> None:
    if id(schema) in seen or len(parts) > MAX_DEPTH or not budget.spend():
        return
    seen = seen | {id(schema)}
    schema = _merged(schema, memo=budget.merged)
    example = schema.get("example")
    if example is not None:
        _walk_example(example, parts, found, budget, nested=nested)
    kind = _kind(schema)
    if kind == "array" or "items" in schema:
        items = schema.get("items")
        if isinstance(items, Mapping):
            step = "0" if nested else "#"
            _walk_schema(items, [*parts, step], found, seen, budget, nested=True)
        return
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        for name, sub in properties.items():
            if isinstance(sub, Mapping):
                _walk_schema(sub, [*parts, escape(str(name))], found, seen, budget, nested=nested)
        return
    if kind in ("object", "") or isinstance(schema.get("additionalProperties"), Mapping):
        return
    if parts:
        _add(found, parts, kind)


def _walk_example(
    value: Any, parts: list[str], found: dict[str, Leaf], budget: _Budget, *, nested: bool
) -> None:
    if len(parts) > MAX_DEPTH or not budget.spend():
        return
    if isinstance(value, list):
        for item in value[:1]:
            _walk_example(item, [*parts, "0" if nested else "#"], found, budget, nested=True)
    elif isinstance(value, Mapping):
        for name, sub in value.items():
            _walk_example(sub, [*parts, escape(str(name))], found, budget, nested=nested)
    elif parts:
        kind = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
            type(value), ""
        )
        _add(found, parts, kind)


def _add(found: dict[str, Leaf], parts: list[str], kind: str) -> None:
    path = _join(parts)
    if path not in found:
        name = next((p for p in reversed(parts) if p not in ("#", "0")), "")
        found[path] = Leaf(path, name.replace("\\", ""), kind, len(parts))


def record_prefix(all_leaves: list[Leaf]) -> str:
    """Where the records are: the path up to the first ``#`` of the shallowest list leaf
    that looks like a record (has an id or a name), else "" (the answer is one record)."""
    prefixes: dict[str, int] = {}
    for leaf in all_leaves:
        if "#" in leaf.path.split("."):
            head = leaf.path.split(".#", 1)[0] + ".#" if not leaf.path.startswith("#") else "#"
            if squash(leaf.name) in ("id", "name", "firstname", "email", "phone") or (
                _in_composite_id(leaf)
            ):
                prefixes[head] = prefixes.get(head, 0) + 1
    if not prefixes:
        return ""
    return min(prefixes, key=lambda p: (p.count("."), -prefixes[p]))


@dataclass(frozen=True)
class Mapped:
    """A PBX field, the GJSON path that fills it, and why."""

    field: str
    path: str
    reason: str


def map_fields(
    schema: Mapping[str, Any] | None, table: Mapping[str, tuple[str, ...]]
) -> tuple[list[Mapped], str]:
    """The paths of the PBX fields of ``table`` in an answer of ``schema``, and the records'
    prefix. Each leaf fills one field at most; the id and the first name are always filled
    when any leaf fits them."""
    all_leaves = leaves(schema)
    prefix = record_prefix(all_leaves)
    inside = [leaf for leaf in all_leaves if _under(leaf.path, prefix)]
    used: set[str] = set()
    mapped: list[Mapped] = []
    for field, names in table.items():
        best = _best_leaf(field, names, inside, used, prefix)
        reason = f"property {best.name!r}" if best is not None else ""
        if best is None and field in ("ContactsId", "UserUniqueId"):
            best = _composite_id(inside, used, prefix)
            reason = f"the last part {best.name!r} of a composite id" if best else ""
        if best is None:
            continue
        used.add(best.path)
        mapped.append(Mapped(field, best.path, reason))
    return mapped, prefix


#: Names of an object that is a record's id made of several parts (``id.record_id``).
_COMPOSITE_IDS = ("id", "key", "ids")


def _in_composite_id(leaf: Leaf) -> bool:
    """A ``..._id`` member of an object named ``id`` (an id of several parts)."""
    parts = leaf.path.split(".")
    return (
        len(parts) >= 2 and squash(parts[-2]) in _COMPOSITE_IDS and squash(leaf.name).endswith("id")
    )


def _composite_id(inside: list[Leaf], used: set[str], prefix: str) -> Leaf | None:
    """The record's own part of a composite id right in the record: the last ``..._id``
    member (the parts before it scope it: workspace, object)."""
    depth = (prefix.count(".") + 1 if prefix else 0) + 2
    members = [
        leaf
        for leaf in inside
        if leaf.path not in used and _in_composite_id(leaf) and leaf.depth == depth
    ]
    return members[-1] if members else None


def _under(path: str, prefix: str) -> bool:
    if not prefix:
        return "#" not in path.split(".")
    return path.startswith(prefix + ".") and path.count("#") == prefix.count("#")


def _best_leaf(
    field: str, names: tuple[str, ...], inside: list[Leaf], used: set[str], prefix: str
) -> Leaf | None:
    ranked: list[tuple[int, int, Leaf]] = []
    for leaf in inside:
        if leaf.path in used:
            continue
        name = squash(leaf.name)
        parent = squash(leaf.path.split(".")[-2]) if "." in leaf.path else ""
        if name == "name" and parent in _NAME_PARENTS.get(field, ()):
            ranked.append((len(names), leaf.depth, leaf))  # company.name
            continue
        if name not in names:
            continue
        rank = names.index(name)
        if name == "value":
            parent = squash(leaf.path.split(".")[-3]) if leaf.path.count(".") >= 2 else ""
            if parent not in _VALUE_PARENTS.get(field, ()):
                continue
        if field in ("ContactsId", "UserUniqueId") and leaf.depth > prefix.count(".") + 3:
            continue  # an id deeper than the record itself belongs to something else
        ranked.append((rank, leaf.depth, leaf))
    if not ranked:
        return None
    return min(ranked, key=lambda r: (r[0], r[1], r[2].path))[2]


def free_maps(schema: Mapping[str, Any] | None, prefix: str) -> list[str]:
    """Paths of the records' free maps (``properties`` of ``additionalProperties``, no names):
    where a CRM keeps its fields by their internal names."""
    found: list[str] = []
    if schema is None:
        return found

    budget = _Budget()

    def walk(node: Mapping[str, Any], parts: list[str], seen: set[int]) -> None:
        if id(node) in seen or len(parts) > MAX_DEPTH or not budget.spend():
            return
        seen = seen | {id(node)}
        node = _merged(node, memo=budget.merged)
        items = node.get("items")
        if isinstance(items, Mapping):
            walk(items, [*parts, "#" if "#" not in parts else "0"], seen)
            return
        properties = node.get("properties")
        if isinstance(properties, Mapping) and properties:
            for name, sub in properties.items():
                if isinstance(sub, Mapping):
                    walk(sub, [*parts, escape(str(name))], seen)
            return
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and _kind(extra) in ("string", "") and parts:
            path = _join(parts)
            if _under(path + ".x", prefix):
                found.append(path)

    walk(schema, [], set())
    return found


#: Field names guessed for a free map: the plainest spelling of each field.
GUESSED_KEYS = {
    "FirstName": "firstname",
    "LastName": "lastname",
    "Company": "company",
    "Email": "email",
    "BusinessNumber": "phone",
    "MobileNumber": "mobilephone",
    "BusinessFaxNumber": "fax",
    "Street": "address",
    "City": "city",
    "State": "state",
    "ZipCode": "zip",
    "Country": "country",
}


#: Names of a record's own web address.
URL_NAMES = ("url", "htmlurl", "weburl", "link", "profileurl", "permalink", "appurl")


def url_leaf(schema: Mapping[str, Any] | None, prefix: str) -> str | None:
    """The record's own web address, when the answer has one (``url``, ``html_url``...)."""
    for leaf in leaves(schema):
        if not _under(leaf.path, prefix) or squash(leaf.name) not in URL_NAMES:
            continue
        if leaf.depth <= (prefix.count(".") + 2 if prefix else 1):
            return leaf.path
    return None
