"""``crmtpl new OUTPUT.xml --from NAME | --openapi SPEC``: start a template; ``--list``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from crmtpl.openapi.description import ApiDescription
    from crmtpl.scaffold.choices import Choice

HELP = """Start a new template: a copy of a gallery template, or one built from the CRM's
OpenAPI description. Writes OUTPUT.xml and a lookup test file beside it, checks the
template with `crmtpl validate --strict` (and, from a description, `--openapi` with it),
and lists every choice it made.

**From the gallery**: `crmtpl new crm.xml --from hubspot` (`crmtpl new --list` shows the
gallery). `--var NAME=VALUE` sets the value a custom field starts with (not secrets: those
go to `crmtpl auth set`).

**From an OpenAPI description** (file or folder, JSON or YAML, OpenAPI 3 or Swagger 2):
`crmtpl new crm.xml --openapi api.yaml` finds the contact search by phone, contact creation,
the call log, the users and (`--provider helpdesk`) ticket creation; maps the answers'
fields by name and schema; takes the auth from the security schemes and the base URL from
the servers. Where two candidates are equally good it asks in a terminal; otherwise it takes
the best and says so. `--choose KEY=VALUE` decides instead (KEY as listed: lookup, users,
create-contact, call-journal, ticket, auth, server, lookup.FirstName...; VALUE an option's
number, its `METHOD /path`, a GJSON path for a field, or `none` to leave a part out).

The test file (`--test-file`, default OUTPUT.lookup.test.toml) has no recording yet: record
it once against the CRM with `crmtpl test FILE --update`, then `crmtpl test` replays it.

Examples:

* `crmtpl new --list`
* `crmtpl new crm.xml --from pipedrive --var base_url=https://acme.pipedrive.com`
* `crmtpl new crm.xml --openapi specs/ --choose lookup=2 --choose auth=bearer_token`
* `crmtpl new crm.xml --openapi api.json --format json --no-input`

