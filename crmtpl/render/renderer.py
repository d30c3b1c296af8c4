"""Rendering a scenario into the exact requests the PBX would send (spec §8.3, §10, §11).

For each request: the URL (``URLFormat``), the headers (the AuthMethod scenario's
``PopulateTemplateString`` headers, then the request's own, then the ``Authorization``
header the auth method implies) and the body (``Data``). In ``CallJournal`` and
``CreateNewTicket`` the ``Subject`` and ``Description`` parameters are rendered first and
injected as ``{{.Subject}}`` and ``{{.Description}}``.

Values are passed to Go's engine as a ``map[string]string``: the PBX's variables are
strings. A variable with no value prints ``<no value>`` as Go's default ``missingkey``
does, and is reported as a warning at its position.

Errors never raise: every problem becomes a :class:`RenderIssue` with the file position
of the offending character, so ``render`` and ``run`` can report them as ``validate`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from crmtpl import gotemplate
from crmtpl.auth.registry import strategy_for
from crmtpl.render.request import RenderedRequest
from crmtpl.secrets import how_to_give, is_secret_field
from crmtpl.template import LoadedTemplate, Request, Scenario, SourceSpan
from crmtpl.template.catalogue import catalogue
from crmtpl.template.model import Located
from crmtpl.variables import Source, Variable, VariableContext

#: Scenarios whose Subject/Description parameters feed the body (spec §6.6, §6.7).
SUBJECT_SCENARIOS = frozenset({"CallJournal", "CreateNewTicket"})
PLACEHOLDER_FORMAT = "<{name}>"


@dataclass(frozen=True)
class RenderIssue:
    """A problem found while rendering, at a file position when one is known."""

    severity: str  # "error" | "warning"
    code: str
    message: str
    hint: str | None = None
    span: SourceSpan | None = None
    request: str | None = None
    #: The variable a ``missing-variable`` issue is about.
    variable: str | None = None

    def location(self, file_name: str) -> str:
        """``file:line:col`` as validate prints it (just ``file`` when unknown)."""
        if self.span is None:
            return file_name
        return f"{file_name}:{self.span.start_line}:{self.span.start_column}"


@dataclass
class RenderResult:
    """What rendering a scenario produced."""

    scenario_id: str
    requests: list[RenderedRequest] = field(default_factory=list)
    issues: list[RenderIssue] = field(default_factory=list)
    used_variables: dict[str, list[SourceSpan]] = field(default_factory=dict)
    contact_url: str | None = None
    #: Values only the chained (Common) requests see: outputs of the request before them.
    chain_variables: dict[str, Variable] = field(default_factory=dict)
    #: Requests whose body a forced-past lint finding (CT661) already explains: request
    #: name -> "RULE at line:col" (see :mod:`crmtpl.render.findings`).
    explained_bodies: dict[str, str] = field(default_factory=dict)

    def variable(self, context: VariableContext, name: str) -> Variable | None:
        """A variable's value as some request of this scenario saw it."""
        return context.get(name) or self.chain_variables.get(name)

    @property
    def errors(self) -> list[RenderIssue]:
        """Issues of severity error."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def missing_variables(self) -> list[str]:
        """Variables used somewhere that had no value."""
        names = []
        for issue in self.issues:
            if issue.variable is not None and issue.variable not in names:
                names.append(issue.variable)
        return names


@lru_cache(maxsize=4096)
def _parsed(text: str) -> gotemplate.Template:
    return gotemplate.parse(text)


@lru_cache(maxsize=4096)
def _analysis(text: str) -> gotemplate.TemplateAnalysis:
    return gotemplate.analyze(text)


def placeholder(name: str) -> str:
    """The marker shown for a value only known at run time (an output, a token)."""
    return PLACEHOLDER_FORMAT.format(name=name)


class ScenarioRenderer:
    """Renders the templated attributes of one template with one variable context."""

    def __init__(
        self,
        loaded: LoadedTemplate,
        context: VariableContext,
        *,
        missingkey: str = "default",
    ) -> None:
        self.loaded = loaded
        self.template = loaded.model
        self.context = context
        self.missingkey = missingkey
        self.issues: list[RenderIssue] = []
        self.used: dict[str, list[SourceSpan]] = {}
        self._request_name: str | None = None
        for custom_field in self.template.custom_fields:
            if custom_field.name and is_secret_field(custom_field.name, custom_field.editor):
                context.mark_secret(custom_field.name)

    # -- values -------------------------------------------------------------------------

    def value(
        self,
        owner: Located,
        attribute: str,
        *,
        extra: dict[str, str] | None = None,
    ) -> str | None:
        """Render ``owner``'s attribute; None when the attribute is absent."""
        text = owner.node.get(attribute)
        if text is None:
            return None
        if "{{" not in text:
            return text
        data = self.context.data()
        if extra:
            data.update(extra)
        self._note_used(owner, attribute, text, data)
        try:
            parsed = _parsed(text)
        except gotemplate.GoTemplateError as problem:
            self._template_error(owner, attribute, problem)
            return text
        try:
            return parsed.execute(gotemplate.StringMap(data), missingkey=self.missingkey)
        except gotemplate.TemplateExecError as problem:
            self._template_error(owner, attribute, problem)
            return problem.partial_output
        except gotemplate.GoTemplateError as problem:
            self._template_error(owner, attribute, problem)
            return text

    def _span(self, owner: Located, attribute: str, start: int | None, length: int) -> SourceSpan:
        found = owner.node.attribute(attribute)
        if found is None or start is None:
            return owner.span
        return found.span_of(start, start + max(length, 1))

    def _template_error(
        self, owner: Located, attribute: str, problem: gotemplate.GoTemplateError
    ) -> None:
        self.issues.append(
            RenderIssue(
                "error",
                "template-error",
                f"{attribute}: {problem.message}",
                hint="crmtpl validate shows every template error with a hint",
                span=self._span(owner, attribute, problem.offset, 1),
                request=self._request_name,
            )
        )

    def _note_used(self, owner: Located, attribute: str, text: str, data: dict[str, str]) -> None:
        analysis = _analysis(text)
        for ref in analysis.fields:
            rooted = (ref.base == "." and ref.dot_is_root) or ref.base == "$"
            if not ref.path or not rooted:
                continue  # $x.Field or a field of range/with's dot: not a template variable
            name = ref.path[0]
            span = self._span(owner, attribute, ref.offset, ref.length)
            self.used.setdefault(name, []).append(span)
            if name in data or ref.tested or ref.guarded or self.missingkey == "error":
                continue
            self.issues.append(
                RenderIssue(
                    "warning",
                    "missing-variable",
                    f"variable '{name}' has no value in {attribute}; "
                    f"Go prints {'<no value>' if self.missingkey == 'default' else 'nothing'}",
                    hint=self._value_hint(name),
                    span=span,
                    request=self._request_name,
                    variable=name,
                )
            )

    # -- auth -----------------------------------------------------------------------------

    def _value_hint(self, name: str) -> str:
        """How to give a missing variable: ``--var`` for ordinary values, never for secrets."""
        fields = {f.name: f for f in self.template.custom_fields if f.name}
        field = fields.get(name)
        secret = is_secret_field(name, field.editor if field is not None else None)
        if secret:
            return how_to_give(name, self.loaded.display_name, secret=True)
        return f"set it with --var {name}=VALUE, --vars-file, CRMTPL_VAR_{name}, or crmtpl auth set"

    def prepare_auth(self) -> None:
        """Derive the auth method's variables (``basic_string``; ``AccessToken`` placeholders)."""
        auth = self.template.auth

        def credential() -> str | None:
            parameter = auth.param("Base64EncodedCredential") if auth is not None else None
            return self.value(parameter, "Value") if parameter is not None else None

        if auth is not None:
            strategy_for(self.template.auth_method).derive_variables(self.context, credential)
        if "AccessToken" in self.context:
            self.context.mark_secret("AccessToken")

    def authorization_header(self) -> tuple[str, str] | None:
        """The ``Authorization`` header the auth method implies, or None for ``none``."""
        strategy = strategy_for(self.template.auth_method)
        return strategy.authorization_header(self.context.data(), self.template)

    # -- requests -------------------------------------------------------------------------

    def inject_subject_and_description(self, scenario: Scenario) -> None:
        """Render Subject/Description first and make them variables (spec §8.3)."""
        if scenario.id not in SUBJECT_SCENARIOS:
            return
        for name in ("Subject", "Description"):
            current = self.context.get(name)
            if current is not None and current.source is not Source.SAMPLE:
                continue  # given by the user (--var, --call...): keep it
            parameter = scenario.param(name)
            if parameter is None:
                self._inject_default(scenario.id or "", name)
                continue
            rendered = self.value(parameter, "Value")
            if rendered is not None:
                self.context.set(
                    name, rendered, Source.PBX, f"{scenario.id} {name} parameter, rendered"
                )

    def _inject_default(self, scenario_id: str, name: str) -> None:
        """No Subject/Description parameter: the PBX's documented default, rendered with
        this call's values (spec §6.6, §6.7; U7 for CallJournal's Description)."""
        spec = catalogue().parameter(scenario_id, name)
        if spec is None or not spec.default:
            return
        try:
            text = _parsed(spec.default).execute(
                gotemplate.StringMap(self.context.data()), missingkey=self.missingkey
            )
        except gotemplate.GoTemplateError:
            return
        origin = f"the PBX's default {name} of {scenario_id} (the template has none)"
        self.context.set(name, text, Source.PBX, origin)

    def request(self, scenario: Scenario, request: Request) -> RenderedRequest:
        """Render one request: method, URL, headers in the PBX's order, body."""
        self._request_name = request.name
        try:
            url_attribute = request.url_attribute or "URLFormat"
            url = self.value(request, url_attribute) or ""
            headers: list[tuple[str, str]] = []
            for header in (*self.template.global_headers, *request.headers):
                if header.name:
                    headers.append((header.name, self.value(header, "Value") or ""))
            authorization = self.authorization_header()
            if authorization is not None:
                headers.append(authorization)
            body_parameter = request.body
            body = self.value(body_parameter, "Value") if body_parameter is not None else None
            return RenderedRequest(
                scenario=scenario.id or "",
                name=request.name or "",
                method=(request.method or "GET").upper(),
                url=url,
                headers=headers,
                body=body,
                response_type=request.response_type or "application/json",
            )
        finally:
            self._request_name = None

    def output_path(self, output: Located, extra: dict[str, str] | None = None) -> str:
        """An output's GJSON path after its ``{{...}}`` are filled in (paths may hold
        ``{{.Phone}}``, spec §6.4)."""
        return self.value(output, "Path", extra=extra) or ""


