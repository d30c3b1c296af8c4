"""parallel_map: order kept, concurrency bounded, the first failure wins, nothing new
starts after a failure or an interrupt."""

from __future__ import annotations

import threading
import time

import pytest

from crmtpl.run.parallel import parallel_map


def test_results_come_back_in_item_order_with_bounded_concurrency() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def work(item: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05 * (5 - item))
        with lock:
            running -= 1
        return item * 10

    interrupted: list[bool] = []
    assert parallel_map(
        work, [0, 1, 2, 3, 4], 2, on_interrupt=lambda: interrupted.append(True)
    ) == [
        0,
        10,
        20,
        30,
        40,
    ]
    assert most == 2
    assert interrupted == []


def test_the_first_failure_is_raised_and_later_items_do_not_start() -> None:
    started: list[int] = []

    def work(item: int) -> int:
        started.append(item)
        if item == 1:
            raise ValueError("item 1")
        time.sleep(0.05)
        return item

    with pytest.raises(ValueError, match="item 1"):
        parallel_map(work, list(range(10)), 2, on_interrupt=lambda: None)
    assert len(started) < 10


def test_an_interrupt_in_a_sequential_run_cancels() -> None:
    interrupted: list[bool] = []

    def work(item: int) -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel_map(work, [1], 1, on_interrupt=lambda: interrupted.append(True))
    assert interrupted == [True]