Exit 0 written (clean), 1 written but `validate --strict` finds problems, or no contact
search in the description, 2 usage (OUTPUT exists without `--force`, an unknown gallery name,
a `--choose` naming no candidate, a description that cannot be read, as for `validate --openapi`).
"""


class NewFormat(StrEnum):
    """Output formats of ``crmtpl new``."""

    text = "text"
    json = "json"


class Provider(StrEnum):
    """The template kind ``--provider`` sets."""

    crm = "crm"
    helpdesk = "helpdesk"


def register(app: typer.Typer) -> None:
    """Add ``crmtpl new`` to the application."""
    app.command("new", help=HELP)(new_command)


def new_command(
    output: Annotated[
        Path | None,
        typer.Argument(metavar="OUTPUT.xml", help="The template to write.", dir_okay=False),
    ] = None,
    from_gallery: Annotated[
        str | None, typer.Option("--from", metavar="NAME", help="Copy this gallery template.")
    ] = None,
    openapi: Annotated[
        Path | None,
        typer.Option("--openapi", metavar="SPEC", help="Build from this OpenAPI description."),
    ] = None,
    provider: Annotated[
        Provider | None,
        typer.Option(
            help="crm or helpdesk (default: helpdesk only when the API has tickets "
            "and no contact creation)."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="TEXT", help="The template's display name.")
    ] = None,
    choose: Annotated[
        list[str] | None,
        typer.Option("--choose", metavar="KEY=VALUE", help="Decide a choice (repeatable)."),
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            metavar="NAME=VALUE",
            help="The value a custom field starts with (repeatable; base_url=... ; no secrets).",
        ),
    ] = None,
    test_file: Annotated[
        Path | None,
        typer.Option(
            "--test-file",
            metavar="FILE",
            dir_okay=False,
            help="Where the test file goes (default: OUTPUT.lookup.test.toml).",
        ),
    ] = None,
    no_test_file: Annotated[
        bool, typer.Option("--no-test-file", help="Write no test file.")
    ] = False,
    phone: Annotated[
        str, typer.Option("--phone", metavar="NUMBER", help="The number the test looks up.")
    ] = "+15550100",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask, even in a terminal.")
    ] = False,
    list_gallery: Annotated[bool, typer.Option("--list", help="List the gallery.")] = False,
    output_format: Annotated[
        NewFormat, typer.Option("--format", "-f", help="text or json.")
    ] = NewFormat.text,
) -> None:
    """Start a new template."""
    from crmtpl.errors import UsageError

    if list_gallery:
        _list(output_format)
        return
    if output is None:
        raise UsageError(
            "name the template to write: crmtpl new OUTPUT.xml --from NAME",
            hint="or --openapi SPEC; crmtpl new --list shows the gallery",
        )
    if (from_gallery is None) == (openapi is None):
        raise UsageError(
            "give one of --from NAME and --openapi SPEC",
            hint="crmtpl new --list shows the gallery's names",
        )
    test_path = None if no_test_file else test_file or _default_test_file(output)
    for path in (output, test_path):
        if path is not None and path.exists() and not force:
            raise UsageError(f"{path} exists; nothing was written", hint="--force overwrites it")
    api = None
    if from_gallery is not None:
        if choose:
            raise UsageError("--choose is for --openapi", hint="--var NAME=VALUE sets a field")
        text, choices, source = _from_gallery(from_gallery, var or [])
    else:
        assert openapi is not None
        text, choices, source, api = _from_openapi(
            openapi, provider, name, choose or [], var or [], interactive=not no_input
        )
    findings = _write(output, text, test_path, phone, var or [], api)
    _report(output, test_path, source, choices, findings, output_format)
    if any(severity in ("error", "warning") for severity, _ in findings):
        raise typer.Exit(1)


def _default_test_file(output: Path) -> Path:
    return output.with_name(output.stem + ".lookup.test.toml")


def _list(output_format: NewFormat) -> None:
    import json

    from crmtpl.cli.options import console
    from crmtpl.gallery import gallery_entries

    entries = gallery_entries()
    out = console().file
    if output_format is NewFormat.json:
        rows = [
            {
                "name": e.name,
                "system": e.system,
                "provider": e.provider,
                "auth": e.auth,
                "summary": e.summary,
                "openapi": e.openapi,
            }
            for e in entries
        ]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    width = max(len(e.name) for e in entries)
    for entry in entries:
        out.write(f"{entry.name:<{width}}  {entry.provider:<8}  {entry.system}\n")
        out.write(f"{'':<{width}}  {'':<8}  auth: {entry.auth}\n")
    out.write(f"\n{len(entries)} templates; start one with crmtpl new OUTPUT.xml --from NAME\n")


def _from_gallery(name: str, assignments: list[str]) -> tuple[str, list[Choice], str]:
    from crmtpl.errors import UsageError
    from crmtpl.gallery import GalleryError
    from crmtpl.scaffold.from_gallery import FieldValueError, copy_from_gallery

    try:
        copied = copy_from_gallery(name, assignments)
    except GalleryError as problem:
        raise UsageError(str(problem), hint="crmtpl new --list shows the gallery") from None
    except FieldValueError as problem:
        raise UsageError(str(problem), hint=problem.hint) from None
    return copied.text, copied.choices, f"gallery template {copied.entry.name}"


def _from_openapi(
    spec: Path,
    provider: Provider | None,
    name: str | None,
    choose: list[str],
    assignments: list[str],
    *,
    interactive: bool,
) -> tuple[str, list[Choice], str, ApiDescription]:
    """The template built from the description at ``spec``, its choices, where it came
    from, and the description (``new`` lints the template against it)."""
    from crmtpl.cli.write_confirm import stdin_is_terminal
    from crmtpl.errors import CrmtplError, UsageError
    from crmtpl.openapi.description import DescriptionError, load_description
    from crmtpl.scaffold.build import ScaffoldError, scaffold_from_openapi
    from crmtpl.scaffold.choices import ChoiceError
    from crmtpl.scaffold.from_gallery import FieldValueError, set_field_values

    chosen = {}
    for item in choose:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise UsageError(f"--choose {item!r}: expected KEY=VALUE", hint="--choose lookup=2")
        chosen[key] = value
    try:
        description = load_description(spec)
    except DescriptionError as problem:
        raise UsageError(
            f"--openapi: {problem}",
            hint="give the CRM's OpenAPI 3 or Swagger 2 description: a .json, .yaml or "
            ".yml file, or the folder that holds its files",
        ) from None

    def build() -> tuple[str, list[Choice]]:
        try:
            made = scaffold_from_openapi(
                description, provider=provider.value if provider else None, chosen=chosen, name=name
            )
        except ChoiceError as problem:
            raise UsageError(str(problem)) from None
        except ScaffoldError as problem:
            raise CrmtplError(str(problem), hint=problem.hint) from None
        return made.text, made.choices

    text, choices = build()
    # ties between candidates are asked; guessed field paths are only marked [check]
    open_questions = [c for c in choices if c.ambiguous and c.options and c.key not in chosen]
    if open_questions and interactive and stdin_is_terminal():
        for choice in open_questions:
            chosen[choice.key] = _ask(choice)
        text, choices = build()
    try:
        text, set_choices = set_field_values(text, assignments)
    except FieldValueError as problem:
        raise UsageError(str(problem), hint=problem.hint) from None
    return text, [*choices, *set_choices], f"OpenAPI description {spec}", description


def _ask(choice: Choice) -> str:
    """A numbered question on stderr; the answer is the option's value (or none)."""
    from crmtpl.cli.options import console
    from crmtpl.controlchars import make_visible

    err = console(stderr=True).file
    err.write(f"\n{make_visible(choice.question, one_line=True)}\n")
    for number, option in enumerate(choice.options, 1):
        shown = make_visible(f"{option.label}  ({option.reason})", one_line=True)
        err.write(f"  {number}. {shown}\n")
    err.write("  0. none: leave this part out\n")
    while True:
        typed = str(typer.prompt("number", default="1", err=True)).strip()
        if typed.isdigit() and int(typed) <= len(choice.options):
            picked = int(typed)
            return "none" if picked == 0 else choice.options[picked - 1].value
        err.write(f"  a number from 0 to {len(choice.options)}, please\n")


