"""Load a template file: size limit, UTF-8, strict XML, Go's attribute reading, the model.

``load_template`` is the one entry point shared by validate, render and run::

    loaded = load_template(Path("crm.xml"))
    loaded.model.scenario("SyncContactAuto")          # the typed model
    loaded.source.value_position(node, "URLFormat", 17)  # file line:col of a character

Hardening: the file is read up to the PBX's 1 MB limit and no further; a DOCTYPE, any
entity other than the five predefined ones, and anything needing the network are
rejected, never resolved (see :mod:`crmtpl.template.xmlscan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmtpl.template.load_errors import TemplateFileError
from crmtpl.template.model import Template, build_template
from crmtpl.template.source import SourceMap
from crmtpl.template.xmlscan import scan_document

MAX_TEMPLATE_BYTES = 1024 * 1024
"""The PBX imports template files of at most 1 MB (spec §2, §13)."""

_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, eq=False)
class LoadedTemplate:
    """A loaded template: the typed model, the source map, and where it came from."""

    model: Template
    source: SourceMap
    path: Path | None
    display_name: str
    size_bytes: int

    @property
    def text(self) -> str:
        """The decoded file text (BOM removed); source-map offsets index into it."""
        return self.source.text


def load_template(source: Path | str | bytes, *, display_name: str | None = None) -> LoadedTemplate:
    """Load and check one template.

    ``source`` is a :class:`~pathlib.Path` to read, the file's ``bytes`` (e.g. stdin), or
    the document itself as ``str`` (not a path: wrap paths in ``Path``). ``display_name``
    names the template in messages (default: the path, or ``<bytes>`` / ``<string>``).

    Raises :class:`~crmtpl.template.load_errors.TemplateFileError` (a
    :class:`crmtpl.errors.TemplateLoadError`, exit code 3) when the file cannot be read,
    is larger than 1 MB, is not UTF-8, or is not well-formed XML; the error carries a
    stable ``reason``, a hint, and the line:column of the offending character.
    """
    path: Path | None = None
    if isinstance(source, Path):
        path = source
        name = display_name or str(source)
        data = _read_limited(source, name)
    elif isinstance(source, bytes):
        name = display_name or "<bytes>"
        data = source
    else:
        name = display_name or "<string>"
        data = source.encode("utf-8", "surrogatepass")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFileError(
            f"the file is larger than 1 MB ({len(data):,} bytes; the PBX imports at most "
            f"{MAX_TEMPLATE_BYTES:,})",
            reason="too-large",
            display_name=name,
            hint="templates are a few kilobytes; is this the right file?",
        )
    text = decode_utf8(data, name)
    source_map = scan_document(text, name)
    return LoadedTemplate(
        model=build_template(source_map),
        source=source_map,
        path=path,
        display_name=name,
        size_bytes=len(data),
    )


def _read_limited(path: Path, name: str) -> bytes:
    """Read at most one byte more than the size limit, so a huge file is never slurped."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        raise TemplateFileError(
            f"cannot read the file: {reason}",
            reason="unreadable",
            display_name=name,
            hint="check the path and its permissions",
        ) from None


def decode_utf8(data: bytes, display_name: str) -> str:
    """Decode a template's bytes as UTF-8 (a UTF-8 BOM is dropped), or say where it fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TemplateFileError(
            "the file is UTF-16; the PBX reads templates as UTF-8",
            reason="encoding",
            display_name=display_name,
            hint="save the file as UTF-8",
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        raise TemplateFileError(
            f"not valid UTF-8: byte 0x{data[error.start]:02X} cannot be decoded "
            "(the PBX reads templates as UTF-8)",
            reason="encoding",
            display_name=display_name,
            hint="save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
            line=line,
            column=column,
        ) from None
