"""A batch starts with the files dearest to read (scans), known from their bytes without
opening them, so that no long scan is left to run alone on one core at the end."""
from __future__ import annotations

from conftest import ROOT

from index.pipeline import dearest_first, expected_cost

SCAN = ROOT / "tests" / "data" / "formats" / "scan"
PDF = ROOT / "tests" / "data" / "formats" / "pdf"


def test_a_batch_starts_with_the_scans() -> None:
    scan, text = str(SCAN / "000_a6851c37ec536b4a.pdf"), str(PDF / "004_8f334d4af6981667.pdf")
    small = str(ROOT / "corpus" / "text" / "000_a6851c37ec536b4a.txt")
    assert expected_cost(scan) > expected_cost(text) > expected_cost(small) > 0
    assert dearest_first([small, text, scan]) == [scan, text, small]
    assert expected_cost(ROOT / "no-such-file.pdf") == 0