def _write(
    output: Path,
    text: str,
    test_path: Path | None,
    phone: str,
    assignments: list[str],
    api: ApiDescription | None = None,
) -> list[tuple[str, str]]:
    """Write the template (and the test file); the findings of ``validate --strict``, and
    with ``api`` those of ``validate --strict --openapi`` (the CT97x checks too)."""
    from crmtpl.errors import CrmtplError
    from crmtpl.lint.checker import lint_source
    from crmtpl.scaffold.testfile import lookup_request, lookup_test_text
    from crmtpl.secrets import is_secret_name

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        if test_path is not None:
            variables = {}
            for assignment in assignments:
                key, _, value = assignment.partition("=")
                if key and not is_secret_name(key):
                    variables[key] = value
            test_text = lookup_test_text(
                test_path, output, phone=phone, request=lookup_request(text), variables=variables
            )
            test_path.parent.mkdir(parents=True, exist_ok=True)
            test_path.write_text(test_text, encoding="utf-8")
    except OSError as problem:
        raise CrmtplError(
            f"cannot write {problem.filename}: {problem.strerror or problem}"
        ) from None
    result = lint_source(output, api=api)
    return [
        (d.severity.value, f"{output}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}")
        for d in result.diagnostics
        if d.severity.value in ("error", "warning")
    ]


def _report(
    output: Path,
    test_path: Path | None,
    source: str,
    choices: list[Choice],
    findings: list[tuple[str, str]],
    output_format: NewFormat,
) -> None:
    import json

    from crmtpl.cli.options import console
    from crmtpl.controlchars import make_visible

    out = console().file
    if output_format is NewFormat.json:
        document = {
            "template": str(output),
            "test_file": None if test_path is None else str(test_path),
            "source": source,
            "clean": not findings,
            "findings": [text for _, text in findings],
            "choices": [c.as_json() for c in choices],
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    state = (
        "validate --strict: clean"
        if not findings
        else f"validate --strict: {len(findings)} problem(s)"
    )
    out.write(f"wrote {output} from the {source} ({state})\n")
    for _, text in findings:
        out.write(f"  {make_visible(text, one_line=True)}\n")
    if test_path is not None:
        out.write(f"wrote {test_path}: record it once with crmtpl test {test_path} --update\n")
    out.write("choices:\n")
    width = max((len(c.key) for c in choices), default=0)
    for choice in choices:
        flag = "  [check]" if choice.ambiguous else ""
        how = f"({choice.how.value}: {choice.reason})"
        line = f"{choice.key:<{width}}  {choice.picked_label}  {how}{flag}"
        out.write(f"  {make_visible(line, one_line=True)}\n")
