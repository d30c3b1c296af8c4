"""A new template copied from the gallery, its custom fields' values optionally set."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crmtpl.gallery import GalleryEntry, gallery_entry
from crmtpl.scaffold.choices import Choice, How
from crmtpl.scaffold.xmltext import attr

_FIELD = re.compile(r'<Parameter\b[^>]*\bFather="CustomFieldList"[^>]*>')
_ATTRIBUTE = re.compile(r'\b([A-Za-z_][\w.-]*)="([^"]*)"')


class FieldValueError(Exception):
    """A ``--var`` that names no custom field of the template, or one that cannot be set."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class CustomField:
    """A ``CustomFieldList`` parameter: its name, editor and where its tag sits."""

    name: str
    editor: str
    start: int
    end: int


def custom_fields(text: str) -> list[CustomField]:
    """The custom fields of a template text, in order."""
    fields = []
    for match in _FIELD.finditer(text):
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        fields.append(
            CustomField(
                attributes.get("Name", ""), attributes.get("Editor", ""), match.start(), match.end()
            )
        )
    return fields


def set_field_values(text: str, assignments: Iterable[str]) -> tuple[str, list[Choice]]:
    """``text`` with each ``NAME=VALUE`` written as the Value of the custom field NAME (the
    value the PBX form starts with). Secret fields (password editor or a secret-looking
    name) and list fields are refused: a template is shared, credentials are not."""
    from crmtpl.secrets import is_secret_name

    choices: list[Choice] = []
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name:
            raise FieldValueError(f"--var {assignment!r}: expected NAME=VALUE")
        fields = {f.name: f for f in custom_fields(text)}
        found = fields.get(name)
        if found is None:
            known = ", ".join(fields) or "none"
            raise FieldValueError(
                f"--var {name}: the template has no custom field {name!r}",
                hint=f"its custom fields: {known}",
            )
        if found.editor == "password" or is_secret_name(name):
            raise FieldValueError(
                f"--var {name}: a secret does not go into a template file",
                hint=f"store it with crmtpl auth set TEMPLATE {name}, or CRMTPL_VAR_{name}",
            )
        if found.editor == "list":
            raise FieldValueError(
                f"--var {name}: a list field's Value is its list of options",
                hint="the administrator picks one in the PBX",
            )
        tag = text[found.start : found.end]
        current = re.search(r'\bValue="[^"]*"', tag)
        if current is not None:  # not re.sub: a backslash in the value is no group reference
            new_tag = tag[: current.start()] + f'Value="{attr(value)}"' + tag[current.end() :]
        else:
            # after Title (else Editor, else Name: found by it, so it is there)
            at = next(
                m for a in ("Title", "Editor", "Name") if (m := re.search(rf'\b{a}="[^"]*"', tag))
            )
            new_tag = tag[: at.end()] + f' Value="{attr(value)}"' + tag[at.end() :]
        text = text[: found.start] + new_tag + text[found.end :]
        choices.append(
            Choice(
                f"var.{name}",
                f"What value does {name} start with?",
                value,
                How.given,
                f"--var {name}=...",
            )
        )
    return text, choices


@dataclass
class GalleryCopy:
    """The copied text, the entry it came from and what was done."""

    text: str
    entry: GalleryEntry
    choices: list[Choice]


def copy_from_gallery(name: str, assignments: Iterable[str] = ()) -> GalleryCopy:
    """The gallery template ``name`` with the ``--var`` values set
    (:class:`crmtpl.gallery.GalleryError` for an unknown name)."""
    entry = gallery_entry(name)
    text = entry.path.read_text(encoding="utf-8")
    choice = Choice(
        "from", "Which gallery template?", entry.name, How.given, f"{entry.system}: {entry.summary}"
    )
    text, set_choices = set_field_values(text, assignments)
    return GalleryCopy(text, entry, [choice, *set_choices])
