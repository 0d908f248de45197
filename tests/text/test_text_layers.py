"""Data flows one way: `text/` (the vocabulary of a letter) under `ingest/` and `nlp/`; `nlp/`
takes only the value that flows from ingest (`ingest.models`) and nothing of `index/` or the
shells; `ingest/` knows nothing of the meaning (`nlp/`) nor of the archive. Read from every
import statement of every module, function-level imports included."""
from __future__ import annotations

import ast

import pytest
from conftest import ROOT

PROJECT = ("text", "ingest", "nlp", "index", "web", "search_cli")


def imports(package: str) -> list[tuple[str, str]]:
    """(module file, imported module) for every project import in `package`."""
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from ingest.models import Extracted` is ingest.models; `from ingest import legacy`, ingest.legacy
                names = [node.module] if "." in node.module else [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] in PROJECT:
                    out.append((str(path.relative_to(ROOT)), name))
    return out


def test_the_scan_sees_imports():
    """The check below would pass on nothing: make sure it reads real import lines."""
    found = {name for _, name in imports("nlp")}
    assert "text.fold" in found and "ingest.models" in found and "nlp.models" in found


def test_text_imports_nothing_of_the_project_but_itself():
    bad = [(f, m) for f, m in imports("text") if m.split(".")[0] != "text"]
    assert not bad, bad


def test_nlp_takes_only_ingest_models_and_nothing_of_index_or_the_shells():
    bad = [(f, m) for f, m in imports("nlp")
           if m.split(".")[0] not in ("nlp", "text") and m != "ingest.models"]
    assert not bad, bad


@pytest.mark.parametrize("below", ["nlp", "index", "web", "search_cli"])
def test_ingest_imports_nothing_above_it(below):
    bad = [(f, m) for f, m in imports("ingest") if m.split(".")[0] == below]
    assert not bad, bad
