"""Routing: which page, OAuth endpoint or API handler answers a request, and API auth.

API paths are ``/<prefix>/api/v1/<resource>``; the prefix (``none``, ``basic``, ``apikey``,
``bearer``, ``oauth``) decides which credential the request must carry. Every prefix serves
the same data. Answers are JSON: ``{"data": ...}`` for one record, ``{"data": [...],
"total": N}`` for lists, ``{"error": code, "message": sentence}`` for failures.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from crmtpl.sandbox import pages
from crmtpl.sandbox.database import Database, StorageError
from crmtpl.sandbox.oauth import OAuthEndpoints
from crmtpl.sandbox.settings import (
    API_PATH,
    AUTH_PREFIX_NAMES,
    CREDENTIALS,
    INSTANCE_HEADER,
    SERVICE_NAME,
    SandboxCredentials,
)
from crmtpl.sandbox.store import PERSON_KINDS, JsonObject, PersonKind, SandboxStore
from crmtpl.sandbox.tokens import Flow, InvalidToken, TokenService
from crmtpl.sandbox.validation import (
    CALL_FIELDS,
    COMMENT_FIELDS,
    CONTACT_FIELDS,
    LEAD_FIELDS,
    MAX_ID,
    TICKET_FIELDS,
    InvalidBody,
    Problem,
    check_body,
    id_from_text,
    parse_json_body,
    reject,
    shown_id,
)
from crmtpl.sandbox.wire import (
    SandboxRequest,
    SandboxResponse,
    api_error,
    html_response,
    json_response,
)

_log = logging.getLogger("crmtpl.sandbox")
Handler = Callable[[SandboxRequest, "re.Match[str]", str], SandboxResponse]
_API_PATH = re.compile(r"^/(?P<prefix>[^/]+)" + re.escape(API_PATH) + r"(?P<rest>/.*)?$")
_APP_PAGE = re.compile(r"^/app/(?P<kind>contacts|leads|tickets)/(?P<id>\d+)$", re.IGNORECASE)
_REALM = 'realm="crmtpl-sandbox"'
_FLOWS: dict[str, Flow] = {"bearer": "client_credentials", "oauth": "authorization_code"}


class SandboxApp:
    """Answers every request the sandbox receives."""

    def __init__(
        self,
        database: Database,
        token_ttl: int,
        data_dir: Path,
        credentials: SandboxCredentials = CREDENTIALS,
    ) -> None:
        self.store = SandboxStore(database)
        self.tokens = TokenService(database, token_ttl)
        self.oauth = OAuthEndpoints(self.tokens, credentials)
        self._credentials = credentials
        self._data_dir = data_dir
        self.instance_id = secrets.token_urlsafe(24)
        """A secret naming this sandbox; its state file holds it (see ``/health``)."""
        kinds = "(?P<kind>contacts|leads)"
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(rf"^/{kinds}/search$"), self._search),
            ("GET", re.compile(rf"^/{kinds}$"), self._list_people),
            ("POST", re.compile(rf"^/{kinds}$"), self._create_person),
            ("GET", re.compile(rf"^/{kinds}/(?P<id>\d+)$"), self._get_person),
            ("GET", re.compile(rf"^/{kinds}/(?P<id>\d+)/calls$"), self._person_calls),
            ("GET", re.compile(r"^/users$"), self._users),
            ("GET", re.compile(r"^/account$"), self._account),
            ("GET", re.compile(r"^/calls$"), self._list_calls),
            ("POST", re.compile(r"^/calls$"), self._create_call),
            ("GET", re.compile(r"^/tickets$"), self._list_tickets),
            ("POST", re.compile(r"^/tickets$"), self._create_ticket),
            ("GET", re.compile(r"^/tickets/(?P<id>\d+)$"), self._get_ticket),
            ("POST", re.compile(r"^/tickets/(?P<id>\d+)/comments$"), self._create_comment),
        ]

    # -- top level ----------------------------------------------------------------------

    def handle(self, request: SandboxRequest) -> SandboxResponse:
        """The response to one request (503 when the database cannot be used)."""
        try:
            return self._route(request)
        except StorageError as problem:
            _log.error("sandbox: %s (%s)", problem, problem.hint)
            return api_error(
                503,
                "storage_unavailable",
                "the sandbox cannot use its database (disk full, read-only or damaged);"
                " its own output says which file and how to fix it",
            )

    def _health(self, request: SandboxRequest) -> dict[str, object]:
        """``/health``: pid and data directory only for a caller holding the instance id."""
        answer: dict[str, object] = {"status": "ok", "service": SERVICE_NAME}
        presented = request.header(INSTANCE_HEADER) or ""
        if presented and secrets.compare_digest(presented.encode(), self.instance_id.encode()):
            answer |= {"pid": os.getpid(), "data_dir": str(self._data_dir)}
        return answer

    def _route(self, request: SandboxRequest) -> SandboxResponse:
        path, method = request.path, request.method
        if path in ("/oauth/authorize", "/oauth/token", "/bearer/oauth/token"):
            if method not in ("GET", "POST"):
                return _method_not_allowed(method, path, ["GET", "POST"])
            if path == "/oauth/authorize":
                return self.oauth.authorize(request)
            if path == "/oauth/token":
                return self.oauth.token(request)
            return self.oauth.client_credentials_token(request)
        api = _API_PATH.match(path)
        if api:
            return self._api(request, api.group("prefix"), api.group("rest") or "/")
        if method != "GET":
            return _method_not_allowed(method, path, ["GET"])
        if path == "/":
            return html_response(200, pages.index(self._index_data(request)))
        if path == "/health":
            return json_response(200, self._health(request))
        page = _APP_PAGE.match(path)
        if page:  # any case: a contact URL may be built from a capitalised ContactSyncType
            return self._app_page(page.group("kind").lower(), page.group("id"))
        return api_error(
            404,
            "not_found",
            f"nothing at {path}; API paths look like {request.base_url}/none{API_PATH}/contacts"
            f" and the list is at {request.base_url}/",
        )

    def _index_data(self, request: SandboxRequest) -> pages.IndexData:
        return pages.IndexData(
            base_url=request.base_url,
            token_ttl=self.tokens.access_token_ttl,
            contacts=self.store.list_people("contacts", detail=True),
            leads=self.store.list_people("leads", detail=True),
            users=self.store.list_users(),
            calls=self.store.list_calls(),
            tickets=self.store.list_tickets(),
        )

    def _app_page(self, kind: str, id_text: str) -> SandboxResponse:
        record_id = _record_id(id_text)
        if record_id is None:
            return html_response(404, pages.not_found(f"no {kind[:-1]} {shown_id(id_text)}"))
        if kind == "tickets":
            ticket = self.store.get_ticket(record_id)
            if ticket is None:
                return html_response(404, pages.not_found(f"no ticket {record_id}"))
            return html_response(200, pages.ticket(ticket))
        person_kind = cast(PersonKind, kind)
        record = self.store.get_person(person_kind, record_id)
        if record is None:
            return html_response(404, pages.not_found(f"no {kind[:-1]} {record_id}"))
        calls = self.store.list_calls(person_kind, record_id)
        return html_response(200, pages.person(kind, record, calls))

    # -- API ----------------------------------------------------------------------------

    def _api(self, request: SandboxRequest, prefix: str, rest: str) -> SandboxResponse:
        if prefix not in AUTH_PREFIX_NAMES:
            known = ", ".join(sorted(AUTH_PREFIX_NAMES))
            return api_error(404, "not_found", f"unknown prefix /{prefix}/; use one of {known}")
        refused = self._authenticate(prefix, request)
        if refused is not None:
            return refused
        allowed: list[str] = []
        for method, pattern, handler in self._routes:
            match = pattern.match(rest)
            if match is None:
                continue
            if method == request.method:
                try:
                    return handler(request, match, prefix)
                except InvalidBody as bad:
                    return _invalid_body(bad)
                except _NoSuchRecord as missing:
                    return api_error(404, "not_found", str(missing))
            allowed.append(method)
        if allowed:
            return _method_not_allowed(request.method, request.path, allowed)
        return api_error(
            404,
            "not_found",
            f"no endpoint {request.method} {request.path}; the list is at {request.base_url}/",
        )

    def _authenticate(self, prefix: str, request: SandboxRequest) -> SandboxResponse | None:
        if prefix == "none":
            return None
        if prefix == "basic":
            return self._check_basic(request.header("authorization"))
        if prefix == "apikey":
            key = request.header("x-api-key")
            if not key:
                return api_error(401, "missing_api_key", "send the header X-Api-Key")
            if not secrets.compare_digest(key.encode(), self._credentials.api_key.encode()):
                return api_error(401, "invalid_api_key", "the X-Api-Key is not the sandbox's")
            return None
        authorization = request.header("authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            where = "/bearer/oauth/token" if prefix == "bearer" else "/oauth/token"
            return api_error(
                401,
                "missing_token",
                f"send Authorization: Bearer <access token> (tokens come from {where})",
                {"WWW-Authenticate": f"Bearer {_REALM}"},
            )
        try:
            self.tokens.check_access_token(token.strip(), _FLOWS[prefix])
        except InvalidToken as invalid:
            challenge = f'Bearer {_REALM}, error="invalid_token", error_description="{invalid}"'
            return api_error(401, "invalid_token", str(invalid), {"WWW-Authenticate": challenge})
        return None

    def _check_basic(self, authorization: str | None) -> SandboxResponse | None:
        challenge = {"WWW-Authenticate": f"Basic {_REALM}"}
        if not authorization or not authorization.lower().startswith("basic "):
            return api_error(
                401, "missing_credentials", "send Authorization: Basic <base64>", challenge
            )
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return api_error(
                401, "invalid_credentials", "the Basic credential is not base64", challenge
            )
        user, _, password = decoded.partition(":")
        creds = self._credentials
        as_user = _same(user, creds.username) and _same(password, creds.password)
        as_api_key = _same(user, creds.api_key)
        if as_user or as_api_key:
            return None
        return api_error(
            401,
            "invalid_credentials",
            "wrong user name or password (the sandbox takes demo:demo-password, or its API key)",
            challenge,
        )

    # -- people -------------------------------------------------------------------------

    def _search(self, request: SandboxRequest, match: re.Match[str], _via: str) -> SandboxResponse:
        phone = request.param("phone")
        if phone is None or not phone.strip():
            return api_error(
                400, "invalid_request", "the query parameter phone is required (?phone=5503302)"
            )
        if not any(ch.isdigit() for ch in phone):
            return api_error(400, "invalid_request", f"phone must contain digits; it was {phone!r}")
        kind = _kind(match)
        found = [self._linked(request, kind, p) for p in self.store.search_people(kind, phone)]
        return json_response(200, {"data": found, "total": len(found)})

    def _list_people(
        self, request: SandboxRequest, match: re.Match[str], _via: str
    ) -> SandboxResponse:
        kind = _kind(match)
        people = [self._linked(request, kind, p) for p in self.store.list_people(kind)]
        return json_response(200, {"data": people, "total": len(people)})

    def _get_person(
        self, request: SandboxRequest, match: re.Match[str], _via: str
    ) -> SandboxResponse:
        kind, person_id = _kind(match), _existing_id(match, _kind(match)[:-1])
        person = self.store.get_person(kind, person_id)
        if person is None:
            return _no_such(kind, person_id)
        return json_response(200, {"data": self._linked(request, kind, person)})

    def _create_person(
        self, request: SandboxRequest, match: re.Match[str], via: str
    ) -> SandboxResponse:
        kind = _kind(match)
        rules = CONTACT_FIELDS if kind == "contacts" else LEAD_FIELDS
        fields, problems = check_body(parse_json_body(request.body), rules, kind[:-1])
        if not fields.get("first_name") and not fields.get("last_name"):
            problems.append(Problem("first_name", "first_name or last_name is required"))
        email = fields.get("email")
        if email and "@" not in email:
            problems.append(Problem("email", f"email {email!r} has no @"))
        owner = fields.get("owner_id")
        if owner is not None and not self.store.user_exists(owner):
            problems.append(Problem("owner_id", f"owner_id {owner} is not a user"))
        reject(problems, kind[:-1])
        created = self._linked(request, kind, self.store.create_person(kind, fields, via))
        location = f"{request.base_url}/{via}{API_PATH}/{kind}/{created['id']}"
        return json_response(201, {"data": created}, {"Location": location})

    def _person_calls(
        self, request: SandboxRequest, match: re.Match[str], _via: str
    ) -> SandboxResponse:
        kind, person_id = _kind(match), _existing_id(match, _kind(match)[:-1])
        if not self.store.person_exists(kind, person_id):
            return _no_such(kind, person_id)
        calls = self.store.list_calls(kind, person_id)
        return json_response(200, {"data": calls, "total": len(calls)})

    def _linked(self, request: SandboxRequest, kind: PersonKind, person: JsonObject) -> JsonObject:
        return person | {"url": f"{request.base_url}/app/{kind}/{person['id']}"}

    # -- users, account -----------------------------------------------------------------

    def _users(self, _request: SandboxRequest, _m: re.Match[str], _via: str) -> SandboxResponse:
        users = self.store.list_users()
        return json_response(200, {"data": users, "total": len(users)})

    def _account(self, _request: SandboxRequest, _m: re.Match[str], _via: str) -> SandboxResponse:
        return json_response(200, {"data": self.store.account()})

    # -- call journal -------------------------------------------------------------------

    def _list_calls(
        self, _request: SandboxRequest, _m: re.Match[str], _via: str
    ) -> SandboxResponse:
        calls = self.store.list_calls()
        return json_response(200, {"data": calls, "total": len(calls)})

    def _create_call(self, request: SandboxRequest, _m: re.Match[str], via: str) -> SandboxResponse:
        what = "call journal entry"
        fields, problems = check_body(parse_json_body(request.body), CALL_FIELDS, what)
        if "contact_id" in fields:
            fields.setdefault("contact_type", "contacts")
        reject(problems, what)
        created = self.store.create_call(fields, via)
        location = f"{request.base_url}/{via}{API_PATH}/calls"
        return json_response(201, {"data": created}, {"Location": location})

    # -- tickets ------------------------------------------------------------------------

    def _list_tickets(
        self, _request: SandboxRequest, _m: re.Match[str], _via: str
    ) -> SandboxResponse:
        tickets = self.store.list_tickets()
        return json_response(200, {"data": tickets, "total": len(tickets)})

    def _create_ticket(
        self, request: SandboxRequest, _m: re.Match[str], via: str
    ) -> SandboxResponse:
        fields, problems = check_body(parse_json_body(request.body), TICKET_FIELDS, "ticket")
        department = fields.get("department_id")
        if department is not None and not self.store.department_exists(department):
            problems.append(Problem("department_id", f"there is no department {department}"))
        if "requester_id" in fields:
            fields.setdefault("requester_type", "contacts")
        reject(problems, "ticket")
        created = self.store.create_ticket(fields, via)
        location = f"{request.base_url}/{via}{API_PATH}/tickets/{created['id']}"
        return json_response(201, {"data": created}, {"Location": location})

    def _get_ticket(
        self, _request: SandboxRequest, match: re.Match[str], _via: str
    ) -> SandboxResponse:
        ticket_id = _existing_id(match, "ticket")
        ticket = self.store.get_ticket(ticket_id)
        if ticket is None:
            return api_error(404, "not_found", f"there is no ticket {ticket_id}")
        return json_response(200, {"data": ticket})

    def _create_comment(
        self, request: SandboxRequest, match: re.Match[str], via: str
    ) -> SandboxResponse:
        ticket_id = _existing_id(match, "ticket")
        if self.store.get_ticket(ticket_id) is None:
            return api_error(404, "not_found", f"there is no ticket {ticket_id}")
        fields, problems = check_body(parse_json_body(request.body), COMMENT_FIELDS, "comment")
        reject(problems, "comment")
        created = self.store.add_comment(ticket_id, fields, via)
        location = f"{request.base_url}/{via}{API_PATH}/tickets/{ticket_id}"
        return json_response(201, {"data": created}, {"Location": location})


class _NoSuchRecord(Exception):
    """An id in the path that no record can have (too long for the database)."""


def _record_id(text: str) -> int | None:
    """The id in a path, or None when it is too large to be any record's."""
    return id_from_text(text)


