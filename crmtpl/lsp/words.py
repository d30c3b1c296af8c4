"""Go's built-in template functions and keywords, for hovers and completions (the PBX's
own functions come from the catalogue)."""

from __future__ import annotations

#: Go text/template built-ins: name -> (signature, what it does, example).
GO_FUNCTIONS: dict[str, tuple[str, str, str]] = {
    "and": ("and x y ...", "the first empty argument, or the last one", "{{if and .A .B}}"),
    "or": ("or x y ...", "the first non-empty argument, or the last one", "{{or .Name `n/a`}}"),
    "not": ("not x", "true when x is empty", "{{if not .Email}}"),
    "len": ("len x", "the length of a string, slice or map", "{{len .Name}}"),
    "index": ("index x key ...", "x[key] of a map, slice or array", "{{index .Map `key`}}"),
    "slice": ("slice x i j", "x[i:j] of a string or slice", "{{slice .Phone 0 3}}"),
    "print": ("print args ...", "fmt.Sprint of the arguments", "{{print .A .B}}"),
    "printf": ("printf format args ...", "fmt.Sprintf", '{{printf "%05d" .Number}}'),
    "println": ("println args ...", "fmt.Sprintln of the arguments", "{{println .A}}"),
    "eq": ("eq x y ...", "x == y (or x equals any of the others)", "{{if eq .Type `Inbound`}}"),
    "ne": ("ne x y", "x != y", "{{if ne .Status `ANSWERED`}}"),
    "lt": ("lt x y", "x < y", "{{if lt .Talk_Duration_Sec 5}}"),
    "le": ("le x y", "x <= y", "{{if le .A .B}}"),
    "gt": ("gt x y", "x > y", "{{if gt .A 0}}"),
    "ge": ("ge x y", "x >= y", "{{if ge .A 1}}"),
    "html": ("html args ...", "the arguments escaped for HTML", "{{html .Name}}"),
    "js": ("js args ...", "the arguments escaped for JavaScript", "{{js .Name}}"),
    "urlquery": ("urlquery args ...", "the arguments escaped for a URL query", "{{urlquery .A}}"),
    "call": ("call fn args ...", "calls a function value", "{{call .Fn 1}}"),
}

#: Go template keywords (actions).
KEYWORDS = (
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
)
