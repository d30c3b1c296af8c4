"""GJSON paths applied to saved answers: ``crmtpl gjson`` and ``crmtpl extract``.

:func:`evaluate` runs one path the way the PBX does (the faithful tidwall/gjson engine).
When a path matches nothing, :func:`crmtpl.pathmiss.explain_no_value` says where it
stopped, which keys exist at that level and which path is closest, so a typo in an output
path is a one-line fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmtpl import gjson
from crmtpl.errors import UsageError
from crmtpl.pathmiss import PathMiss, explain_no_value
from crmtpl.recording.cassette import from_file_text
from crmtpl.render.renderer import ScenarioRenderer
from crmtpl.template import LoadedTemplate
from crmtpl.variables import VariableContext


@dataclass(frozen=True)
class PathValue:
    """What one path gives: ``text`` as the PBX stores it, ``raw`` JSON as it appears."""

    path: str
    exists: bool
    text: str
    raw: str


def _matches(json_text: str, path: str) -> bool:
    """True when ``path`` gives a value (a ``#`` path that collects nothing gives none)."""
    result = gjson.get(json_text, path)
    return bool(result.exists) and not ("#" in path and result.raw.strip() == "[]")


def evaluate(json_text: str, path: str) -> PathValue:
    """Evaluate ``path`` against ``json_text`` as the PBX does."""
    result = gjson.get(json_text, path)
    return PathValue(path, _matches(json_text, path), result.str, result.raw)


@dataclass
class ExtractedOutput:
    """One output of a request applied to a saved response."""

    request: str
    name: str
    value: PathValue
    miss: PathMiss | None = None


@dataclass
class Extraction:
    """Every output of the chosen requests, against one response."""

    response_origin: str
    outputs: list[ExtractedOutput] = field(default_factory=list)

    @property
    def misses(self) -> list[ExtractedOutput]:
        """The outputs whose path matched nothing."""
        return [output for output in self.outputs if output.miss is not None]


def response_body(text: str, origin: str) -> tuple[str, str]:
    """The JSON body of a saved response, and the request name when it is a recording."""
    stripped = text.lstrip()
    if stripped.startswith("{") and '"body_format"' in text and '"response"' in text:
        recorded = from_file_text(text, origin)
        return recorded.response.body or "", recorded.name.rpartition("/")[2]
    if not gjson.valid(text):
        raise UsageError(
            f"{origin}: not JSON",
            hint="save the CRM's answer as it came (crmtpl run -vv shows it), or pass a "
            "recording made with crmtpl run lookup TEMPLATE ... --record DIR",
        )
    return text, ""


def extract_outputs(
    loaded: LoadedTemplate,
    scenario_id: str,
    context: VariableContext,
    json_text: str,
    *,
    request_name: str | None = None,
    origin: str = "",
) -> Extraction:
    """The outputs of ``scenario_id`` (or of its request ``request_name``) on ``json_text``."""
    scenario = loaded.model.scenario(scenario_id)
    if scenario is None:
        raise UsageError(f"{loaded.display_name} has no {scenario_id} scenario")
    requests = [r for r in scenario.requests if r.output_list]
    if request_name:
        requests = [r for r in scenario.requests if r.name == request_name]
        if not requests:
            names = ", ".join(scenario.request_names) or "none"
            raise UsageError(
                f"{scenario_id} has no request {request_name!r}",
                hint=f"its requests: {names}",
            )
    renderer = ScenarioRenderer(loaded, context)
    extraction = Extraction(origin)
    for request in requests:
        for output in request.output_list:
            if not output.name or output.filled_later:
                continue
            path = renderer.output_path(output)
            if not path:
                continue
            value = evaluate(json_text, path)
            miss = None if value.exists else explain_no_value(json_text, path)
            extraction.outputs.append(ExtractedOutput(request.name or "", output.name, value, miss))
    return extraction