def _existing_id(match: re.Match[str], what: str) -> int:
    text = match.group("id")
    record_id = _record_id(text)
    if record_id is None:
        raise _NoSuchRecord(
            f"there is no {what} with id {shown_id(text)}: ids here are at most {MAX_ID}"
        )
    return record_id


def _kind(match: re.Match[str]) -> PersonKind:
    kind = match.group("kind")
    assert kind in PERSON_KINDS  # the route's pattern allows nothing else
    return cast(PersonKind, kind)


def _same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


def _no_such(kind: PersonKind, person_id: int) -> SandboxResponse:
    return api_error(404, "not_found", f"there is no {kind[:-1]} with id {person_id}")


def _invalid_body(bad: InvalidBody) -> SandboxResponse:
    error = "invalid_json" if bad.status == 400 else "validation_failed"
    problems: list[dict[str, Any]] = [
        {"field": p.field, "message": p.message} for p in bad.problems
    ]
    return api_error(bad.status, error, bad.summary, problems=problems)


def _method_not_allowed(method: str, path: str, allowed: list[str]) -> SandboxResponse:
    return api_error(
        405,
        "method_not_allowed",
        f"{path} does not take {method}; it takes {', '.join(allowed)}",
        {"Allow": ", ".join(allowed)},
    )
