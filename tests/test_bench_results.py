"""benchmarks/RESULTS.md keeps one block per data-set size: `make bench` must not erase the
100k results of `make bench-full`, and a new run replaces only the block of its own size."""
from __future__ import annotations

from benchmarks.common import merge_results, results_text


def _run(docs: int, note: str) -> str:
    rows = [{"stage": "index build", "engine": "tantivy", "docs": docs, "rate": note}]
    return results_text(f"Benchmarks: {docs:,} letters", rows, [("Notes", f"```\n# {note}\n```")])


def test_runs_at_other_sizes_are_kept_and_the_same_size_replaced(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text(_run(1000, "old quick run"), encoding="utf-8")  # a file from before the blocks
    merge_results(out, 100_000, _run(100_000, "full run"))
    text = out.read_text(encoding="utf-8")
    assert "old quick run" in text and "full run" in text
    assert text.index("## Benchmarks: 100,000 letters") < text.index("## Benchmarks: 1,000 letters")  # largest first
    out.write_text(out.read_text(encoding="utf-8") + "<!-- notes -->\nbefore and after, by hand\n<!-- /notes -->\n")
    merge_results(out, 1000, _run(1000, "new quick run"))
    text = out.read_text(encoding="utf-8")
    assert "new quick run" in text and "old quick run" not in text and "full run" in text
    assert text.count("## Benchmarks: 1,000 letters") == 1
    assert "\n# new quick run" in text  # a line inside a code block is not a heading to demote
    assert text.count("before and after, by hand") == 1  # notes written by hand are kept
