"""A seeded generator of gjson cases for differential testing against the Go oracle.

Documents are CRM-shaped (contact and user search responses with nested owners, phone
lists, tags, pagination) or adversarial (duplicate keys, Unicode, escapes, odd numbers,
JSON Lines, deep nesting, malformed text). Paths are built from what a document holds (so
most of them find something) and then varied over the whole path syntax: wildcards,
escapes, indexes, ``#`` counts, ``#.`` gathering, queries with every operator, modifiers
with options, multipaths, literals, pipes, JSON Lines, and random damage.
"""

from __future__ import annotations

import json
import random
from typing import Any

FIRST = ["Dale", "Roger", "Jane", "Ünal", "Zoë", "李", "O'Brien", "Anna-Lena", "", "José"]
LAST = ["Murphy", "Craig", "Smith", "Åström", "Nguyễn", 'D"Quote', "back\\slash", "N/A"]
DOMAINS = ["example.com", "crm.test", "zoho.eu", "mail.co.uk"]
TAGS = ["vip", "lead", "customer", "fb", "ig", "tw", "a.b", "x*y", "q?", ""]
KEYS = [
    "id",
    "name",
    "email",
    "phone",
    "owner",
    "tags",
    "active",
    "score",
    "created_at",
    "fav.movie",
    "a|b",
    "x*",
    "@this",
    "#",
    "1",
    "",
    "key with space",
    "ключ",
    "emoji😀",
    'esc"q',
]
NUMBERS = [
    "0",
    "-0",
    "1",
    "-17",
    "37",
    "1.5",
    "1.50",
    "1e3",
    "1E+2",
    "-1.5e-7",
    "0.1",
    "123456789012345678901",
    "9007199254740993",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "6.02e23",
    "0.0000001",
    "1672531199",
    "4150868000000231000",
    "2.5",
    "100000",
    "1234567",
]
ODD_NUMBERS = ["01", "+1", ".5", "1.", "0x10", "1_000", "NaN", "Inf", "-inf", "nan", "1e", "--1"]
STRINGS = [
    "hello",
    "",
    "a b",
    "line\nbreak",
    "tab\tx",
    'quote"in',
    "back\\slash",
    "slash/",
    "ünï",
    "中文",
    "😀",
    "<&>",
    "\u2028",
    "true",
    "1",
    "T",
    "FALSE",
    "0",
    '{"id":1,"name":"x"}',
    "[1,2]",
    "12.50",
]
ESCAPED_RAW = [
    r'"\u00e9t\u00e9"',
    r'"\ud83d\ude00"',
    r'"\ud800"',
    r'"\ud800x"',
    r'"\udc00\ud800"',
    r'"a\/b"',
    r'"\b\f\n\r\t"',
    r'"\x"',
    r'"\u12"',
    r'"\u12G4"',
    r'"tab\	in"',
    r'"end\\"',
    r'"q\"q"',
    r'"\\\""',
    '"\\u00é1"',
    '"\\ud83d\\u00é"',
]


