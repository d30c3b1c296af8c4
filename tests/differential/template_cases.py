"""A seeded generator of Go template cases for differential testing against the Go oracle.

Templates mix text and actions over the whole language: fields and chains, variables,
literals of every kind (strings with escapes, raw strings, runes, ints in every base,
floats, complex), every builtin (with right and wrong argument counts), ``printf`` with
random verbs, flags, widths, precisions and argument indexes, the PBX functions,
``if``/``else if``/``range`` (with ``break``/``continue``)/``with``, ``define``/``template``/
``block``, comments, trim markers, and random damage for bad syntax. Data is PBX-shaped
(string variables) plus a structured document; cases vary ``data_mode``, ``missingkey``,
``tz`` and the function set.
"""

from __future__ import annotations

import random
from typing import Any

PBX_DATA: dict[str, Any] = {
    "CallFrom": "+15550100",
    "CallTo": "1001",
    "Phone": "+1 (555) 010-0199",
    "StartTimeUnix": "1672531199",
    "EndTimeUnix": "1672531259",
    "TalkDuration": "60",
    "CallType": "Inbound",
    "CallStatus": "ANSWERED",
    "ContactId": "4150868000000224005",
    "ContactSyncType": "contacts",
    "ExtensionName": "Alice Smith",
    "Subject": 'Call with "ACME" & Co <sales>',
    "Notes": "line1\nline2\ttab",
    "RecordingUrl": "",
    "Unicode": "héllo wörld ✓ ßeta élan",
    "Empty": "",
    "Zero": "0",
    "Neg": "-42",
    "Huge": "9223372036854775807",
    "Spaces": " padded ",
}

STRUCT_DATA: dict[str, Any] = {
    "a": "x",
    "b": {"c": "y", "d": {"e": "z"}},
    "list": ["p", "q", "r"],
    "nums": [3, 1, 2],
    "emptyList": [],
    "emptyMap": {},
    "nil": None,
    "t": True,
    "f": False,
    "n0": 0,
    "n1": 1,
    "n2": 2,
    "f15": 1.5,
    "big": 1672531199,
    "neg": -3,
    "users": [
        {"name": "Ann", "age": 30, "tags": ["a", "b"]},
        {"name": "Bob", "age": 25, "tags": []},
    ],
    "m": {"b": 2, "a": 1, "c": 3},
    "nested": [[1, 2], [3, 4]],
    "mixed": [1, "two", None, True, 2.5, {"k": "v"}],
    "umap": {"é": 1, "Z": 2, "a": 3, "ü": "4", "😀": 5, "": 6, "b10": 7, "b9": 8},
    "floats": [0.1, 1e21, 1e-07, 123456789.0, -0.0, 5e-324, 1.7976931348623157e308, 100000.0],
    "é": "accent",
    "名前": "name",
    "x٣": "arabic digit",
}