def add_samples(context: VariableContext, scenario_ids: Iterable[str]) -> None:
    """The PBX's predefined variables for these scenarios, with fixed sample values."""
    facts = catalogue()
    seen: set[str] = set()
    for scenario_id in scenario_ids:
        for context_spec in facts.contexts:
            if context_spec.scenario != scenario_id:
                continue
            for variable in facts.variables_in(context_spec.id):
                if variable.name in seen or variable.name in ("AccessToken", "basic_string"):
                    continue
                seen.add(variable.name)
                context.set(
                    variable.name,
                    variable.sample,
                    Source.SAMPLE,
                    "PBX sample",
                    secret=variable.secret,
                )


def add_placeholders(context: VariableContext, names: Iterable[str], origin: str) -> None:
    """Mark values only known at run time (outputs, global info) as placeholders."""
    for name in names:
        if name not in context:
            context.set(name, placeholder(name), Source.OUTPUT, origin, placeholder=True)


def render_scenario(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    *,
    request_name: str | None = None,
    missingkey: str = "default",
) -> RenderResult:
    """Render every request of a scenario (or one, by name) and the Common requests its
    ``Next`` chains reach, with placeholders for values known only at run time."""
    template = loaded.model
    scenario = template.scenario(scenario_id)
    result = RenderResult(scenario_id)
    if scenario is None:
        return result
    add_samples(context, [scenario_id])
    add_placeholders(context, template.global_info_output_names, "GetGlobalInfo output")
    renderer = ScenarioRenderer(loaded, context, missingkey=missingkey)
    renderer.prepare_auth()
    renderer.inject_subject_and_description(scenario)
    requests = [r for r in scenario.requests if request_name is None or r.name == request_name]
    for request in requests:
        result.requests.append(renderer.request(scenario, request))
        chain_context = context.copy()
        chained = ScenarioRenderer(loaded, chain_context, missingkey=missingkey)
        visited = {request.name}
        current = request
        while current.next:
            target = template.common_request(current.next)
            if target is None or target.name in visited:
                break
            visited.add(target.name)
            add_placeholders(
                chain_context,
                [o.name for o in current.output_list if o.name],
                f"output of {current.name}",
            )
            common = template.scenario("Common")
            assert common is not None
            result.requests.append(chained.request(common, target))
            for output in current.output_list:
                found = chain_context.get(output.name or "")
                if found is not None and output.name not in context:
                    result.chain_variables.setdefault(found.name, found)
            current = target
        renderer.issues.extend(chained.issues)
        for name, spans in chained.used.items():
            renderer.used.setdefault(name, []).extend(spans)
    if scenario_id == "SyncContactAuto" and scenario.param_value("ContactUrlType") == (
        "specify_url_format"
    ):
        url_parameter = scenario.param("URLFormat")
        if url_parameter is not None:
            first = requests[0].name if requests else ""
            extra = {"ContactSyncType": first or ""}
            for name in ("ContactId", "CustomValue"):
                given = context.get(name)
                if given is None or given.source is Source.SAMPLE:
                    extra[name] = placeholder(name)  # known only once a contact is found
            result.contact_url = renderer.value(url_parameter, "Value", extra=extra)
    result.issues = _dedupe(renderer.issues)
    result.used_variables = renderer.used
    return result


def _dedupe(issues: list[RenderIssue]) -> list[RenderIssue]:
    """Drop repeated issues; report a missing variable once, at its first use, with a count."""
    seen: set[tuple[str, str, str]] = set()
    unique: list[RenderIssue] = []
    missing: dict[str, int] = {}
    uses: dict[str, int] = {}
    ordered = sorted(issues, key=lambda i: i.span.start_offset if i.span else -1)
    for issue in ordered:
        key = (issue.code, issue.message, str(issue.span))
        if key in seen:
            continue
        seen.add(key)
        if issue.code == "missing-variable":
            name = issue.variable or ""
            uses[name] = uses.get(name, 0) + 1
            if name in missing:
                continue
            missing[name] = len(unique)
        unique.append(issue)
    for name, index in missing.items():
        if uses[name] > 1:
            first = unique[index]
            more = uses[name] - 1
            unique[index] = replace(
                first, message=f"{first.message} (and {more} more place{'s' if more > 1 else ''})"
            )
    return unique
