"""gjson engines on a CRM workload: crmtpl.gjson against gjson-py, pygjson and Go.

The workload is what the PBX does with a contact search response: evaluate a template's
output paths (``data.#.id``, queries, ``#(...)#|N`` and so on) against the JSON text. Each
library is timed on the same responses of 1, 50 and 500 records, in the same run:

- crmtpl.gjson: ``get_many(text, *paths)``, then ``.str`` of each result;
- gjson-py (PyPI ``gjson``): it works on decoded objects, so ``json.loads`` once per
  response, then ``get(obj, path)`` for every path;
- pygjson (PyPI ``pygjson``, Rust bindings): ``get_many(text, paths)``, then ``to_str()``;
- Go (tidwall/gjson 1.14.4 through the oracle's ``bench_gjson``) when the oracle is built
  (``bash tests/oracle/build.sh``, or ``CRMTPL_ORACLE`` names it).

gjson-py and pygjson are not project dependencies; install them beside crmtpl in a separate
environment, e.g.::

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install -e . gjson pygjson
    /work/bench-venv/bin/python benchmarks/gjson.py

Every timed call gets a fresh copy of the response text (a new string object, as each HTTP
response is), so no library can reuse work from an earlier response. A library that cannot
be imported is skipped with a note. Goal (issue 4): faster than gjson-py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

# This file is called gjson.py: keep its folder off sys.path so that "import gjson" finds
# the gjson-py package, not this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

SIZES = (1, 50, 500)
FIRST = ["Dale", "Roger", "Jane", "Zoë", "Anna", "José", "Li", "Omar"]
LAST = ["Murphy", "Craig", "Smith", "Åström", "Nguyen", "Okafor"]


def contact_response(records: int, seed: int = 7) -> str:
    """A Zoho-style contact search response with ``records`` contacts."""
    rng = random.Random(seed)
    data = []
    for i in range(records):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        data.append(
            {
                "id": str(4150868000000231000 + i),
                "First_Name": first,
                "Last_Name": last,
                "Full_Name": f"{first} {last}",
                "Email": f"{first.lower()}.{i}@example.com",
                "Phone": f"+1 555 {i:04d}",
                "Mobile": None if i % 3 else f"+1 666 {i:04d}",
                "Account_Name": {"name": f"Account {i % 17}", "id": str(9000 + i % 17)},
                "Owner": {"name": rng.choice(FIRST), "id": str(100 + i % 5), "email": "o@x.io"},
                "Lead_Source": rng.choice(["Web", "Phone", "Partner"]),
                "Tag": [{"name": t} for t in rng.sample(["vip", "lead", "churn", "new"], 2)],
                "Annual_Revenue": round(rng.uniform(1000, 900000), 2),
                "Email_Opt_Out": rng.random() < 0.2,
                "Created_Time": "2023-01-01T00:59:59+01:00",
            }
        )
    return json.dumps({"data": data, "info": {"per_page": 200, "count": records,
                                              "page": 1, "more_records": False}})  # fmt: skip


def template_paths(records: int) -> list[str]:
    """Output paths of a typical template, some reaching the last record."""
    last = records - 1
    return [
        "data.0.id",
        "data.0.Full_Name",
        "data.0.Owner.name",
        "info.more_records",
        "data.#",
        "data.#.id",
        f'data.#(Phone=="+1 555 {last:04d}").id',
        'data.#(Email%"dale*")#.id',
        'data.#(Lead_Source=="Web")#|0.Full_Name',
        "data.#(Annual_Revenue>500000)#.Email",
        "data.#(Email_Opt_Out==false)#|#",
    ]


def _best_time(run: Callable[[], object], budget: float) -> float:
    """Seconds per call of ``run``: best of 3 rounds that each last about ``budget``."""
    run()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            run()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 3 or calls > 1_000_000:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(2):
        start = time.perf_counter()
        for _ in range(calls):
            run()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def _fresh(text: str) -> str:
    """A new string object with the same content (a response as it arrives)."""
    return (text + " ")[:-1]


def _import(name: str) -> ModuleType | None:
    try:
        return __import__(name)
    except ImportError as exc:
        print(f"note: {name} is not importable here ({exc}); skipped")
        return None


def workloads() -> dict[str, Callable[[str, list[str]], Callable[[], object]]]:
    """The libraries that can be imported, each as (text, paths) -> one response's work."""
    found: dict[str, Callable[[str, list[str]], Callable[[], object]]] = {}
    from crmtpl import gjson as ours

    def crmtpl_work(text: str, paths: list[str]) -> Callable[[], object]:
        return lambda: [result.str for result in ours.get_many(_fresh(text), *paths)]

    found["crmtpl"] = crmtpl_work
    gjson_py = _import("gjson")
    if gjson_py is not None:

        def gjson_py_work(text: str, paths: list[str]) -> Callable[[], object]:
            def run() -> object:
                obj = json.loads(_fresh(text))
                return [gjson_py.get(obj, path, quiet=True) for path in paths]

            return run

        found["gjson-py"] = gjson_py_work
    pygjson = _import("pygjson")
    if pygjson is not None:

        def pygjson_work(text: str, paths: list[str]) -> Callable[[], object]:
            return lambda: [result.to_str() for result in pygjson.get_many(_fresh(text), paths)]

        found["pygjson"] = pygjson_work
    return found


def go_time(text: str, paths: list[str], runs: int) -> float | None:
    """Seconds per response for tidwall/gjson through the oracle, or None without it."""
    oracle = os.environ.get("CRMTPL_ORACLE") or str(_HERE.parent / "tests" / "oracle" / "oracle")
    if not Path(oracle).exists():
        return None
    cases = [{"kind": "bench_gjson", "json": text, "path": p, "n": runs} for p in paths]
    done = subprocess.run(
        [oracle],
        input="".join(json.dumps(case) + "\n" for case in cases),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    )
    answers: list[dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    return sum(float(answer["ns_per_op"]) for answer in answers) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=0.6, help="seconds per measurement")
    args = parser.parse_args()
    libraries = workloads()
    print(f"python {sys.version.split()[0]}; times are per response (all paths), best of 3")
    for size in SIZES:
        text = contact_response(size)
        paths = template_paths(size)
        print(f"\n{size} record(s), {len(text):,} bytes, {len(paths)} paths")
        times: dict[str, float] = {}
        for name, make in libraries.items():
            times[name] = _best_time(make(text, paths), args.budget)
        go = go_time(text, paths, runs=max(200, 200_000 // size))
        if go is not None:
            times["go (tidwall/gjson)"] = go
        ours = times["crmtpl"]
        for name, seconds in times.items():
            ratio = "" if name == "crmtpl" else f"   {seconds / ours:6.2f} x crmtpl's time"
            print(f"  {name:20s} {seconds * 1e6:11.1f} µs{ratio}")
        if "gjson-py" in times:
            verdict = "met" if ours < times["gjson-py"] else "NOT met"
            print(f"  goal faster than gjson-py: {verdict}")


if __name__ == "__main__":
    main()
