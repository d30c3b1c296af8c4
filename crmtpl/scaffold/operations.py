"""Which operation of a description plays which part of a template: candidates, scored.

Each role (the contact search by phone, contact creation, the call journal, users,
tickets) has words its path should contain, a method, and signs in its parameters,
summary, operationId and tags; every operation gets a score per role and the roles'
candidates are the operations with a positive score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmtpl.openapi.description import ApiDescription, Operation, Parameter
from crmtpl.scaffold.words import last_segment_is_parameter, segments, squash, words

CONTACT_WORDS = {
    "contact": 4.0,
    "person": 4.0,
    "customer": 3.0,
    "lead": 2.0,
    "requester": 3.0,
    "enduser": 3.0,
    "client": 2.0,
    "party": 3.0,  # people and organisations in one collection
    "user": 1.5,  # a helpdesk's end users
}
#: The last word of a compound that names a record of the kind its first word says
#: (``customer-profiles``, ``contactRecords``): the compound weighs as its first word.
RECORD_WORDS = {"profile", "record", "entry", "detail", "info", "account"}
CALL_WORDS = {
    "call": 5.0,
    "calllog": 6.0,
    "engagement": 3.0,
    "activity": 3.0,
    "interaction": 3.0,
    "note": 1.5,
    "event": 1.0,
}
USER_WORDS = {"user": 4.0, "owner": 4.0, "agent": 4.0, "member": 2.0, "staff": 2.0}
TICKET_WORDS = {
    "ticket": 5.0,
    "issue": 3.0,
    "incident": 4.0,
    "case": 4.0,
    "conversation": 2.0,
    "request": 1.0,
}
#: Words of paths that are about something else than the records themselves.
NOISE = {
    "batch",
    "merge",
    "gdpr",
    "field",
    "property",
    "schema",
    "follower",
    "picture",
    "file",
    "label",
    "archive",
    "archived",
    "changelog",
    "permission",
    "setting",
    "type",
    "attachment",
    "upload",
    "import",
    "export",
    "bulk",
    "count",
    "history",
    "association",
    "pipeline",
    "role",
    "team",
    "flow",
    "mail",
    "product",
    "deal",
    "permitteduser",
    "oauth",
    "token",
    "me",
    "recording",
    "audio",
    "webhook",
}
PHONE_PARAMETERS = {
    "phone": 6.0,
    "phonenumber": 6.0,
    "mobile": 4.0,
    "number": 3.0,
    "term": 4.0,
    "query": 4.0,
    "q": 4.0,
    "search": 4.0,
    "keyword": 3.0,
    "criteria": 2.0,
    "filter": 1.0,
    "text": 1.0,
    "fieldvalue": 3.0,
}
SEARCH_WORDS = {"search", "find", "lookup", "query"}

#: Path parameters that take the matched contact's id in a call log or a ticket.
CONTACT_IDS = {"contactid", "personid", "customerid", "requesterid", "leadid", "clientid"}
CONTACT_ID = "{{.ContactId}}"

ROLES = ("lookup", "create-contact", "call-journal", "users", "ticket")


@dataclass(frozen=True)
class Candidate:
    """An operation for a role, with its score and what made it."""

    operation: Operation
    score: float
    reasons: tuple[str, ...]
    phone_parameter: Parameter | None = None
    path_values: tuple[tuple[str, str], ...] = ()  # a module-like path parameter, filled

    @property
    def value(self) -> str:
        """What ``--choose ROLE=VALUE`` names it by: the method and the whole path."""
        return f"{self.operation.method} {self.operation.full_paths()[0]}"


def _path_score(path: str, table: dict[str, float]) -> tuple[float, str | None]:
    """The best word of ``table`` in the path's literal segments (later segments weigh more)."""
    best, found = 0.0, None
    parts = segments(path)
    for position, segment in enumerate(parts):
        split = words(segment)
        for word in _segment_words(split, table):
            weight = table.get(word, 0.0)
            weight += 0.5 * position / max(len(parts), 1)
            if word in table and weight > best:
                best, found = weight, segment
    return best, found


