"""A request's URL rendered with sample values, taken apart: its path segments, which of
them the template wrote itself, its query, and where each lies in the attribute.

The checks against an API description (CT97x) match the path to an operation and look for
query parameters. A segment that an action printed (``{{.base_url}}``, ``{{.module}}``)
holds a value the administrator or the call decides, not the sample: it matches any
segment of a path template. Without a trace of the rendering (a URL with ``if`` or
``range``), a segment counts as the template's own when its text is in the URL as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from crmtpl.lint.context import LintContext
from crmtpl.lint.rendering import TracedRender, render, render_traced, sample_data
from crmtpl.lint.templated import TemplatedValue

_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


@dataclass(frozen=True, slots=True)
class Segment:
    """One non-empty path segment of the rendered URL."""

    text: str  # percent-decoded
    start: int  # in the rendered output
    end: int
    #: An action printed some of it (its value is not known): it matches any segment.
    templated: bool


@dataclass(frozen=True, slots=True)
class RenderedUrl:
    """A URL rendered with sample values, with the trace back to the template's text."""

    value: TemplatedValue
    output: str
    traced: TracedRender | None
    segments: tuple[Segment, ...]
    path_end: int  # where the path ends in the output ('?', '#' or the end)

    @property
    def path(self) -> str:
        """The path as the description's paths are written: ``/a/b``."""
        return "/" + "/".join(segment.text for segment in self.segments)

    @property
    def shown_path(self) -> str:
        """The path from the template's first own segment on (for messages): the base URL's
        sample value says nothing."""
        own = [index for index, segment in enumerate(self.segments) if not segment.templated]
        start = own[0] if own else 0
        return "/" + "/".join(self._shown(segment) for segment in self.segments[start:])

    def _shown(self, segment: Segment) -> str:
        """A segment as written: the action that printed it whole (``{{.ContactId}}``)
        rather than its sample value."""
        if not segment.templated or self.traced is None:
            return segment.text
        if any(self.traced.from_literal(at) for at in range(segment.start, segment.end)):
            return segment.text
        offsets = {self.traced.source_offset(at) for at in range(segment.start, segment.end)}
        offset = offsets.pop() if len(offsets) == 1 else None
        if offset is None:
            return segment.text
        end = self.value.text.find("}}", offset)
        return segment.text if end < 0 else self.value.text[offset : end + 2]

    @property
    def knowable(self) -> bool:
        """False when the template wrote no segment of the path itself."""
        return any(not segment.templated for segment in self.segments)

    @property
    def query(self) -> str:
        """The query string, without ``?`` and fragment."""
        rest = self.output[self.path_end :]
        return rest[1:].split("#", 1)[0] if rest.startswith("?") else ""

    def query_keys(self) -> set[str]:
        """The names of the query's parameters (decoded)."""
        return {key for key, _value in parse_qsl(self.query, keep_blank_values=True)}

    def query_is_templated(self) -> bool:
        """True when an action may print whole parameters into the query (``?{{.q}}``, or an
        action whose sample output holds ``&`` or ``=``), or the URL has no trace."""
        if self.traced is None:
            return True
        if re.search(r"[?&]\{\{", self.value.text):
            return True
        start = self.path_end
        return any(
            self.output[at] in "&=" and not self.traced.from_literal(at)
            for at in range(start, len(self.output))
        )

    def source_offset(self, position: int) -> int | None:
        """The template offset behind output character ``position`` (None: unknown)."""
        return None if self.traced is None else self.traced.source_offset(position)


def rendered_url(ctx: LintContext, value: TemplatedValue) -> RenderedUrl | None:
    """The URL of ``value`` rendered with sample values; None when it does not render."""
    data = sample_data(ctx, value)
    traced = render_traced(value.text, data)
    output = traced.output if traced is not None else render(value.text, data).output
    if output is None:
        return None
    authority = _AUTHORITY.match(output)
    start = authority.end() if authority is not None else 0
    end = len(output)
    for stop in "?#":
        at = output.find(stop, start)
        if at >= 0:
            end = min(end, at)
    segments = []
    cursor = start
    for raw in output[start:end].split("/"):
        if raw:
            if traced is None:  # no trace: the template wrote it if its text holds it
                templated = raw not in value.text
            else:
                templated = any(
                    not traced.from_literal(at) for at in range(cursor, cursor + len(raw))
                )
            segments.append(Segment(unquote(raw), cursor, cursor + len(raw), templated))
        cursor += len(raw) + 1
    return RenderedUrl(value, output, traced, tuple(segments), end)
