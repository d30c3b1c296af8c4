"""The ASCII expressions of the scanner read an ASCII document exactly as the full ones."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

from crmtpl.template import xmlscan
from crmtpl.template.xmlscan import XmlScanner, patterns_for

ASCII = [chr(code) for code in range(128)]
REPO = Path(__file__).resolve().parents[3]


def _pairs() -> list[tuple[str, object, object]]:
    full = xmlscan._unicode_patterns()
    cut = xmlscan._ASCII_PATTERNS
    return [
        (field.name, getattr(cut, field.name), getattr(full, field.name))
        for field in dataclasses.fields(full)
    ]


def test_every_expression_agrees_on_every_short_ascii_string() -> None:
    probes = ["".join(chars) for chars in itertools.product(ASCII, repeat=2)]
    probes += [f"<{a}{b}" for a, b in itertools.product(ASCII, repeat=2)]
    probes += [f"</a{c}>" for c in ASCII] + [f"&a{c};" for c in ASCII]
    probes += [f' x{c}="v"' for c in ASCII] + [f"<?p{c}" for c in ASCII]
    for name, cut, full in _pairs():
        for probe in probes:
            for start in (0, 1):
                mine = cut.match(probe, start)  # type: ignore[attr-defined]
                theirs = full.match(probe, start)  # type: ignore[attr-defined]
                assert (mine and mine.group(0)) == (theirs and theirs.group(0)), (name, probe)


def _describe(source: object) -> object:
    """Everything a scan records, as plain values (the classes have no value repr)."""

    def plain(thing: object) -> object:
        slots = getattr(type(thing), "__slots__", None)
        if not slots or dataclasses.is_dataclass(thing):
            return repr(thing)
        skip = {"_lines", "parent", "children", "lines"}
        return {
            name: [plain(item) for item in value] if isinstance(value, list) else plain(value)
            for name in slots
            if name not in skip
            for value in [getattr(thing, name)]
        } | ({"children": len(thing.children)} if hasattr(thing, "children") else {})

    return plain(source)


def test_every_example_and_fixture_scans_the_same_with_both_sets() -> None:
    files = (
        sorted(REPO.glob("examples/*.xml"))
        + sorted(REPO.glob("crmtpl/gallery/*.xml"))
        + sorted(REPO.glob("tests/fixtures/**/*.xml"))
    )
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.isascii():
            continue
        fast = XmlScanner(text, path.name)
        slow = XmlScanner(text, path.name)
        slow.patterns = xmlscan._unicode_patterns()
        outcomes = []
        for scanner in (fast, slow):
            try:
                outcomes.append(repr(_describe(scanner.scan())))
            except Exception as problem:
                outcomes.append(f"{type(problem).__name__}: {problem}")
        assert outcomes[0] == outcomes[1], path


def test_a_document_with_other_characters_uses_the_full_expressions() -> None:
    assert patterns_for("<a/>") is xmlscan._ASCII_PATTERNS
    assert patterns_for("<é/>") is xmlscan._unicode_patterns()
