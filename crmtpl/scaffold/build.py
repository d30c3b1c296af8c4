"""A template from an OpenAPI description: operations found, fields mapped, choices listed.

:func:`scaffold_from_openapi` never asks: where two candidates are equally good it takes
the first and marks the choice ``ambiguous``; the caller (the CLI) may ask a person and
call again with the answers in ``chosen`` (``--choose KEY=VALUE``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from crmtpl.openapi.description import ApiDescription, Operation, Parameter
from crmtpl.scaffold import bodies, filters
from crmtpl.scaffold.api_facts import (
    SCHEME_PREFERENCE,
    Scheme,
    accepted_schemes,
    origin,
    security_schemes,
    server_urls,
)
from crmtpl.scaffold.choices import Choice, How, Option, settle
from crmtpl.scaffold.fields import (
    CONTACT_FIELDS,
    GUESSED_KEYS,
    USER_FIELDS,
    Leaf,
    free_maps,
    leaves,
    map_fields,
    url_leaf,
)
from crmtpl.scaffold.literal import defuse_description
from crmtpl.scaffold.operations import Candidate, candidates, path_fields
from crmtpl.scaffold.words import squash, words
from crmtpl.scaffold.xmltext import RequestSpec, ScenarioSpec, TemplateSpec, template_text

SAMPLE_PHONE = "+15550100"


class ScaffoldError(Exception):
    """The description offers nothing to build a template on (the message says what)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Scaffold:
    """The template written, every choice made, and the lookup a test file expects."""

    text: str
    choices: list[Choice]
    lookup_method: str
    lookup_url: str  # the URL with every template action as {{any}}
    notes: list[str] = field(default_factory=list)


