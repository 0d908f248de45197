"""Bad files in a batch: each gets a clear one-line reason (or is read, where it can be), the
exit status says some failed, the rest of the batch is ingested and the archive stays whole.

The batch is ingested once per module (≈15 s on 2 cores: the 300-page PDF and the bombs
dominate) through the real command line; the limits are set low so that the bombs fail fast."""
from __future__ import annotations

import faulthandler
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import unicodedata

import pytest

from tests.conftest import CORPUS, ROOT
from tests.make_bad_files import VIETNAMESE_NAME, VIETNAMESE_NAME_NFD, build

NFD_NAME = unicodedata.normalize("NFD", VIETNAMESE_NAME_NFD)
GOOD = sorted((CORPUS / "text").glob("*.txt"))[2:]  # the rest of the batch: letters not in BAD_FILES

# name → the reason expected (a regular expression), or None when the file must be read.
FAILS = {
    "truncated.pdf": r"^not a readable PDF \(.*EOF",
    "encrypted-password.pdf": r"^encrypted PDF: a password is needed to read it$",
    "zero-bytes.pdf": r"^empty file \(0 bytes\)$",
    "zero-bytes.txt": r"^empty file \(0 bytes\)$",
    "zip-renamed.pdf": r"^named \.pdf but is not a PDF",
    "png-renamed.pdf": r"^named \.pdf but is not a PDF",
    "random-bytes.pdf": r"^named \.pdf but is not a PDF",
    "random-bytes.docx": r"^named \.docx but is not a DOCX",
    "random-bytes.txt": r"^binary data, not a text file",
    "blank-pages.pdf": r"^no text found",
    "nested-2000.docx": r"^too deeply nested to read",
    "flate-bomb.pdf": r"needs more memory than the limit of 1024 MB",
    # a blank page is seen to be blank before it is rendered; a printed one is bounded by the limits
    "huge-page.pdf": r"needs more memory than the limit of 1024 MB|Tesseract|no text found",
    "one-line-50mb.txt": r"^too much text: .* the limit is 5,000,000",
}
READS = {  # name → what must be in its record
    "broken-xref.pdf": {"code": "1805-CV/BTGDVTW", "issued_date": "2025-08-08"},
    "encrypted-empty-password.pdf": {"code": "1469-CV/BTGTU"},
    "300-pages.pdf": {"code": "215/UBND-VP"},
    "latin-1.txt": {},
    "utf-16.txt": {"code": "215/UBND-VP", "issued_date": "2024-09-14"},
    "invalid-utf-8.txt": {"code": "215/UBND-VP", "issued_date": "2024-09-14"},
    VIETNAMESE_NAME: {"code": "1805-CV/BTGDVTW"},
    NFD_NAME: {"code": "-CV/BTGDV"},
}