class CaseGenerator:
    """Builds (json, path) cases from one seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # -- documents --------------------------------------------------------------------

    def scalar(self) -> Any:
        rng = self.rng
        pick = rng.random()
        if pick < 0.35:
            return rng.choice(STRINGS)
        if pick < 0.6:
            return _RawNumber(rng.choice(NUMBERS))
        if pick < 0.75:
            return rng.choice([True, False, None])
        return rng.randint(-1000, 100000)

    def contact(self, index: int) -> dict[str, Any]:
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        record: dict[str, Any] = {
            "id": rng.choice([index + 1, str(1000 + index), _RawNumber(rng.choice(NUMBERS))]),
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower() or 'x'}@{rng.choice(DOMAINS)}",
            "phones": [
                {"type": rng.choice(["work", "mobile", "home"]), "number": f"+1 555 {i:04d}"}
                for i in range(rng.randint(0, 3))
            ],
            "owner": {"id": rng.randint(1, 5), "name": rng.choice(FIRST)},
            "tags": rng.sample(TAGS, rng.randint(0, 4)),
            "active": rng.choice([True, False]),
            "score": _RawNumber(rng.choice(NUMBERS)),
        }
        if rng.random() < 0.3:
            record[rng.choice(KEYS)] = self.scalar()
        if rng.random() < 0.2:
            record["custom"] = {"nested": {"deep": [self.scalar(), {"x": self.scalar()}]}}
        if rng.random() < 0.15:
            del record["owner"]
        return record

    def crm_document(self) -> Any:
        rng = self.rng
        records = [self.contact(i) for i in range(rng.choice([0, 1, 1, 2, 3, 5, 8]))]
        shape = rng.randrange(6)
        if shape == 0:
            return {"data": records, "info": {"count": len(records), "more_records": False}}
        if shape == 1:
            return {"results": [{"id": str(r["id"]), "properties": r} for r in records],
                    "paging": {"next": {"after": "abc"}}}  # fmt: skip
        if shape == 2:
            return {"users": records, "count": len(records), "next_page": None}
        if shape == 3:
            return {"totalSize": len(records), "done": True, "records": records}
        if shape == 4:
            return records
        return {"result": {"contacts": records, "total": _RawNumber(rng.choice(NUMBERS))}}

    def adversarial_document(self, depth: int = 0) -> Any:
        rng = self.rng
        if depth > 3 or rng.random() < 0.25:
            return self.scalar()
        if rng.random() < 0.5:
            return [self.adversarial_document(depth + 1) for _ in range(rng.randint(0, 4))]
        return _Object(
            [
                (rng.choice(KEYS), self.adversarial_document(depth + 1))
                for _ in range(rng.randint(0, 5))
            ]
        )

    def document_text(self) -> str:
        rng = self.rng
        pick = rng.random()
        if pick < 0.55:
            value = self.crm_document()
        elif pick < 0.85:
            value = self.adversarial_document()
        else:
            value = self.crm_document() if rng.random() < 0.5 else self.adversarial_document()
        text = _dump(value, rng)
        extra = rng.random()
        if extra < 0.05:
            # JSON Lines.
            lines = [text] + [_dump(self.contact(i), rng) for i in range(rng.randint(1, 3))]
            text = "\n".join(lines)
        elif extra < 0.08:
            text = "  \n" + text + "\n "
        elif extra < 0.2:
            text = self.damage(text)
        elif extra < 0.26:
            text = self.splice_escape(text)
        return text

    def damage(self, text: str) -> str:
        """Malformed documents: truncation, missing or stray characters."""
        rng = self.rng
        if not text:
            return text
        kind = rng.randrange(7)
        pos = rng.randrange(len(text))
        if kind == 0:
            return text[:pos]
        if kind == 1:
            return text[:pos] + text[pos + 1 :]
        if kind == 2:
            return text[:pos] + rng.choice('"{}[]:,\\x ()') + text[pos:]
        if kind == 3:
            return text.replace(",", ",,", 1)
        if kind == 4:
            return text.replace('"', "", 1)
        if kind == 5:
            return text + rng.choice(["}", "]", " garbage", ",", '"'])
        return rng.choice(ODD_NUMBERS).join(text.split(":", 1)) if ":" in text else text

    def splice_escape(self, text: str) -> str:
        """Replace one string value with a raw escaped or odd-number token."""
        rng = self.rng
        marker = text.find(': "')
        if marker < 0:
            marker = text.find(':"')
        if marker < 0:
            return text
        start = text.find('"', marker)
        end = text.find('"', start + 1)
        token = rng.choice(ESCAPED_RAW + ODD_NUMBERS)
        return text[:start] + token + text[end + 1 :]

    # -- paths ------------------------------------------------------------------------

    def walk(self, value: Any, depth: int = 0) -> list[str]:
        """Path components leading into ``value`` (escaped for gjson)."""
        rng = self.rng
        if depth > 5 or rng.random() < 0.15:
            return []
        if isinstance(value, _Object):
            if not value.items:
                return []
            key, child = rng.choice(value.items)
            return [_escape(key), *self.walk(child, depth + 1)]
        if isinstance(value, dict):
            if not value:
                return []
            key = rng.choice(list(value))
            return [_escape(key), *self.walk(value[key], depth + 1)]
        if isinstance(value, list):
            if not value:
                return [rng.choice(["0", "#"])]
            pick = rng.random()
            if pick < 0.4:
                index = rng.randrange(len(value) + 1)
                child = value[index] if index < len(value) else None
                return [str(index), *self.walk(child, depth + 1)]
            if pick < 0.55:
                return ["#"]
            if pick < 0.8:
                return ["#", *self.walk(rng.choice(value), depth + 1)]
            return [self.query(value), *self.walk(rng.choice(value), depth + 1)]
        return []

    def query(self, items: list[Any]) -> str:
        """A ``#(...)`` query over ``items``, built from what an element holds."""
        rng = self.rng
        element = rng.choice(items)
        inner = ""
        target: Any = element
        if isinstance(element, dict | _Object):
            pairs = element.items if isinstance(element, _Object) else list(element.items())
            if pairs:
                key, target = rng.choice(pairs)
                inner = _escape(key)
                if isinstance(target, dict) and target and rng.random() < 0.5:
                    sub = rng.choice(list(target))
                    inner += "." + _escape(sub)
                    target = target[sub]
                elif isinstance(target, list) and rng.random() < 0.5:
                    op = rng.choice(["==", "%", "!=", ""])
                    literal = _literal_for(rng.choice(target) if target else "x", rng)
                    nested = f"{inner}.#({op}{literal})" if op else f"{inner}.#"
                    return f"#({nested}){rng.choice(['', '#'])}"
        op = rng.choice(["==", "=", "!=", "<", "<=", ">", ">=", "%", "!%", "", "==~", "!=~"])
        if op in ("==~", "!=~"):
            literal = rng.choice(["true", "false", "null", "*"])
        elif op in ("%", "!%"):
            base = str(target) if not isinstance(target, dict | list) else "x"
            literal = json.dumps(_globify(base, rng), ensure_ascii=False)
        else:
            literal = _literal_for(target, rng)
        space = rng.choice(["", "", " "])
        body = f"{inner}{space}{op}{space}{literal}" if op else inner
        query = f"#[{body}]" if rng.random() < 0.1 else f"#({body})"
        return query + rng.choice(["", "", "#"])

    def path_for(self, text: str) -> str:
        rng = self.rng
        try:
            value = json.loads(text, object_pairs_hook=_Object)
        except ValueError:
            value = None
        parts = self.walk(value) if value is not None else []
        if not parts:
            parts = [rng.choice([*KEYS, "data", "0", "#", "users"])]
        path = self.join(parts)
        return self.decorate(path, parts)

    def join(self, parts: list[str]) -> str:
        rng = self.rng
        out = parts[0]
        for part in parts[1:]:
            out += rng.choice([".", ".", ".", "|"]) + part
        return out

    def decorate(self, path: str, parts: list[str]) -> str:
        """Vary a working path over the rest of the syntax."""
        rng = self.rng
        pick = rng.random()
        if pick < 0.35:
            return path
        if pick < 0.45:
            modifier = rng.choice(MODIFIER_FORMS)
            where = rng.random()
            if where < 0.4:
                return f"{path}.{modifier}"
            if where < 0.6:
                return f"{path}|{modifier}"
            if where < 0.8:
                return f"{modifier}|{path}"
            return f"{modifier}.{path}"
        if pick < 0.53:
            other = self.join([rng.choice([*KEYS, "data", "0", "#"])])
            names = [f"{path}", f"{other}", f'"n{rng.randint(0, 9)}":{path}', "!true", '!{"a":1}']
            rng.shuffle(names)
            members = ",".join(names[: rng.randint(1, 4)])
            wrapped = f"[{members}]" if rng.random() < 0.5 else f"{{{members}}}"
            return wrapped + rng.choice(["", "", ".0", "|#", ".@reverse", "|@keys"])
        if pick < 0.58:
            literal = rng.choice(LITERALS)
            return literal if rng.random() < 0.6 else f"{literal}|{path}"
        if pick < 0.64:
            return ".." + path + rng.choice(["", ".#"])
        if pick < 0.7:
            return "..#" + rng.choice(["", ".id", ".first_name", "(active==true)#.id"])
        if pick < 0.78:
            return self.wildcard(path)
        if pick < 0.83:
            return path + rng.choice(["|0", "|#", ".#", "|@this", "|@valid", ".0", "|1"])
        return self.break_path(path)

    def wildcard(self, path: str) -> str:
        rng = self.rng
        letters = [i for i, ch in enumerate(path) if ch.isalpha()]
        if not letters:
            return path + "*"
        pos = rng.choice(letters)
        return path[:pos] + rng.choice(["*", "?", "*?", "\\*"]) + path[pos + 1 :]

    def break_path(self, path: str) -> str:
        """Damaged paths: unterminated queries, stray escapes, empty components..."""
        rng = self.rng
        if not path:
            return rng.choice(BROKEN)
        pos = rng.randrange(len(path) + 1)
        kind = rng.randrange(5)
        if kind == 0:
            return path[:pos]
        if kind == 1:
            return path[:pos] + rng.choice('\\.|#()[]{}"!@*?,:=<>%~ ') + path[pos:]
        if kind == 2:
            return path + rng.choice(["\\", ".", "..", "|", "#(", "#(a==", "@", "@unknown"])
        if kind == 3:
            return rng.choice(BROKEN)
        return path.replace(".", "..", 1)

    def case(self) -> dict[str, Any]:
        text = self.document_text()
        return {"kind": "gjson", "json": text, "path": self.path_for(text)}

    def cases(self, count: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < count:
            text = self.document_text()
            for _ in range(self.rng.randint(1, 6)):
                if len(out) >= count:
                    break
                if self.rng.random() < 0.03:
                    out.append({"kind": "gjson_valid", "json": text})
                else:
                    out.append({"kind": "gjson", "json": text, "path": self.path_for(text)})
        for number, case in enumerate(out):
            case["id"] = f"diff-{number}"
        return out


MODIFIER_FORMS = [
    "@reverse",
    "@ugly",
    "@pretty",
    '@pretty:{"indent":"\\t","sortKeys":true}',
    '@pretty:{"width":10,"prefix":"> "}',
    '@pretty:{"sortKeys":true,"width":-1}',
    "@this",
    "@valid",
    "@flatten",
    '@flatten:{"deep":true}',
    "@join",
    '@join:{"preserve":true}',
    "@keys",
    "@values",
    "@tostr",
    "@fromstr",
    "@group",
    "@unknown",
    "@reverse:x",
]
LITERALS = [
    "!true",
    "!false",
    "!null",
    '!"text"',
    '!{"a":[1,2]}',
    "!-1.50",
    "!NaN",
    "!inf",
    "!True",
    "!nope",
]
BROKEN = [
    "#(",
    "#(a==1",
    'a.#(b=="x)',
    "a\\",
    "a..b",
    ".a",
    "a.",
    "#(a==)",
    "#(==)",
    "[a,b",
    "{a:b",
    "@",
    "!",
    "a|",
    "|a",
    "#[a=1",
    "#(a>)#",
    "a.#(b%)",
    "",
    "..",
    "...",
    "#.#",
    "#.#.#",
    "@reverse:",
    "@pretty:{",
    "!{",
    '!"',
    "[]",
    "{}",
    "#()",
    "#()#",
    "a.#(b.#(c==1))",
]


class _RawNumber:
    """A number written exactly as given (1.50, 1e400, ...)."""

    def __init__(self, text: str) -> None:
        self.text = text


class _Object:
    """An object that may hold duplicate keys, in order."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        self.items = items


def _dump(value: Any, rng: random.Random) -> str:
    """Serialise with random (but valid) spacing and optional non-ASCII escaping."""
    ascii_only = rng.random() < 0.2
    sep_item = rng.choice([",", ", ", " ,\n  "])
    sep_key = rng.choice([":", ": ", " : "])

    def dump(item: Any) -> str:
        if isinstance(item, _RawNumber):
            return item.text
        if isinstance(item, _Object):
            inner = sep_item.join(dump(k) + sep_key + dump(v) for k, v in item.items)
            return "{" + inner + "}"
        if isinstance(item, dict):
            inner = sep_item.join(dump(k) + sep_key + dump(v) for k, v in item.items())
            return "{" + inner + "}"
        if isinstance(item, list):
            return "[" + sep_item.join(dump(v) for v in item) + "]"
        return json.dumps(item, ensure_ascii=ascii_only)

    return dump(value)


def _escape(key: str) -> str:
    """A key as a gjson path component."""
    out = []
    for ch in key:
        if ch in '.|#@*?!\\()[]{}=<>%,:"~':
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _literal_for(value: Any, rng: random.Random) -> str:
    if isinstance(value, _RawNumber):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=rng.random() < 0.3)
    return rng.choice(['"x"', "1", "true"])


def _globify(text: str, rng: random.Random) -> str:
    if not text:
        return rng.choice(["*", "?", ""])
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        pos = rng.randrange(len(chars))
        chars[pos] = rng.choice(["*", "?"])
    if rng.random() < 0.5:
        chars = [*chars[: rng.randint(1, len(chars))], "*"]
    return "".join(chars)


def generate_cases(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` cases (kinds ``gjson`` and ``gjson_valid``) from ``seed``."""
    return CaseGenerator(seed).cases(count)
