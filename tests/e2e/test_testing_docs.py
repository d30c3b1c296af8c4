"""docs/testing.md's template repository: its GitHub Actions steps and pre-commit hooks run.

A small repository is built in a temporary folder as the page describes it: a template,
a recording and a test file written by one live ``crmtpl run --record --write-test``
against the sandbox (the only step that needs the network), then the workflow's ``run:``
steps shown on the page are run with bash as a GitHub runner runs them (all but installing
crmtpl), and so are the pre-commit hooks' entries (crmtpl's ``.pre-commit-hooks.yaml`` on
the staged templates, the page's local hook as written). They pass on the repository as
recorded and fail, at the broken line and naming the field, once an output path breaks.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.acceptance.test_ci_usage import github_run_scripts, shell
from tests.e2e.sandbox import SANDBOX_URL_VARIABLE, Sandbox
from tests.support import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "testing.md"
HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"
GOOD = 'Path="data.#.first_name"'
BROKEN = 'Path="data.#.firstname"'


def yaml_blocks(section: str) -> list[str]:
    """The ```yaml blocks of a section of the page, in order."""
    page = PAGE.read_text(encoding="utf-8")
    start = page.index(f"## {section}\n")
    end = page.find("\n## ", start + 1)
    text = page[start : end if end > 0 else len(page)]
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def template_repository(tmp_path: Path, sandbox: Sandbox) -> Path:
    """templates/sandbox.xml, recordings/sandbox/ and tests/lookup.test.toml, recorded live
    against the session's sandbox (its URL given as the template's ``sandbox_url``)."""
    repo = tmp_path / "repo"
    (repo / "templates").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "examples" / "sandbox.xml", repo / "templates" / "sandbox.xml")
    recorded = shell(
        "crmtpl run lookup templates/sandbox.xml --phone 5503302 "
        "--record recordings/sandbox --write-test tests/lookup.test.toml",
        repo,
        {SANDBOX_URL_VARIABLE: sandbox.url},
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    return repo


def workflow_steps() -> list[str]:
    """The workflow's ``run:`` steps but the one installing crmtpl (from GitHub)."""
    workflow = yaml_blocks("In CI")[0]
    steps = github_run_scripts(workflow)
    install = [s for s in steps if s.startswith("pip install")]
    assert len(install) == 1 and len(steps) == 4, steps
    return [s for s in steps if s not in install]


def hook_commands(repo: Path) -> list[str]:
    """The pre-commit hooks of the page as pre-commit runs them: crmtpl's own hook's entry
    (from .pre-commit-hooks.yaml) with the staged .xml files under ``files``, the local
    hook's entry alone (``pass_filenames: false``)."""
    config = yaml_blocks("In CI")[1]
    hooks = HOOKS.read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry:\s*(.+)$", hooks, re.MULTILINE)
    assert entry is not None and "id: crmtpl-validate" in hooks and "types: [xml]" in hooks
    assert "- id: crmtpl-validate\n        files: ^templates/" in config
    staged = sorted(str(p.relative_to(repo)) for p in (repo / "templates").glob("*.xml"))
    local = re.search(r"id: crmtpl-test\n(?:.*\n)*?\s*entry: (.+)\n", config)
    assert local is not None and "pass_filenames: false" in config
    return [f"{entry.group(1).strip()} {' '.join(staged)}", local.group(1).strip()]


def test_the_workflow_and_the_hooks_pass_then_fail_on_a_broken_output_path(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    repo = template_repository(tmp_path, sandbox)
    validate, test, junit = workflow_steps()
    hooks = hook_commands(repo)
    for script in (validate, test, junit, *hooks):
        ran = shell(script, repo, {})
        assert ran.returncode == 0, f"{script}\n{ran.stdout}{ran.stderr}"
    assert 'failures="0"' in (repo / "crmtpl-tests.xml").read_text(encoding="utf-8")

    template = repo / "templates" / "sandbox.xml"
    text = template.read_text(encoding="utf-8")
    start = text.index('<Request Name="contacts"')
    template.write_text(text[:start] + text[start:].replace(GOOD, BROKEN, 1), encoding="utf-8")
    line = next(n for n, t in enumerate(template.read_text().splitlines(), 1) if BROKEN in t)

    gate = shell(validate, repo, {})
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert f"::error file=templates/sandbox.xml,line={line},col=44," in gate.stdout
    assert "CT708" in gate.stdout and "data.#.first_name" in gate.stdout
    failed = shell(test, repo, {})
    assert failed.returncode == 1
    assert "records[0].FirstName" in failed.stdout
    assert shell(junit, repo, {}).returncode == 1  # the step fails; the report is written
    assert 'failures="1"' in (repo / "crmtpl-tests.xml").read_text(encoding="utf-8")
    validate_hook, test_hook = (shell(command, repo, {}) for command in hooks)
    assert validate_hook.returncode == 0  # the template alone is valid: only answers show it
    assert test_hook.returncode == 1 and "FirstName" in test_hook.stdout
