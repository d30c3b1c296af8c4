"""Loading cost of a template: the spec's examples, loaded from bytes many times.

Run: ``python benchmarks/load_template.py [--runs N]``. Prints, per example, its size and
the best-of-5 mean time of ``load_template`` (decode, scan, source map, model), and the
one-time cost of reading the catalogue. Goal (issue 5): a ~15 KB template loads in well
under 2 ms, so that ``validate`` can reach 200 templates/s.
"""

from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from crmtpl.template import load_template  # noqa: E402
from crmtpl.template.catalogue import load_catalogue  # noqa: E402
from tests.support import SPEC_EXAMPLES_DIR  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    examples = sorted(SPEC_EXAMPLES_DIR.glob("*.xml"))
    for path in examples:
        data = path.read_bytes()
        best = min(timeit.repeat(lambda d=data: load_template(d), number=args.runs, repeat=5))
        print(f"{path.name:28} {len(data) / 1024:5.1f} KB  {best / args.runs * 1000:6.3f} ms/load")
    toml = (REPO_ROOT / "crmtpl" / "template" / "catalogue.toml").read_bytes()
    start = time.perf_counter()
    load_catalogue(toml)
    print(
        f"{'catalogue (once per process)':28} {len(toml) / 1024:5.1f} KB  "
        f"{(time.perf_counter() - start) * 1000:6.3f} ms"
    )


if __name__ == "__main__":
    main()