def scaffold_from_openapi(
    description: ApiDescription,
    *,
    provider: str | None = None,
    chosen: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Scaffold:
    """A new template for the API of ``description``; :class:`ScaffoldError` without a
    contact search, :class:`crmtpl.scaffold.choices.ChoiceError` for a ``chosen`` value
    that names no candidate."""
    safe = defuse_description(description)  # its strings are literal in Go templates
    return _Builder(safe, dict(chosen or {}), provider, name).build()


def _operation_option(candidate: Candidate) -> Option:
    operation = candidate.operation
    label = candidate.value + (f" ({operation.operation_id})" if operation.operation_id else "")
    return Option(candidate.value, label, round(candidate.score, 2), "; ".join(candidate.reasons))


class _Builder:
    def __init__(
        self,
        description: ApiDescription,
        chosen: dict[str, str],
        provider: str | None,
        name: str | None,
    ) -> None:
        self.description = description
        self.chosen = chosen
        self.choices: list[Choice] = []
        self.notes: list[str] = list(description.notes[:5])
        self.provider = provider
        self.name = name or _default_name(description)
        self.picked: dict[str, Candidate] = {}

    # -- operations --------------------------------------------------------------------

    def _pick(self, role: str, question: str) -> Candidate | None:
        found = candidates(self.description, role)
        wanted = self.chosen.get(role)
        if wanted and not any(wanted in (c.value, str(n)) for n, c in enumerate(found, 1)):
            extra = self._any_operation(wanted)
            if extra is not None:
                found.append(extra)
        choice = settle(role, question, [_operation_option(c) for c in found], self.chosen)
        self.choices.append(choice)
        return next((c for c in found if c.value == choice.picked), None)

    def _any_operation(self, wanted: str) -> Candidate | None:
        """An operation named by ``--choose`` that scored nothing (METHOD /path or an id)."""
        for operation in self.description.operations:
            label = f"{operation.method} {operation.full_paths()[0]}"
            if wanted in (label, operation.label, operation.operation_id):
                return Candidate(operation, 0.0, ("named with --choose",))
        return None

    # -- the whole template ------------------------------------------------------------

    def build(self) -> Scaffold:
        lookup = self._pick("lookup", "Which operation searches contacts by phone number?")
        if lookup is None:
            raise ScaffoldError(
                f"no operation of {self.description.title or 'the description'} searches "
                "contacts by phone (a GET with a phone/query/term parameter on a contacts, "
                "persons or leads path, or a POST .../search)",
                hint="name one with --choose 'lookup=GET /path' (the method and the path)",
            )
        self.picked["lookup"] = lookup
        if self.provider is None:
            tickets = candidates(self.description, "ticket")
            self.provider = "helpdesk" if tickets and not self._has_contact_create() else "crm"
            self.choices.append(
                Choice(
                    "provider",
                    "CRM or helpdesk?",
                    self.provider,
                    How.best,
                    "tickets and no contact creation"
                    if self.provider == "helpdesk"
                    else "contacts come first",
                    (Option("crm", "crm"), Option("helpdesk", "helpdesk")),
                )
            )
        roles = [
            ("users", "Which operation lists the users (agents, owners)?"),
            ("create-contact", "Which operation creates a contact?"),
            ("call-journal", "Which operation logs a call (call log, activity, note)?"),
        ]
        if self.provider == "helpdesk":
            roles.append(("ticket", "Which operation creates a ticket?"))
        for role, question in roles:
            candidate = self._pick(role, question)
            if candidate is not None:
                self.picked[role] = candidate
        base, base_path = self._server()
        scheme = self._auth()
        scenarios, lookup_request = self._scenarios(base_path, scheme)
        spec = TemplateSpec(
            provider=self.provider,
            name=self.name[:60],
            key=re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")[:40] or "crm",
            remark=f"Generated by crmtpl new from the OpenAPI description {self.name}"[:200],
            auth_type=_auth_method(scheme),
            flags=_feature_flags(scenarios),
            auth_parameters=self._auth_parameters(scheme, base),
            scenarios=scenarios,
            header_comment=self._comment(),
        )
        pattern = re.sub(r"\{\{.*?\}\}", "{{any}}", lookup_request.url)
        return Scaffold(
            template_text(spec), self.choices, lookup_request.method, pattern, self.notes
        )

    def _has_contact_create(self) -> bool:
        return bool(candidates(self.description, "create-contact"))

    # -- server and auth ---------------------------------------------------------------

    def _server(self) -> tuple[str, str]:
        """The base_url value and the server path it includes (common to every request)."""
        urls = server_urls(self.description)
        options = [
            Option(
                url,
                url,
                float(len(urls) - n),
                "the description's first server" if n == 0 else "another server of the description",
            )
            for n, url in enumerate(urls)
        ]
        choice = (
            settle(
                "server",
                "Which server is the API's base URL?",
                options,
                self.chosen,
                allow_none=False,
            )
            if options
            else Choice(
                "server",
                "Which server is the API's base URL?",
                "https://crm.example.com",
                How.none,
                "the description names no absolute server URL; set base_url",
            )
        )
        self.choices.append(choice)
        server_paths = {
            c.operation.full_paths()[0][: -len(c.operation.path) or None]
            for c in self.picked.values()
        }
        common = server_paths.pop() if len(server_paths) == 1 else ""
        base = origin(choice.picked) + common if "://" in choice.picked else choice.picked
        return base.rstrip("/"), common

    def _auth(self) -> Scheme | None:
        schemes = [s for s in security_schemes(self.description) if s.kind in SCHEME_PREFERENCE]
        accepted = accepted_schemes(self.description)
        needs = [
            accepted[key]
            for c in self.picked.values()
            if (key := (c.operation.method, c.operation.path)) in accepted
        ]
        options = []
        for scheme in schemes:
            covered = sum(1 for names in needs if scheme.name in names)
            reason = scheme.kind + (
                f"; accepted by {covered} of the {len(needs)} operations that say" if needs else ""
            )
            score = SCHEME_PREFERENCE[scheme.kind] + 10.0 * covered
            options.append(Option(scheme.name, scheme.label, score, reason))
        choice = settle("auth", "How does the template authenticate?", options, self.chosen)
        if not options:
            choice = Choice(
                "auth",
                choice.question,
                "none",
                How.none,
                "the description declares no security scheme: no credentials",
            )
        self.choices.append(choice)
        return next((s for s in schemes if s.name == choice.picked), None)

    def _auth_parameters(self, scheme: Scheme | None, base: str) -> list[list[tuple[str, str]]]:
        method = _auth_method(scheme)
        out: list[list[tuple[str, str]]] = [[("Name", "AuthMethod"), ("Value", method)]]

        def custom(
            name: str, editor: str, title: str, value: str = "", help_text: str = ""
        ) -> None:
            row = [
                ("Father", "CustomFieldList"),
                ("Name", name),
                ("Editor", editor),
                ("Title", title),
            ]
            if value:
                row.append(("Value", value))
            if help_text:
                row.append(("Description", help_text))
            out.append(row)

        def header(name: str, value: str, help_text: str) -> None:
            out.append(
                [
                    ("Father", "PopulateTemplateString"),
                    ("Name", name),
                    ("Type", "Header"),
                    ("Value", value),
                    ("Description", help_text),
                ]
            )

        if scheme is not None and scheme.kind == "oauth2":
            out.append(
                [
                    ("Name", "AuthEndPoint"),
                    (
                        "Value",
                        _with_query(
                            scheme.authorization_url, "client_id={{.client_id}}&response_type=code"
                        ),
                    ),
                ]
            )
            out.append(
                [
                    ("Name", "TokenEndPoint"),
                    (
                        "Value",
                        _with_query(
                            scheme.token_url,
                            "client_id={{.client_id}}&client_secret={{UrlEncode .client_secret}}",
                        ),
                    ),
                ]
            )
            out.append(
                [
                    ("Name", "AdditionalQueryString"),
                    ("Value", "redirect_uri={{UrlEncode .redirect_uri}}"),
                ]
            )
            if scheme.scopes:
                out.append([("Name", "Scope"), ("Value", ",".join(_useful_scopes(scheme)))])
        if scheme is not None and scheme.kind == "basic":
            out.append([("Name", "CredentialType"), ("Value", "username_password")])
            out.append(
                [("Name", "Base64EncodedCredential"), ("Value", "{{.username}}:{{.password}}")]
            )
        custom("base_url", "string", "API URL", base, f"The API's address, {base} by default")
        for name in dict.fromkeys(f for c in self.picked.values() for f in path_fields(c)):
            custom(name, "string", name, "", f"{{{name}}} in the API's paths")
        if scheme is not None and scheme.kind == "basic":
            custom("username", "string", "User name")
            custom("password", "password", "Password")
        elif scheme is not None and scheme.kind == "oauth2":
            custom("client_id", "string", "Client ID")
            custom("client_secret", "password", "Client Secret")
        elif scheme is not None and scheme.kind == "bearer":
            custom("access_token", "password", "Access token")
            header(
                "Authorization", "Bearer {{.access_token}}", f"{scheme.name}: a static bearer token"
            )
        elif scheme is not None:
            custom("api_key", "password", "API key")
            if scheme.kind == "apikey-header":
                header(scheme.header, "{{.api_key}}", f"{scheme.name}: the API key header")
        header("Accept", "application/json", "Expected response format")
        if any(c.operation.request_schema is not None for c in self.picked.values()):
            header("Content-Type", "application/json", "Body format")
        return out

    # -- scenarios ---------------------------------------------------------------------

    def _url(
        self, candidate: Candidate, base_path: str, query: list[str], scheme: Scheme | None
    ) -> str:
        operation = candidate.operation
        path = operation.full_paths()[0]
        path = path[len(base_path) :] if base_path and path.startswith(base_path) else path
        for name, value in candidate.path_values:
            path = path.replace("{" + name + "}", value)
        for parameter in operation.parameters:
            if (
                parameter.location == "query"
                and parameter.required
                and not any(q.startswith(parameter.name + "=") for q in query)
            ):
                query.append(f"{parameter.name}={_query_sample(parameter, query)}")
        if scheme is not None and scheme.kind == "apikey-query":
            query.append(f"{scheme.header}={{{{UrlEncode .api_key}}}}")
        url = "{{.base_url}}" + path
        return url + ("?" + "&".join(query) if query else "")

    def _scenarios(
        self, base_path: str, scheme: Scheme | None
    ) -> tuple[list[ScenarioSpec], RequestSpec]:
        scenarios: list[ScenarioSpec] = []
        users = self.picked.get("users")
        if users is not None:
            mapped = self._fields(
                "users", users.operation, USER_FIELDS, ("UserUniqueId", "FirstName")
            )
            request = RequestSpec(
                "UserAssociation", "GET", self._url(users, base_path, [], scheme), outputs=mapped
            )
            missing = [n for n in ("LastName", "Email") if n not in dict(mapped)]
            if missing:
                request.outputs_note = (
                    f"The answer has no {' or '.join(missing)} of a user.\ncrmtpl: ignore CT505"
                )
            scenarios.append(ScenarioSpec("UserAssociation", [], [request]))
        lookup = self.picked["lookup"]
        contact_type = _contact_type(lookup)
        contact_outputs, free_keys = self._contact_fields(lookup.operation)
        query = []
        body = None
        if lookup.operation.method == "GET" and lookup.phone_parameter is not None:
            query.append(self._phone_query(lookup.phone_parameter, contact_outputs))
        elif lookup.operation.request_schema is not None:
            body, _ = self._body_text(
                "lookup", lookup.operation.request_schema, bodies.search_filler(free_keys)
            )
            self._search_body_choice(body)
        lookup_request = RequestSpec(
            contact_type,
            lookup.operation.method,
            self._url(lookup, base_path, query, scheme),
            body,
            contact_outputs,
        )
        scenarios.append(
            ScenarioSpec(
                "SyncContactAuto",
                self._contact_parameters(lookup, contact_outputs, base_path),
                [lookup_request],
            )
        )
        create = self.picked.get("create-contact")
        if create is not None and create.operation.request_schema is not None:
            body, filled = self._body_text(
                "create-contact", create.operation.request_schema, bodies.contact_filler(free_keys)
            )
            self._note_body("create-contact", filled)
            outputs = self._id_output("create-contact", create.operation, "ContactId")
            request = RequestSpec(
                contact_type, "POST", self._url(create, base_path, [], scheme), body, outputs
            )
            scenarios.append(ScenarioSpec("CreateNewContact", [], [request]))
        elif create is not None:
            self.choices.append(
                Choice(
                    "create-contact.body",
                    "What does the create-contact body send?",
                    "none",
                    How.none,
                    "the operation has no JSON request schema: no CreateNewContact scenario "
                    "was written (CreateNewContact=0); write it yourself or --choose "
                    "create-contact=...",
                    ambiguous=True,
                )
            )
        journal = self.picked.get("call-journal")
        if journal is not None:
            body, filled = self._body_text(
                "call-journal", journal.operation.request_schema or {}, bodies.call_filler
            )
            self._note_body("call-journal", filled)
            request = RequestSpec(
                "CallJournal",
                journal.operation.method,
                self._url(journal, base_path, [], scheme),
                body,
            )
            scenarios.append(ScenarioSpec("CallJournal", CALL_PARAMETERS, [request]))
        ticket = self.picked.get("ticket")
        if ticket is not None:
            body, filled = self._body_text(
                "ticket", ticket.operation.request_schema or {}, bodies.ticket_filler
            )
            self._note_body("ticket", filled)
            request = RequestSpec(
                "CreateNewTicket",
                "POST",
                self._url(ticket, base_path, [], scheme),
                body,
                self._id_output("ticket", ticket.operation, "TicketId"),
            )
            scenarios.append(ScenarioSpec("CreateNewTicket", TICKET_PARAMETERS, [request]))
        for scenario in scenarios:
            for request in scenario.requests:
                request.body_note = self._body_note(request.body)
        return scenarios, lookup_request

    def _phone_query(self, parameter: Parameter, outputs: list[tuple[str, str]]) -> str:
        """``NAME=`` and the number; for a filter parameter, an expression after its
        examples on the records' phone field (a choice to check either way)."""
        plain = f"{parameter.name}={filters.PHONE}"
        if not filters.is_filter(parameter):
            return plain
        prefix = self._lookup_prefix
        paths = dict(outputs)
        field = paths.get("BusinessNumber") or paths.get("MobileNumber") or ""
        inside = field[len(prefix) + 1 :] if prefix and field.startswith(prefix + ".") else field
        built = filters.phone_expression(parameter, inside)
        question = f"How does {parameter.name} find the number?"
        if built is None:
            picked, reason = (
                "the number alone",
                f"{parameter.name} takes an expression in the CRM's syntax and no example "
                "of it compares one field: write it",
            )
        else:
            picked, reason = (
                unquote(built[0]),
                f"written like its example {built[1]!r} on the phone field {inside}: check "
                "the field and how the CRM stores numbers",
            )
            plain = f"{parameter.name}={built[0]}"
        self.choices.append(
            Choice("lookup.filter", question, picked, How.best, reason, ambiguous=True)
        )
        return plain

    def _search_body_choice(self, body: str) -> None:
        """Say where a POST search puts the number, and ask to check a guessed key or a
        body that carries no number at all."""
        guessed = f'"{bodies.FILTER_PHONE_KEY}": "{{{{.Phone}}}}"'
        question = "Where does the search body put the number?"
        if "{{.Phone}}" not in body:
            reason = (
                "no member of the request schema takes a search text: as written the search "
                "sends no number, lists everything and takes the first contact as the "
                "caller; add the number"
            )
            picked = "nowhere"
        elif guessed in body:
            reason = (
                f"the filter is a free map: key {bodies.FILTER_PHONE_KEY!r} guessed, "
                "use the name of the CRM's phone attribute"
            )
            picked = f"filter.{bodies.FILTER_PHONE_KEY}"
        else:
            return
        self.choices.append(
            Choice("lookup.body", question, picked, How.best, reason, ambiguous=True)
        )

    @staticmethod
    def _body_note(body: str | None) -> str:
        if body is None or not bodies.has_bare_action(body):
            return ""
        return (
            "The API takes numbers for these ids (the PBX's ids of this CRM are numbers).\n"
            "crmtpl: ignore CT662"
        )

    def _body_text(
        self, role: str, schema: Mapping[str, object], fill: bodies.Filler
    ) -> tuple[str, list[str]]:
        """A body with its values typed as the schema says; where a PBX value cannot be
        (a phone number where an integer is wanted), a choice to check says so."""
        mismatches: list[str] = []
        body, filled = bodies.body_text(schema, fill, mismatches)
        if mismatches:
            self.choices.append(
                Choice(
                    f"{role}.types",
                    f"Which values of the {role} body have another type than the schema's?",
                    "; ".join(mismatches),
                    How.best,
                    "the schema wants a number or boolean where the PBX gives text: left out "
                    "when optional, else sent as text (validate --openapi reports CT977); "
                    "check what the CRM really takes",
                    ambiguous=True,
                )
            )
        return body, filled

    def _note_body(self, role: str, filled: list[str]) -> None:
        what = ", ".join(filled) if filled else "no property from PBX values"
        self.choices.append(
            Choice(
                f"{role}.body",
                f"What does the {role} body send?",
                what,
                How.only,
                "request schema property names; required ones filled with values of their type",
            )
        )

    def _fields(
        self,
        role: str,
        operation: Operation,
        table: Mapping[str, tuple[str, ...]],
        required: tuple[str, ...],
    ) -> list[tuple[str, str]]:
        mapped, prefix = map_fields(operation.success_schema(), table)
        paths = {m.field: (m.path, m.reason) for m in mapped}
        for name in required:
            if name not in paths:
                guess = (f"{prefix}." if prefix else "") + ("id" if name.endswith("Id") else "name")
                paths[name] = (guess, "not in the response schema: guessed")
        outputs = []
        for name in table:
            if name not in paths and f"{role}.{name}" not in self.chosen:
                continue
            path, reason = paths.get(name, ("", ""))
            key = f"{role}.{name}"
            choice = self._field_choice(key, name, path, reason)
            if choice.picked != "none":
                outputs.append((name, choice.picked))
        return outputs

    def _field_choice(self, key: str, field_name: str, path: str, reason: str) -> Choice:
        question = f"Which path of the answer fills {field_name}?"
        if key in self.chosen:
            choice = Choice(key, question, self.chosen[key], How.given, f"--choose {key}=...")
        else:
            guessed = "guessed" in reason
            choice = Choice(
                key, question, path, How.best if guessed else How.only, reason, ambiguous=guessed
            )
        self.choices.append(choice)
        return choice

    def _contact_fields(self, operation: Operation) -> tuple[list[tuple[str, str]], dict[str, str]]:
        schema = operation.success_schema()
        mapped, prefix = map_fields(schema, CONTACT_FIELDS)
        paths = {m.field: (m.path, m.reason) for m in mapped}
        free_keys: dict[str, str] = {}
        maps = free_maps(schema, prefix)
        if maps and "LastName" not in paths:
            for name, key in GUESSED_KEYS.items():
                if name not in paths:
                    paths[name] = (
                        f"{maps[0]}.{key}",
                        f"{maps[0]} is a free map: key {key!r} guessed",
                    )
                    free_keys[name] = key
        for name in ("ContactsId", "FirstName"):
            if name not in paths:
                guess = (f"{prefix}." if prefix else "") + (
                    "id" if name == "ContactsId" else "name"
                )
                paths[name] = (guess, "not in the response schema: guessed")
        outputs = []
        for name in CONTACT_FIELDS:
            if name not in paths:
                continue
            path, reason = paths[name]
            choice = self._field_choice(f"lookup.{name}", name, path, reason)
            if choice.picked != "none":
                outputs.append((name, choice.picked))
        self._lookup_prefix = prefix
        return outputs, free_keys

    def _contact_parameters(
        self, lookup: Candidate, outputs: list[tuple[str, str]], base_path: str
    ) -> list[tuple[str, str]]:
        link = url_leaf(lookup.operation.success_schema(), self._lookup_prefix)
        if link is not None:
            parameters = [
                ("ContactUrlType", "retrieve_from_contact"),
                ("URLFormat", ""),
                ("ContactFieldForUri", link),
            ]
            reason = f"the answer holds each contact's address at {link}"
        else:
            parameters = [
                ("ContactUrlType", "specify_url_format"),
                ("URLFormat", "{{.base_url}}/{{.ContactSyncType}}/{{.ContactId}}"),
                ("ContactFieldForUri", ""),
            ]
            reason = "no address in the answer: edit URLFormat to the CRM's contact page"
        self.choices.append(
            Choice(
                "contact-url",
                "Where do call pop-ups open the contact?",
                parameters[0][1],
                How.best,
                reason,
            )
        )
        parameters += [(f"{name}Enable", "1") for name, _ in outputs]
        for required in ("ContactsIdEnable", "FirstNameEnable"):
            if (required, "1") not in parameters:
                parameters.append((required, "1"))
        return parameters

    def _id_output(self, role: str, operation: Operation, name: str) -> list[tuple[str, str]]:
        ids = [
            leaf
            for leaf in leaves(operation.success_schema())
            if squash(leaf.name) == "id" and "#" not in leaf.path.split(".")
        ]
        best: Leaf | None = min(ids, key=lambda leaf: (leaf.depth, leaf.path), default=None)
        if best is None:
            return []
        choice = self._field_choice(f"{role}.{name}", name, best.path, "the id of the answer")
        return [] if choice.picked == "none" else [(name, choice.picked)]

    def _comment(self) -> str:
        lines = [
            f"{self.name}: a template generated by crmtpl new from its OpenAPI description.",
            "",
            "Choices (crmtpl new lists them with their alternatives):",
        ]
        for choice in self.choices:
            if "." not in choice.key:
                lines.append(
                    f"  {choice.key}: {choice.picked_label} ({choice.how.value}: {choice.reason})"
                )
        lines += [
            "",
            "Check it with crmtpl validate (strict), run it with crmtpl run lookup and a",
            "phone number (credentials: crmtpl auth set).",
        ]
        return "\n".join(lines)


CALL_PARAMETERS = [
    ("EnableSubject", "1"),
    ("Subject", "{{.Call_Log_Status}} from {{.Call_From}} to {{.Call_To}}"),
    ("EnableDescription", "1"),
    (
        "Description",
        "Call: {{.Time}} {{.Call_Log_Status}} from {{.Call_From}} to {{.Call_To}} "
        "{{.Talk_Duration}}",
    ),
    ("EnablePlayCallRecording", "0"),
    ("PlayCallRecording", "0"),
]
TICKET_PARAMETERS = [
    ("EnableSubject", "1"),
    ("Subject", "{{.Communication_Type}} call {{.ContactNumber}} {{.Time}}"),
    ("EnableDescription", "1"),
    (
        "Description",
        "{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} "
        "to {{.Call_To}} {{.Talk_Duration}}",
    ),
    ("NeedSyncContact", "1"),
]


#: The Information flags that switch a feature on, each named like its scenario.
FEATURE_FLAGS = ("UserAssociation", "CallJournal", "CreateNewContact", "CreateNewTicket")


def _feature_flags(scenarios: list[ScenarioSpec]) -> dict[str, str]:
    """Each feature flag ``"1"`` exactly when its scenario was written (a flag without its
    scenario is CT305)."""
    written = {scenario.id for scenario in scenarios}
    return {flag: "1" if flag in written else "0" for flag in FEATURE_FLAGS}


def _auth_method(scheme: Scheme | None) -> str:
    if scheme is None:
        return "none"
    return {"basic": "basic", "oauth2": "oauth2"}.get(scheme.kind, "none")


def _with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def _useful_scopes(scheme: Scheme) -> list[str]:
    wanted = {"contact", "person", "call", "user", "owner", "ticket", "activity", "engagement"}
    useful = [s for s in scheme.scopes if wanted & set(words(s))]
    return useful or list(scheme.scopes)


def _contact_type(candidate: Candidate) -> str:
    """The request name of the lookup: the contact word of its path (``contacts``)."""
    from crmtpl.scaffold.operations import CONTACT_WORDS

    operation = candidate.operation
    for _, value in candidate.path_values:
        if not value.startswith("{{"):
            return value
    for segment in reversed(operation.path.strip("/").split("/")):
        if any(w in CONTACT_WORDS for w in words(segment)):
            return segment
    return "contacts"


def _default_name(description: ApiDescription) -> str:
    """The description's title; for a folder of several descriptions, the folder's name."""
    if len(description.files) > 1:
        return description.files[0].parent.name.replace("-", " ").replace("_", " ").title()
    return description.title or "New CRM"


#: Query parameters that name which field a search looks in (Insightly's field_name).
SEARCH_FIELD_PARAMETERS = ("fieldname", "field", "searchfield", "searchby", "by")


def _query_sample(parameter: Parameter, query: list[str]) -> str:
    """A required query parameter's value: ``phone`` for the field a phone search looks in,
    else a value of its type."""
    schema = parameter.schema or {}
    searching = any("{{UrlEncode .Phone}}" in q for q in query)
    if searching and squash(parameter.name) in SEARCH_FIELD_PARAMETERS:
        values = [str(v) for v in schema.get("enum") or []]
        return next((v for v in values if "phone" in v.lower()), values[0] if values else "phone")
    return str(bodies.sample(schema))
