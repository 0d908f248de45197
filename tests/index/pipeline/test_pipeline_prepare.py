"""Work the ingesting process would do alone for every file (duplicate signatures) is done by
the worker processes beside the parse, with the same outcome."""
from __future__ import annotations

import os

import index.archive
from index.archive import Archive
from index.dedup import DedupConfig
from index.dedup.signatures import signature, signatures_of
from index.pipeline import read_files
from nlp.models import Record
from tests.conftest import CORPUS

LETTERS = sorted(str(p) for p in (CORPUS / "text").glob("*.txt"))


def _pid(recs: list[dict]) -> int:
    return os.getpid()


def _fail(recs: list[dict]) -> object:
    raise RuntimeError("no")


def test_prepare_runs_in_the_worker_and_its_failure_costs_nothing():
    got = list(read_files(LETTERS[:2], workers=2, prepare=_pid))
    assert all(error is None and recs for _, recs, error, _ in got)
    assert all(isinstance(extra, int) and extra != os.getpid() for *_, extra in got)
    failed = list(read_files(LETTERS[:1], workers=1, prepare=_fail))
    assert failed[0][1] and failed[0][2] is None and failed[0][3] is None


def test_worker_signatures_are_the_parents(tmp_path):
    (path, recs, _, sigs), = read_files(LETTERS[:1], workers=1,
                                        prepare=lambda r: signatures_of(r, DedupConfig()))
    mine = signature(Record.from_dict(recs[0]), DedupConfig())
    assert sigs[0].exact == mine.exact and sigs[0].body == mine.body
    assert (sigs[0].minhash == mine.minhash).all() and (sigs[0].chars == mine.chars).all()


def test_duplicates_found_alike_with_and_without_the_workers_signatures(tmp_path, monkeypatch):
    files = [str(p) for p in sorted((CORPUS / "text").glob("*.txt")) + sorted((CORPUS / "pdf").glob("*.pdf"))]

    def ingest(root):
        arc = Archive(root)
        report = arc.ingest(files, workers=1)  # one worker: the same order both times
        arc.close()
        return sorted((os.path.basename(d["path"]), d["id"], d["of"], d["relation"]) for d in report.duplicates)

    from_workers = ingest(tmp_path / "a")
    monkeypatch.setattr(index.archive, "signatures_of", _fail)  # workers give nothing: the parent signs
    assert from_workers and ingest(tmp_path / "b") == from_workers


def _niceness(recs: list[dict]) -> int:
    return os.nice(0)


def test_workers_read_at_a_lower_priority_than_the_page_they_share_the_machine_with():
    """Reading and parsing yield the CPU to people searching: each worker runs niced."""
    from index.pipeline._workers import INGEST_NICENESS

    mine = os.nice(0)
    got = list(read_files(LETTERS[:2], workers=2, prepare=_niceness))
    assert {extra for *_, extra in got} == {min(19, mine + INGEST_NICENESS)}
