"""Go's fmt behaviour for the engine's values (Sprint spacing, verbs, error forms)."""

from __future__ import annotations

import pytest

from crmtpl.gotemplate.fmt import sprint, sprintf, sprintln
from crmtpl.gotemplate.values import JSONNumber


def test_sprint_spaces_only_between_non_strings() -> None:
    assert sprint([1, 2, "a", 3, JSONNumber("4"), 5]) == "1 2a345"
    assert sprintln(["a", 1]) == "a 1\n"


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%v %v %v", [1672531199.0, 100000.0, 1e21], "1.672531199e+09 100000 1e+21"),
        ("%d|%5d|%-5d|%05d|%x|%X|%o|%O|%b", [42, 42, 42, -42, 255, 255, 8, 8, 5], "42|   42|42   |-0042|ff|FF|10|0o10|101"),
        ("%.2f|%e|%g|%G|%08.3f", [3.14159, 1234.5678, 0.00001, 1e-7, -3.14159], "3.14|1.234568e+03|1e-05|1E-07|-003.142"),
        ("%q|%+q|%#q|%x|% X", ["é\n", "é", "a`", "hi", "hi"], '"é\\n"|"\\u00e9"|"a`"|6869|68 69'),
        ("%c|%U|%#U|%q", [0x4E16, 0x1F600, 0x41, 65], "世|U+1F600|U+0041 'A'|'A'"),
        ("%t|%v|%T", [True, None, None], "true|<nil>|<nil>"),
        ("%#v", [{"a": JSONNumber("1"), "b": [None, True]}], 'map[string]interface {}{"a":"1", "b":[]interface {}{interface {}(nil), true}}'),
        ("%d %s", ["x", 1], "%!d(string=x) %!s(int=1)"),
        ("%d", [], "%!d(MISSING)"),
        ("%d", [1, "x"], "1%!(EXTRA string=x)"),
        ("%[2]d %[1]d|%[5]d", [1, 2], "2 1|%!d(BADINDEX)"),
        ("%*d|%.*f|%*d", [5, 1, 2, 3.14159, "x", 1], "    1|3.14|%!(BADWIDTH)1"),
        ("%!|%z|%", [1, 2], "%!!(int=1)|%!z(int=2)|%!(NOVERB)"),
        ("%w", [[1]], "%!w([]interface {}=[1])"),
    ],
)  # fmt: skip
def test_sprintf(fmt: str, args: list[object], expected: str) -> None:
    assert sprintf(fmt, args) == expected
