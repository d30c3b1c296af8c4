"""The CLI frame: global options, exit codes, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from crmtpl import __version__
from crmtpl.cli import run
from crmtpl.errors import EXIT_CODE_TABLE, ExitCode
from tests.support import REPO_ROOT


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"crmtpl {__version__}"


def test_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for code, meaning in EXIT_CODE_TABLE:
        assert f"{code} {meaning}" in " ".join(out.split())


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--no-such-option"]) == ExitCode.USAGE
    assert "No such option" in capsys.readouterr().err


def test_exit_code_table_is_the_documented_one() -> None:
    assert [code for code, _ in EXIT_CODE_TABLE] == [0, 1, 2, 3, 4, 5, 130]


def test_help_and_version_do_not_import_heavy_modules() -> None:
    probe = (
        "import sys, crmtpl.cli as c\n"
        "for argv in (['--version'], ['--help']):\n"
        "    try:\n"
        "        c.run(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('httpx', 'lxml', 'crmtpl.gotemplate', 'crmtpl.gjson',"
        " 'crmtpl.template', 'crmtpl.lint', 'crmtpl.run', 'keyring', 'pygls', 'crmtpl.lsp') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"crmtpl {__version__}"


@pytest.mark.parametrize(
    "argv", [["--version"], ["-v", "--version"], ["--color", "never", "--version"]]
)
def test_version_after_global_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 0
    assert capsys.readouterr().out.strip() == f"crmtpl {__version__}"


def test_version_after_a_command_is_that_commands_business(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["rules", "--version"]) == ExitCode.USAGE


def test_global_options_work_after_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "-q", "examples/sandbox.xml", "--no-color"]) == 0
    assert run(["validate", "examples/sandbox.xml", "--color", "never", "-v"]) == 0
    capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "crmtpl", "render", "lookup", "examples/sandbox.xml", "-vv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No such option" not in done.stderr


def test_hoisting_leaves_values_after_double_dash_alone() -> None:
    from crmtpl.cli import hoist_global_options

    assert hoist_global_options(["run", "lookup", "t.xml", "-v", "--color", "never"]) == [
        "-v", "--color", "never", "run", "lookup", "t.xml",
    ]  # fmt: skip
    assert hoist_global_options(["validate", "--", "-q"]) == ["validate", "--", "-q"]


def template_without_stored_values(base_url: str = "http://127.0.0.1:8765") -> Path:
    """examples/sandbox.xml with its one custom field (sandbox_url) written out: a template
    that needs no stored value, so a command on it must not load the keyring. (With a custom
    field the keyring is read: a stored value comes before the template's default.)"""
    text = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
    text = re.sub(
        r'\s*<Parameter Father="CustomFieldList" Name="sandbox_url"[^>]*></Parameter>', "", text
    )
    text = text.replace("{{.sandbox_url}}", base_url)
    folder = Path(tempfile.mkdtemp(prefix="crmtpl-no-fields-"))
    path = folder / "sandbox.xml"
    path.write_text(text, encoding="utf-8")
    return path


NO_FIELDS = "{template without stored values}"


#: What each command may not load: the pieces of other commands, and the optional ones.
#: (render and run may load the linter: they stop on validate's findings.)
#: ``crmtpl validate`` is what editors and pre-commit run on every save.
_NEVER_FOR_ANY = ("pydantic", "keyring", "crmtpl.recording.store", "crmtpl.recording.cassette")
_LOADS = {
    "validate": (
        ["validate", "examples/sandbox.xml"],
        ["crmtpl.lint.checker", "crmtpl.lint.reporters.text"],
        [
            "httpx", "crmtpl.http", "crmtpl.creds", "crmtpl.auth", "crmtpl.run",
            "crmtpl.render", "crmtpl.recording", "rich", "lxml", "concurrent.futures",
            "multiprocessing", "crmtpl.lint.reporters.json_report",
            "crmtpl.lint.reporters.sarif", "crmtpl.lint.reporters.junit",
            "crmtpl.lint.reporters.github", "crmtpl.cli.run_command", "crmtpl.cli.render_command",
            "crmtpl.openapi", "yaml",
        ],
    ),
    "validate --format json": (
        ["validate", "-f", "json", "examples/sandbox.xml"],
        ["crmtpl.lint.reporters.json_report"],
        ["crmtpl.lint.reporters.text", "rich", "httpx", "crmtpl.run", "crmtpl.creds"],
    ),
    "render": (
        ["render", "lookup", NO_FIELDS, "--phone", "5503302"],
        ["crmtpl.render.renderer"],
        ["crmtpl.lint.reporters.sarif", "crmtpl.lint.reporters.junit", "crmtpl.run.runner",
         "crmtpl.recording", "crmtpl.cli.validate", "lxml", "tomllib"],
    ),
    "run --dry-run": (
        ["run", "lookup", NO_FIELDS, "--phone", "5503302", "--dry-run"],
        ["crmtpl.cli.run_execute"],
        ["crmtpl.lint.reporters.sarif", "crmtpl.lint.reporters.junit", "crmtpl.recording",
         "crmtpl.cli.validate", "lxml", "tomllib"],
    ),
    "new --list": (
        ["new", "--list"],
        ["crmtpl.gallery", "crmtpl.cli.new_command"],
        ["httpx", "crmtpl.openapi", "yaml", "crmtpl.lint", "crmtpl.run", "crmtpl.render",
         "crmtpl.scaffold", "lxml", "crmtpl.cli.validate"],
    ),
    "rules": (
        ["rules", "CT101"],
        ["crmtpl.lint.ruletable"],
        ["httpx", "crmtpl.http", "crmtpl.creds", "crmtpl.run", "crmtpl.render", "lxml"],
    ),
}  # fmt: skip


def _loaded_by(argv: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter holds after ``crmtpl ARGV`` (which must succeed)."""
    probe = (
        "import io, sys, crmtpl.cli as c\n"
        "sys.stdout = io.StringIO()\n"
        f"code = c.run({argv!r})\n"
        "sys.stdout = sys.__stdout__\n"
        "print('CODE', code)\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["CODE"] == "0", done.stderr
    return set(lines["MODULES"].split())


def _check_loads(case: str, loaded: set[str], needed: list[str], never: list[str]) -> None:
    def present(name: str) -> bool:
        return any(m == name or m.startswith(name + ".") for m in loaded)

    crmtpl_modules = sorted(m for m in loaded if m.startswith("crmtpl"))
    assert all(present(name) for name in needed), crmtpl_modules
    unwanted = [name for name in (*never, *_NEVER_FOR_ANY) if present(name)]
    assert unwanted == [], f"{case} loads {unwanted}; all it loads: {crmtpl_modules}"


@pytest.mark.parametrize("case", list(_LOADS))
def test_each_command_loads_only_what_it_uses(case: str) -> None:
    argv, needed, never = _LOADS[case]
    argv = [str(template_without_stored_values()) if a == NO_FIELDS else a for a in argv]
    _check_loads(case, _loaded_by(argv), needed, never)


def test_a_live_run_in_a_pipe_loads_no_linter_recorder_rich_or_toml_parser(
    tmp_path: object,
) -> None:
    from pathlib import Path

    from crmtpl.sandbox import SandboxServer

    folder = Path(str(tmp_path))
    with SandboxServer(port=0, data_dir=folder / "data") as sandbox:
        template = template_without_stored_values(f"http://127.0.0.1:{sandbox.port}")
        loaded = _loaded_by(["run", "lookup", str(template), "--phone", "5503302"])
    _check_loads(
        "run lookup",
        loaded,
        ["crmtpl.run.runner", "crmtpl.http", "httpx"],
        ["crmtpl.lint.reporters.sarif", "crmtpl.lint.reporters.junit", "crmtpl.recording.replay",
         "crmtpl.cli.validate", "rich", "tomllib", "lxml", "crmtpl.cli.render_command"],
    )  # fmt: skip


def test_a_run_builds_only_the_command_and_subcommand_it_names() -> None:
    from typer.main import get_command

    from crmtpl.cli import run_command
    from crmtpl.cli.app import COMMAND_MODULES, build_app

    group = get_command(build_app("run", "lookup"))
    assert list(group.commands) == ["run"]  # type: ignore[attr-defined]
    assert list(group.commands["run"].commands) == ["lookup"]  # type: ignore[attr-defined]
    assert len(run_command.app.registered_commands) == 6  # the module's group stays whole
    whole = get_command(build_app("run", "lokup"))  # unknown: Typer's own answer, all listed
    assert "users" in whole.commands["run"].commands  # type: ignore[attr-defined]
    assert len(get_command(build_app()).commands) == len(COMMAND_MODULES)  # type: ignore[attr-defined]


def test_every_command_module_names_its_command() -> None:
    # A command missing from COMMAND_MODULE_OF still works, but builds every command.
    from crmtpl.cli.app import COMMAND_MODULE_OF, COMMAND_MODULES, build_app

    assert sorted(COMMAND_MODULE_OF.values()) == sorted(COMMAND_MODULES)
    for name, module in COMMAND_MODULE_OF.items():
        app = build_app(name)
        assert [c.name for c in app.registered_commands] + [
            g.name for g in app.registered_groups
        ] == [name], module


def test_a_mistyped_subcommand_is_still_answered_with_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["run", "lokup", "examples/sandbox.xml"]) == ExitCode.USAGE
    assert "Did you mean 'lookup'?" in capsys.readouterr().err


def test_a_second_run_of_a_template_with_a_field_and_nothing_stored_skips_the_keyring(
    tmp_path: Path,
) -> None:
    """examples/sandbox.xml has a custom field: its first run looks in the keyring (none
    here: the null backend) and remembers that nothing is stored there; the next run of it
    loads neither keyring nor, for a clean template and no findings, the linter."""
    from crmtpl.sandbox import SandboxServer

    with SandboxServer(port=0, data_dir=tmp_path / "data") as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRMTPL_")}
        env |= {
            "CRMTPL_CACHE_DIR": str(tmp_path / "cache"),
            "CRMTPL_CONFIG_DIR": str(tmp_path / "config"),
            "CRMTPL_VAR_sandbox_url": f"http://127.0.0.1:{sandbox.port}",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        argv = ["run", "lookup", str(REPO_ROOT / "examples" / "sandbox.xml"), "--phone", "5503302"]
        first = _loaded_by(argv, env)
        second = _loaded_by(argv, env)
    assert "keyring" in first and "crmtpl.lint.checker" in first
    token_machinery = ["crmtpl.creds.oauth", "crmtpl.creds.login", "crmtpl.creds.tokens"]
    _check_loads(
        "run lookup, again",
        second,
        ["crmtpl.run.runner"],
        ["crmtpl.lint.checker", *token_machinery],
    )
