"""What a user waits for: ``validate`` of one file and ``run lookup`` against the sandbox.

Run: ``python benchmarks/latency.py [--runs N]``. Starts a sandbox of its own on a free port
(its own data folder, stopped at the end; CRMTPL_VAR_sandbox_url points the example at it),
then times, alternately and N times each, in the same environment:

- the baseline ``python -c "import typer"``;
- ``crmtpl validate examples/sandbox.xml`` (one file, as pre-commit and editors on save);
- ``crmtpl run lookup examples/sandbox.xml --phone 5503302`` (4 requests to the sandbox).

It prints each median and its ratio to the baseline. Goals (issue 19): validate <= 3.0x,
run lookup <= 4.5x. Ratios, not seconds: they hold on a faster or a busier machine.

Every interpreter gets the same private bytecode cache (``PYTHONPYCACHEPREFIX`` in the
temporary folder, filled by the warm-up run), so crmtpl and typer are both timed as an
installed package runs (pip writes bytecode at install), whatever the caller's
``PYTHONDONTWRITEBYTECODE`` and whatever ``__pycache__`` folders a checkout happens to
hold. ``--no-bytecode`` times them compiling from source instead (typer's own bytecode
from the install is still used then).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOALS = {"validate": 3.0, "run lookup": 4.5}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(home: Path, bytecode: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        {
            "NO_COLOR": "1",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
    )
    return env


def _time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout.decode()}"
            f"{done.stderr.decode()}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile crmtpl from source on every run"
    )
    args = parser.parse_args()
    crmtpl = [sys.executable, "-m", "crmtpl"]
    with tempfile.TemporaryDirectory(prefix="crmtpl-latency-") as tmp:
        home = Path(tmp)
        env = _env(home, bytecode=not args.no_bytecode)
        port = _free_port()
        env["CRMTPL_VAR_sandbox_url"] = f"http://127.0.0.1:{port}"  # the examples' base URL
        template = REPO / "examples" / "sandbox.xml"
        data = home / "sandbox"
        start = [*crmtpl, "sandbox", "--background", "--port", str(port), "--data", str(data)]
        _time_once(start, env)
        commands = {
            "import typer": [sys.executable, "-c", "import typer"],
            "validate": [*crmtpl, "validate", str(template)],
            "run lookup": [*crmtpl, "run", "lookup", str(template), "--phone", "5503302"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        try:
            for argv in commands.values():  # warm the OS file cache and the sandbox
                _time_once(argv, env)
            for _ in range(args.runs):
                for name, argv in commands.items():
                    times[name].append(_time_once(argv, env))
        finally:
            subprocess.run(
                [*crmtpl, "sandbox", "stop", "--data", str(data)],
                env=env,
                capture_output=True,
                check=False,
            )
    base = statistics.median(times["import typer"])
    print(f"{'command':<14} {'median ms':>10} {'ratio':>7}  goal")
    print(f"{'import typer':<14} {base * 1000:10.1f} {1.0:7.2f}  (baseline)")
    for name, goal in GOALS.items():
        median = statistics.median(times[name])
        ratio = median / base
        verdict = "met" if ratio <= goal else "NOT met"
        print(f"{name:<14} {median * 1000:10.1f} {ratio:7.2f}  <= {goal:.1f}x: {verdict}")
    cache = "no bytecode for crmtpl" if args.no_bytecode else "a shared bytecode cache"
    print(f"({args.runs} alternating runs each, medians, {cache}; sandbox on 127.0.0.1:{port})")


if __name__ == "__main__":
    main()
