"""Start-up cost of the CLI: ``crmtpl --version`` against ``python -c "import typer"``.

Run: ``python benchmarks/startup.py [--runs N]``. Both commands run in the same process
environment, alternately, N times; the medians and their ratio are printed.
Goal (issue 2): ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def _time_once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    crmtpl = [sys.executable, "-m", "crmtpl", "--version"]
    typer_only = [sys.executable, "-c", "import typer"]
    for argv in (crmtpl, typer_only):  # warm the OS file cache
        _time_once(argv)
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(args.runs):
        ours.append(_time_once(crmtpl))
        baseline.append(_time_once(typer_only))
    ours_ms = statistics.median(ours) * 1000
    base_ms = statistics.median(baseline) * 1000
    print(f"crmtpl --version      median {ours_ms:7.1f} ms over {args.runs} runs")
    print(f"python -c import typer median {base_ms:7.1f} ms over {args.runs} runs")
    ratio = ours_ms / base_ms
    print(f"ratio {ratio:.2f} (goal <= 1.30: {'met' if ratio <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