FIELDS = [
    ".a",
    ".b",
    ".b.c",
    ".b.d.e",
    ".b.x",
    ".list",
    ".nums",
    ".emptyList",
    ".emptyMap",
    ".nil",
    ".nil.x",
    ".t",
    ".f",
    ".n0",
    ".n1",
    ".n2",
    ".f15",
    ".big",
    ".neg",
    ".users",
    ".m",
    ".m.a",
    ".nested",
    ".mixed",
    ".missing",
    ".missing.deeper",
    ".a.b",
    ".n1.String",
    ".n1.Int64",
    ".f15.Float64",
    ".f15.Int64",
    ".CallFrom",
    ".Phone",
    ".StartTimeUnix",
    ".TalkDuration",
    ".CallType",
    ".CallStatus",
    ".ContactId",
    ".Subject",
    ".Notes",
    ".RecordingUrl",
    ".Unicode",
    ".Empty",
    ".Zero",
    ".Neg",
    ".Huge",
    ".Spaces",
    ".umap",
    ".floats",
    "(index .floats 2)",
    ".é",
    ".名前",
    ".x٣",
    ".",
]
STRINGS = [
    '""',
    '"x"',
    '"hello world"',
    '"a\\tb\\nc"',
    '"say \\"hi\\""',
    '"back\\\\slash"',
    '"héllo ✓"',
    '"\\u00e9\\U0001F600"',
    '"\\x41\\101"',
    '"\\xff"',
    "\"<a href='x'>&</a>\"",
    '"a=b&c=d"',
    '"%d items"',
    '"yyyy-MM-dd HH:mm:ss"',
    '"yyyy-MM-ddTHH:mm:ss.000Zz"',
    '"yyyy-MM-ddTHH:mm:ss-z"',
    '"Mon Jan 2 15:04:05 MST 2006"',
    '"1"',
    '"0"',
    '"1672531199"',
    '"-1"',
    '"+15550100"',
    "`raw ${{x}} \\n`",
    "`multi\nline`",
    '"\\q"',  # invalid escape: a parse error
]
BAD_STRINGS = {'"\\q"'}
NUMBERS = [
    "0",
    "1",
    "2",
    "-1",
    "3",
    "10",
    "42",
    "-0",
    "+5",
    "007",
    "08",
    "0x1F",
    "0X1f",
    "0o17",
    "0b101",
    "1_000",
    "1__0",
    "0x_1",
    "3.5",
    "-2.25",
    ".5",
    "1.",
    "1e3",
    "1E-2",
    "1e400",
    "0x1p-2",
    "0x1.8p1",
    "1_000.5",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "1e19",
    "1+2i",
    "1-1i",
    "0i",
    "2i",
    "1.5e3+0i",
    "'a'",
    "'\\n'",
    "'é'",
    "'\\x41'",
    "'\\u00e9'",
    "'ab'",
    "''",
    "0x",
    "1.2.3",
]
BAD_NUMBERS = {"1__0", "1e400", "18446744073709551616", "'ab'", "''", "0x", "1.2.3", "08"}
OTHER_LITERALS = ["true", "false", "nil", "."]
BUILTINS = [
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "html",
    "js",
    "urlquery",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "call",
]
PBX_FUNCS = ["TimeFormat", "ToMillis", "Capitalize", "UrlEncode"]
BAD_FUNCS = ["urlEncode", "timeformat", "foo", "Len"]
VERBS = "vvvvdsqxXtbcoOUeEfFgGTp%"
ZONES = ["Europe/Berlin", "Asia/Shanghai", "America/New_York", "Asia/Kolkata", "UTC"]
TEXTS = [
    "",
    " ",
    "\n",
    "  \n\t ",
    "a",
    "hello ",
    " world",
    "} ",
    "{ {x} }",
    "é ✓ ",
    '"key": "',
    '", ',
    "\n  ",
    '{\n  "x": ',
    "-",
    "/* ",
    "\u2028 ",
]
DAMAGE = [
    "{{",
    "}}",
    "{",
    "}",
    "(",
    ")",
    '"',
    "`",
    "'",
    "|",
    ":=",
    "=",
    ".",
    "$",
    ",",
    "-",
    " ",
    "\n",
    "@",
    "!",
]


