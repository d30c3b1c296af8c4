"""The recorder and the player that plug into :class:`crmtpl.http.HttpClient`.

A :class:`Recorder` keeps the exchanges of a run in memory and writes them with
:meth:`Recorder.save`, once the run knows every secret it used (tokens obtained on the
way included): each file is redacted, then checked to hold no secret, then written. A
:class:`Player` answers requests from a folder of recordings and never opens a socket.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crmtpl.errors import CrmtplError, NetworkError
from crmtpl.http import HttpRequest, HttpResponse
from crmtpl.recording.cassette import (
    RecordedExchange,
    RecordedMessage,
    from_file_text,
    to_file_text,
)
from crmtpl.recording.matching import MatchKey, closest, describe_difference, match_key
from crmtpl.recording.redaction import Redactor

#: Returns the secrets known right now, by name (custom fields, tokens...).
SecretSource = Callable[[], Mapping[str, str]]


class ReplayMissError(NetworkError):
    """A replayed run sent a request that no recording answers."""


class SecretInRecordingError(CrmtplError):
    """Redaction left a known secret in a recording; nothing was written."""


def redact(exchange: RecordedExchange, redactor: Redactor) -> RecordedExchange:
    """The exchange with every secret replaced by its placeholder."""

    def message(part: RecordedMessage) -> RecordedMessage:
        headers = [(name, redactor.header(name, value)) for name, value in part.headers]
        body = None if part.body is None else redactor.body(part.body)
        return RecordedMessage(headers, body)

    return RecordedExchange(
        name=exchange.name,
        method=exchange.method.upper(),
        url=redactor.url(exchange.url),
        request=message(exchange.request),
        status=exchange.status,
        reason=exchange.reason,
        response=message(exchange.response),
        elapsed_ms=exchange.elapsed_ms,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-.")[:40]


def file_name(number: int, exchange: RecordedExchange) -> str:
    """``01-SearchContact-contacts.json``: order, then scenario and request name (or, for
    a request outside the template such as a token endpoint, the end of the URL path)."""
    label = _slug(exchange.name)
    if not label:
        segments = [s for s in urlsplit(exchange.url).path.split("/") if s]
        tail = segments[-1:] if not segments or not segments[-1].isdigit() else segments[-2:]
        label = _slug("-".join(tail)) or "request"
    return f"{number:02d}-{label}.json"


def _captured(request: HttpRequest, response: HttpResponse) -> RecordedExchange:
    body = None if request.body is None else request.body.decode("utf-8", errors="replace")
    return RecordedExchange(
        name=request.label,
        method=request.method,
        url=request.url,
        request=RecordedMessage(list(request.headers), body),
        status=response.status,
        reason=response.reason,
        response=RecordedMessage(list(response.headers), response.text),
        elapsed_ms=response.elapsed_ms,
    )


class Recorder:
    """Collects every exchange of a run; :meth:`save` writes them, redacted, to ``folder``."""

    def __init__(self, folder: Path, secrets: SecretSource) -> None:
        self.folder = folder
        self._secrets = secrets
        self._exchanges: list[RecordedExchange] = []
        self._lock = threading.Lock()

    def observe(self, request: HttpRequest, response: HttpResponse) -> None:
        """Keep one exchange (in memory only: nothing unredacted reaches the disk)."""
        with self._lock:
            self._exchanges.append(_captured(request, response))

    def save(self) -> list[Path]:
        """Redact, check for leaks, replace the folder's recordings; the files written."""
        secrets = dict(self._secrets())
        redactor = Redactor(secrets)
        files: list[tuple[Path, str]] = []
        for number, exchange in enumerate(self._exchanges, start=1):
            clean = redact(exchange, redactor)
            text = to_file_text(clean)
            if redactor.leaks(text):
                raise SecretInRecordingError(
                    f"{clean.method} {clean.url}: a secret survived redaction; nothing written",
                    hint="report this as a bug; the recording is not safe to commit",
                )
            files.append((self.folder / file_name(number, clean), text))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("*.json"):
                old.unlink()
            for path, text in files:
                path.write_text(text, encoding="utf-8")
        except OSError as problem:
            raise CrmtplError(
                f"cannot write the recording to {self.folder}: {problem.strerror or problem}",
                hint=f"check that {self.folder} can be written (its permissions, the disk)",
            ) from problem
        return [path for path, _ in files]


@dataclass
class _Entry:
    origin: str
    exchange: RecordedExchange
    key: MatchKey
    used: bool = False


def load_recordings(folder: Path) -> list[tuple[str, RecordedExchange]]:
    """Every recording of ``folder`` in file-name order; a usage error when there is none."""
    if not folder.is_dir():
        raise CrmtplError(
            f"{folder}: no such recording folder",
            hint="record one first with crmtpl run lookup TEMPLATE ... --record DIR",
        )
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as problem:
            raise CrmtplError(f"{path}: cannot read it ({problem})") from problem
        found.append((str(path), from_file_text(text, str(path))))
    if not found:
        raise CrmtplError(
            f"{folder}: the folder holds no recording",
            hint="record one first with crmtpl run lookup TEMPLATE ... --record DIR",
        )
    return found


class Player:
    """Answers requests from recordings; a request nothing matches is a ReplayMissError."""

    def __init__(self, folder: Path, secrets: SecretSource) -> None:
        self.folder = folder
        self._secrets = secrets
        self._entries = [
            _Entry(
                origin, exchange, match_key(exchange.method, exchange.url, exchange.request.body)
            )
            for origin, exchange in load_recordings(folder)
        ]
        self._lock = threading.Lock()

    def respond(self, request: HttpRequest) -> HttpResponse:
        """The recorded answer to ``request`` (the first unused match, else a used one)."""
        redactor = Redactor(self._secrets())
        body = None if request.body is None else request.body.decode("utf-8", errors="replace")
        wanted = match_key(
            request.method,
            redactor.url(request.url),
            None if body is None else redactor.body(body),
        )
        with self._lock:
            matches = [entry for entry in self._entries if entry.key == wanted]
            if not matches:
                raise self._miss(wanted)
            entry = next((e for e in matches if not e.used), matches[-1])
            entry.used = True
        recorded = entry.exchange
        return HttpResponse(
            status=recorded.status,
            reason=recorded.reason,
            headers=list(recorded.response.headers),
            content=(recorded.response.body or "").encode("utf-8"),
            url=request.url,
            elapsed_ms=recorded.elapsed_ms,
        )

    def unused(self) -> list[str]:
        """The recordings no request asked for (so far)."""
        return [entry.origin for entry in self._entries if not entry.used]

    def _miss(self, wanted: MatchKey) -> ReplayMissError:
        origin, key = closest(wanted, [(e.origin, e.key) for e in self._entries])
        diff = describe_difference(wanted, key, origin)
        return ReplayMissError(
            f"{wanted.method} {wanted.url}: no recording in {self.folder} matches this "
            f"request; the closest is {origin}:\n{diff}",
            hint="if the template changed on purpose, record again with "
            "crmtpl run lookup TEMPLATE ... --record DIR (or the scenario you test; matching: "
            "method, URL and body, docs/testing.md)",
        )
