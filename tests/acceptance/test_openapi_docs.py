"""docs/openapi.md shows what ``crmtpl validate --openapi`` really prints, and links right.

Every ``console`` block of the page is a run from the repository's root: each ``$ crmtpl …``
line is run through the real CLI and must print (stderr, then stdout) exactly the lines
that follow it. The page's relative links, and those of the pages that send readers to it,
lead to files and headings that exist; the fragment the schema checks were first written
in (docs/openapi-schemas.md) is merged and gone.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from crmtpl.cli import run
from tests.support import REPO_ROOT

DOCS = REPO_ROOT / "docs"
PAGE = DOCS / "openapi.md"
#: Pages that mention ``validate --openapi`` and must send the reader to the page.
REFERRING = ("gallery.md", "validate.md", "new.md", "index.md")
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def console_runs(text: str) -> list[tuple[str, str]]:
    """Each ``$ crmtpl …`` command of the page's console blocks and the output shown."""
    runs: list[tuple[str, str]] = []
    for block in _BLOCK.findall(text):
        command: str | None = None
        shown: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    runs.append((command, "\n".join(shown).rstrip("\n")))
                command, shown = line[2:], []
            else:
                shown.append(line)
        if command is not None:
            runs.append((command, "\n".join(shown).rstrip("\n")))
    return runs


def printed(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What the command prints in the repository's root: stderr, then stdout."""
    argv = shlex.split(command)
    assert argv[0] == "crmtpl", command
    run(argv[1:])
    captured = capsys.readouterr()
    return (captured.err + captured.out).rstrip("\n")


RUNS = console_runs(PAGE.read_text(encoding="utf-8"))


def test_the_page_shows_runs_of_every_kind_of_finding() -> None:
    shown = "\n".join(output for _command, output in RUNS)
    for rule in ("CT971", "CT972", "CT976", "CT977", "CT978", "CT979"):
        assert f"error {rule} " in shown, rule
    assert "no problems found" in shown and "note: " in shown


@pytest.mark.parametrize(("command", "shown"), RUNS, ids=[c.split()[-1] for c, _ in RUNS])
def test_each_command_prints_what_the_page_shows(
    command: str, shown: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert printed(command, capsys) == shown


def _headings(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings."""
    anchors = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            anchors.add(title.replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("name", ("openapi.md", *REFERRING))
def test_relative_links_lead_to_files_and_headings_that_exist(name: str) -> None:
    page = DOCS / name
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith("mailto:"):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.exists(), f"{name}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _headings(linked), f"{name}: {target}"


def test_the_fragment_is_merged_and_nothing_links_to_it() -> None:
    assert not (DOCS / "openapi-schemas.md").exists()
    pages = [*DOCS.rglob("*.md"), REPO_ROOT / "README.md"]
    assert [p for p in pages if "openapi-schemas.md" in p.read_text(encoding="utf-8")] == []


@pytest.mark.parametrize("name", REFERRING)
def test_the_pages_that_mention_validate_openapi_link_to_the_page(name: str) -> None:
    assert "](openapi.md" in (DOCS / name).read_text(encoding="utf-8")
