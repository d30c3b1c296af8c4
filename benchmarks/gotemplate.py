"""crmtpl.gotemplate rendering speed on the PBX's real workload, beside Go's.

The PBX renders a template for every request: this times ``Template.execute`` (parse once,
execute many) on the realistic CallJournal body and the ticket body of the conformance
corpus (``yeastar.realistic`` cases), and, when the Go oracle is built
(``bash tests/oracle/build.sh``, or ``CRMTPL_ORACLE`` names it), Go's ``text/template`` on
the same text and data in the same run (``{"kind": "bench_template"}``), with the ratio.
Parse time is printed too.

    python benchmarks/gotemplate.py [--n 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crmtpl.gotemplate import parse  # noqa: E402
from tests.conformance.template_kind import decode_data, load_case_line  # noqa: E402

BODIES = {
    "CallJournal body": "CallJournal JSON body",
    "ticket body": "ticket body",
}


def load_bodies() -> dict[str, dict[str, Any]]:
    """The realistic corpus cases the benchmark renders, by label."""
    corpus = REPO / "tests" / "data" / "conformance" / "template.jsonl"
    cases = [load_case_line(line) for line in corpus.read_text("utf-8").split("\n") if line]
    found: dict[str, dict[str, Any]] = {}
    for label, note in BODIES.items():
        for case in cases:
            if case.get("feature") == "yeastar.realistic" and case.get("note") == note:
                found[label] = case
                break
        else:
            raise SystemExit(f"no yeastar.realistic case with note {note!r} in {corpus}")
    return found


def time_python(case: dict[str, Any], n: int) -> tuple[float, float]:
    """(renders per second, microseconds per parse)."""
    data = decode_data(case)
    start = time.perf_counter()
    for _ in range(200):
        template = parse(case["template"])
    parse_us = (time.perf_counter() - start) / 200 * 1e6
    template.execute(data)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            template.execute(data)
        best = min(best, time.perf_counter() - start)
    return n / best, parse_us


def time_go(case: dict[str, Any], n: int) -> float | None:
    """Go renders per second, or None when the oracle is not built."""
    oracle = os.environ.get("CRMTPL_ORACLE") or str(REPO / "tests" / "oracle" / "oracle")
    if not Path(oracle).exists():
        return None
    request = {"kind": "bench_template", "template": case["template"], "n": n * 5}
    request["data"] = json.loads(json.dumps(case["data"]))
    done = subprocess.run(
        [oracle],
        input=json.dumps(request) + "\n",
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    )
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise SystemExit(f"oracle: {answer['error']}")
    return 1e9 / float(answer["ns_per_op"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="renders per timing round")
    args = parser.parse_args()
    header = ("template", "crmtpl renders/s", "parse µs", "Go renders/s", "Go/crmtpl")
    print(f"{header[0]:<18} {header[1]:>17} {header[2]:>9} {header[3]:>13} {header[4]:>10}")
    for label, case in load_bodies().items():
        rate, parse_us = time_python(case, args.n)
        go_rate = time_go(case, args.n)
        go_text = f"{go_rate:13,.0f}" if go_rate else f"{'(no oracle)':>13}"
        ratio = f"{go_rate / rate:9.1f}x" if go_rate else f"{'-':>10}"
        print(f"{label:<18} {rate:17,.0f} {parse_us:9.0f} {go_text} {ratio}")


if __name__ == "__main__":
    main()
