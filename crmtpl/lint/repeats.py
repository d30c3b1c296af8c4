"""Finding the second occurrence of a name: duplicates are a family of rules of their own."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")


def repeats(items: Iterable[tuple[Hashable, Item]]) -> Iterator[tuple[Item, Item]]:
    """``(repeat, first)`` for every item whose key an earlier item already had.

    Items with a falsy key (no name) are skipped: a missing name is another rule.
    """
    first: dict[Hashable, Item] = {}
    for key, item in items:
        if not key:
            continue
        earlier = first.setdefault(key, item)
        if earlier is not item:
            yield item, earlier
