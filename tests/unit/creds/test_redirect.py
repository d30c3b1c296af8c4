"""The OAuth2 loopback receiver against hostile local requests (issue 14, item 8).

A web page can make the browser request the loopback callback, and any local program can
open a connection to it: none of that may end, abort or hang the login.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from crmtpl.creds.oauth import code_from_redirect
from crmtpl.creds.redirect import LoopbackReceiver
from crmtpl.errors import AuthError

STATE = "the-real-state-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, target: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", target)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def receiver(port: int, timeout: float = 5.0) -> LoopbackReceiver:
    return LoopbackReceiver(
        f"http://127.0.0.1:{port}/callback", expected_state=STATE, timeout=timeout
    )


def test_a_stray_request_and_a_wrong_state_are_ignored_and_the_login_goes_on() -> None:
    port = free_port()
    with receiver(port) as listening:
        assert get(port, "/callback")[0] == 400  # an <img src=.../callback> of a web page
        status, page = get(port, "/callback?code=forged&state=guess")
        assert status == 400 and "ignored" in page
        assert get(port, f"/callback?code=c-1&state={STATE}")[0] == 200
        received = listening.wait()
    assert code_from_redirect(received, STATE) == "c-1"


def test_an_error_with_a_wrong_state_does_not_abort_the_login() -> None:
    port = free_port()
    with receiver(port) as listening:
        assert get(port, "/callback?error=access_denied&state=forged")[0] == 400
        assert get(port, f"/callback?code=c-2&state={STATE}")[0] == 200
        assert code_from_redirect(listening.wait(), STATE) == "c-2"


def test_an_error_with_the_right_state_ends_the_login_shown_safely() -> None:
    port = free_port()
    with receiver(port) as listening:
        status, page = get(
            port,
            f"/callback?error=access_denied&error_description=%1B%5D0%3Bpwned%07&state={STATE}",
        )
        received = listening.wait()
    assert status == 400 and "\x1b" not in page
    with pytest.raises(AuthError) as caught:
        code_from_redirect(received, STATE)
    assert "\x1b" not in str(caught.value) and "\\x1b]0;pwned\\x07" in str(caught.value)


def test_a_pasted_error_redirect_of_another_login_is_a_state_mismatch() -> None:
    with pytest.raises(AuthError, match="state mismatch"):
        code_from_redirect("http://127.0.0.1/callback?error=access_denied&state=other", STATE)


def test_an_idle_connection_neither_blocks_the_redirect_nor_the_end_of_the_wait() -> None:
    port = free_port()
    finished = threading.Event()
    outcome: list[object] = []

    def login(timeout: float, send_redirect: bool) -> None:
        silent: socket.socket | None = None
        try:
            with receiver(port, timeout=timeout) as listening:
                silent = socket.create_connection(("127.0.0.1", port))
                silent.sendall(b"GET /callback")  # half a request line, then nothing
                if send_redirect:
                    get(port, f"/callback?code=c-3&state={STATE}")
                try:
                    outcome.append(listening.wait())
                except AuthError as failure:
                    outcome.append(failure)
            # the receiver has closed while the idle connection is still open
        finally:
            finished.set()
            if silent is not None:
                silent.close()

    started = time.monotonic()
    threading.Thread(target=login, args=(5.0, True), daemon=True).start()
    assert finished.wait(10), "an idle connection blocked the login"
    assert outcome and outcome[0] == f"http://127.0.0.1:{port}/callback?code=c-3&state={STATE}"
    assert time.monotonic() - started < 3

    finished.clear()
    outcome.clear()
    started = time.monotonic()
    threading.Thread(target=login, args=(0.5, False), daemon=True).start()
    assert finished.wait(10), "an idle connection kept the login past its wait"
    assert isinstance(outcome[0], AuthError)
    assert time.monotonic() - started < 3