class TemplateGenerator:
    """Builds random templates; ``rng`` decides everything, so a seed reproduces a run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vars: list[str] = []
        self.defined: list[str] = []
        self.in_range = 0

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # --- operands -------------------------------------------------------------------

    def field(self) -> str:
        return self.rng.choice(FIELDS)

    def variable(self) -> str:
        if self.vars and self.chance(0.8):
            name = self.rng.choice(self.vars)
        else:
            name = "$undeclared" if self.chance(0.03) else "$"
        if self.chance(0.3):
            name += self.rng.choice([".a", ".b.c", ".missing", ".list", ".Phone", ".x"])
        return name

    def literal(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            text = self.rng.choice(STRINGS)
            bad = text in BAD_STRINGS
        elif r < 0.8:
            text = self.rng.choice(NUMBERS)
            bad = text in BAD_NUMBERS
        else:
            return self.rng.choice(OTHER_LITERALS)
        if bad and not self.chance(0.15):
            return '"x"'
        return text

    def operand(self, depth: int) -> str:
        r = self.rng.random()
        if r < 0.4:
            return self.field()
        if r < 0.5:
            return self.variable()
        if r < 0.75:
            return self.literal()
        if r < 0.9 and depth < 3:
            inner = self.pipeline(depth + 1)
            text = f"({inner})"
            if self.chance(0.2):
                text += self.rng.choice([".name", ".a", ".x", ".c"])
            return text
        if self.chance(0.8):
            return self.rng.choice(["(index .users 0).name", "(.b).c", "(index .mixed 5).k"])
        return self.rng.choice(BUILTINS + PBX_FUNCS)

    def args(self, depth: int, count: int) -> list[str]:
        return [self.operand(depth) for _ in range(count)]

    # --- commands and pipelines -----------------------------------------------------------

    def printf_format(self) -> str:
        parts = []
        for _ in range(self.rng.randint(1, 3)):
            if self.chance(0.3):
                parts.append(self.rng.choice(["x=", " ", "|", "é", "%%", "-"]))
            spec = "%"
            spec += "".join(self.rng.sample("+-# 0", self.rng.randint(0, 2)))
            if self.chance(0.15):
                spec += f"[{self.rng.randint(0, 3)}]"
            if self.chance(0.35):
                spec += self.rng.choice(["1", "5", "08", "12", "*"])
            if self.chance(0.3):
                spec += "." + self.rng.choice(["", "0", "2", "3", "10", "*"])
            spec += self.rng.choice(VERBS)
            parts.append(spec)
        if self.chance(0.05):
            parts.append("%")
        return '"' + "".join(parts).replace('"', '\\"') + '"'

    def call(self, depth: int) -> str:
        r = self.rng.random()
        if r < 0.2:
            fmt = self.printf_format()
            return " ".join(["printf", fmt, *self.args(depth, self.rng.randint(0, 3))])
        if r < 0.45:
            name = self.rng.choice(PBX_FUNCS)
            want = 3 if name == "TimeFormat" else 1
            count = want if self.chance(0.85) else self.rng.randint(0, 4)
            if name == "TimeFormat" and count == 3 and self.chance(0.8):
                ts = self.rng.choice(
                    ['"1672531199"', ".StartTimeUnix", '"0"', '"-1"', '"abc"', '""', ".Huge",
                     '"1e9"', '"+1672531199"', '"253402300800"', '"-62135596801"', ".big"]
                )  # fmt: skip
                layout = self.rng.choice(
                    ['"yyyy-MM-dd HH:mm:ss"', '"yyyy-MM-ddTHH:mm:ss.000Zz"', '"yyyy-MM-ddTHH:mm:ss-z"',
                     '"Mon Jan _2 3:4:5 PM MST 2006"', '"dd/MM/yyyy"', '"HH:mm:ss 1 2"', '"002 __2 .999 ,000"',
                     '"Z07 -07 -070000 Z07:00:00 January Monday pm"', '"SSS z Zz"']
                )  # fmt: skip
                flag = self.rng.choice(['"1"', '"0"', '""', '"true"'])
                return f"TimeFormat {ts} {layout} {flag}"
            return " ".join([name, *self.args(depth, count)])
        if r < 0.95:
            name = self.rng.choice(BUILTINS)
            count = {
                "not": 1,
                "len": 1,
                "ne": 2,
                "lt": 2,
                "le": 2,
                "gt": 2,
                "ge": 2,
            }.get(name, self.rng.randint(1, 3))
            if self.chance(0.1):
                count = self.rng.randint(0, 4)
            return " ".join([name, *self.args(depth, count)])
        if self.chance(0.4):
            return " ".join([self.rng.choice(BAD_FUNCS), *self.args(depth, 1)])
        return " ".join(["print", *self.args(depth, self.rng.randint(1, 3))])

    def command(self, depth: int, first: bool) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.call(depth)
        if first or r < 0.5:
            text = self.operand(depth)
            if self.chance(0.1):
                text += " " + self.operand(depth)
            return text
        return self.rng.choice(["print", "printf \"%v\"", "len", "html", "js", "urlquery",
                                "UrlEncode", "Capitalize", "ToMillis", "not", "and .t",
                                "or .f", "eq .a", "index .list", "slice .a 0", "printf"])  # fmt: skip

    def pipeline(self, depth: int, allow_decl: bool = False) -> str:
        text = ""
        if allow_decl and self.chance(0.25):
            if self.vars and self.chance(0.3):
                text = f"{self.rng.choice(self.vars)} = "
            else:
                name = self.rng.choice(["$x", "$y", "$n", "$s"])
                text = f"{name} := "
                self.vars.append(name)
        cmds = [self.command(depth, True)]
        while self.chance(0.25) and len(cmds) < 3:
            cmds.append(self.command(depth, False))
        return text + " | ".join(cmds)

    # --- structure ----------------------------------------------------------------------

    def open(self) -> str:
        if self.chance(0.05):
            return self.rng.choice(["{{\n", "{{-\n", "{{- \n\t", "{{\r\n"])
        return "{{- " if self.chance(0.15) else "{{" + (" " if self.chance(0.3) else "")

    def close(self) -> str:
        if self.chance(0.05):
            return self.rng.choice(["\n}}", "\n-}}", "\t\n -}}", "\n -}}"])
        return " -}}" if self.chance(0.15) else (" " if self.chance(0.3) else "") + "}}"

    def action(self) -> str:
        return self.open() + self.pipeline(0, allow_decl=True) + self.close()

    def block(self, depth: int) -> str:
        r = self.rng.random()
        saved = list(self.vars)
        try:
            if r < 0.3:
                return self.if_block(depth)
            if r < 0.6:
                return self.range_block(depth)
            if r < 0.75:
                cond = self.pipeline(0, allow_decl=self.chance(0.2))
                text = f"{self.open()}with {cond}{self.close()}{self.body(depth + 1)}"
                if self.chance(0.4):
                    text += f"{self.open()}else{self.close()}{self.body(depth + 1)}"
                return text + f"{self.open()}end{self.close()}"
            if r < 0.9 and self.defined:
                name = self.rng.choice([n for n in self.defined if n != "tpl"] + ["nope"])
                arg = " " + self.pipeline(0) if self.chance(0.7) else ""
                return f'{self.open()}template "{name}"{arg}{self.close()}'
            left = self.rng.choice(["{{", "{{", "{{- ", "{{ "])
            right = self.rng.choice(["}}", "}}", " -}}", " }}"])
            return f"{left}/* comment {self.rng.randint(0, 9)} */{right}"
        finally:
            self.vars = saved

    def if_block(self, depth: int) -> str:
        text = f"{self.open()}if {self.pipeline(0, allow_decl=self.chance(0.2))}{self.close()}"
        text += self.body(depth + 1)
        while self.chance(0.3):
            text += f"{self.open()}else if {self.pipeline(0)}{self.close()}{self.body(depth + 1)}"
        if self.chance(0.5):
            text += f"{self.open()}else{self.close()}{self.body(depth + 1)}"
        return text + f"{self.open()}end{self.close()}"

    def range_block(self, depth: int) -> str:
        target = self.rng.choice(
            [".list", ".nums", ".users", ".m", ".emptyList", ".emptyMap", ".nil", ".missing",
             ".nested", ".mixed", ".a", ".n1", "(slice .list 1)", ".b", "."]
        )  # fmt: skip
        decl = self.rng.choice(["", "", "$v := ", "$i, $v := ", "$k, $v := ", "$i, $v := "])
        if self.chance(0.02):
            decl = self.rng.choice(["$i, $v, $w := ", "$i, 1 := ", "$i = "])
        for name in decl.replace(":=", "").replace(",", " ").split():
            self.vars.append(name)
        self.in_range += 1
        body = self.body(depth + 1)
        if self.chance(0.3):
            keyword = self.rng.choice(["break", "continue"])
            cond = self.rng.choice(["true", "$v", ".", "eq $i 1", "false"])
            body += f"{{{{if {cond}}}}}{{{{{keyword}}}}}{{{{end}}}}" + self.body(depth + 1)
        self.in_range -= 1
        text = f"{self.open()}range {decl}{target}{self.close()}{body}"
        if self.chance(0.3):
            text += f"{self.open()}else{self.close()}{self.body(depth + 1)}"
        return text + f"{self.open()}end{self.close()}"

    def body(self, depth: int) -> str:
        parts = []
        for _ in range(self.rng.randint(0, 3)):
            r = self.rng.random()
            if r < 0.35:
                parts.append(self.rng.choice(TEXTS))
            elif r < 0.8 or depth >= 3:
                parts.append(self.action())
            else:
                parts.append(self.block(depth))
        return "".join(parts)

    def definitions(self) -> str:
        text = ""
        names = ["T", "row", "empty"] + (["tpl"] if self.chance(0.1) else [])
        for name in self.rng.sample(names, self.rng.choice([0, 0, 0, 1, 1, 2])):
            body = "" if name == "empty" else self.body(1)
            # An empty "tpl" would be replaced by the main text, which may then call itself
            # 100000 deep (piling up output); keep "tpl" a non-empty define.
            keyword = "block" if self.chance(0.2) and name != "tpl" else "define"
            if name == "tpl":
                body = "X" + body
            if keyword == "block":
                text += f'{{{{block "{name}" {self.pipeline(0)}}}}}{body}{{{{end}}}}'
            else:
                text += f'{{{{define "{name}"}}}}{body}{{{{end}}}}'
            self.defined.append(name)
        return text

    def template(self) -> str:
        self.vars = []
        self.defined = []
        text = self.definitions()
        text += self.body(0)
        if self.chance(0.1):
            text = self.damage(text)
        return text

    def damage(self, text: str) -> str:
        for _ in range(self.rng.randint(1, 2)):
            if not text:
                return self.rng.choice(DAMAGE)
            i = self.rng.randrange(len(text) + 1)
            r = self.rng.random()
            if r < 0.4:
                text = text[:i] + self.rng.choice(DAMAGE) + text[i:]
            elif r < 0.8:
                text = text[:i] + text[i + 1 :]
            else:
                text = text[:i]
        return text


# --- focused generators -----------------------------------------------------------------

PRINTF_VALUES = [
    "0", "-1", "42", "255", "9223372036854775807", "-9223372036854775808", "0x1F", "'a'",
    "'\\u00e9'", "1.5", "-0.0", "1e21", "1e20", "1e-7", "123456.789", "0.000012345", "1e100",
    "2.5", "3.0", "100000.0", "1e6", "0.1", "1+2i", "2i", '"x"', '"héllo ✓"', '"\\t\\x00"',
    '""', '"%"', "`\"q\"`", "true", "false", "nil", ".list", ".m", ".users", ".n1", ".f15",
    ".big", ".nil", ".mixed", ".nested", ".emptyMap", ".emptyList", ".missing", ".Unicode",
    "(index \"abc\" 0)", "(index .mixed 4)", ".n1.Int64", ".f15.Float64", "(slice .list 0 1)",
    "(slice \"é\" 0 1)", "$", ".b",
]  # fmt: skip
PRINTF_LITERALS = ["", "", "x", " ", "é", "|", "%%", "%", "%!", "%[", "%[1", "%[x]d", "%[0]d"]
SOUP = [
    "{{", "}}", "{{- ", " -}}", "{{-", "-}}", "if ", "else ", "end", "range ", "with ", "define ",
    "template ", "block ", "break", "continue", ".a", ".b.c", "$x", "$", ":=", "=", "|", "(", ")",
    '"s"', "`r\n`", "'c'", "1", "-", "nil", "true", " ", "\n", "\t", "/*", "*/", ",", "x",
    "len ", "print ", ".", "..", "\r\n", "é", '"T"', "@", "#", "{", "}", "\u00a0",
]  # fmt: skip
BYTE_TEMPLATES = [
    '{{slice "héllo" 0 2}}', '{{index "é" 0}}', '{{len "✓"}}', "{{printf \"%x\" (slice .Unicode 1 3)}}",
    '{{js (slice "é" 0 1)}}', '{{html (slice "é" 1)}}', '{{printf "%q" (slice "é" 0 1)}}',
    '{{slice "é" 0 1}}{{slice "é" 1 2}}', '{{UrlEncode (slice "é" 0 1)}}',
    '{{Capitalize (slice "é" 1)}}', '{{eq (printf "%s%s" (slice "é" 0 1) (slice "é" 1)) "é"}}',
    '{{lt (slice "é" 0 1) "z"}}', '{{printf "%5.1s|" "é✓"}}', '{{printf "%c|%c" 0xD800 -1}}',
    '{{printf "%U|%#U" -1 0x1F600}}', '{{printf "%q" "\\xff\\u2028"}}', '{{print "\\xe2\\x9c"}}',
    '{{printf "%+q|%#q|%#+q" "é`" "tab\\t" "ok"}}', '{{urlquery "\\xff é"}}', '{{len "\\xff"}}',
    '{{range $i, $c := slice "é✓" 0}}{{$c}}{{end}}', '{{slice .Unicode 1}}', '{{ToMillis "١٢"}}',
    '{{Capitalize "ǆemal"}}|{{Capitalize "ᾳ"}}|{{Capitalize "ß"}}|{{Capitalize "ı"}}',
    '{{js "\\u2028\\u00ad\\x7f\\x00"}}', '{{html "\\x00<"}}', '{{printf "%x|% X|%#x" "é" "ab" ""}}',
]  # fmt: skip
GO_LAYOUT_TOKENS = [
    "Jan", "January", "Mon", "Monday", "MST", "01", "02", "03", "04", "05", "06", "002", "_2",
    "__2", "1", "2", "3", "4", "5", "15", "2006", "PM", "pm", "Z07", "Z0700", "Z07:00",
    "Z07:00:00", "Z070000", "-07", "-0700", "-07:00", "-070000", "-07:00:00", ".000", ".999",
    ",000", ".9", ".0", ".000000000000", "Janu", "Mond", "_2006", "yyyy", "MM", "dd", "HH",
    "mm", "ss", "SSS", "z", "Zz", "-z", "T", " ", ":", "-", "/", "x", "é",
]  # fmt: skip
TIMESTAMPS = [
    "0", "1", "-1", "1672531199", "1700000000", "951782400", "-2208988800", "253402300799",
    "253402300800", "-62135596800", "-62135596801", "4102444800", "99999999999",
    "9223372036854775807", "-9223372036854775808", "9223372036854", "-9223372036854",
    "1e9", " 1", "+5", "0x10", "",
]  # fmt: skip


def printf_template(rng: random.Random) -> str:
    """A printf call with a random format and random operands."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice(PRINTF_LITERALS))
        spec = "%" + "".join(rng.choice("+-# 0") for _ in range(rng.choice([0, 0, 1, 2, 3])))
        if rng.random() < 0.2:
            spec += f"[{rng.randint(0, 4)}]"
        if rng.random() < 0.4:
            spec += rng.choice(["1", "3", "6", "08", "12", "*", "20"])
        if rng.random() < 0.35:
            spec += "." + rng.choice(["", "0", "1", "2", "4", "8", "*", "[2]*"])
        if rng.random() < 0.1:
            spec += f"[{rng.randint(1, 3)}]"
        spec += rng.choice("vvvdsqxXtbcoOUeEfFgGTpw%zé")
        parts.append(spec)
    fmt = "".join(parts).replace("\\", "\\\\").replace('"', '\\"')
    args = " ".join(rng.choice(PRINTF_VALUES) for _ in range(rng.randint(0, 4)))
    return f'{{{{printf "{fmt}" {args}}}}}'