def _segment_words(split: list[str], table: dict[str, float]) -> set[str]:
    """The words of a segment that may name a kind of record: its last word, the whole
    compound (``end_users`` as ``enduser``), and the first word of a compound whose last
    word only says "record of" (``customer-profiles`` as ``customer``)."""
    if not split:
        return set()
    found = {split[-1], "".join(split)}
    if len(split) == 2 and split[-1] in RECORD_WORDS and split[0] in table:
        found.add(split[0])
    return found


def _noise(path: str) -> bool:
    return any(word in NOISE for segment in segments(path) for word in words(segment))


def _text_words(operation: Operation) -> set[str]:
    text = " ".join([operation.summary[:200], operation.operation_id or "", *operation.tags])
    return set(words(text))


#: Words of query parameters that page, sort or shape a listing: they never carry the number
#: (``pageNumber`` is not a phone number).
LISTING_WORDS = {
    "page",
    "limit",
    "offset",
    "size",
    "count",
    "per",
    "sort",
    "order",
    "cursor",
    "skip",
    "top",
    "include",
    "expand",
    "select",
    "format",
    "version",
}
#: Words of a parameter's description that say it takes (or searches) phone numbers.
PHONE_DESCRIPTION_WORDS = {"phone", "telephone", "mobile", "msisdn", "cell"}
#: What a description that speaks of phone numbers adds to a parameter's weight.
DESCRIPTION_WEIGHT = 4.0  # as much as a search-text name (`q`, `term`)


def _parameter_weight(name: str) -> float:
    """How well a query parameter's name says "the number goes here" (``sysparm_query``
    counts as ``query``, a little less)."""
    if LISTING_WORDS & set(words(name)):
        return 0.0
    squashed = squash(name)
    if squashed in PHONE_PARAMETERS:
        return PHONE_PARAMETERS[squashed]
    endings = [w - 1.0 for k, w in PHONE_PARAMETERS.items() if len(k) >= 4 and squashed.endswith(k)]
    return max(endings, default=0.0)


def _says_phone(parameter: Parameter) -> bool:
    """Whether the parameter's description speaks of phone numbers."""
    return bool(PHONE_DESCRIPTION_WORDS & set(words(parameter.description)))


def phone_parameter(operation: Operation) -> tuple[Parameter | None, float]:
    """The query parameter that should carry the number, and how sure that is: its name
    (``phone``, ``q``), and its description when that speaks of phone numbers."""
    best: tuple[Parameter | None, float] = (None, 0.0)
    for parameter in operation.parameters:
        if parameter.location != "query" or LISTING_WORDS & set(words(parameter.name)):
            continue
        weight = _parameter_weight(parameter.name)
        if _says_phone(parameter):
            weight += DESCRIPTION_WEIGHT
        if weight > best[1]:
            best = (parameter, weight)
    return best


MODULE_PARAMETERS = ("module", "object", "entity", "resource", "collection")
#: The value a module-like path parameter without an enum takes, per role's word table.
MODULE_GUESSES = {"contact": "Contacts", "calllog": "Calls", "ticket": "Tickets", "user": "users"}


def module_value(parameter: Parameter, table: dict[str, float]) -> str | None:
    """The value of a path parameter that names the kind of record (``{module_api_name}``,
    ``{objectType}``): the enum value with the best word of ``table``, or, without an enum,
    its example or default when that names a word of ``table`` (``people``), else the plain
    name of the table's best word (``Contacts``)."""
    if parameter.location != "path":
        return None
    values = (parameter.schema or {}).get("enum") or []
    if values:
        return _best_value(values, table)
    if not any(word in squash(parameter.name) for word in MODULE_PARAMETERS):
        return None
    shown = _best_value(_examples(parameter), table)
    if shown is not None:
        return shown
    best = max(table, key=lambda word: table[word])
    return MODULE_GUESSES.get(best)


def _best_value(values: list[object], table: dict[str, float]) -> str | None:
    ranked = [(table.get(singular_word(v), 0.0), str(v)) for v in values]
    ranked = [r for r in ranked if r[0] > 0]
    return max(ranked)[1] if ranked else None


