"""The quality set (tests/data/search_quality.jsonl) over corpus/ and the judged real
documents: MRR@10 ≥ 0.9 with each engine, and a query typed with diacritics has the same
first hit typed without them. (`python benchmarks/search_quality.py` runs it over all 300+
real documents and prints the table per query kind.)"""
from __future__ import annotations

import pytest

from benchmarks.search_quality import build_archive, evaluate, judged_real_ids, load_judgments, summary


@pytest.fixture(scope="module")
def quality_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("quality")


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_quality_set(quality_dir, engine):
    judgments = load_judgments()
    docs_dir = quality_dir / "real-docs"
    archive = build_archive(quality_dir / "archive", engine, docs_dir, judged_real_ids(judgments))
    result = evaluate(archive, judgments, docs_dir)
    archive.close()
    assert not result["missing"], result["missing"]
    mrr, recall, n = summary(result)
    assert n == len(judgments)
    assert mrr >= 0.9, result["failures"]
    assert recall >= 0.9
    assert not result["fold_mismatch"], result["fold_mismatch"]
    assert all(rr == 1.0 for rr, _ in result["per_kind"]["code"]), result["failures"]
