"""The CI examples of docs/ci-usage.md work as written, without a CI service.

The GitHub Actions workflow and the GitLab job in examples/ci/ are shown verbatim on the
page; their shell steps (all but installing crmtpl) run here, through bash as a runner
runs them, in a folder laid out like a user's repository: they pass on clean templates,
fail on a broken one, and write the SARIF and JUnit reports either way. The pre-commit
hook that .pre-commit-hooks.yaml defines runs its ``entry`` on template files the way
pre-commit passes them. The YAML is read with a few patterns for the shapes these files
use (the test dependencies have no YAML parser).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "ci-usage.md"
GITHUB = REPO_ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = REPO_ROOT / "examples" / "ci" / "gitlab-ci.yml"
HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"
CLEAN = [REPO_ROOT / "examples" / "sandbox.xml", REPO_ROOT / "docs" / "tutorial" / "step-6.xml"]
BROKEN = REPO_ROOT / "docs" / "tutorial" / "step-7-quote.xml"


def github_run_scripts(text: str) -> list[str]:
    """The ``run:`` scripts of a workflow: one-line values and ``|`` blocks."""
    lines = text.splitlines()
    scripts: list[str] = []
    for index, line in enumerate(lines):
        match = re.match(r"^\s*(?:- )?run: (.*)$", line)
        if not match:
            continue
        if match.group(1).strip() != "|":
            scripts.append(match.group(1))
            continue
        block: list[str] = []
        indent: int | None = None
        for following in lines[index + 1 :]:
            if not following.strip():
                block.append("")
                continue
            depth = len(following) - len(following.lstrip())
            indent = depth if indent is None else indent
            if depth < indent:
                break
            block.append(following[indent:])
        scripts.append("\n".join(block).strip() + "\n")
    return scripts


def gitlab_script_lines(text: str) -> list[str]:
    """The items of the job's ``script:`` list, comments left out."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "script:")
    items: list[str] = []
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if not stripped.startswith("- "):
            break
        items.append(stripped[2:])
    return items


def variables(text: str, section: str) -> dict[str, str]:
    """``NAME: value`` pairs of a mapping section (``env:`` or ``variables:``)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{section}:")
    depth = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    found: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.strip().startswith("#"):
            continue
        if not line.strip() or len(line) - len(line.lstrip()) < depth:
            break
        name, _, value = line.strip().partition(": ")
        found[name] = value.split(" #")[0].strip()
    return found


def user_repository(tmp_path: Path, *templates: Path) -> Path:
    """A folder like a user's repository: ``templates/`` with the given files."""
    folder = tmp_path / "repo"
    (folder / "templates").mkdir(parents=True)
    for template in templates:
        shutil.copy(template, folder / "templates" / template.name)
    return folder


def shell(script: str, cwd: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a CI step as a GitHub runner does (``bash -eo pipefail``), this checkout's crmtpl."""
    bash = shutil.which("bash")
    assert bash is not None
    bin_dir = cwd.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "crmtpl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crmtpl "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMTPL_VAR_")}
    env.update(extra)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(REPO_ROOT),
        NO_COLOR="1",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize("example", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_page_shows_the_example_verbatim(example: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert f"```yaml\n{example.read_text(encoding='utf-8')}```" in page


def test_the_workflow_passes_on_clean_templates_and_writes_sarif(tmp_path: Path) -> None:
    text = GITHUB.read_text(encoding="utf-8")
    env = variables(text, "env")
    repo = user_repository(tmp_path, *CLEAN)
    steps = [s for s in github_run_scripts(text) if "pip install" not in s]
    assert len(steps) == 3
    for script in steps:
        ran = shell(script, repo, env)
        assert ran.returncode == 0, f"{script}\n{ran.stdout}{ran.stderr}"
    assert '"version": "2.1.0"' in (repo / "crmtpl.sarif").read_text(encoding="utf-8")


def test_the_workflow_fails_on_a_broken_template_with_an_annotation(tmp_path: Path) -> None:
    text = GITHUB.read_text(encoding="utf-8")
    env = variables(text, "env")
    repo = user_repository(tmp_path, *CLEAN, BROKEN)
    gate, report, _render = [s for s in github_run_scripts(text) if "pip install" not in s]
    ran = shell(gate, repo, env)
    assert ran.returncode == 1
    assert "\n::error file=templates/step-7-quote.xml,line=70,col=234," in ran.stdout
    assert shell(report, repo, env).returncode == 0
    assert "CT801" in (repo / "crmtpl.sarif").read_text(encoding="utf-8")


def test_the_gitlab_job_writes_junit_and_fails_only_on_findings(tmp_path: Path) -> None:
    text = GITLAB.read_text(encoding="utf-8")
    env = variables(text, "variables")
    report, gate = [s for s in gitlab_script_lines(text) if "pip install" not in s]
    clean = user_repository(tmp_path / "clean", *CLEAN)
    assert shell(report, clean, env).returncode == 0
    assert shell(gate, clean, env).returncode == 0
    broken = user_repository(tmp_path / "broken", *CLEAN, BROKEN)
    assert shell(report, broken, env).returncode == 0
    assert shell(gate, broken, env).returncode == 1
    junit = (broken / "crmtpl-junit.xml").read_text(encoding="utf-8")
    assert 'tests="3" failures="1"' in junit


def test_the_pre_commit_hook_runs_crmtpl_validate_on_the_files_it_is_given(
    tmp_path: Path,
) -> None:
    hooks = HOOKS.read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry:\s*(.+)$", hooks, re.MULTILINE)
    assert entry is not None
    assert entry.group(1).strip() == "crmtpl validate"
    assert re.search(r"^\s*types:\s*\[xml\]\s*$", hooks, re.MULTILINE)
    assert re.search(r"^\s*language:\s*python\s*$", hooks, re.MULTILINE)
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'crmtpl = "crmtpl.cli:main"' in pyproject  # the command pre-commit installs
    repo = user_repository(tmp_path, *CLEAN, BROKEN)
    names = sorted(f"templates/{p.name}" for p in (*CLEAN, BROKEN))
    clean_names = [n for n in names if "step-7" not in n]
    assert shell(f"{entry.group(1)} --strict {' '.join(clean_names)}", repo, {}).returncode == 0
    failed = shell(f"{entry.group(1)} --strict {' '.join(names)}", repo, {})
    assert failed.returncode == 1
    assert "templates/step-7-quote.xml:70:234: error CT801" in failed.stdout
