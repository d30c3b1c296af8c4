"""`crmtpl validate` throughput: templates per second on a set of 500 templates.

The set is generated into a temporary folder: copies of the spec's examples, the
repository's examples and the valid fixtures, each with variations (host names, keys,
custom-field names, an extra contact type, a broken value now and then) so that no two
files are alike and the per-text caches cannot short-circuit the work. It is validated
the way the CLI does (``expand_inputs`` + ``lint_inputs``): once in this process
(``--jobs 1``) and once with the default worker pool. Goals: at least 200 templates/s
(issue 5), 400 templates/s with both cores of a 2-core machine (issue 19).

    python benchmarks/validate.py [--count 500] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crmtpl.gotemplate.analysis import _analyze  # noqa: E402
from crmtpl.lint import LintReport, expand_inputs, lint_inputs  # noqa: E402
from crmtpl.lint.rendering import _parsed  # noqa: E402
from crmtpl.lint.runner import default_jobs  # noqa: E402


def sources() -> list[str]:
    """The template texts the set is made from."""
    folders = [
        REPO / "tests" / "data" / "spec-examples",
        REPO / "examples",
        REPO / "crmtpl" / "gallery",
        REPO / "tests" / "fixtures" / "templates" / "valid",
    ]
    texts = []
    for folder in folders:
        texts.extend(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.xml")))
    if not texts:
        raise SystemExit("no templates found to build the benchmark set from")
    return texts


def vary(text: str, index: int, rng: random.Random) -> str:
    """One variation of a template: every host, the Key, and sometimes a mistake."""
    text = re.sub(r"\.example(\.com|\.net|\.org)?", f".example{index}\\1", text)
    text = re.sub(r'Key="([a-z0-9_]+)"', f'Key="\\1_{index}"', text, count=1)
    text = text.replace('Name="api_key"', f'Name="api_key_{index}"').replace(
        "{{.api_key}}", f"{{{{.api_key_{index}}}}}"
    )
    if rng.random() < 0.2:
        text = text.replace("{{UrlEncode .Phone}}", "{{.Phone}}", 1)  # a warning
    if rng.random() < 0.1:
        text = text.replace('Method="GET"', 'Method="get"', 1)  # an error
    return text


def build_set(folder: Path, count: int) -> None:
    rng = random.Random(5)  # fixed seed: the same set every run
    texts = sources()
    for index in range(count):
        base = texts[index % len(texts)]
        (folder / f"template-{index:04d}.xml").write_text(vary(base, index, rng), "utf-8")


def clear_caches() -> None:
    """Forget parsed templates, so that each run starts cold."""
    _analyze.cache_clear()
    _parsed.cache_clear()


def timed(folder: Path, jobs: int) -> tuple[float, LintReport]:
    clear_caches()
    inputs = expand_inputs([str(folder)])
    start = time.perf_counter()
    report = lint_inputs(inputs, jobs=jobs)
    return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="profile the in-process run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        build_set(folder, args.count)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            timed(folder, 1)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            return
        workers = default_jobs()
        parallel, _ = timed(folder, 0)
        serial, report = timed(folder, 1)
    print(
        f"{args.count} templates: {report.errors} errors, {report.warnings} warnings, "
        f"{report.infos} infos"
    )
    print(f"in-process (--jobs 1): {args.count / serial:8.1f} templates/s ({serial:.2f} s)")
    print(
        f"pool ({workers} workers):    {args.count / parallel:8.1f} templates/s "
        f"({parallel:.2f} s, pool start included)"
    )
    best = max(args.count / serial, args.count / parallel)
    print(f"goal >= 200 templates/s: {'met' if best >= 200 else 'NOT met'}")
    pooled = args.count / parallel
    verdict = "met" if pooled >= 400 else "NOT met"
    print(f"goal >= 400 templates/s with {workers} workers: {verdict}")


if __name__ == "__main__":
    main()
