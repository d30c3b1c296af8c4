"""What the credentials code needs from a template: its Key, auth method and custom fields."""

from __future__ import annotations

from dataclasses import dataclass

from crmtpl.secrets import is_secret_field
from crmtpl.template.catalogue import catalogue
from crmtpl.template.model import Template
from crmtpl.variables import custom_field_default


@dataclass(frozen=True)
class CustomField:
    """A ``CustomFieldList`` parameter: a value the administrator fills in (spec §5.2)."""

    name: str
    editor: str = "string"
    title: str = ""
    value: str = ""
    description: str = ""

    @property
    def secret(self) -> bool:
        """Password fields, and fields whose names say they hold a secret."""
        return is_secret_field(self.name, self.editor)

    @property
    def options(self) -> list[str]:
        """The choices of a ``list`` field: ``Value`` split at commas (spec §5.2, U18)."""
        if self.editor != "list":
            return []
        return [option.strip() for option in self.value.split(",") if option.strip()]

    @property
    def default(self) -> str | None:
        """The template's default for the field (its ``Value``), used when nothing is given."""
        return custom_field_default(self.name, self.editor, self.value)

    @property
    def label(self) -> str:
        """What to call the field in a prompt: its Title, else its Name."""
        return self.title or self.name


@dataclass(frozen=True)
class AuthSettings:
    """The AuthMethod scenario of a template, as plain strings (values not rendered)."""

    template_key: str
    template_name: str
    method: str
    auth_endpoint: str = ""
    token_endpoint: str = ""
    scope: str = ""
    additional_query: str = ""
    token_refresh_interval: str = ""
    token_type: str = ""
    custom_fields: tuple[CustomField, ...] = ()

    @property
    def uses_tokens(self) -> bool:
        """True for the methods that provide ``AccessToken`` (the catalogue says which)."""
        spec = catalogue().auth_method(self.method)
        return spec is not None and "AccessToken" in spec.provides

    @property
    def field_names(self) -> list[str]:
        """The custom fields' names, in template order."""
        return [f.name for f in self.custom_fields]

    @property
    def secret_field_names(self) -> list[str]:
        """Fields whose values are masked everywhere."""
        return [f.name for f in self.custom_fields if f.secret]

    def field(self, name: str) -> CustomField | None:
        """The custom field called ``name``, or None."""
        for custom in self.custom_fields:
            if custom.name == name:
                return custom
        return None

    @property
    def refresh_interval_minutes(self) -> float | None:
        """``TokenRefreshInterval`` in minutes (spec §10.4, U10), None when 0 or unset."""
        text = self.token_refresh_interval.strip()
        try:
            minutes = float(text) if text else 0.0
        except ValueError:
            return None
        return minutes if minutes > 0 else None

    @classmethod
    def from_template(cls, template: Template) -> AuthSettings:
        """Read the AuthMethod scenario of a loaded template."""
        info = template.information
        auth = template.auth

        def param(name: str) -> str:
            value = None if auth is None else auth.param_value(name)
            return value or ""

        fields = tuple(
            CustomField(
                name=p.name,
                editor=(p.editor or "string").strip().lower(),
                title=p.title or "",
                value=p.value or "",
                description=p.description or "",
            )
            for p in template.custom_fields
            if p.name
        )
        return cls(
            template_key=info.key or "",
            template_name=info.name or info.key or "",
            method=(template.auth_method or "none").strip().lower(),
            auth_endpoint=param("AuthEndPoint"),
            token_endpoint=param("TokenEndPoint"),
            scope=param("Scope"),
            additional_query=param("AdditionalQueryString"),
            token_refresh_interval=param("TokenRefreshInterval"),
            token_type=param("TokenType"),
            custom_fields=fields,
        )
