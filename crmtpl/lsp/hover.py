"""Hovers: Markdown about what is under the cursor, as ``(text, start, end)`` offsets.

On a ``{{.Variable}}``: what it holds, where it exists, a sample value and where a value
comes from; on a function: signature and example; on an element or attribute name: the
format's doc; on an output's GJSON path: what each component selects; on a value written
with entities: the decoded text (JSON pretty-printed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from crmtpl.lsp.locate import Spot, Word, spot_at, word_at
from crmtpl.lsp.words import GO_FUNCTIONS, KEYWORDS
from crmtpl.secrets import is_secret_field
from crmtpl.template import LoadedTemplate, XmlAttribute
from crmtpl.template.catalogue import Catalogue, catalogue


@dataclass(frozen=True)
class Hover:
    """Markdown and the file offsets it is about."""

    markdown: str
    start: int
    end: int


def hover_at(loaded: LoadedTemplate, offset: int) -> Hover | None:
    """The hover for ``offset`` of a loaded template, or None when there is nothing to say."""
    spot = spot_at(loaded, offset)
    if spot is None:
        return None
    cat = catalogue()
    if spot.part == "element":
        span = spot.element.name_span
        return Hover(_element_doc(cat, spot.element.name), span.start_offset, span.end_offset)
    attribute = spot.attribute
    if attribute is None:
        return None
    if spot.part == "name":
        text = _attribute_doc(cat, spot, attribute.name)
        return Hover(text, attribute.name_start, attribute.name_end) if text else None
    return _value_hover(loaded, cat, spot, attribute)


def _value_hover(
    loaded: LoadedTemplate, cat: Catalogue, spot: Spot, attribute: XmlAttribute
) -> Hover | None:
    word = word_at(attribute.value, spot.index)
    if word is not None and word.in_action:
        text = _word_doc(loaded, cat, spot, word)
        if text:
            span = attribute.span_of(word.start, word.end)
            return Hover(text, span.start_offset, span.end_offset)
    if _is_gjson_path(cat, spot, attribute) and "{{" not in attribute.value:
        return Hover(describe_path(attribute.value), attribute.value_start, attribute.value_end)
    if attribute.raw_value != attribute.value:
        shown = "********" if _holds_secret(spot) else attribute.value
        return Hover(_decoded_doc(shown), attribute.value_start, attribute.value_end)
    if spot.element.name == "Parameter" and attribute.name in ("Name", "Value"):
        text = _parameter_doc(cat, spot)
        if text:
            return Hover(text, attribute.value_start, attribute.value_end)
    return None


def _holds_secret(spot: Spot) -> bool:
    """A parameter the secrecy policy marks (a password field, a token, a key)."""
    node = spot.element
    return node.name == "Parameter" and is_secret_field(node.get("Name") or "", node.get("Editor"))


def _element_doc(cat: Catalogue, name: str) -> str:
    spec = cat.element(name)
    if spec is None:
        return f"**<{name}>** is not an element of the template format"
    parents = ", ".join(f"<{p}>" for p in spec.parents) or "none (the root)"
    lines = [f"**<{name}>**", "", spec.note, "", f"Inside: {parents}; how many: {spec.cardinality}"]
    if spec.attributes:
        lines.append("Attributes: " + ", ".join(f"`{a}`" for a in spec.attributes))
    return "\n".join(lines)


def _attribute_doc(cat: Catalogue, spot: Spot, name: str) -> str | None:
    owner = spot.element.name
    spec = None
    if owner == "Information":
        spec = cat.information_attribute(name)
    elif owner == "Request":
        spec = cat.request_attribute(name)
    if spec is None:
        element = cat.element(owner)
        if element is None or name not in element.attributes:
            return None
        return f"**{name}** attribute of <{owner}>\n\n{element.note}"
    lines = [f"**{name}** attribute of <{owner}> ({spec.kind})", "", spec.meaning]
    if spec.values:
        lines.append("\nValues: " + ", ".join(f"`{v}`" for v in spec.values))
    if spec.default is not None:
        lines.append(f"\nDefault: `{spec.default}`")
    return "\n".join(lines)


def _parameter_doc(cat: Catalogue, spot: Spot) -> str | None:
    name = spot.element.get("Name")
    scenario = spot.scenario_id
    if not name or scenario is None:
        return None
    spec = cat.parameter(scenario, name)
    if spec is None:
        return None
    text = f"**{name}** parameter of {scenario} ({spec.kind})\n\n{spec.meaning}"
    if spec.values:
        text += "\n\nValues: " + ", ".join(f"`{v}`" for v in spec.values)
    return text


def _word_doc(loaded: LoadedTemplate, cat: Catalogue, spot: Spot, word: Word) -> str | None:
    name = word.field
    if name is not None:
        return variable_doc(loaded, cat, name)
    function = cat.function(word.text)
    if function is not None:
        return (
            f"**{function.name}** (PBX function)\n\n```\n{function.signature}\n```\n\n"
            f"{function.doc}\n\nExample: `{function.example}`"
            + (f" with {function.example_input}" if function.example_input else "")
            + (f" gives `{function.crmtpl_output}`" if function.crmtpl_output else "")
        )
    if word.text in GO_FUNCTIONS:
        signature, meaning, example = GO_FUNCTIONS[word.text]
        return f"**{word.text}** (Go built-in)\n\n```\n{signature}\n```\n\n{meaning}\n\n`{example}`"
    if word.text in KEYWORDS:
        return f"**{word.text}**: Go template keyword"
    return None


def variable_doc(loaded: LoadedTemplate, cat: Catalogue, name: str) -> str:
    """What ``{{.name}}`` holds: a predefined variable, a custom field, a global output."""
    spec = cat.variable(name)
    if spec is not None:
        scenarios = sorted(
            {c.scenario for c in cat.contexts if cat.availability(name, c.id).available}
        )
        lines = [f"**.{name}** (set by the PBX)", "", spec.meaning, ""]
        if scenarios:
            lines.append("Exists in: " + ", ".join(scenarios))
        sample = "********" if spec.secret else spec.sample
        lines.append(f"Sample value: `{sample}`")
        if spec.example and spec.example != spec.sample:
            lines.append(f"Example: `{spec.example}`")
        lines.append("Value: from the call or the PBX; `crmtpl render --var` sets one")
        return "\n".join(lines)
    for field in loaded.model.custom_fields:
        if field.name == name:
            line = field.node.line
            return (
                f"**.{name}** (custom field, declared on line {line})\n\n"
                "Its value is what the PBX administrator types in the integration's "
                "settings; locally it comes from `crmtpl auth set`, `--var` or the "
                "environment."
            )
    if name in loaded.model.global_info_output_names:
        return f"**.{name}**: an output of the GetGlobalInfo scenario, filled before each call"
    return f"**.{name}**: not a predefined variable, a custom field or a global output"


def _is_gjson_path(cat: Catalogue, spot: Spot, attribute: XmlAttribute) -> bool:
    if spot.element.name == "Output" and attribute.name == "Path":
        return True
    if spot.element.name != "Parameter" or attribute.name != "Value":
        return False
    name, scenario = spot.element.get("Name"), spot.scenario_id
    spec = cat.parameter(scenario or "", name or "")
    return spec is not None and spec.kind == "gjson_path"


def describe_path(path: str) -> str:
    """What each component of a GJSON path selects, as a Markdown list."""
    if not path:
        return "An empty path: a chained `Next` request fills this output."
    lines = [f"**GJSON path** `{path}`", ""]
    parts = _components(path)
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if part == "#":
            lines.append("- `#`: " + ("the number of elements" if last else "every element"))
        elif part.startswith("#("):
            every = part.endswith(")#")
            lines.append(f"- `{part}`: " + ("every" if every else "the first") + " match")
        elif part.isdigit():
            lines.append(f"- `{part}`: element {part} (counting from 0)")
        elif part.startswith("@"):
            lines.append(f"- `{part}`: a modifier")
        elif "*" in part or "?" in part:
            lines.append(f"- `{part}`: the first key matching the wildcard")
        else:
            lines.append(f"- `{part}`: the key {part!r}")
    return "\n".join(lines)


def _components(path: str) -> list[str]:
    parts: list[str] = []
    current = ""
    depth = 0
    index = 0
    while index < len(path):
        char = path[index]
        if char == "\\" and index + 1 < len(path):
            current += path[index : index + 2]
            index += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char in ".|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    return [p for p in parts if p]


def _decoded_doc(value: str) -> str:
    try:
        shown = json.dumps(json.loads(value), indent=2, ensure_ascii=False)
        kind = "json"
    except ValueError:
        shown, kind = value, ""
    return f"**Decoded value** (as the PBX reads it)\n\n```{kind}\n{shown}\n```"
