"""No import circles in the package: data flows one way (spec -> schema -> strategies -> requests
-> target -> checks -> results -> reports), and a module that imports back from a later stage is
a circle that only works while nobody moves an import to the top of a file.

The graph is read from the source with `ast`, not from `sys.modules`: every `import` and
`from ... import` statement counts, function-level and relative ones included, so an import
hidden inside a function to dodge a circle is found too. `from pkg import name` counts as
importing `pkg` and, when `pkg.name` is a module, `pkg.name`.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
Graph = Mapping[str, Iterable[str]]


def _package_dirs() -> dict[str, Path]:
    """Package name -> folder, from pyproject.toml's [tool.setuptools.package-dir]."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        mapping = tomllib.load(file)["tool"]["setuptools"]["package-dir"]
    return {package: ROOT / folder for package, folder in mapping.items()}


def modules() -> dict[str, Path]:
    """Every module of the package (its four folders), by dotted name."""
    found: dict[str, Path] = {}
    for package, folder in _package_dirs().items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def _base(module: str, path: Path, level: int) -> str:
    """The package a relative import of `level` dots starts from."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return package


def imports_of(module: str, path: Path, known: Iterable[str]) -> set[str]:
    """The package's modules that `module` imports anywhere in its source."""
    known = set(known)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = _base(module, path, node.level)
                source = f"{base}.{source}" if source else base
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known and name != module}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, found) for name, path in found.items()}


def find_cycle(edges: Graph) -> list[str] | None:
    """One import circle as a path that ends where it starts, or None when there is none."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(edges, WHITE)
    for start in sorted(edges):
        if colour[start] != WHITE:
            continue
        path = [start]
        stack = [iter(sorted(edges.get(start, ())))]
        colour[start] = GREY
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = BLACK
                stack.pop()
                continue
            state = colour.get(nxt, WHITE)
            if state == GREY:
                return [*path[path.index(nxt) :], nxt]
            if state == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, ()))))
    return None


# --- the finder itself, on graphs small enough to see --------------------------------------------


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        pytest.param({"a": {"b"}, "b": {"c"}, "c": set()}, None, id="a line"),
        pytest.param({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}, None, id="a diamond"),
        pytest.param({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"], id="two"),
        pytest.param(
            {"a": {"b"}, "b": {"c"}, "c": {"d"}, "d": {"b"}}, ["b", "c", "d", "b"], id="behind a"
        ),
        pytest.param({"a": {"a"}}, ["a", "a"], id="itself"),
    ],
)
def test_the_cycle_finder_finds_what_is_there(edges, cycle):
    assert find_cycle(edges) == cycle


def test_relative_and_function_level_imports_count(tmp_path):
    """`from . import x` inside a function of a.b names a.x as much as a top-level import."""
    source = tmp_path / "b.py"
    source.write_text(
        "def late():\n    from . import x\n    from .y import name\n    import a.z\n",
        encoding="utf-8",
    )
    known = {"a", "a.b", "a.x", "a.y", "a.z"}
    assert imports_of("a.b", source, known) == {"a", "a.x", "a.y", "a.z"}


def test_the_walk_sees_the_whole_package():
    found = modules()
    assert "glue_conformance.plugin" in found
    assert "glue_conformance.checks.registry" in found
    assert "glue_conformance.reports.results" in found
    assert "glue_conformance.schemas" in found
    assert not any(name.startswith("glue_conformance.glue_conformance") for name in found)
    assert imports_of("glue_conformance.plugin", found["glue_conformance.plugin"], found), (
        "the plugin imports something of the package"
    )


# --- the package --------------------------------------------------------------------------------


def test_the_package_has_no_import_circle():
    cycle = find_cycle(graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_reports_import_nothing_of_the_suite():
    """reports/ is the last stage: it reads results (its own contract, reports/results.py) and
    knows nothing of the suite that wrote them; the suite may import the contract."""
    edges = graph()
    reports = "glue_conformance.reports"
    for name, imported in edges.items():
        if name == reports or name.startswith(f"{reports}."):
            outside = sorted(i for i in imported if not i.startswith(reports))
            assert not outside, f"{name} imports {outside}"


# --- the layers of conformance/ (docs/architecture.md, "Where each module sits") ---------------

LAYERS_DOC = ROOT / "docs" / "architecture.md"
UNDER_PYTEST = ("pytest's face", "the commands")  # the layers that may import pytest


def layers() -> dict[str, str]:
    """Module of conformance/ (e.g. "transport", "test_*") -> its layer, from the table."""
    text = LAYERS_DOC.read_text(encoding="utf-8").split("## Where each module sits", 1)[1]
    found: dict[str, str] = {}
    for line in text.split("\n## ", 1)[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            for name in re.findall(r"`([a-z_*]+)`", cells[1]):
                assert name not in found, f"{name} is in two layers"
                found[name] = cells[0]
    return found


def _layer_of(module: str, table: Mapping[str, str]) -> str | None:
    return table.get(module) or (table.get("test_*") if module.startswith("test_") else None)


def test_every_module_of_conformance_is_in_one_layer():
    table = layers()
    assert {"the wire", "the engine", "the commands", "pytest's face"} == set(table.values())
    top = sorted(
        path.stem for path in (ROOT / "conformance").glob("*.py") if not path.stem.startswith("__")
    )
    unplaced = [name for name in top if _layer_of(name, table) is None]
    assert not unplaced, f"modules of conformance/ in no row of {LAYERS_DOC.name}: {unplaced}"
    gone = sorted(
        n for n in table if n != "test_*" and not (ROOT / "conformance" / f"{n}.py").exists()
    )
    assert not gone, f"{LAYERS_DOC.name} names modules that are not there: {gone}"


def _imports_pytest(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        if any(name.split(".")[0] in ("pytest", "_pytest") for name in names):
            return True
    return False


def test_the_engine_and_the_wire_need_no_pytest():
    """What runs without pytest (the record command, a script, docs/architecture.md's example)
    must not import it, nor the modules that adapt pytest, not even inside a function."""
    table, edges, found = layers(), graph(), modules()
    package = "glue_conformance"
    for module, layer in table.items():
        if layer in UNDER_PYTEST or module == "test_*":
            continue
        name = f"{package}.{module}"
        assert not _imports_pytest(found[name]), f"{module} ({layer}) imports pytest"
        face = sorted(
            i
            for i in edges[name]
            if i.count(".") == 1 and _layer_of(i.split(".")[1], table) in UNDER_PYTEST
        )
        assert not face, f"{module} ({layer}) imports {face}"
