"""`crmtpl lsp`: edit-to-diagnostics time in a warm server, beside one in-process lint.

Starts the real server over stdio (``python -m crmtpl lsp``, debounce 0), opens the largest
example, then sends N edits (each changes one attribute value, so every lint sees new text)
and times each from sending ``didChange`` to receiving the ``publishDiagnostics`` of that
version. The baseline is ``lint_text`` on the same texts in this process; the ratio is what
the protocol, the position conversion and the server add. Goal (issue 18): within 50 ms.

    python benchmarks/lsp.py [--edits 40] [--template crmtpl/gallery/zoho.xml]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crmtpl.lint.fixes import lint_text  # noqa: E402

GOAL_MS = 50.0


def largest_example() -> Path:
    """The biggest template of examples/."""
    return max((REPO / "examples").glob("*.xml"), key=lambda p: p.stat().st_size)


def edited(text: str, number: int) -> str:
    """The text with its Information Version changed (new text, same findings)."""
    return text.replace('Version="', f'Version="9.{number}.', 1)


async def server_times(path: Path, edits: int) -> list[float]:
    """Milliseconds from each didChange to the diagnostics of that version."""
    client = LanguageClient("crmtpl-benchmark", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Event] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            waiting.setdefault(params.version, asyncio.Event()).set()

    await client.start_io(sys.executable, "-m", "crmtpl", "lsp")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0}
        )
    )
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    waiting[1] = asyncio.Event()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=text)
        )
    )
    await asyncio.wait_for(waiting[1].wait(), 30)
    times = []
    for number in range(edits):
        version = number + 2
        waiting[version] = asyncio.Event()
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(text=edited(text, number))
                ],
            )
        )
        await asyncio.wait_for(waiting[version].wait(), 30)
        times.append((arrived[version] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def lint_times(path: Path, edits: int) -> list[float]:
    """Milliseconds of one in-process lint of each edited text."""
    text = path.read_text(encoding="utf-8")
    lint_text(text)  # warm: imports and caches, as in the server
    times = []
    for number in range(edits):
        candidate = edited(text, number)
        start = time.perf_counter()
        lint_text(candidate)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    """Run both measurements and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--template", type=Path, default=None)
    args = parser.parse_args()
    path = (args.template or largest_example()).resolve()
    server = statistics.median(asyncio.run(server_times(path, args.edits)))
    baseline = statistics.median(lint_times(path, args.edits))
    size = path.stat().st_size
    print(f"template            {path.relative_to(REPO)} ({size:,} bytes), {args.edits} edits")
    print(f"edit->diagnostics   {server:7.1f} ms median (warm server, goal <= {GOAL_MS:.0f} ms)")
    print(f"lint in-process     {baseline:7.1f} ms median")
    print(f"ratio               {server / baseline:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