def soup_template(rng: random.Random) -> str:
    """Random tokens: mostly broken templates, spread over several lines."""
    return "".join(rng.choice(SOUP) for _ in range(rng.randint(3, 25)))


def time_template(rng: random.Random) -> str:
    """TimeFormat with a random layout and timestamp, in UTC or the local zone."""
    layout = "".join(rng.choice(GO_LAYOUT_TOKENS) for _ in range(rng.randint(1, 6)))
    ts = rng.choice(TIMESTAMPS) if rng.random() < 0.6 else str(rng.randint(-(10**11), 10**11))
    flag = rng.choice(['"1"', '"0"', '""'])
    return f'{{{{TimeFormat "{ts}" "{layout}" {flag}}}}}|{{{{ToMillis "{ts}"}}}}'


def _flat_strings(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if isinstance(v, str)}


REALISTIC = [
    '{\n  "Subject": "{{.CallType}} call {{.CallFrom}} -> {{.CallTo}}",\n'
    '  "Start": "{{TimeFormat .StartTimeUnix "yyyy-MM-ddTHH:mm:ss-z" "1"}}",\n'
    '  "Duration": {{.TalkDuration}},\n  "Who_Id": {"id": "{{.ContactId}}"},\n'
    '  "Description": "{{if .RecordingUrl}}{{.RecordingUrl}}{{else}}No recording{{end}}"\n}',
    "https://api.example.com/v1/contacts/search?phone={{UrlEncode .Phone}}&limit=10",
    '{"ticket": {"subject": "{{Capitalize .CallType}} call from {{.CallFrom}}", '
    '"requester_id": {{.ContactId}}, "priority": '
    '"{{if eq .CallStatus "NO ANSWER"}}high{{else}}normal{{end}}"}}',
    '{"start": {{ToMillis .StartTimeUnix}}, "note": "{{js .Subject}}", "html": "{{html .Notes}}"}',
]