def _examples(parameter: Parameter) -> list[object]:
    """The values a parameter's schema shows: its example(s) and default (strings only)."""
    schema = parameter.schema or {}
    shown = [schema.get("example"), schema.get("default")]
    examples = schema.get("examples")
    if isinstance(examples, list):
        shown += examples
    return [value for value in shown if isinstance(value, str) and value]


def module_reason(parameter_name: str, value: str, operation: Operation) -> str:
    """How a module-like path parameter got its value: an enum's, the schema's example, or
    a guess."""
    for parameter in operation.parameters:
        if parameter.name != parameter_name:
            continue
        if (parameter.schema or {}).get("enum"):
            return f"{{{parameter_name}}} = {value} (its enum)"
        if value in _examples(parameter):
            return f"{{{parameter_name}}} = {value} (its example)"
    return f"{{{parameter_name}}} = {value} (guessed)"


def _module_values(operation: Operation, table: dict[str, float]) -> dict[str, str] | None:
    """Values for the operation's path parameters, or None when one cannot be filled
    (a record id: the operation is about one record, not a collection or a search)."""
    values: dict[str, str] = {}
    last = operation.path.rstrip("/").rsplit("/", 1)[-1]
    for parameter in operation.parameters:
        if parameter.location != "path":
            continue
        value = module_value(parameter, table)
        linked = table is CALL_WORDS or table is TICKET_WORDS  # records about a contact
        if value is None and linked and _names_contact(operation, parameter):
            value = CONTACT_ID  # /contacts/{contact_id}/notes: the caller's contact
        if value is None and last == "{" + parameter.name + "}":
            return None  # /contacts/{id}: one record, not a collection or a search
        values[parameter.name] = value or "{{." + field_name(parameter.name) + "}}"
    if "{" in operation.path and not values:
        return None
    return values


def singular_word(value: object) -> str:
    """The one word of an enum value (``Contacts`` -> ``contact``)."""
    return "".join(words(str(value)))


def _names_contact(operation: Operation, parameter: Parameter) -> bool:
    """``{contact_id}``, or ``{id}`` right after a contacts segment (``/Contacts/{id}/Notes``)."""
    if squash(parameter.name) in CONTACT_IDS:
        return True
    parts = operation.path.strip("/").split("/")
    spot = "{" + parameter.name + "}"
    if squash(parameter.name) != "id" or spot not in parts or parts.index(spot) == 0:
        return False
    before = words(parts[parts.index(spot) - 1])
    return bool(before) and CONTACT_WORDS.get(before[-1], 0.0) >= 2.0


def field_name(name: str) -> str:
    """A path parameter's name as a custom field (a Go template identifier)."""
    cleaned = re.sub(r"\W", "_", name)
    return cleaned if cleaned[:1].isalpha() else "p_" + cleaned


def path_fields(candidate: Candidate) -> list[str]:
    """The custom fields a candidate's path needs (``{serviceDeskId}``)."""
    return [v[3:-2] for _, v in candidate.path_values if v.startswith("{{.") and v != CONTACT_ID]


def contact_enum_value(parameter: Parameter) -> str | None:
    """For ``/{module}/search``, the value that names contacts."""
    return module_value(parameter, CONTACT_WORDS)


def _path_reasons(filled: dict[str, str], operation: Operation) -> list[str]:
    reasons = []
    for name, value in filled.items():
        if value == CONTACT_ID:
            reasons.append(f"{{{name}}} = the caller's contact")
        elif value.startswith("{{"):
            reasons.append(f"{{{name}}} = a custom field")
        else:
            reasons.append(module_reason(name, value, operation))
    return reasons


#: A collection named only by a guessed value of a module-like path parameter
#: (``/objects/{object}`` as ``users``) weighs less than a path that names the role itself.
GUESSED_COLLECTION_SCORE = 2.0


