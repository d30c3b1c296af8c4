"""``crmtpl validate``: lint templates before they are uploaded to the PBX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crmtpl.choices import ReportFormat as OutputFormat
from crmtpl.cli.options import OPTIONS, console

if TYPE_CHECKING:
    from crmtpl.lint import FileResult, LintInput, LintReport, LintSettings
    from crmtpl.openapi.description import ApiDescription

HELP = """Check templates for everything that would make the PBX reject them or misbehave.

PATH can be files, directories (searched recursively for `*.xml`), glob patterns, or `-`
for standard input. Every finding names its rule (`crmtpl rules RULE` explains one) and
points at the exact line and column.

**Exit codes:** 0 no errors (warnings are allowed unless `--strict`), 1 errors found (or
warnings with `--strict`, or a file that is not a template the PBX takes: not well-formed
XML, over 1 MB, a DOCTYPE, not UTF-8), 2 usage error, 3 a file could not be read at all
(missing, a directory, no permission); the finding is in the report too.

`--fix` first applies the safe fixes (misspelt names, letter case of functions and methods,
JSONPath to GJSON, a missing UrlEncode, a raw `&`) changing nothing else in the file, then
reports what is left; `--fix --diff` prints the changes as a unified diff and writes
nothing (exit 1 when there are some).

Settings come from `.crmtpl.toml` or `[tool.crmtpl]` in `pyproject.toml` (the nearest,
searching upward), or `--config`. See docs/validate.md.

`--responses DIR` also checks every output path against the CRM's answers recorded in DIR
(`crmtpl run ... --record DIR`): a path that matches nothing there is CT708, with the
closest real path. Templates that have test files (`*.test.toml`) in a folder being
validated are checked against their recordings without the option (docs/testing.md).

