"""ScenarioRunner: what the PBX does for a scenario, done live (spec §11).

It renders each request with :mod:`crmtpl.render.renderer` (the same RenderedRequest that
``crmtpl render`` shows), sends it through :mod:`crmtpl.http`, checks the
TokenErrorMap rule, evaluates the outputs with gjson, assembles records, follows ``Next``
chains into the ``Common`` scenario, and runs ``GetGlobalInfo`` first when the template
has it. It never prints: the CLI gets a :class:`RunResult` and, for ``-v``, each
:class:`Exchange` as it happens through ``on_exchange``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from crmtpl import gjson
from crmtpl.auth.base import ACCESS_TOKEN
from crmtpl.auth.registry import strategy_for
from crmtpl.controlchars import make_visible
from crmtpl.errors import AuthError, CrmtplError, FindingsError, NetworkError, UsageError
from crmtpl.http import HttpClient, HttpRequest, HttpResponse, describe_body_start
from crmtpl.lint.diagnostic import Diagnostic
from crmtpl.pathmiss import explain_miss
from crmtpl.render.findings import in_finding_words, restated_by
from crmtpl.render.renderer import (
    RenderIssue,
    ScenarioRenderer,
    add_samples,
)
from crmtpl.render.request import RenderedRequest
from crmtpl.run.answers import server_message
from crmtpl.run.headercheck import check_header_lines
from crmtpl.run.parallel import parallel_map
from crmtpl.run.records import Extraction, OutputValue, assemble_records
from crmtpl.run.result import Exchange, RunResult
from crmtpl.run.tokenrule import TokenRuleMode, describe_rule, token_invalid_match
from crmtpl.run.verdicts import contact_missing_fields, output_miss, where_written
from crmtpl.run.writes import (
    WRITE_SCENARIOS,
    ContactChoice,
    WritePreview,
    contact_choice,
    samples_used,
)
from crmtpl.secrets import Masker, how_to_give, is_secret_field, mask_error, masker_for, redact_url
from crmtpl.template import LoadedTemplate, Request, Scenario, SourceSpan
from crmtpl.template.catalogue import catalogue
from crmtpl.variables import Source, VariableContext

if TYPE_CHECKING:  # loaded by the auth strategies that use tokens
    from crmtpl.creds.tokens import TokenManager

log = logging.getLogger("crmtpl.run")

USER_FIELDS = ("UserUniqueId", "FirstName", "LastName", "Email")
#: Outputs every answer must give (the record, user or ticket is lost without them): a path
#: of one of these that matches nothing is a finding even where the key is simply absent.
REQUIRED_OUTPUTS = frozenset({"ContactsId", "UserUniqueId", "TicketId"})
#: Predefined variables that link to records on the server. ``render`` shows samples for
#: them; a run must not send a sample id to a real CRM, so they are empty unless a lookup,
#: an option or ``--var`` gives them.
LINKING_VARIABLES = ("ContactId", "ContactSyncType", "ContactNumber", "TicketId", "CrmId")


@dataclass(frozen=True)
class RunOptions:
    """How a run behaves beyond the template itself."""

    missingkey: str = "default"
    token_rule: TokenRuleMode = TokenRuleMode.NOT_200
    max_concurrency: int | None = None
    #: validate's findings that ``--force`` went past: a render error at one of their
    #: places is reported in the finding's words, not Go's.
    forced_findings: tuple[Diagnostic, ...] = ()


class RenderFailed(FindingsError):
    """A template error stopped a request from being rendered (exit 1)."""

    def __init__(self, issues: Sequence[RenderIssue], file_name: str) -> None:
        first = issues[0]
        super().__init__(
            f"{first.location(file_name)}: {first.message}",
            hint="run crmtpl validate on the template for every problem with a hint",
        )
        self.issues = list(issues)


class ScenarioRunner:
    """Runs the scenarios of one template against the real server."""

    def __init__(
        self,
        loaded: LoadedTemplate,
        context: VariableContext,
        http: HttpClient,
        *,
        tokens: TokenManager | None = None,
        options: RunOptions | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        on_outputs: Callable[[str, list[OutputValue]], None] | None = None,
    ) -> None:
        self.loaded = loaded
        self.template = loaded.model
        self.context = context
        self.http = http
        self.tokens = tokens
        self.options = options or RunOptions()
        self.on_exchange = on_exchange
        self.on_outputs = on_outputs
        self.exchanges: list[Exchange] = []
        self.warnings: list[str] = []
        #: What the answers show is wrong (CT95x): errors that fail the run.
        self.findings: list[Diagnostic] = []
        self._global_info_done = False
        self._findings_lock = threading.Lock()
        self._warned_missing: set[str] = set()
        #: Called with each write request before it is sent (the CLI shows it and may ask);
        #: raising stops the run with nothing written.
        self.before_write: Callable[[WritePreview], None] | None = None
        #: Set when several contacts matched the number a journal or ticket is written for.
        self.contact_choice: ContactChoice | None = None
        self._choice_shown = False
        patterns = [p.value or "" for p in self.template.token_error_patterns]
        self.token_patterns = [p for p in patterns if p]
        self._token_user_given = self.context.user_given(ACCESS_TOKEN)

    # -- plumbing -------------------------------------------------------------------------

    def _concurrency(self) -> int:
        if self.options.max_concurrency:
            return self.options.max_concurrency
        return self.template.information.max_concurrent_requests or 1

    def _renderer(self, context: VariableContext) -> ScenarioRenderer:
        renderer = ScenarioRenderer(self.loaded, context, missingkey=self.options.missingkey)
        renderer.prepare_auth()
        return renderer

    def prepare_auth(self) -> None:
        """Obtain the access token for oauth2/bearertoken templates (unless given)."""
        method = self.template.auth_method
        if not strategy_for(method).uses_tokens or self._token_user_given:
            if self._token_user_given:
                self.context.mark_secret("AccessToken")
            return
        if self.tokens is None:
            raise AuthError(
                f"this template uses {method} but no token is available",
                hint="run crmtpl auth login TEMPLATE, or give a token you already have in the "
                "environment variable CRMTPL_VAR_AccessToken",
            )
        token = self.tokens.access_token()
        self.context.set("AccessToken", token, Source.AUTH, "token store", secret=True)

    def _render(
        self, renderer: ScenarioRenderer, scenario: Scenario, request: Request
    ) -> RenderedRequest:
        before = len(renderer.issues)
        rendered = renderer.request(scenario, request)
        new = renderer.issues[before:]
        errors = [i for i in new if i.severity == "error"]
        forced = self.options.forced_findings
        errors = [
            i if (f := restated_by(i, forced)) is None else in_finding_words(i, f) for i in errors
        ]
        if errors:
            raise RenderFailed(errors, self.loaded.display_name)
        fields = set(self.template.custom_field_names)
        unset = sorted({i.variable for i in new if i.variable is not None} & fields)
        if unset:
            names = ", ".join(unset)
            raise AuthError(
                f"{request.name}: the custom field{'s' if len(unset) > 1 else ''} {names} "
                f"{'have' if len(unset) > 1 else 'has'} no value, so the PBX would send "
                "<no value> in its place",
                hint=how_to_give(
                    unset[0], self.loaded.display_name, secret=unset[0] in self._secret_fields()
                ),
            )
        for issue in new:
            if issue.code == "missing-variable":
                name = issue.variable or ""
                if name in self._warned_missing:
                    continue
                self._warned_missing.add(name)
            text = f"{issue.location(self.loaded.display_name)}: {issue.message}"
            if text not in self.warnings:
                self.warnings.append(text)
        return rendered

    def _secret_fields(self) -> set[str]:
        return {
            f.name
            for f in self.template.custom_fields
            if f.name and is_secret_field(f.name, f.editor)
        }

    def _record(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        if self.on_exchange is not None:
            self.on_exchange(exchange)

    def masker(self) -> Masker:
        """A Masker for every secret this run knows (custom fields, tokens)."""
        tokens = self.tokens.secrets() if self.tokens is not None else []
        return masker_for([*self.context.secret_values(), *tokens])

    def _send_once(self, rendered: RenderedRequest, note: str = "") -> HttpResponse:
        check_header_lines(rendered, self.masker())
        body = rendered.body.encode("utf-8") if rendered.body is not None else None
        secrets = self.context.secret_values()
        if self.tokens is not None:
            secrets += self.tokens.secrets()
        wire = HttpRequest(
            rendered.method,
            rendered.url,
            list(rendered.headers),
            body,
            label=f"{rendered.scenario}/{rendered.name}",
            secrets=secrets,
        )
        try:
            response = self.http.send(wire)
        except NetworkError:
            self._record(Exchange(rendered, None, note))
            raise
        self._record(Exchange(rendered, response, note))
        self._warn_about_redirects(rendered, response)
        return response

    def _warn_about_redirects(self, rendered: RenderedRequest, response: HttpResponse) -> None:
        """Warn when a redirect left the host with headers the PBX would have sent along."""
        for hop in response.hops:
            if not hop.go_would_forward:
                continue
            names = ", ".join(hop.go_would_forward)
            text = (
                f"{rendered.name}: the server redirected to another host "
                f"({make_visible(redact_url(hop.to_url), one_line=True)}); crmtpl did not "
                f"send {names} there, but the PBX would: Go's net/http forwards every header "
                "but Authorization, WWW-Authenticate and Cookie on redirects, so it would "
                "leak the credentials to that host; point the template at the final URL"
            )
            if text not in self.warnings:
                self.warnings.append(text)

    def send(
        self,
        renderer: ScenarioRenderer,
        scenario: Scenario,
        request: Request,
        *,
        expect_json: bool,
    ) -> HttpResponse:
        """Render and send one request; apply the TokenErrorMap rule; check the answer.

        Every error it raises has the run's secrets masked, in any encoding (a key in the
        URL of a connection error, a token in a server's answer).
        """
        try:
            return self._send_checked(renderer, scenario, request, expect_json=expect_json)
        except CrmtplError as failure:
            raise mask_error(failure, self.masker()) from None

    def probe(self, scenario_id: str, request_name: str) -> tuple[RenderedRequest, HttpResponse]:
        """Send one request of a scenario as it is, for ``auth status --check``.

        The token is obtained first and the TokenErrorMap rule applies (a refresh and one
        retry); the status is returned, not judged. Raises AuthError when the token cannot
        be had or is still refused after a refresh, NetworkError when nothing answers.
        """
        scenario = self._scenario(scenario_id)
        request = scenario.request(request_name)
        if request is None:
            raise UsageError(f"the {scenario_id} scenario has no request {request_name!r}")
        try:
            self.prepare_auth()
            renderer = self._renderer(self.context)
            response = self._send_checked(
                renderer, scenario, request, expect_json=False, judge=False
            )
        except CrmtplError as failure:
            raise mask_error(failure, self.masker()) from None
        return self.exchanges[-1].request, response

    def _send_checked(
        self,
        renderer: ScenarioRenderer,
        scenario: Scenario,
        request: Request,
        *,
        expect_json: bool,
        judge: bool = True,
    ) -> HttpResponse:
        render = partial(self._render, renderer, scenario, request)
        rendered = render()
        if self.before_write is not None and scenario.id in WRITE_SCENARIOS:
            self._preview_write(renderer, rendered)
        response = self._send_once(rendered)
        matched = self._token_invalid(response)
        if matched is not None:
            log.info(
                "%s matched (%r, status %s): refreshing the token and retrying once",
                describe_rule(self.token_patterns, self.options.token_rule),
                matched,
                response.status,
            )
            self._refresh_token(matched, response, renderer.context)
            rendered = render()
            response = self._send_once(rendered, note="retried after a token refresh")
            matched = self._token_invalid(response)
            if matched is not None:
                raise AuthError(
                    f"{rendered.method} {rendered.name}: the server still answers "
                    f"{response.status} with {matched!r} after a token refresh",
                    hint="the credentials are not accepted; run crmtpl auth login again",
                )
        if not judge:
            return response
        self._check_status(rendered, response)
        if expect_json and not response.content.strip():
            log.info("%s answered %s with an empty body: no result", rendered.name, response.status)
        elif expect_json and not gjson.valid(response.text):
            raise NetworkError(
                f"{rendered.method} {rendered.url}: the response is not JSON "
                f"(status {response.status}, Content-Type "
                f"{response.content_type or 'none'}): {describe_body_start(response.content)!r}",
                hint="the outputs are GJSON paths into a JSON body; check the URL and the "
                "Accept header",
            )
        return response

    def _preview_write(self, renderer: ScenarioRenderer, rendered: RenderedRequest) -> None:
        """Hand the write about to be sent to :attr:`before_write` (samples, contact)."""
        assert self.before_write is not None
        choice = None if self._choice_shown else self.contact_choice
        self._choice_shown = True
        samples = samples_used(renderer.context, renderer.used)
        self.before_write(WritePreview(rendered, samples, choice))

    def _token_invalid(self, response: HttpResponse) -> str | None:
        if not self.token_patterns:
            return None
        return token_invalid_match(
            response.status, response.text, self.token_patterns, self.options.token_rule
        )

    def _refresh_token(
        self, matched: str, response: HttpResponse, context: VariableContext
    ) -> None:
        if self.tokens is None or self._token_user_given:
            raise AuthError(
                f"the server says the token is invalid (HTTP {response.status}, body contains "
                f"{matched!r})",
                hint="a token you gave (CRMTPL_VAR_AccessToken or --var) cannot be refreshed; "
                "get a new one, or use crmtpl auth login"
                if self._token_user_given
                else "check the credentials: crmtpl auth status TEMPLATE",
            )
        current = context.get("AccessToken")
        token = self.tokens.access_token(
            force_refresh=True, rejected_token=current.value if current else None
        )
        for target in {id(self.context): self.context, id(context): context}.values():
            target.set("AccessToken", token, Source.AUTH, "refreshed token", secret=True)

    def _token_secrets(self) -> list[str]:
        return self.tokens.secrets() if self.tokens is not None else []

    def _check_status(self, rendered: RenderedRequest, response: HttpResponse) -> None:
        if response.ok:
            return
        masker = Masker([*self.context.secret_values(), *self._token_secrets()])
        start = server_message(response, masker)
        detail = masker.text(
            f"{rendered.method} {rendered.url} answered {response.status} {response.reason}"
        )
        if response.status == 401:
            hint = "check the credentials: crmtpl auth status TEMPLATE, --var, CRMTPL_VAR_*"
            if self.tokens is not None and not self.token_patterns:
                hint += (
                    "; the template has no TokenErrorMap, so crmtpl (like the PBX) does not "
                    "know this answer means an expired token"
                )
            raise AuthError(f"{detail}: the server refused the credentials: {start}", hint=hint)
        if response.status == 403:
            raise NetworkError(
                f"{detail}: not permitted: {start}",
                hint="the credentials were accepted but may not do this: check the API "
                "user's permissions or the token's scopes",
            )
        raise NetworkError(
            f"{detail}: {start}",
            hint="run with -vv to see the request and the whole answer (headers too)",
        )

    def _extract(
        self,
        request: Request,
        response: HttpResponse,
        pairs: list[tuple[str, str]],
        written: Mapping[str, SourceSpan] | None = None,
    ) -> Extraction:
        """Evaluate the outputs of one response; report them (``-v``), their warnings and
        the paths that match nothing (CT950, at ``written[name]`` or the Output's Path)."""
        extraction = assemble_records(response.text, pairs, request=request.name or "")
        misses = self._judge(request, response, pairs, written or {})
        if not misses:  # else the misses are the cause of any odd lengths
            self.warnings.extend(extraction.warnings)
        if self.on_outputs is not None and extraction.outputs:
            self.on_outputs(request.name or "", extraction.outputs)
        return extraction

    def _judge(
        self,
        request: Request,
        response: HttpResponse,
        pairs: list[tuple[str, str]],
        written: Mapping[str, SourceSpan],
    ) -> list[Diagnostic]:
        """CT950 for each output whose path matches nothing in a non-empty answer."""
        found = []
        for name, path in pairs:
            miss = explain_miss(response.text, path)
            if miss is None or not (miss.evident or name in REQUIRED_OUTPUTS):
                continue
            output = request.output(name)
            span = written.get(name) or (
                where_written(output, "Path") if output is not None else request.span
            )
            finding = output_miss(miss, output=name, request=request.name or "", span=span)
            with self._findings_lock:
                if finding not in self.findings:
                    self.findings.append(finding)
            found.append(finding)
        return found

    # -- GetGlobalInfo ----------------------------------------------------------------------

    def global_info(self) -> dict[str, str]:
        """Run GetGlobalInfo; its outputs become variables of every later request."""
        values: dict[str, str] = {}
        scenarios = self.template.scenarios_with_id("GetGlobalInfo")
        for scenario in scenarios:
            renderer = self._renderer(self.context)
            for request in scenario.requests:
                outputs = [o for o in request.output_list if o.name]
                response = self.send(
                    renderer,
                    scenario,
                    request,
                    expect_json=bool(outputs),
                )
                pairs = [(o.name or "", renderer.output_path(o)) for o in outputs]
                extraction = self._extract(request, response, pairs)
                if extraction.records:
                    values.update(extraction.records[0])
        for name, value in values.items():
            self.context.set(name, value, Source.OUTPUT, "GetGlobalInfo output")
        self._global_info_done = True
        return values

    def _samples_for(self, scenario_id: str) -> None:
        """Sample call variables for a scenario, without sample ids of server records."""
        add_samples(self.context, [scenario_id])
        for name in LINKING_VARIABLES:
            current = self.context.get(name)
            if current is not None and current.source is Source.SAMPLE:
                self.context.set(name, "", Source.SAMPLE, f"not known in a run: --var {name}=...")

    def _ensure_global_info(self) -> None:
        if not self._global_info_done and self.template.scenarios_with_id("GetGlobalInfo"):
            self.global_info()
        self._global_info_done = True

    # -- lookup -----------------------------------------------------------------------------

    def lookup(self, phone: str, contact_types: Sequence[str] = ()) -> RunResult:
        """SyncContactAuto: search every contact type for ``phone`` and build contacts."""
        scenario = self._scenario("SyncContactAuto")
        self.context.set("Phone", phone, Source.PBX, "--phone")
        self._ensure_global_info()
        requests = list(scenario.requests)
        if contact_types:
            unknown = [t for t in contact_types if scenario.request(t) is None]
            if unknown:
                raise UsageError(
                    f"no contact type {', '.join(map(repr, unknown))} in SyncContactAuto",
                    hint=f"contact types: {', '.join(scenario.request_names) or 'none'}",
                )
            requests = [r for r in requests if r.name in contact_types]
        workers = self._concurrency()
        found = parallel_map(
            lambda r: self._search(scenario, r), requests, workers, on_interrupt=self.http.cancel
        )
        records = [record for batch in found for record in batch]
        completed = parallel_map(
            self._complete_contact, records, workers, on_interrupt=self.http.cancel
        )
        result = RunResult(
            "SyncContactAuto",
            exchanges=self.exchanges,
            warnings=self.warnings,
            findings=self.findings,
        )
        for full in completed:
            if full.get("ContactsId"):
                result.records.append(self._stored_fields(scenario, full, result))
        self.judge_contacts(scenario, completed)
        return result

    def judge_contacts(self, scenario: Scenario, contacts: list[dict[str, str]]) -> None:
        """CT951 for the contacts of each type that lack ContactsId, or that no FirstName or
        LastName output gives a name, unless a path that matched nothing (CT950) already
        explains it. A contact whose name the CRM left empty is data, not a mistake."""
        explained = {(f.span.start_offset, f.rule) for f in self.findings}
        for request in scenario.requests:
            mine = [c for c in contacts if c.get("ContactSyncType") == request.name]
            lacking = {
                ("ContactsId",): [c for c in mine if not c.get("ContactsId")],
                # No name output at all: a contact with an empty name is the CRM's data.
                ("FirstName", "LastName"): [
                    c for c in mine if "FirstName" not in c and "LastName" not in c
                ],
            }
            for fields, contacts_lacking in lacking.items():
                outputs = [request.output(name) for name in fields]
                if not contacts_lacking or any(
                    o is not None and (where_written(o, "Path").start_offset, "CT950") in explained
                    for o in outputs
                ):
                    continue
                self.findings.append(
                    contact_missing_fields(request, list(fields), len(contacts_lacking), len(mine))
                )

    def _search(self, scenario: Scenario, request: Request) -> list[dict[str, str]]:
        context = self.context.copy()
        renderer = self._renderer(context)
        outputs = [o for o in request.output_list if o.name and not o.filled_later]
        response = self.send(renderer, scenario, request, expect_json=True)
        pairs = [(o.name or "", renderer.output_path(o)) for o in outputs]
        url_type = scenario.param_value("ContactUrlType")
        uri_path = scenario.param_value("ContactFieldForUri")
        written: dict[str, SourceSpan] = {}
        if url_type == "retrieve_from_contact" and uri_path:
            pairs.append(("ContactUrl", uri_path))
            uri_parameter = scenario.param("ContactFieldForUri")
            if uri_parameter is not None:
                written["ContactUrl"] = where_written(uri_parameter, "Value")
        extraction = self._extract(request, response, pairs, written)
        declared_later = [o.name for o in request.output_list if o.name and o.filled_later]
        records = []
        for values in extraction.records:
            record = dict.fromkeys(declared_later, "")
            record.update(values)
            record["ContactSyncType"] = request.name or ""
            record["_request"] = request.name or ""
            records.append(record)
        return records

    def _complete_contact(self, record: dict[str, str]) -> dict[str, str]:
        """Follow ``Next`` for one record and compute its contact URL."""
        scenario = self._scenario("SyncContactAuto")
        request = scenario.request(record["_request"])
        full = dict(record)
        if request is not None:
            self._follow_next(request, full)
        url_type = scenario.param_value("ContactUrlType")
        if url_type == "specify_url_format":
            parameter = scenario.param("URLFormat")
            if parameter is not None:
                context = self.context.copy()
                for name, value in full.items():
                    context.set(name, value, Source.OUTPUT, "contact record")
                context.set("ContactId", full.get("ContactsId", ""), Source.OUTPUT, "ContactsId")
                renderer = self._renderer(context)
                full["ContactUrl"] = renderer.value(parameter, "Value") or ""
        full.pop("_request", None)
        return full

    def _follow_next(self, request: Request, record: dict[str, str]) -> None:
        """Run the ``Next`` chain for one record; fill the outputs declared with an empty
        Path (by the first request or a later link) from the first record of each answer."""
        visited = [request.name or ""]
        current = request
        declared = {o.name for o in request.output_list if o.name and o.filled_later}
        while current.next:
            target = self.template.common_request(current.next)
            if target is None:
                self.warnings.append(
                    f"{current.name}: Next={current.next!r} names no request of the Common "
                    "scenario; the chain stops"
                )
                return
            if (target.name or "") in visited:
                self.warnings.append(
                    f"{current.name}: Next={current.next!r} makes a cycle "
                    f"({' -> '.join([*visited, target.name or ''])}); the chain stops"
                )
                return
            visited.append(target.name or "")
            context = self.context.copy()
            for name, value in record.items():
                if not name.startswith("_"):
                    context.set(name, value, Source.OUTPUT, f"output of {current.name}")
            renderer = self._renderer(context)
            common = self._scenario("Common")
            outputs = [o for o in target.output_list if o.name]
            response = self.send(renderer, common, target, expect_json=bool(outputs))
            pairs = [(o.name or "", renderer.output_path(o)) for o in outputs]
            extraction = self._extract(target, response, pairs)
            if extraction.records:
                for name, value in extraction.records[0].items():
                    if name in declared and record.get(name, "") == "":
                        record[name] = value
            declared |= {o.name for o in target.output_list if o.name and o.filled_later}
            current = target

    def _stored_fields(
        self, scenario: Scenario, record: dict[str, str], result: RunResult
    ) -> dict[str, str]:
        """Only the fields the PBX stores: ``<Field>Enable`` is 1 (spec §6.4)."""
        facts = catalogue()
        stored: dict[str, str] = {}
        order = ["ContactSyncType", *facts.contact_field_outputs, "ContactUrl"]
        rank = {name: index for index, name in enumerate(order)}
        for name, value in sorted(record.items(), key=lambda item: rank.get(item[0], len(rank))):
            flag = facts.enable_flag_for_output(name)
            if flag is not None and scenario.flag(flag.flag) is not True:
                if name not in result.hidden_fields:
                    result.hidden_fields.append(name)
                continue
            stored[name] = value
        return stored

    # -- the other scenarios ------------------------------------------------------------------

    def users(self) -> RunResult:
        """UserAssociation: list the CRM users (UserUniqueId, FirstName, LastName, Email)."""
        scenario = self._scenario("UserAssociation")
        self._ensure_global_info()
        result = RunResult(
            "UserAssociation",
            exchanges=self.exchanges,
            warnings=self.warnings,
            findings=self.findings,
        )
        for request in scenario.requests:
            result.records.extend(self._run_request(scenario, request, self.context))
        return result

    def create_contact(self, contact_type: str | None) -> RunResult:
        """CreateNewContact: create a contact of a type (the request of that name)."""
        scenario = self._scenario("CreateNewContact")
        names = scenario.request_names
        if contact_type is None:
            if len(names) != 1:
                raise UsageError(
                    "this template creates several contact types; choose one with --type",
                    hint=f"types: {', '.join(names) or 'none'}",
                )
            contact_type = names[0]
        request = scenario.request(contact_type)
        if request is None:
            raise UsageError(
                f"CreateNewContact has no request for contact type {contact_type!r}",
                hint=f"types: {', '.join(names) or 'none'}",
            )
        self._ensure_global_info()
        self._samples_for("CreateNewContact")
        records = self._run_request(scenario, request, self.context)
        return RunResult(
            "CreateNewContact",
            records=records[:1] if records else [{}],
            exchanges=self.exchanges,
            warnings=self.warnings,
            findings=self.findings,
        )

    def find_contact(self, contact_id: str | None, contact_type: str | None) -> bool:
        """Set ContactId/ContactSyncType for a journal or ticket: given, or by a lookup of
        the call's external number as the PBX does. Returns False when none was found."""
        if contact_id:
            types = self.template.contact_types
            self.context.set("ContactId", contact_id, Source.PBX, "--contact-id")
            self.context.set(
                "ContactSyncType",
                contact_type or (types[0] if types else ""),
                Source.PBX,
                "--contact-type" if contact_type else "first contact type",
            )
            return True
        if self.template.scenario("SyncContactAuto") is None:
            return False
        number = self.external_number()
        log.info("looking up the contact of the call's external number %s", number)
        found = self.lookup(number, [contact_type] if contact_type else ())
        if not found.records:
            return False
        contact = found.records[0]
        self.contact_choice = contact_choice(number, found.records)
        if self.contact_choice is not None:
            choice = self.contact_choice
            self.warnings.append(f"{choice.message}; {choice.others_text}; {choice.hint}")
        self.context.set("ContactId", contact.get("ContactsId", ""), Source.OUTPUT, "lookup")
        self.context.set(
            "ContactSyncType", contact.get("ContactSyncType", ""), Source.OUTPUT, "lookup"
        )
        self.context.set("ContactNumber", number, Source.OUTPUT, "lookup")
        return True

    def external_number(self) -> str:
        """The other party's number: the caller on inbound calls, the callee otherwise."""
        data = self.context.data()
        direction = data.get("Communication_Type", "Inbound").lower()
        if direction.startswith("out"):
            return data.get("CalleeNumber", "")
        return data.get("CallerNumber", "")

    def call_journal(self, contact_id: str | None, contact_type: str | None) -> RunResult:
        """CallJournal: find the contact, render Subject/Description, write the journal."""
        scenario = self._scenario("CallJournal")
        self._ensure_global_info()
        self._samples_for("CallJournal")
        if not self.find_contact(contact_id, contact_type):
            raise FindingsError(
                f"no contact matches the call's external number {self.external_number()!r}; "
                "the PBX writes a journal only for a matched contact",
                hint="check the number in --call, or give --contact-id and --contact-type",
            )
        result = self._run_all("CallJournal", scenario)
        result.contact = self._contact_of_call()
        return result

    def ticket(
        self, ticket_id: str | None, contact_id: str | None, contact_type: str | None
    ) -> RunResult:
        """CreateNewTicket, or UpdateTicket when ``ticket_id`` is given."""
        scenario = self._scenario("CreateNewTicket")
        self._ensure_global_info()
        self._samples_for("CreateNewTicket")
        if not self.find_contact(contact_id, contact_type):
            self.warnings.append(
                f"no contact matches the call's external number {self.external_number()!r}; "
                "the ticket is sent without ContactId"
            )
        wanted = "UpdateTicket" if ticket_id else "CreateNewTicket"
        if ticket_id:
            self.context.set("TicketId", ticket_id, Source.PBX, "--ticket-id")
        request = scenario.request(wanted)
        if request is None:
            raise UsageError(
                f"the CreateNewTicket scenario has no {wanted} request",
                hint="--ticket-id needs an UpdateTicket request" if ticket_id else None,
            )
        records = self._run_request(scenario, request, self.context, subject=True)
        return RunResult(
            "CreateNewTicket",
            records=records[:1] if records else [{}],
            exchanges=self.exchanges,
            warnings=self.warnings,
            findings=self.findings,
            contact=self._contact_of_call(),
        )

    def _contact_of_call(self) -> dict[str, str]:
        data = self.context.data()
        return {
            name: data[name]
            for name in ("ContactId", "ContactSyncType")
            if data.get(name)
            and self.context.get(name) is not None
            and self.context.get(name).source is not Source.SAMPLE  # type: ignore[union-attr]
        }

    def _run_all(self, scenario_id: str, scenario: Scenario) -> RunResult:
        merged: dict[str, str] = {}
        for request in scenario.requests:
            for record in self._run_request(scenario, request, self.context, subject=True)[:1]:
                merged.update(record)
        return RunResult(
            scenario_id,
            records=[merged],
            exchanges=self.exchanges,
            warnings=self.warnings,
            findings=self.findings,
        )

    def _run_request(
        self,
        scenario: Scenario,
        request: Request,
        context: VariableContext,
        *,
        subject: bool = False,
    ) -> list[dict[str, str]]:
        renderer = self._renderer(context)
        if subject:
            renderer.inject_subject_and_description(scenario)
        outputs = [o for o in request.output_list if o.name]
        response = self.send(renderer, scenario, request, expect_json=bool(outputs))
        if not outputs:
            return []
        pairs = [(o.name or "", renderer.output_path(o)) for o in outputs]
        return self._extract(request, response, pairs).records

    def _scenario(self, scenario_id: str) -> Scenario:
        scenario = self.template.scenario(scenario_id)
        if scenario is None:
            raise UsageError(
                f"the template has no {scenario_id} scenario",
                hint="crmtpl validate TEMPLATE lists what the template contains",
            )
        return scenario
