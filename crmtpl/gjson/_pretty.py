"""tidwall/pretty as gjson's ``@pretty`` and ``@ugly`` use it.

``pretty`` lays out JSON one member per line, keeps arrays on one line while they fit in
``width`` bytes, and can sort keys; ``ugly`` drops every byte up to the space outside strings.
Both work on the UTF-8 bytes, as Go does, since widths are counted in bytes and a malformed
document is copied through token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmtpl.gjson._scan import from_go_bytes, to_go_bytes


@dataclass
class PrettyOptions:
    """pretty.Options; the defaults are pretty.DefaultOptions."""

    width: int = 80
    prefix: str = ""
    indent: str = "  "
    sort_keys: bool = False


_UGLY = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z))|[\x00-\x20]+', re.S)


def ugly(text: str) -> str:
    """pretty.Ugly: remove insignificant whitespace (bytes up to the space) outside strings."""
    return _UGLY.sub(lambda found: found.group(1) or "", text)


def pretty(text: str, options: PrettyOptions | None = None) -> str:
    """pretty.PrettyOptions with the given (or default) options."""
    opts = options or PrettyOptions()
    writer = _Pretty(to_go_bytes(text), opts)
    buf = writer.buf
    if opts.prefix:
        buf += writer.prefix
    writer.any(0, True, 0, -1)
    if buf:
        buf += b"\n"
    return from_go_bytes(bytes(buf))


class _Pretty:
    """The recursive layout of tidwall/pretty over a byte buffer."""

    def __init__(self, data: bytes, opts: PrettyOptions) -> None:
        self.data = data
        self.buf = bytearray()
        self.width = opts.width
        self.prefix = to_go_bytes(opts.prefix)
        self.indent = to_go_bytes(opts.indent)
        self.sort_keys = opts.sort_keys
        self.nl = 0

    def any(self, i: int, pretty: bool, tabs: int, limit: int) -> tuple[int, bool]:
        data = self.data
        n = len(data)
        while i < n:
            c = data[i]
            if c <= 0x20:
                i += 1
                continue
            if c == 0x22:
                return self.string(i), True
            if 0x30 <= c <= 0x39 or c == 0x2D:
                return self.number(i), True
            if c == 0x7B:
                return self.group(i, 0x7B, 0x7D, pretty, self.indent, tabs, limit)
            if c == 0x5B:
                return self.group(i, 0x5B, 0x5D, pretty, self.indent, tabs, limit)
            if c == 0x74:
                self.buf += b"true"
                return i + 4, True
            if c == 0x66:
                self.buf += b"false"
                return i + 5, True
            if c == 0x6E:
                self.buf += b"null"
                return i + 4, True
            i += 1
        return i, True

    def string(self, i: int) -> int:
        data = self.data
        start = i
        i += 1
        n = len(data)
        while i < n:
            if data[i] == 0x22:
                run = 0
                j = i - 1
                while j > start and data[j] == 0x5C:
                    run += 1
                    j -= 1
                if run % 2 == 0:
                    i += 1
                    break
            i += 1
        self.buf += data[start:i]
        return i

    def number(self, i: int) -> int:
        data = self.data
        start = i
        i += 1
        n = len(data)
        while i < n and not (data[i] <= 0x20 or data[i] in b",:]}"):
            i += 1
        self.buf += data[start:i]
        return i

    def tabs(self, count: int, indent: bytes) -> None:
        if self.prefix:
            self.buf += self.prefix
        self.buf += indent * count

    def group(
        self, i: int, opener: int, closer: int, pretty: bool, indent: bytes, tabs: int, limit: int
    ) -> tuple[int, bool]:
        buf = self.buf
        data = self.data
        width = self.width
        if width > 0:
            if pretty and opener == 0x5B and limit == -1:
                # Try the whole array on one line first.
                room = width - (len(buf) - self.nl)
                if room > 3:
                    start_len, start_i, start_nl = len(buf), i, self.nl
                    self.nl = 0
                    end, ok = self.group(i, 0x5B, 0x5D, False, b"", 0, room)
                    if ok and len(buf) - start_len <= room:
                        self.nl = start_nl
                        return end, True
                    del buf[start_len:]
                    self.nl = start_nl
                    i = start_i
            elif limit != -1 and opener == 0x7B:
                return i, False
        buf.append(opener)
        i += 1
        sort = opener == 0x7B and self.sort_keys
        pairs: list[list[int]] = []
        count = 0
        n = len(data)
        while i < n:
            c = data[i]
            if c <= 0x20:
                i += 1
                continue
            if c == closer:
                if pretty:
                    if sort:
                        self.sort_pairs(pairs)
                    if count > 0:
                        self.nl = len(buf)
                        if buf[-1] == 0x20:
                            buf[-1] = 0x0A
                        else:
                            buf.append(0x0A)
                    if buf[-1] != opener:
                        self.tabs(tabs, indent)
                buf.append(closer)
                return i + 1, opener != 0x7B
            if opener == 0x5B or c == 0x22:
                if count > 0:
                    buf.append(0x2C)
                    if width != -1 and opener == 0x5B:
                        buf.append(0x20)
                pair = [0, 0, 0, 0]
                if pretty:
                    self.nl = len(buf)
                    if buf[-1] == 0x20:
                        buf[-1] = 0x0A
                    else:
                        buf.append(0x0A)
                    if sort:
                        pair[0] = i
                        pair[2] = len(buf)
                    self.tabs(tabs + 1, indent)
                if opener == 0x7B:
                    i = self.string(i)
                    if sort:
                        pair[1] = i
                    buf.append(0x3A)
                    if pretty:
                        buf.append(0x20)
                i, ok = self.any(i, pretty, tabs + 1, limit)
                if limit != -1 and not ok:
                    return i, False
                if pretty and sort:
                    pair[3] = len(buf)
                    if pair[0] > pair[1] or pair[2] > pair[3]:
                        sort = False
                    else:
                        pairs.append(pair)
                i -= 1
                count += 1
            i += 1
        return i, opener != 0x7B

    def sort_pairs(self, pairs: list[list[int]]) -> None:
        if not pairs:
            return
        data = self.data
        buf = self.buf
        start = pairs[0][2]

        def sort_key(pair: list[int]) -> tuple[bytes, int]:
            return data[pair[0] + 1 : pair[1] - 1], pair[2]

        ordered = sorted(pairs, key=sort_key)
        if ordered == pairs:
            return
        pieces = [bytes(buf[p[2] : p[3]]) for p in ordered]
        del buf[start:]
        buf += b",\n".join(pieces)
