"""The test file written beside a new template (docs/testing.md's format).

A new template has no recorded answers yet, and inventing them would test nothing real.
So the test file names the lookup, the number and the request the lookup must send, and
points at a recording folder that does not exist yet: ``crmtpl test FILE --update``
against the CRM records it once (and fills the expected records), after which
``crmtpl test`` replays it offline. Until then ``crmtpl test`` fails and says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

from crmtpl.testing.writer import toml_value


def lookup_request(text: str) -> tuple[str, str] | None:
    """The method and URL pattern (template actions as ``{{any}}``) of the first lookup
    request of a template text, or None when it has none. Only for templates crmtpl wrote
    or ships (it parses with the standard library)."""
    root = ElementTree.fromstring(text.encode("utf-8"))  # noqa: S314 - our own text
    for scenario in root.iter("Scenario"):
        if scenario.get("Id") != "SyncContactAuto":
            continue
        for request in scenario.iter("Request"):
            url = request.get("URLFormat") or ""
            return (request.get("Method") or "GET").upper(), re.sub(r"\{\{.*?\}\}", "{{any}}", url)
    return None


def lookup_test_text(
    test_file: Path,
    template: Path,
    *,
    phone: str,
    request: tuple[str, str] | None,
    variables: Mapping[str, str],
) -> str:
    """The text of a lookup test for ``template`` that has still to be recorded."""
    folder = test_file.parent.resolve()
    recording = Path("recordings") / template.stem
    lines = [
        "# written by crmtpl new. No answer is recorded yet: run the lookup once against",
        "# the CRM (credentials from crmtpl auth set or CRMTPL_VAR_*) with",
        f"#   crmtpl test {test_file.name} --update",
        "# which records the answers and fills the expected records below; review, commit;",
        "# from then on crmtpl test replays it offline. Use a number your CRM holds.",
        f"template = {toml_value(os.path.relpath(template.resolve(), folder))}",
        'scenario = "lookup"',
        f"recording = {toml_value(recording.as_posix())}",
        "",
        "[inputs]",
        f"phone = {toml_value(phone)}",
    ]
    if variables:
        lines.append(f"vars = {toml_value(dict(variables))}")
    lines += ["", "[expect]", 'match = "subset"', "records = []"]
    if request is not None:
        lines += ["", "[[expect.requests]]", f"method = {toml_value(request[0])}",
                  f"url = {toml_value(request[1])}"]  # fmt: skip
    return "\n".join(lines) + "\n"
