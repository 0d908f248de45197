"""The layers import one way: the shells (search_cli.py, web/) reach the project through
`index.archive` alone, and `nlp/` takes from `ingest/` only the value that flows between
them (`ingest.models`) and nothing of `index/`. Read from the source (the AST), so an import
inside a function or under `TYPE_CHECKING` counts as much as one at the top."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("index", "ingest", "nlp", "web", "benchmarks", "scripts", "tests", "search_cli")


def imported(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    """Every module a source imports, absolute, with its line (relative imports resolved
    against `package`, the source's package)."""
    tree = ast.parse(source)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = ".".join(x for x in (base, node.module) if x)
            else:
                module = node.module or ""
            # `from index import archive` names the module `index.archive`
            out += [(node.lineno, _named(module, alias.name)) for alias in node.names]
    return out


def _named(module: str, name: str) -> str:
    """The module that `from MODULE import NAME` reads (`from index import archive` reads
    `index.archive`; `from .. import ingest` reads `ingest`)."""
    if not module:
        return name
    return f"{module}.{name}" if module.split(".")[0] in PROJECT else module


def project_imports(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(line, m) for line, m in imported(source, package) if m.split(".")[0] in PROJECT]


def within(module: str, allowed: tuple[str, ...]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def shell_breaks(source: str, package: tuple[str, ...]) -> list[str]:
    """What a shell imports of the project beside `index.archive` and web's own modules."""
    return [f"{line} {m}" for line, m in project_imports(source, package) if not within(m, ("index.archive", "web"))]


def nlp_breaks(source: str, package: tuple[str, ...]) -> list[str]:
    """What an nlp module imports of ingest beside its models, or of index."""
    return [f"{line} {m}" for line, m in project_imports(source, package)
            if within(m, ("ingest", "index")) and not within(m, ("ingest.models",))]


def read(path: Path) -> tuple[str, tuple[str, ...]]:
    return path.read_text(encoding="utf-8"), path.relative_to(ROOT).with_suffix("").parts[:-1]


SHELLS = [ROOT / "search_cli.py", *sorted((ROOT / "web").glob("*.py"))]
NLP = sorted((ROOT / "nlp").rglob("*.py"))


def test_the_shells_are_found():
    """The rules below read real files (an empty list would pass anything)."""
    assert (ROOT / "search_cli.py") in SHELLS and len(SHELLS) >= 5
    assert len(NLP) >= 5


@pytest.mark.parametrize("path", SHELLS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_shell_imports_only_the_archive(path: Path):
    wrong = shell_breaks(*read(path))
    assert not wrong, f"{path.name}: the shells reach the project through index.archive alone: " + ", ".join(wrong)


@pytest.mark.parametrize("path", NLP, ids=lambda p: str(p.relative_to(ROOT)))
def test_nlp_takes_only_the_models_of_ingest(path: Path):
    wrong = nlp_breaks(*read(path))
    assert not wrong, f"{path.name}: nlp takes from ingest only ingest.models, nothing of index: " + ", ".join(wrong)


# The rules themselves, on sources that break them and sources that keep them (decoys:
# a name that starts like a project package, a string, a comment).
CASES = [
    ("from index.archive import Archive\n", True),
    ("from index import archive\n", True),
    ("import index.archive as a\n", True),
    ("from web import csrf\nfrom web.present import vn_date\n", True),
    ("import click\nimport indexer\nfrom nlpx import y\n", True),
    ("s = 'from nlp import parse'\n# import ingest\n", True),
    ("from index.lock import ArchiveBusy\n", False),
    ("from index import lock\n", False),
    ("import nlp\n", False),
    ("def f():\n    from ingest.intake import printable\n", False),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from nlp.models import Record\n", False),
    ("from index.archive import Archive\nfrom index.snippets import OPEN\n", False),
]


@pytest.mark.parametrize("source,keeps", CASES)
def test_the_shell_rule_on_sources(source: str, keeps: bool):
    assert (not shell_breaks(source, ("web",))) is keeps, source


@pytest.mark.parametrize("source,keeps", [
    ("from ingest.models import Extracted\n", True),
    ("from ..ingest.models import Extracted\n", True),
    ("from nlp.codes import code_key\nfrom . import fold\n", True),
    ("import re\nimport ingestion\n", True),
    ("from ingest.split import lines\n", False),
    ("from ingest import normalize\n", False),
    ("from .. import ingest\n", False),
    ("from index.analysis import syllables\n", False),
    ("import index\n", False),
])
def test_the_nlp_rule_on_sources(source: str, keeps: bool):
    assert (not nlp_breaks(source, ("nlp",))) is keeps, source
