"""What a live ``crmtpl run`` shows while it runs, on stderr: the ``-v``/``-vv`` trace of
each exchange and output, a spinner with the request count on a terminal, and a notice
before each retry."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmtpl.http import HttpRequest
    from crmtpl.run.records import OutputValue
    from crmtpl.run.result import Exchange
    from crmtpl.secrets import Masker


#: Requests run in parallel; each trace block is printed whole.
_TRACE_LOCK = threading.Lock()


def _trace_on() -> bool:
    from crmtpl.cli.options import OPTIONS

    return OPTIONS.verbosity >= 1 and not OPTIONS.quiet


def exchange_observer(
    masker: Callable[[], Masker], progress: Progress
) -> Callable[[Exchange], None]:
    """With -v, print each exchange as it happens (-vv: headers and bodies)."""
    from crmtpl.cli.options import OPTIONS, console
    from crmtpl.run.trace import format_exchange

    def observe(exchange: Exchange) -> None:
        if _trace_on():
            text = format_exchange(exchange, masker(), OPTIONS.verbosity)
            with _TRACE_LOCK:
                console(stderr=True).file.write(text)
        progress.advance(exchange)

    return observe


def outputs_printer(masker: Callable[[], Masker]) -> Callable[[str, list[OutputValue]], None]:
    """With -v, print each output: its name, the rendered GJSON path and what it gave."""
    from crmtpl.cli.options import console
    from crmtpl.run.trace import format_outputs

    def show(request: str, outputs: list[OutputValue]) -> None:
        if _trace_on():
            text = format_outputs(request, outputs, masker())
            with _TRACE_LOCK:
                console(stderr=True).file.write(text)

    return show


class RetryNotice:
    """Says "retrying (1/2) in 1 s…" on stderr before each retry of the HTTP client."""

    def __call__(self, request: HttpRequest, attempt: int, limit: int, seconds: float) -> None:
        from crmtpl.cli.options import OPTIONS, console

        if not OPTIONS.quiet:
            console(stderr=True).file.write(f"retrying ({attempt}/{limit}) in {seconds:.0f} s…\n")


class Progress:
    """A spinner with the count of requests sent, on a terminal only and never with -v."""

    def __init__(self, scenario_id: str) -> None:
        from crmtpl.cli.options import OPTIONS, console, is_terminal

        self.enabled = is_terminal(stderr=True) and not OPTIONS.verbosity and not OPTIONS.quiet
        self.scenario_id = scenario_id
        self.sent = 0
        self._status: Any = None
        if self.enabled:
            self._status = console(stderr=True).status(f"{scenario_id}: sending requests…")

    def __enter__(self) -> Progress:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the spinner while something else is shown (a write's preview, a question)."""
        if self._status is not None:
            self._status.stop()
        try:
            yield
        finally:
            if self._status is not None:
                self._status.start()

    def advance(self, exchange: Exchange) -> None:
        """Count one more exchange."""
        self.sent += 1
        if self._status is not None:
            from rich.markup import escape

            from crmtpl.controlchars import make_visible

            last = make_visible(exchange.request.name, one_line=True)
            self._status.update(
                f"{self.scenario_id}: {self.sent} request{'s' if self.sent > 1 else ''} "
                f"sent, last {escape(last)} → {exchange.status or 'no answer'}"
            )