def congvan(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "search_cli.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    build(folder, big=True)
    for f in GOOD:
        shutil.copy(f, folder / f.name)
    arc = tmp_path_factory.mktemp("arc")
    run = congvan("--archive", str(arc), "ingest", str(folder), "--json", "--workers", "2",
                  "--memory-mb", "1024", "--timeout", "60")
    report = json.loads(run.stdout)
    return {"arc": arc, "folder": folder, "run": run, "report": report,
            "failed": {os.path.basename(f["path"]): f["error"] for f in report["failed"]},
            "ingested": {os.path.basename(f["path"]): f["ids"] for f in report["ingested"]}}


def test_every_file_is_accounted_for(batch):
    names = {p.name for p in batch["folder"].iterdir()}
    assert set(batch["failed"]) | set(batch["ingested"]) == names
    assert not set(batch["failed"]) & set(batch["ingested"])
    assert set(batch["failed"]) == set(FAILS)


def test_exit_status_says_some_failed(batch):
    assert batch["run"].returncode == 1, batch["run"].stderr[-2000:]


@pytest.mark.parametrize("name", sorted(FAILS))
def test_bad_file_gets_a_clear_one_line_reason(batch, name):
    reason = batch["failed"][name]
    assert "\n" not in reason and len(reason) <= 240
    assert re.search(FAILS[name], reason), reason


@pytest.mark.parametrize("name", sorted(READS))
def test_readable_file_is_ingested(batch, name):
    ids = batch["ingested"][name]
    shown = congvan("--archive", str(batch["arc"]), "show", ids[0], "--json")
    rec = json.loads(shown.stdout)
    for key, value in READS[name].items():
        assert rec[key] == value, (name, key, rec[key])
    assert unicodedata.is_normalized("NFC", rec["text"])
    assert os.path.basename(rec["source"]["path"]) == name


def test_special_cases_read_correctly(batch):
    def record(name):
        return json.loads(congvan("--archive", str(batch["arc"]), "show", batch["ingested"][name][0],
                                  "--json").stdout)

    assert record("300-pages.pdf")["source"]["pages"] == list(range(1, 301))
    assert "Rapport d'activité, réunion du comité, été 2024." in record("latin-1.txt")["text"]
    # one broken byte sequence costs one replacement character, not the whole letter
    text = record("invalid-utf-8.txt")["text"]
    assert "Kính gửi: Các phòng, ban chuyên môn" in text and text.count("\ufffd") <= 4


def test_rest_of_the_batch_is_ingested_and_searchable(batch):
    for f in GOOD:
        assert f.name in batch["ingested"]
    out = congvan("--archive", str(batch["arc"]), "search", "giao ban quý III", "--json")
    assert json.loads(out.stdout)["total"] >= 2


def test_archive_unharmed(batch):
    out = congvan("--archive", str(batch["arc"]), "check", "--json", "--deep")
    result = json.loads(out.stdout)
    assert out.returncode == 0 and result["ok"] and not result["problems"], result
    assert result["counts"]["files"] == len(batch["ingested"])
    assert result["counts"]["originals"] == len(batch["ingested"])
    assert result["counts"]["indexed"] == result["counts"]["documents"]


def test_text_report_lists_each_failure_on_one_line(tmp_path):
    folder = tmp_path / "in"
    build(folder, ["zero-bytes.txt", "png-renamed.pdf", VIETNAMESE_NAME])
    run = congvan("--archive", str(tmp_path / "arc"), "ingest", str(folder))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "ingested 1 file(s), 1 document(s); unchanged 0; failed 2"
    assert sorted(lines[1:]) == sorted([
        f"  skipped {folder / 'png-renamed.pdf'}: named .pdf but is not a PDF (no %PDF header)",
        f"  skipped {folder / 'zero-bytes.txt'}: empty file (0 bytes)"])


# -- the worker pool itself: timeouts and dead workers -------------------------------------

def test_timeout_fails_only_the_slow_file(tmp_path):
    from index.archive import Archive
    from index.pipeline import Limits

    build(tmp_path / "in", ["300-pages.pdf", VIETNAMESE_NAME, "utf-16.txt"])
    arc = Archive(tmp_path / "arc")
    report = arc.ingest([tmp_path / "in"], workers=1, limits=Limits(timeout=0.5))
    arc.close()
    failed = {os.path.basename(f["path"]): f["error"] for f in report.failed}
    assert list(failed) == ["300-pages.pdf"]
    assert failed["300-pages.pdf"].startswith("took longer than the limit of 0.5 s to read")
    assert len(report.ingested) == 2


def test_a_scan_gets_time_for_each_page_it_ocrs(tmp_path):
    """The limit is per file plus per scanned page: a long scan is slow, not broken."""
    from index.pipeline import SCAN_PAGE_SECONDS, Limits, time_limit

    scan = ROOT / "tests" / "data" / "formats" / "scan" / "000_a6851c37ec536b4a.pdf"  # 2 scanned pages
    text_pdf = ROOT / "tests" / "data" / "formats" / "pdf" / "000_a6851c37ec536b4a.pdf"
    assert time_limit(str(scan), Limits(timeout=5)) == 5 + 2 * SCAN_PAGE_SECONDS
    assert time_limit(str(scan), Limits(timeout=5), ocr="never") == 5
    assert time_limit(str(text_pdf), Limits(timeout=5)) == 5
    assert time_limit(str(scan), Limits(timeout=0)) == 0  # no limit stays no limit

    from index.archive import Archive
    arc = Archive(tmp_path / "arc")  # OCR of the 2 pages takes seconds, longer than --timeout 1
    report = arc.ingest([scan], workers=1, limits=Limits(timeout=1))
    arc.close()
    assert report.failed == [] and len(report.ingested) == 1


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV])
def test_a_dying_reader_fails_only_its_file(tmp_path, monkeypatch, sig):
    """A reader killed (the OOM killer) or crashing (a C library) is replaced; the others go on."""
    import index.pipeline._workers
    from index.archive import Archive
    from index.pipeline import Limits

    real = index.pipeline._workers.extract

    def crashing(path, ocr="auto"):
        if "utf-16" in str(path):
            faulthandler.disable()  # pytest's traceback dump would only clutter the output
            os.kill(os.getpid(), sig)
        return real(path, ocr=ocr)

    monkeypatch.setattr(index.pipeline._workers, "extract", crashing)  # workers are forked: they see it
    build(tmp_path / "in", [VIETNAMESE_NAME, "utf-16.txt", NFD_NAME, "latin-1.txt"])
    arc = Archive(tmp_path / "arc")
    report = arc.ingest([tmp_path / "in"], workers=1, limits=Limits(timeout=30))
    arc.close()
    assert [os.path.basename(f["path"]) for f in report.failed] == ["utf-16.txt"]
    assert report.failed[0]["error"].startswith(f"the reader process was killed by {sig.name}")
    assert len(report.ingested) == 3
