"""The command line as users run it: one thin path through every layer."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from search_cli import cli
from tests.conftest import CORPUS, ROOT, SEEDS

RECORD_KEYS = {"id", "source", "code", "number", "symbol", "system", "doc_type", "issued_date",
               "place", "issuer", "subject", "recipients", "signer", "references", "deadlines",
               "attachments", "text"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_parse_prints_schema_records():
    code, out = run("parse", str(SEEDS / "000_a6851c37ec536b4a.txt"), "--json")
    assert code == 0
    records = json.loads(out)
    assert isinstance(records, list) and len(records) == 1
    rec = records[0]
    assert RECORD_KEYS <= rec.keys()
    assert rec["code"] == "1805-CV/BTGDVTW"
    assert rec["issued_date"] == "2025-08-08"
    assert rec["source"]["part"] == 0 and rec["source"]["method"] == "text"
    assert {r["code"] for r in rec["references"]} == {"57-KL/TW", "59-NQ/TW"}
    for ref in rec["references"]:
        # the span is the whole citation (SCHEMA.md): type, code, date and issuer
        assert ref["code"] in "".join(rec["text"][ref["start"]:ref["end"]].split())


def test_parse_splits_a_file_holding_two_letters():
    code, out = run("parse", str(SEEDS / "002_f54cac8d25e4004e.txt"), "--json")
    records = json.loads(out)
    assert [r["code"] for r in records] == ["1469-CV/BTGTU", "33-CV/TTĐN"]
    assert [r["source"]["part"] for r in records] == [0, 1]


def test_parse_missing_file_is_a_user_error():
    code, out = run("parse", "no/such/file.pdf", "--json")
    assert code == 1
    assert "no such file" in out


def test_ingest_search_show_and_reingest(tmp_path):
    arc = str(tmp_path / "arc")
    code, out = run("--archive", arc, "ingest", str(CORPUS / "text"), "--json")
    assert code == 0
    report = json.loads(out)
    assert len(report["ingested"]) == 4 and not report["failed"]
    assert sum(len(x["ids"]) for x in report["ingested"]) == 5

    code, out = run("--archive", arc, "search", "thong tin doi ngoai", "--json")
    result = json.loads(out)
    assert result["total"] >= 4
    assert {"id", "code", "doc_type", "issued_date", "issuer", "subject", "score", "snippet"} <= \
        result["hits"][0].keys()

    code, out = run("--archive", arc, "show", "1469-cv/btgtu", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["code"] == "1469-CV/BTGTU"
    assert "cited_by" in shown and "duplicates" in shown

    code, out = run("--archive", arc, "ingest", str(CORPUS / "text"), "--json")
    report = json.loads(out)
    assert not report["ingested"] and len(report["unchanged"]) == 4


def test_show_unknown_key_says_what_to_do(corpus_archive):
    code, out = run("--archive", str(corpus_archive), "show", "999-XX/YY")
    assert code == 1
    assert "congvan search" in out


def test_cited_by_and_trace_follow_references(corpus_archive):
    code, out = run("--archive", str(corpus_archive), "cited-by", "57-KL/TW", "--json")
    codes = {d["code"] for d in json.loads(out)["documents"]}
    assert {"1805-CV/BTGDVTW", "-CV/BTGDV", "/BTTTT-TTĐN"} <= codes
    code, out = run("--archive", str(corpus_archive), "trace", "57-KL/TW", "--json")
    tree = json.loads(out)
    assert tree["id"] is None  # Kết luận 57 itself is known only by citation
    assert {c["code"] for c in tree["children"]} >= {"1805-CV/BTGDVTW", "/BTTTT-TTĐN"}


def test_ingest_reports_bad_files_and_goes_on(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"this is not a pdf")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "letter.txt"
    good.write_text((SEEDS / "000_a6851c37ec536b4a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, out = run("--archive", str(tmp_path / "arc"), "ingest", str(tmp_path), "--json")
    assert code == 1  # some files failed
    report = json.loads(out)
    failed = {f["path"].rsplit("/", 1)[-1]: f["error"] for f in report["failed"]}
    assert set(failed) == {"broken.pdf", "empty.txt"}
    assert "not a PDF" in failed["broken.pdf"] and "empty" in failed["empty.txt"]
    assert len(report["ingested"]) == 1


def test_search_cli_runs_from_a_checkout():
    out = subprocess.run([sys.executable, "search_cli.py", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert "ingest" in out.stdout and "search" in out.stdout


def test_show_takes_a_code_typed_loosely(corpus_archive):
    for spelling in ("1469 cv btgtu", "1469/CV-BTGTU", "cv 1469 btgtu"):
        code, out = run("--archive", str(corpus_archive), "show", spelling, "--json")
        assert code == 0, (spelling, out)
        assert json.loads(out)["code"] == "1469-CV/BTGTU"
