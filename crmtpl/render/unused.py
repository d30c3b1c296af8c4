"""Values the user gave that the template never uses: a misspelt ``--var`` is a warning.

``--var baseurl=…`` when the custom field is ``base_url``, or a ``pasword=`` line in a
``--vars-file``, used to be ignored without a word, and the real field stayed empty. Here a
given name is *unused* when no templated attribute of the file reads it and it is not a
name crmtpl or the PBX reads by itself (a custom field, a predefined variable of the PBX,
an output). Only names the user typed are judged: ``--var``, ``--vars-file`` and the keys
of ``--call``; ``CRMTPL_VAR_*`` variables may serve many templates and are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmtpl import gotemplate
from crmtpl.suggest import closest
from crmtpl.template import LoadedTemplate
from crmtpl.template.catalogue import catalogue
from crmtpl.variables import Source, VariableContext


@dataclass(frozen=True)
class UnusedVariable:
    """A name the user gave that nothing reads, and the name probably meant."""

    name: str
    given_by: str
    suggestion: str | None

    @property
    def message(self) -> str:
        """The warning's sentence."""
        return f"{self.given_by} sets {self.name}, which the template never uses: it is ignored"

    @property
    def hint(self) -> str | None:
        """``did you mean …?`` when a used or known name is close."""
        return None if self.suggestion is None else f"did you mean {self.suggestion}?"


def names_the_template_reads(loaded: LoadedTemplate) -> set[str]:
    """Every variable name a ``{{...}}`` of the file reads (``.Name`` or ``$.Name``)."""
    names: set[str] = set()
    for element in loaded.source.root.iter():
        for attribute in element.attribute_list:
            if "{{" not in attribute.value:
                continue
            analysis = gotemplate.analyze(attribute.value)
            for ref in analysis.fields:
                rooted = (ref.base == "." and ref.dot_is_root) or ref.base == "$"
                if ref.path and rooted:
                    names.add(ref.path[0])
    return names


def names_read_without_templates(loaded: LoadedTemplate) -> set[str]:
    """Names crmtpl or the PBX read by themselves: custom fields (credentials, tokens),
    the PBX's predefined variables, and every output name of the template."""
    model = loaded.model
    names = set(model.custom_field_names)
    names |= {v.name for v in catalogue().variables}
    names |= {o.name for _, r in model.requests() for o in r.output_list if o.name}
    return names


def _given_by(source: Source, origin: str) -> str | None:
    if source is Source.FLAG:
        return "--var"
    if source is Source.FILE:
        return f"the vars file {origin}"
    if source is Source.PBX and origin.startswith("--call"):
        return origin
    return None


def unused_given_variables(
    loaded: LoadedTemplate, context: VariableContext
) -> list[UnusedVariable]:
    """The names given with ``--var``, ``--vars-file`` or ``--call`` that nothing reads."""
    used = names_the_template_reads(loaded)
    known = used | names_read_without_templates(loaded)
    # Suggest what this template really reads first, then the other known names.
    preferred = sorted(used | set(loaded.model.custom_field_names))
    unused = []
    for variable in context:
        given_by = _given_by(variable.source, variable.origin)
        if given_by is None or variable.name in known:
            continue
        suggestion = closest(variable.name, preferred) or closest(variable.name, sorted(known))
        unused.append(UnusedVariable(variable.name, given_by, suggestion))
    return unused
