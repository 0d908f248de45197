"""On real text: the seed letters score as their gold says, the real documents of
eval/real/docs.jsonl parse without raising and their own numbers agree with the sources'
metadata, and the spaCy pipeline puts the findings on `Doc.ents`."""
from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT, SEEDS, SHARED

from ingest.reader import extract
from nlp import parse

GOLD = SHARED / "eval" / "seeds.gold.json"
REAL = SHARED / "eval" / "real" / "docs.jsonl"


@pytest.mark.skipif(not GOLD.exists(), reason="shared eval data not present")
def test_seed_letters_match_gold_on_codes_dates_and_references():
    for g in json.loads(GOLD.read_text(encoding="utf-8")):
        recs = [parse(d) for d in extract(str(SEEDS / g["file"]))]
        r = recs[g.get("part", 0)]
        assert r.code == g["code"] and r.issued_date == g["issued_date"] and r.doc_type == g["doc_type"]
        want = {x["code"] for x in g["references"]}
        assert {x.code for x in r.references if x.code} == want


@pytest.mark.skipif(not REAL.exists(), reason="shared eval data not present")
def test_real_documents_parse_and_numbers_agree():
    sys.path.insert(0, str(ROOT))
    from benchmarks.real_metadata import _fold_code, truth
    from benchmarks.realdocs import documents

    counted = agree = 0
    for row, doc in list(documents())[::3]:  # every third document keeps the test short
        rec = parse(doc)
        want = truth(row)
        if want and want[0].split("/")[0] in rec.text.replace(".", ""):
            counted += 1
            agree += _fold_code(rec.code or "") == want[0] and (want[1] is None or rec.doc_type == want[1])
    assert counted > 80 and agree / counted >= 0.95


def test_pipeline_puts_findings_on_doc_ents():
    from nlp.pipeline import analyze

    text = ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/BTTTT-TTĐN\nHà Nội, ngày 08 tháng 8 năm 2025\n"
            "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị.\n"
            "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Thanh Lâm")
    doc = analyze(text)
    assert doc.text == text
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị", "DOC_REF") in ents
    assert ("ngày 08 tháng 8 năm 2025", "DATE") in ents
    assert ("Nguyễn Thanh Lâm", "PERSON") in ents
    assert any(t.text == "57-KL/TW" for t in doc)  # the tokenizer keeps codes whole
    assert doc._.record.code == "12/BTTTT-TTĐN"
