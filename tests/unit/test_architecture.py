"""The package import graph: layers below features, no circle, httpx in one module.

Every import statement of every module counts, wherever it is written: at module level,
inside a function (lazy imports for start-up speed), under ``if TYPE_CHECKING:``. An import
hidden in a function still couples two packages, so it cannot be used to dodge a cycle.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import crmtpl

PACKAGE_ROOT = Path(crmtpl.__file__).parent


@dataclass(frozen=True)
class ImportSite:
    """One import statement that makes ``source`` depend on ``target``."""

    source: str
    target: str
    file: str
    line: int


def module_name(path: Path) -> str:
    """``crmtpl/run/runner.py`` -> ``crmtpl.run.runner``; a package's ``__init__`` -> the package."""
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def node_of(module: str) -> str:
    """The graph node of a module: ``crmtpl.<subpackage>`` or ``crmtpl.<top-level module>``."""
    return ".".join(module.split(".")[:2])


def is_module(dotted: str) -> bool:
    """True when ``dotted`` names a module or package of crmtpl."""
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    base = PACKAGE_ROOT / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The absolute module names an import statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    else:
        base = node.module or ""
    # ``from crmtpl import gotemplate`` imports the subpackage, not just the root.
    names = [f"{base}.{alias.name}" for alias in node.names]
    submodules = [name for name in names if name.startswith("crmtpl.") and is_module(name)]
    return submodules or [base]


def all_imports() -> list[ImportSite]:
    """Every import of a crmtpl module or of a third-party module, at any depth."""
    sites = []
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in imported_modules(node, module, path.name == "__init__.py"):
                relative = path.relative_to(PACKAGE_ROOT.parent).as_posix()
                sites.append(ImportSite(module, target, relative, node.lineno))
    return sites


def package_graph(sites: list[ImportSite]) -> dict[str, dict[str, ImportSite]]:
    """Node -> {node it imports: one import statement that proves it}."""
    graph: dict[str, dict[str, ImportSite]] = defaultdict(dict)
    for site in sites:
        if site.target != "crmtpl" and not site.target.startswith("crmtpl."):
            continue
        source, target = node_of(site.source), node_of(site.target)
        if source != target and target != "crmtpl":
            graph[source].setdefault(target, site)
    return graph


def find_cycle(graph: dict[str, dict[str, ImportSite]]) -> list[str] | None:
    """One cycle of the graph as a list of nodes (first == last), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for successor in sorted(graph.get(node, {})):
            if state.get(successor) == "open":
                return [*stack[stack.index(successor) :], successor]
            if successor not in state:
                found = visit(successor)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def describe(cycle: list[str], graph: dict[str, dict[str, ImportSite]]) -> str:
    """The cycle with the import statement behind each edge."""
    lines = [" -> ".join(cycle)]
    for source, target in itertools.pairwise(cycle):
        site = graph[source][target]
        lines.append(f"  {source} -> {target}: {site.file}:{site.line} imports {site.target}")
    return "\n".join(lines)


def test_the_walk_sees_imports_in_functions_and_under_type_checking() -> None:
    sites = all_imports()
    targets_by_file = defaultdict(set)
    for site in sites:
        targets_by_file[site.file].add(site.target)
    # cli/loading.py imports crmtpl.template lazily, inside a function body.
    assert "crmtpl.template" in targets_by_file["crmtpl/cli/loading.py"]
    # cli/validate.py imports crmtpl.lint under TYPE_CHECKING.
    assert "crmtpl.lint" in targets_by_file["crmtpl/cli/validate.py"]
    # ``from crmtpl import gjson`` counts as an import of the gjson package.
    assert "crmtpl.gjson" in targets_by_file["crmtpl/run/records.py"]


def test_the_cycle_finder_reports_a_cycle_with_its_imports() -> None:
    site_ab = ImportSite("crmtpl.a.x", "crmtpl.b.y", "crmtpl/a/x.py", 3)
    site_ba = ImportSite("crmtpl.b.y", "crmtpl.a.x", "crmtpl/b/y.py", 7)
    graph = package_graph([site_ab, site_ba])
    cycle = find_cycle(graph)
    assert cycle == ["crmtpl.a", "crmtpl.b", "crmtpl.a"]
    assert "crmtpl/b/y.py:7" in describe(cycle, graph)


def test_the_package_graph_has_no_cycle() -> None:
    graph = package_graph(all_imports())
    assert {"crmtpl.cli", "crmtpl.creds", "crmtpl.render", "crmtpl.run"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between packages:\n" + describe(cycle or [], graph)


def test_the_shared_pieces_sit_below_the_features() -> None:
    graph = package_graph(all_imports())
    features = {"crmtpl.cli", "crmtpl.creds", "crmtpl.render", "crmtpl.run", "crmtpl.lint"}
    for shared in ("crmtpl.http", "crmtpl.secrets", "crmtpl.variables"):
        above = features & set(graph.get(shared, {}))
        assert not above, f"{shared} imports the feature package(s) {sorted(above)}"
    # The auth strategies wire the token machinery of creds; render, run and cli use them.
    above = (features - {"crmtpl.creds"}) & set(graph.get("crmtpl.auth", {}))
    assert not above, f"crmtpl.auth imports {sorted(above)}"
    assert "crmtpl.auth" not in graph.get("crmtpl.creds", {})
    for engine in ("crmtpl.gotemplate", "crmtpl.gjson", "crmtpl.template"):
        imported = {node for node in graph.get(engine, {}) if node != "crmtpl.errors"}
        allowed = {"crmtpl.gotemplate", "crmtpl.gjson"}
        assert imported <= allowed, f"{engine} imports {sorted(imported - allowed)}"


def test_httpx_is_imported_by_crmtpl_http_only() -> None:
    importers = {
        site.file
        for site in all_imports()
        if site.target == "httpx" or site.target.startswith("httpx.")
    }
    assert importers == {"crmtpl/http.py"}