def _lookup(operation: Operation) -> Candidate | None:
    where, word = _path_score(operation.path, CONTACT_WORDS)
    filled = _module_values(operation, CONTACT_WORDS)
    if filled is None or _noise(operation.path):
        return None
    guessed = {k: v for k, v in filled.items() if not v.startswith("{{")}
    if where == 0 and guessed:
        where, word = 3.0, next(iter(guessed.values()))
    if where == 0:
        return None
    reasons = [f"path names {word}", *_path_reasons(filled, operation)]
    where -= 1.0 * (len(filled) - len(guessed))
    score = where
    last = words(segments(operation.path)[-1]) if segments(operation.path) else []
    searching = bool(SEARCH_WORDS & set(last))
    parameter, weight = phone_parameter(operation)
    if operation.method == "GET":
        if last_segment_is_parameter(operation.path) or parameter is None:
            return None
        score += weight
        reasons.append(f"query parameter {parameter.name}")
        if _says_phone(parameter):
            reasons.append("its description speaks of phone numbers")
    elif operation.method == "POST" and searching and operation.request_schema is not None:
        score += 3.0
        reasons.append("POST search with a JSON body")
    else:
        return None
    if searching:
        score += 3.0
        reasons.append("a search endpoint")
    if {"phone", "search", "find"} & _text_words(operation):
        score += 1.0
        reasons.append("summary/operationId says search")
    return Candidate(operation, score, tuple(reasons), parameter, tuple(filled.items()))


def _collection(
    operation: Operation, table: dict[str, float], method: tuple[str, ...], what: str
) -> Candidate | None:
    if operation.method not in method or _noise(operation.path):
        return None
    filled = _module_values(operation, table)
    if filled is None:
        return None
    raw_last = operation.path.rstrip("/").rsplit("/", 1)[-1]
    if raw_last.startswith("{") and not filled.get(raw_last.strip("{}"), "{{").startswith("{{"):
        word = filled.get(raw_last.strip("{}"), "")
        reason = module_reason(raw_last.strip("{}"), word, operation)
        score = GUESSED_COLLECTION_SCORE if reason.endswith("(guessed)") else 3.0
    else:
        parts = segments(operation.path)
        if not parts or last_segment_is_parameter(operation.path):
            return None
        if SEARCH_WORDS & set(words(parts[-1])):
            return None
        score, found = _path_score("/" + parts[-1], table)
        word = found or ""
        if score == 0:  # /objects/{object}/records: the kind is the path parameter's
            score, word = _shown_kind(filled, operation)
    if score == 0:
        return None
    reasons = [
        f"{operation.method} on the {word} collection ({what})",
        *_path_reasons(filled, operation),
    ]
    score -= 1.0 * sum(1 for v in filled.values() if v.startswith("{{") and v != CONTACT_ID)
    if operation.method == "POST" and operation.request_schema is None:
        score -= 2.0
        reasons.append("no JSON request schema")
    if operation.method == "GET" and operation.success_schema() is None:
        score -= 2.0
        reasons.append("no response schema")
    if set(words(what)) & _text_words(operation):
        score += 0.5
    return Candidate(operation, score, tuple(reasons), path_values=tuple(filled.items()))


def _shown_kind(filled: dict[str, str], operation: Operation) -> tuple[float, str]:
    """A score for a collection named by a module-like path parameter whose value its enum
    or example gives (never a mere guess), and that value."""
    for name, value in filled.items():
        if value.startswith("{{") or module_reason(name, value, operation).endswith("(guessed)"):
            continue
        return 3.0, value
    return 0.0, ""


def candidates(description: ApiDescription, role: str) -> list[Candidate]:
    """The operations that could play ``role``, best first."""
    found: dict[str, Candidate] = {}
    for operation in description.operations:
        if role == "lookup":
            candidate = _lookup(operation)
        elif role == "create-contact":
            candidate = _collection(operation, CONTACT_WORDS, ("POST",), "create")
        elif role == "call-journal":
            candidate = _collection(operation, CALL_WORDS, ("POST",), "call log")
        elif role == "users":
            candidate = _collection(operation, USER_WORDS, ("GET",), "list")
        elif role == "ticket":
            candidate = _collection(operation, TICKET_WORDS, ("POST",), "create")
        else:
            raise ValueError(role)
        if candidate is not None:
            known = found.get(candidate.value)
            if known is None or known.score < candidate.score:
                found[candidate.value] = candidate
    return sorted(found.values(), key=lambda c: (-c.score, c.operation.path))
