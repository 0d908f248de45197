"""A smoke run of the load benchmark (benchmarks/bench_load.py): a real `congvan serve
--workers 2` over a 20-letter archive, 2 users for 2 s, then the same during a real ingest.
Only that every page kind is asked and answered, without an error; the figures are the
benchmark's, never asserted here."""
from __future__ import annotations

from benchmarks.bench_load import KINDS, measure, table, verdict


def test_the_load_benchmark_runs_both_phases_without_errors(tmp_path):
    result = measure(tmp_path, letters=20, extra=4, users=2, seconds=2, workers=2, seed=3)
    assert result["documents"] >= 15  # exact copies among the generated letters share one id
    assert result["ingest"]["exit"] == 0, result["ingest"]
    quiet, during = result["phases"]
    assert (quiet.name, during.name) == ("quiet", "during ingest")
    for phase in (quiet, during):
        rows = {r["kind"]: r for r in phase.rows()}
        assert phase.errors == {}, phase.samples
        assert all(rows[kind]["requests"] > 0 for kind, _ in KINDS), rows
        assert rows["all"]["requests"] == sum(rows[kind]["requests"] for kind, _ in KINDS)
        assert 0 < rows["all"]["p50"] <= rows["all"]["p95"] <= rows["all"]["p99"]
    assert during.seconds > 1 and result["ingest"]["seconds"] <= during.seconds + 1  # the ingest ran inside it
    text = table(result, 2, 2)
    lines = text.splitlines()
    assert len([line for line in lines if line.startswith("| ")]) == 2 + 2 * (len(KINDS) + 1)
    assert len([line for line in lines if line.startswith("CPU per answered request")]) == 2
    assert quiet.server_cpu > 0 and during.server_cpu > 0  # the server's processes were found
    assert all(line.startswith("- ✔") for line in verdict(result))
    assert not (tmp_path / "served").exists()  # the served copy is removed
