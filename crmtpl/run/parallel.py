"""Running lookups in parallel, as the PBX does (``MaxConcurrentRequest``), and stopping
them all at once on Ctrl-C.

``concurrent.futures.ThreadPoolExecutor`` is not used: its ``with`` block and the
interpreter's exit both wait for every running worker, so a Ctrl-C during a request to a
slow server would end only when that server answers, and queued items would still start.
Here the workers are daemon threads pulling items one by one; on Ctrl-C (or any exception
in the waiting thread) ``on_interrupt`` runs at once (the runner cancels its HTTP client,
so nothing more is sent), no further item starts, and the exception propagates without
waiting for the workers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def parallel_map(
    func: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    *,
    on_interrupt: Callable[[], None],
) -> list[Result]:
    """``[func(item) for item in items]`` with at most ``workers`` at a time, in order.

    The first failing item (in item order) re-raises its exception once the items
    already running have ended; items not started yet are skipped.
    """
    if workers <= 1 or len(items) <= 1:
        try:
            return [func(item) for item in items]
        except KeyboardInterrupt:
            on_interrupt()
            raise
    return _Batch(func, items, workers).run(on_interrupt)


class _Batch(Generic[Item, Result]):
    def __init__(self, func: Callable[[Item], Result], items: Sequence[Item], workers: int) -> None:
        self.func = func
        self.items = items
        self.workers = min(workers, len(items))
        self.results: dict[int, Result] = {}
        self.failures: dict[int, BaseException] = {}
        self._next = 0
        self._alive = self.workers
        self._stop = False
        self._lock = threading.Lock()
        self._done = threading.Event()

    def run(self, on_interrupt: Callable[[], None]) -> list[Result]:
        for number in range(self.workers):
            threading.Thread(target=self._work, name=f"crmtpl-lookup-{number}", daemon=True).start()
        try:
            self._done.wait()
        except BaseException:
            with self._lock:
                self._stop = True
            on_interrupt()
            raise
        if self.failures:
            raise self.failures[min(self.failures)]
        return [self.results[index] for index in range(len(self.items))]

    def _take(self) -> int | None:
        with self._lock:
            if self._stop or self._next >= len(self.items):
                return None
            index = self._next
            self._next += 1
            return index

    def _work(self) -> None:
        try:
            while (index := self._take()) is not None:
                try:
                    self.results[index] = self.func(self.items[index])
                except BaseException as failure:  # handed to the waiting thread
                    with self._lock:
                        self.failures[index] = failure
                        self._stop = True
        finally:
            with self._lock:
                self._alive -= 1
                if self._alive == 0:
                    self._done.set()