def generate_cases(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` template cases in the oracle's input shape, reproducible from ``seed``."""
    rng = random.Random(seed)
    generator = TemplateGenerator(rng)
    cases: list[dict[str, Any]] = []
    for i in range(count):
        flavour = rng.random()
        if flavour < 0.03:
            text = rng.choice(REALISTIC)
        elif flavour < 0.18:
            text = printf_template(rng)
        elif flavour < 0.26:
            text = soup_template(rng)
        elif flavour < 0.29:
            text = rng.choice(BYTE_TEMPLATES)
        elif flavour < 0.37:
            text = time_template(rng)
        else:
            text = generator.template()
        case: dict[str, Any] = {"id": f"gen-{seed}-{i}", "kind": "template", "template": text}
        mode = rng.random()
        if mode < 0.8:
            case["data"] = {**PBX_DATA, **STRUCT_DATA}
        elif mode < 0.9:
            case["data"] = {**PBX_DATA, **STRUCT_DATA}
            case["data_mode"] = "float64"
        elif mode < 0.97:
            case["data"] = _flat_strings(PBX_DATA)
            case["data_mode"] = "string"
        else:
            case["data"] = rng.choice([None, "x", 7, [1, 2], True])
        if rng.random() < 0.3:
            case["missingkey"] = rng.choice(["default", "invalid", "zero", "error"])
        if rng.random() < 0.3:
            case["tz"] = rng.choice(ZONES)
        if rng.random() < 0.05:
            case["funcs"] = "none"
        cases.append(case)
    return cases
