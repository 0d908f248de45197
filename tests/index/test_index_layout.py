"""`index/` shows its parts: each package names its public surface in `__init__` (`__all__`,
every name there importable) and its private modules in its docstring, and no code outside a
package imports the package's private modules (`index.search._tokens`): the shells, the
archive and the other packages go through the surface. Tests and benchmarks may reach a
private module to test or measure it."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from conftest import ROOT

import index

INDEX = ROOT / "index"
PACKAGES = sorted(p.name for p in INDEX.iterdir() if (p / "__init__.py").is_file())
# code that may look inside a package: its own modules, tests of it, benchmarks measuring it
MAY_LOOK_INSIDE = ("tests", "benchmarks")
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", "archive"}


def private_imports(source: str) -> list[str]:
    """Private modules of a package (`index/<package>/_<module>.py`) that SOURCE imports
    (absolute imports; `from index.search import _name` counts where `_name` is a module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) >= 3 and parts[0] == "index" and parts[2].startswith("_") \
                    and (INDEX / parts[1] / f"{parts[2]}.py").is_file():
                found.append(".".join(parts[:3]))
    return sorted(set(found))


@pytest.mark.parametrize(("source", "expected"), [
    ("from index.search._tokens import syllables", ["index.search._tokens"]),
    ("import index.search._engine as engine", ["index.search._engine"]),
    ("from index.catalog import _database", ["index.catalog._database"]),
    ("def f():\n    from index.pipeline._workers import read_files", ["index.pipeline._workers"]),
    # decoys: the surface, another package's public module, a relative import, a private name
    ("from index.search import FullText, parse_query", []),
    ("from index.dedup.copies import Letters", []),
    ("from ._tokens import syllables", []),
    ("from index.search import _private_name_is_not_a_module", []),
    ("import index.archive", []),
])
def test_private_imports_are_found(source: str, expected: list[str]) -> None:
    assert private_imports(source) == expected


def _python_files() -> list[Path]:
    out = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIPPED_DIRS & set(rel.parts):
            out.append(path)
    return out


def test_index_is_one_regular_package() -> None:
    """A namespace `index` would merge `tests/index/` (and any other checkout's `index/` on the
    path) into the package, and a module moved away would still import from elsewhere."""
    assert Path(index.__file__).resolve() == INDEX / "__init__.py"
    assert [Path(p).resolve() for p in index.__path__] == [INDEX]


def test_the_packages_are_there() -> None:
    assert {"catalog", "search", "pipeline", "dedup"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_names_its_surface(package: str) -> None:
    mod = importlib.import_module(f"index.{package}")
    surface = getattr(mod, "__all__", None)
    assert surface, f"index/{package}/__init__.py names no public surface (__all__)"
    assert len(surface) == len(set(surface))
    missing = [name for name in surface if not hasattr(mod, name)]
    assert not missing, f"index.{package}.__all__ names what it does not hold: {missing}"
    undocumented = [p.stem for p in (INDEX / package).glob("_*.py")
                    if p.stem != "__init__" and f"`{p.stem}`" not in (mod.__doc__ or "")]
    assert not undocumented, f"index/{package}/__init__.py does not say what these modules do: {undocumented}"


def test_no_code_outside_a_package_imports_its_private_modules() -> None:
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ROOT)
        if rel.parts[0] in MAY_LOOK_INSIDE:
            continue
        for name in private_imports(path.read_text(encoding="utf-8")):
            owner = Path(*name.split(".")[:2])
            if owner not in rel.parents:
                offenders.append(f"{rel}: {name}")
    assert not offenders, "import through the package's __init__ instead:\n" + "\n".join(offenders)
