"""`crmtpl validate --fix [--diff]`: the safe fixes, applied byte-exactly and idempotently.

Every example, valid fixture and spec example is left byte-identical; every beginner
fixture whose mistake has a mechanical fix is fixed (validate afterwards has no error of
that rule) and a second --fix changes nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmtpl.cli import run
from crmtpl.lint.fixes import fix_text, lint_text
from tests.support import REPO_ROOT, SPEC_EXAMPLES_DIR

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "templates"
UNTOUCHED = sorted(
    [
        *(REPO_ROOT / "examples").glob("*.xml"),
        *(REPO_ROOT / "crmtpl" / "gallery").glob("*.xml"),
        *(FIXTURES / "valid").glob("*/template.xml"),
        *SPEC_EXAMPLES_DIR.glob("*.xml"),
    ]
)
#: Beginner fixtures whose mistake is mechanical: folder -> the rule --fix removes.
FIXABLE = {
    "attribute-path-misspelt": "CT212",
    "attribute-urlformat-case": "CT212",
    "element-output-for-outputs": "CT212",
    "element-paramter": "CT212",
    "enable-flag-misspelt": "CT212",
    "enable-flag-singular": "CT212",
    "father-misspelt": "CT212",
    "function-lowercase": "CT802",
    "gjson-bracket-index": "CT707",
    "gjson-jsonpath-root": "CT707",
    "gjson-recursive-descent": "CT707",
    "gjson-star-bracket-users": "CT707",
    "gjson-star-wildcard": "CT707",
    "method-lowercase": "CT604",
    "scenario-id-misspelt": "CT212",
}


@pytest.fixture(autouse=True)
def _outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_fix_leaves_every_correct_template_byte_identical(tmp_path: Path) -> None:
    assert len(UNTOUCHED) > 20
    copies = []
    for index, original in enumerate(UNTOUCHED):
        copy = tmp_path / f"{index}-{original.name}"
        shutil.copyfile(original, copy)
        copies.append((original, copy))
    run(["-q", "validate", "--fix", *(str(copy) for _original, copy in copies)])
    changed = [str(o) for o, c in copies if c.read_bytes() != o.read_bytes()]
    assert changed == []


@pytest.mark.parametrize("folder", sorted(FIXABLE))
def test_fix_repairs_a_mechanical_beginner_mistake(folder: str, tmp_path: Path) -> None:
    rule = FIXABLE[folder]
    template = tmp_path / "template.xml"
    shutil.copyfile(FIXTURES / "beginner" / folder / "template.xml", template)
    before = template.read_bytes()
    run(["-q", "validate", "--fix", str(template)])
    fixed = template.read_bytes()
    assert fixed != before
    report = tmp_path / "report.json"
    run(["validate", "--format", "json", "-o", str(report), str(template)])
    rules = [d["rule"] for f in json.loads(report.read_text())["files"] for d in f["diagnostics"]]
    assert rule not in rules
    assert run(["-q", "validate", "--fix", "--diff", str(template)]) in (0, 1)
    run(["-q", "validate", "--fix", str(template)])
    assert template.read_bytes() == fixed


def test_diff_shows_the_fix_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "template.xml"
    shutil.copyfile(FIXTURES / "beginner" / "method-lowercase" / "template.xml", template)
    before = template.read_bytes()
    code = run(["validate", "--fix", "--diff", str(template)])
    out = capsys.readouterr().out
    assert code == 1
    assert template.read_bytes() == before
    assert '-        <Request Name="CallJournal" Method="post"' in out
    assert '+        <Request Name="CallJournal" Method="POST"' in out
    assert out.startswith(f"--- a/{template}\n+++ b/{template}\n")


def test_diff_without_fix_is_a_usage_error(tmp_path: Path) -> None:
    template = tmp_path / "template.xml"
    shutil.copyfile(REPO_ROOT / "examples" / "sandbox.xml", template)
    assert run(["validate", "--diff", str(template)]) == 2


def test_raw_ampersands_become_entities_and_nothing_else_changes(tmp_path: Path) -> None:
    original = (REPO_ROOT / "examples" / "sandbox.xml").read_bytes()
    marker = b'URLFormat="{{.sandbox_url}}/none/api/v1/calls"'
    assert marker in original
    broken = original.replace(
        marker, b'URLFormat="{{.sandbox_url}}/none/api/v1/calls?a=1&b=2&c=&amp;x=3"'
    )
    template = tmp_path / "template.xml"
    template.write_bytes(b"\xef\xbb\xbf" + broken.replace(b"\n", b"\r\n"))
    assert run(["-q", "validate", str(template)]) == 1  # not well-formed: a finding
    run(["-q", "validate", "--fix", str(template)])
    expected = original.replace(
        marker, b'URLFormat="{{.sandbox_url}}/none/api/v1/calls?a=1&amp;b=2&amp;c=&amp;x=3"'
    )
    assert template.read_bytes() == b"\xef\xbb\xbf" + expected.replace(b"\n", b"\r\n")


def test_fix_text_is_the_same_string_when_nothing_is_fixable() -> None:
    text = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
    outcome = fix_text(text)
    assert not outcome.changed
    assert outcome.text is text


def test_an_undefined_entity_is_not_guessed_at(tmp_path: Path) -> None:
    original = (REPO_ROOT / "examples" / "sandbox.xml").read_text(encoding="utf-8")
    broken = original.replace("Acme", "Acme&nbsp;", 1) if "Acme" in original else original
    broken = broken.replace('Method="GET"', 'Method="GET" X="&nbsp;"', 1)
    outcome = fix_text(broken)
    assert outcome.text == broken


def test_a_phone_in_a_url_gets_url_encode_around_it(tmp_path: Path) -> None:
    template = tmp_path / "template.xml"
    shutil.copyfile(FIXTURES / "invalid" / "phone-not-url-encoded" / "template.xml", template)
    before = template.read_text(encoding="utf-8")
    run(["-q", "validate", "--fix", str(template)])
    after = template.read_text(encoding="utf-8")
    assert after == before.replace("phone={{.Phone}}", "phone={{UrlEncode .Phone}}")
    assert run(["-q", "validate", "--strict", str(template)]) == 0


def test_a_phone_inside_a_longer_pipeline_is_left_to_the_author() -> None:
    text = (FIXTURES / "invalid" / "phone-not-url-encoded" / "template.xml").read_text(
        encoding="utf-8"
    )
    text = text.replace("phone={{.Phone}}", "phone={{printf `%s` .Phone}}")
    assert "CT825" in [d.rule for d in lint_text(text).diagnostics]
    assert not fix_text(text).changed
