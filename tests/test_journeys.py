"""The journeys staff take every day hold for every document, through the command line
(../shared/eval/journeys.py): lookup by the printed code, findable by its own rarest words,
every cited code in `refs`, and `cited-by` listing the citing letter back.

On corpus/, and on a folder of corpus letters each with a re-sent copy (a line of its own
added) and an OCR'd copy, made here. Every journey must pass on every sampled document.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.journeys_run import JOURNEYS, run, write_copies

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SHARED = Path(__file__).parents[1].parent / "shared"

pytestmark = pytest.mark.skipif(not (SHARED / "eval" / "journeys.py").exists(),
                                reason=f"no {SHARED}/eval/journeys.py (CI puts ../shared beside the checkout)")


def all_pass(result: dict) -> None:
    failed = {k: f"{a}/{b}" for k, (a, b) in result["passed"].items() if a != b}
    assert not failed, f"journeys failed {failed}:\n" + "\n".join(result["failures"][:20])
    assert result["passed"]["lookup"][1] > 0 and result["passed"]["findable"][1] > 0


def test_the_journeys_script_is_the_shared_one():
    assert JOURNEYS == SHARED / "eval" / "journeys.py"


def test_journeys_on_the_corpus():
    all_pass(run([CORPUS], sample=200))


def test_journeys_on_letters_with_copies(tmp_path):
    folder = tmp_path / "copies"
    n = write_copies(sorted((CORPUS / "text").glob("*.txt")), folder)
    assert n == 3 * len(list((CORPUS / "text").glob("*.txt")))
    all_pass(run([folder], sample=200))
