"""Control characters from outside are shown, never obeyed by the terminal."""

from __future__ import annotations

import pytest

from crmtpl.controlchars import has_control_characters, make_visible

OSC52_CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC8_LINK = "\x1b]8;;file:///etc/passwd\x1b\\click\x1b]8;;\x1b\\"
OSC0_TITLE = "\x1b]0;owned\x07"
CLEAR_SCREEN = "\x1b[2J"


@pytest.mark.parametrize("attack", [OSC52_CLIPBOARD, OSC8_LINK, OSC0_TITLE, CLEAR_SCREEN])
def test_escape_sequences_come_out_as_visible_text(attack: str) -> None:
    shown = make_visible(f"William{attack}Smith")
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown.startswith("William\\x1b") and shown.endswith("Smith")
    assert has_control_characters(attack)


def test_c1_controls_and_bidi_overrides_are_shown() -> None:
    assert make_visible("a\x9bb") == "a\\x9bb"  # the one-byte CSI
    assert make_visible("invoice\u202egnp.exe") == "invoice\\u202egnp.exe"
    assert make_visible("a\x7fb") == "a\\x7fb"


def test_newlines_and_tabs_stay_unless_one_line() -> None:
    assert make_visible("line 1\n\tline 2") == "line 1\n\tline 2"
    assert make_visible("a\r\nb", one_line=True) == "a\\r\\nb"
    assert make_visible("a\rb") == "a\\rb"  # a bare CR rewrites the line: always shown


def test_plain_and_international_text_is_unchanged() -> None:
    for text in ("Carlos García", "李小龙", "Zoë Åström", "emoji 📞", "a\u200db"):
        assert make_visible(text, one_line=True) == text
        assert not has_control_characters(text)
