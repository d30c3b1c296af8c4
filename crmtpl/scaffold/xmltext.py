"""Template XML written as text, in the gallery's layout, every value escaped.

Each element is one line (``<Parameter .../>`` written as an open and a close tag, as the
PBX's own templates are); attribute values escape ``& < > "`` and write newlines as
``&#xA;`` so that multi-line bodies survive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Characters XML 1.0 does not allow at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def xml_chars(text: str) -> str:
    """``text`` with the characters XML cannot hold (ESC, NUL...) shown as ``\\x1b``."""
    return _NOT_XML.sub(_visible, text)


def attr(value: str) -> str:
    """An attribute value, escaped for double quotes."""
    return (
        xml_chars(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#xA;")
        .replace("\r", "&#xD;")
        .replace("\t", "&#x9;")
    )


def comment(text: str) -> str:
    """Comment text: ``--`` cannot appear in an XML comment."""
    text = xml_chars(text)
    while "--" in text:
        text = text.replace("--", "- -")
    return text.rstrip("-")


def element(name: str, attributes: Sequence[tuple[str, str]], indent: int) -> str:
    """``<Name A="v"></Name>`` on one line."""
    pairs = "".join(f' {key}="{attr(value)}"' for key, value in attributes)
    return "  " * indent + f"<{name}{pairs}></{name}>"


@dataclass
class RequestSpec:
    """One ``<Request>``: its URL, body, extra headers and outputs."""

    name: str
    method: str
    url: str
    body: str | None = None
    outputs: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    body_note: str = ""  # a comment (and lint directive) before the body
    outputs_note: str = ""  # a comment (and lint directive) before the outputs


@dataclass
class ScenarioSpec:
    """One ``<Scenario>``: its id, parameters (without Father) and requests."""

    id: str
    parameters: list[tuple[str, str]] = field(default_factory=list)
    requests: list[RequestSpec] = field(default_factory=list)


@dataclass
class TemplateSpec:
    """What a template holds, before it is written."""

    provider: str
    name: str
    key: str
    remark: str
    auth_type: str
    flags: dict[str, str]
    auth_parameters: list[list[tuple[str, str]]]  # each: the attributes of one <Parameter>
    scenarios: list[ScenarioSpec]
    header_comment: str


def template_text(spec: TemplateSpec) -> str:
    """The whole template file."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!--"]
    lines += [f"  {comment(line)}".rstrip() for line in spec.header_comment.splitlines()]
    lines.append("-->")
    info = [
        ("Provider", spec.provider),
        ("Name", spec.name),
        ("Key", spec.key),
        ("Remark", spec.remark),
        ("Version", "1.0.0"),
        ("AuthType", spec.auth_type),
        ("MaxConcurrentRequest", "5"),
        *spec.flags.items(),
    ]
    head = element("Information", info, 0).removesuffix("</Information>")
    lines += [head, "  <Scenarios>"]
    lines += _auth_scenario(spec)
    for scenario in spec.scenarios:
        lines += _scenario(scenario)
    lines += ["  </Scenarios>", "</Information>", ""]
    return "\n".join(lines)


def _auth_scenario(spec: TemplateSpec) -> list[str]:
    lines = [
        '    <Scenario Id="AuthMethod" Type="AUTH">',
        "      <Presets></Presets>",
        "      <Parameters>",
    ]
    lines += [element("Parameter", attributes, 4) for attributes in spec.auth_parameters]
    lines += [
        "      </Parameters>",
        "      <Requests></Requests>",
        "      <Responses></Responses>",
        "    </Scenario>",
    ]
    return lines


def _scenario(scenario: ScenarioSpec) -> list[str]:
    lines = [f'    <Scenario Id="{attr(scenario.id)}" Type="REST">', "      <Presets></Presets>"]
    if scenario.parameters:
        lines.append("      <Parameters>")
        lines += [
            element("Parameter", [("Name", n), ("Value", v)], 4) for n, v in scenario.parameters
        ]
        lines.append("      </Parameters>")
    else:
        lines.append("      <Parameters></Parameters>")
    lines.append("      <Requests>")
    for request in scenario.requests:
        if request.note:
            lines.append(f"        <!-- {comment(request.note)} -->")
        attributes = [
            ("Name", request.name),
            ("Method", request.method),
            ("ResponseType", "application/json"),
            ("RequestEncoding", ""),
            ("URLFormat", request.url),
        ]
        lines.append(element("Request", attributes, 4).removesuffix("</Request>"))
        if request.body is None:
            lines.append("          <Parameters></Parameters>")
        else:
            lines.append("          <Parameters>")
            lines += _notes(request.body_note, 6)
            body = [("Name", "Data"), ("Type", "Body"), ("Value", request.body)]
            lines.append(element("Parameter", body, 6))
            lines.append("          </Parameters>")
        lines += _notes(request.outputs_note, 5)
        if request.outputs:
            lines.append("          <Outputs>")
            lines += [
                element("Output", [("Name", n), ("Path", p), ("Type", "")], 6)
                for n, p in request.outputs
            ]
            lines.append("          </Outputs>")
        else:
            lines.append("          <Outputs></Outputs>")
        lines.append("        </Request>")
    lines += ["      </Requests>", "    </Scenario>"]
    return lines


def _notes(text: str, indent: int) -> list[str]:
    """One comment per line of ``text`` (``crmtpl: ignore`` directives are comments too)."""
    return ["  " * indent + f"<!-- {comment(line)} -->" for line in text.splitlines() if line]