`--openapi SPEC` checks every request against the CRM's own OpenAPI (3.x) or Swagger (2.0)
description, a JSON or YAML file or a folder of them (`$ref`s across its files resolved
offline): no operation at that method and path (CT971, with the closest paths), a
required query parameter (CT972) or header (CT973) missing, a required body missing
(CT974) or a body the operation does not take (CT975). Paths are matched from their end,
so the base URL does not matter. `openapi = "SPEC"` in the settings file does the same for
validate and the editor. A description that cannot be read is a usage error (exit 2).
See docs/openapi.md.
"""

#: From this many files on, a progress bar is shown (on a terminal, unless --quiet).
PROGRESS_THRESHOLD = 20


def register(app: typer.Typer) -> None:
    """Add ``crmtpl validate`` to the application."""
    app.command("validate", help=HELP, no_args_is_help=True)(validate)


def validate(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Template files, directories, globs, or -."),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="Report format.", case_sensitive=False),
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", dir_okay=False, help="Write the report to FILE."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Only these rules (ids, names, id prefixes such as CT8, or ALL; "
            "comma-separated or repeated). Replaces the configured selection.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULES",
            help="Skip these rules (added to the configured ignore list).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            dir_okay=False,
            help="Settings file (.crmtpl.toml, or a pyproject.toml with [tool.crmtpl]).",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Worker processes for large sets (0: one per core; 1: no pool).",
        ),
    ] = 0,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes to the files, then report.")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="With --fix: show the fixes as a diff, write nothing."),
    ] = False,
    responses: Annotated[
        Path | None,
        typer.Option(
            "--responses",
            metavar="DIR",
            file_okay=False,
            help="Check every output path against the answers recorded in DIR "
            "(crmtpl run ... --record DIR); a path matching none is CT708.",
        ),
    ] = None,
    openapi: Annotated[
        Path | None,
        typer.Option(
            "--openapi",
            metavar="SPEC",
            help="Check every request against the CRM's OpenAPI/Swagger description "
            "(a JSON or YAML file, or a folder of them): CT971-CT979. Overrides the "
            "settings file's openapi key.",
        ),
    ] = None,
) -> None:
    """Validate templates and report every finding."""
    from crmtpl.cli.argorder import require_existing
    from crmtpl.errors import UsageError
    from crmtpl.lint import expand_inputs, render_report, rule_table
    from crmtpl.lint.config import split_selectors

    require_existing(paths)
    from crmtpl.cli.recorded_answers import judge_outputs, requested_answers

    given = requested_answers(responses) if responses is not None else []

    settings = _settings(config).with_overrides(
        select=split_selectors(select) if select else None,
        ignore=split_selectors(ignore) if ignore else None,
        strict=strict,
    )
    enabled = settings.enabled_rules(rule_table())
    inputs = expand_inputs(paths, exclude=settings.exclude)
    if not inputs:
        raise UsageError(
            "no template files found", hint="give .xml files, or directories that hold some"
        )
    if settings.source is not None and OPTIONS.verbosity > 0:
        from crmtpl.cli.messages import notice

        notice(f"settings from {settings.source}")
    description = openapi if openapi is not None else settings.openapi
    api = _description(description, given=openapi is not None) if description else None
    if diff and not fix:
        raise UsageError("--diff shows what --fix would change", hint="add --fix")
    if fix:
        from crmtpl.cli.fixing import fix_files

        changed = fix_files(inputs, enabled, diff=diff)
        if diff:
            raise typer.Exit(1 if changed else 0)
    report = _run(inputs, enabled, settings, jobs, api)
    report = judge_outputs(report, inputs, enabled, given=given, paths=paths, api=api)
    shown = _quiet_view(report) if OPTIONS.quiet and output_format is OutputFormat.text else report
    if output is not None:
        text = render_report(shown, output_format.value, color=False)
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    else:
        terminal = sys.stdout.isatty()
        color = output_format is OutputFormat.text and OPTIONS.color_enabled(terminal)
        if output_format is OutputFormat.text and terminal:
            sys.stdout.write(_text_for_the_terminal(shown, color=color))
        else:
            sys.stdout.write(render_report(shown, output_format.value, color=color))
        sys.stdout.flush()
    raise typer.Exit(int(report.exit_code))


#: How many unresolved references are named one by one; the rest are counted.
NOTES_SHOWN = 10


def _tell_unresolved(path: Path, notes: tuple[str, ...]) -> None:
    """One ``note:`` per reference the description's files could not resolve, each named
    by its file as the user would open it (a note is ``FILE: what``, FILE relative to the
    description's folder), then what that means for the checks."""
    from crmtpl.cli.messages import notice

    folder = path if path.is_dir() else path.parent
    for note in notes[:NOTES_SHOWN]:
        file, _, text = note.partition(": ")
        notice(f"{folder / file}: {text}" if text else f"{path}: {note}")
    if len(notes) > NOTES_SHOWN:
        notice(f"{path}: {len(notes) - NOTES_SHOWN} more $refs cannot be followed")
    if len(notes) > 1:
        notice("what these $refs stand for is taken as unknown: nothing behind them is checked")
    else:
        notice("what this $ref stands for is taken as unknown: nothing behind it is checked")


def _text_for_the_terminal(report: LintReport, *, color: bool) -> str:
    """The text report with its source excerpts cut to the terminal's width (``COLUMNS``
    when set), so that a caret stays under what it marks in a narrow terminal."""
    import shutil

    from crmtpl.lint.reporters.text import render

    return render(report, color, width=shutil.get_terminal_size().columns)


def _settings(config: Path | None) -> LintSettings:
    from crmtpl.lint import discover_settings, load_settings

    return load_settings(config) if config is not None else discover_settings(Path.cwd())


def _description(path: Path, *, given: bool) -> ApiDescription:
    """The API description at ``path``, its unresolved references told as notes; a usage
    error (exit 2) with a hint when it cannot be read. Loaded once for the whole run."""
    from crmtpl.errors import UsageError
    from crmtpl.openapi.description import DescriptionError, load_description

    origin = "--openapi" if given else "the settings file's openapi key"
    try:
        api = load_description(path)
    except DescriptionError as problem:
        raise UsageError(
            f"{origin}: {problem}",
            hint="give the CRM's OpenAPI 3 or Swagger 2 description: a .json, .yaml or "
            ".yml file, or the folder that holds its files",
        ) from None
    except RecursionError:
        raise UsageError(
            f"{origin}: {path}: the description nests too deeply to be read",
            hint="give the CRM's OpenAPI 3 or Swagger 2 description",
        ) from None
    if api.notes:
        _tell_unresolved(path, api.notes)
    if not api.operations:
        from crmtpl.cli.messages import warning

        warning(f"{path}: the description has no operations, so no request can match")
    return api


def _run(
    inputs: list[LintInput],
    enabled: frozenset[str],
    settings: LintSettings,
    jobs: int,
    api: ApiDescription | None = None,
) -> LintReport:
    from crmtpl.lint import lint_inputs

    show_progress = len(inputs) >= PROGRESS_THRESHOLD and not OPTIONS.quiet and sys.stderr.isatty()
    if not show_progress:
        return lint_inputs(inputs, enabled=enabled, strict=settings.strict, jobs=jobs, api=api)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console(stderr=True),
        transient=True,
        auto_refresh=False,  # no refresh thread: the worker pool may then fork
    ) as progress:
        task = progress.add_task("validate", total=len(inputs))

        def advance(_result: FileResult) -> None:
            progress.advance(task)
            progress.refresh()

        return lint_inputs(
            inputs, enabled=enabled, strict=settings.strict, jobs=jobs, progress=advance, api=api
        )


def _quiet_view(report: LintReport) -> LintReport:
    """With --quiet the text report shows only what fails the run: errors, and warnings
    too under --strict (infos are left out)."""
    from dataclasses import replace

    from crmtpl.lint import LintReport, Severity

    failing = {Severity.ERROR, Severity.WARNING} if report.strict else {Severity.ERROR}
    files = [
        replace(r, diagnostics=tuple(d for d in r.diagnostics if d.severity in failing))
        for r in report.files
    ]
    return LintReport(files, strict=report.strict)
