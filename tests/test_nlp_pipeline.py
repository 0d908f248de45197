"""`nlp.parse` is one spaCy pass: the readers are components of a `Language`; the record lands
on `doc._.record` and where each finding is printed on `doc.spans["record"]` / `doc.ents`.

Invariants over every seed letter, test letter and real document: each span covers the text
its field says (the code, the date's value, the signer, each reference's own offsets), the
entity view has no overlaps, the tokenizer changes no field, one failing reader loses only
its own field."""
from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from conftest import ROOT, SEEDS, SHARED

from ingest.models import Extracted, Source
from ingest.reader import extract
from nlp import parse
from nlp.dates import HEADER_DATE, match_iso
from nlp.parse import entities, read

REAL = SHARED / "eval" / "real" / "docs.jsonl"


def _docs() -> list[Extracted]:
    docs = []
    for path in sorted(SEEDS.glob("*")) + sorted((ROOT / "tests" / "data").rglob("*.txt")):
        docs.extend(extract(str(path)))
    if REAL.exists():
        sys.path.insert(0, str(ROOT))
        from benchmarks.realdocs import documents

        docs.extend(d for _, d in list(documents())[::4])
    return docs


DOCS = _docs()


def _flat(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()).casefold()


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s).casefold()


def test_there_is_enough_to_check():
    assert len(DOCS) > 100


@pytest.mark.parametrize("k", range(0, len(DOCS)), ids=lambda k: f"doc{k}")
def test_every_span_covers_what_its_field_says(k):
    doc = read(DOCS[k])
    rec, text = doc._.record, doc.text
    assert text == rec.text
    assert rec.to_dict() == parse(DOCS[k]).to_dict()  # the record is the pass's, unchanged by reading it
    found = list(doc.spans["record"])
    for s in found:
        assert s.start_char < s.end_char and text[s.start_char:s.end_char] == s.text
        if s.label_ == "DOC_CODE":
            assert _compact(s.text) == _compact(rec.code)
        elif s.label_ == "DATE":
            m = HEADER_DATE.fullmatch(s.text)
            assert m and match_iso(m) == rec.issued_date
        elif s.label_ == "LOC":
            assert _flat(s.text) == _flat(rec.place)
        elif s.label_ == "PERSON":
            assert _flat(s.text) == _flat(rec.signer.name)
        elif s.label_ == "ORG":
            assert _flat(s.text) == _flat(rec.issuer.name)
        elif s.label_ == "SUBJECT":
            assert _compact(s.text) == _compact(rec.subject)
        elif s.label_ == "RECIPIENT":
            assert any(_compact(s.text) == _compact(r) for r in rec.recipients)
        elif s.label_ == "DEADLINE":
            assert any(_flat(s.text) == _flat(d.text) for d in rec.deadlines)
    refs = [(s.start_char, s.end_char, s.kb_id_) for s in found if s.label_ == "DOC_REF"]
    want = [(r.start, r.end, r.code or "") for r in rec.references if 0 <= r.start < r.end <= len(text)]
    assert refs == want  # every reference, at its own offsets, carrying the code it cites
    ents = list(doc.ents)
    assert all(a.end <= b.start for a, b in zip(ents, ents[1:]))
    assert {(e.start_char, e.end_char, e.label_) for e in ents} <= {(s.start_char, s.end_char, s.label_) for s in found}
    # a field printed in the text is found (the header's number where there is one)
    if rec.code and doc._.header and doc._.header.code_span:
        assert any(s.label_ == "DOC_CODE" for s in found)


@pytest.mark.parametrize("k", range(0, len(DOCS), 7), ids=lambda k: f"doc{k}")
def test_the_tokenizer_changes_no_field_and_keeps_the_text(k):
    findings, syllables = read(DOCS[k]), read(DOCS[k], tokens="syllables")
    assert syllables.text == findings.text == findings._.record.text
    assert syllables._.record.to_dict() == findings._.record.to_dict()
    assert [(e.start_char, e.end_char, e.label_) for e in syllables.ents] == \
           [(e.start_char, e.end_char, e.label_) for e in findings.ents]


def test_parse_gives_the_record_of_the_whole_pass():
    """`parse` leaves out the last step (cutting the findings into spans, for the entity view):
    its record is the record of the pass that makes `doc.ents`, for every document."""
    for d in DOCS:
        assert parse(d).to_dict() == read(d)._.record.to_dict()


def test_entities_are_the_ents_of_the_same_pass():
    for d in DOCS[::9]:
        doc = read(d)
        assert [(e.start, e.end, e.label) for e in entities(d)] == \
               [(e.start_char, e.end_char, e.label_) for e in doc.ents]


LETTER = ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/BTTTT-TTĐN\nHà Nội, ngày 08 tháng 8 năm 2025\n"
          "V/v triển khai Kết luận số 57-KL/TW\n"
          "Kính gửi: Sở Thông tin và Truyền thông các tỉnh.\n\n"
          "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị, ông Nguyễn Thanh Lâm đề nghị "
          "các Sở báo cáo trước ngày 30/9/2025. Số 12/BTTTT-TTĐN cũng được nhắc lại ở đây.\n"
          "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Thanh Lâm")


def test_decoys_in_the_body_do_not_take_the_header_s_spans():
    """The name said in the body, the own code repeated, a date cited: the spans are those of
    the header's number, its date line and the signing block."""
    doc = read(Extracted(text=LETTER, source=Source(path="x", sha256="", format="txt")))
    by = {s.label_: s for s in doc.spans["record"]}
    assert by["DOC_CODE"].start_char == LETTER.index("12/BTTTT-TTĐN")
    assert by["DATE"].text == "ngày 08 tháng 8 năm 2025" and by["LOC"].text == "Hà Nội"
    assert by["PERSON"].start_char == LETTER.rindex("Nguyễn Thanh Lâm")
    assert by["DEADLINE"].text == "trước ngày 30/9/2025"
    assert by["RECIPIENT"].text == "Sở Thông tin và Truyền thông các tỉnh"


@pytest.mark.parametrize("reader", ["find_signer", "find_references", "read_header", "find_deadlines"])
def test_one_failing_reader_loses_only_its_own_field(monkeypatch, reader):
    import nlp.components as components

    whole = parse(Extracted(text=LETTER, source=Source(path="x", sha256="", format="txt")))

    def broken(*a, **kw):
        raise RuntimeError("odd text")

    monkeypatch.setattr(components, reader, broken)
    rec = parse(Extracted(text=LETTER, source=Source(path="x", sha256="", format="txt")))
    kept = {"find_signer": ("code", "references", "deadlines", "recipients"),
            "find_references": ("code", "signer", "deadlines", "recipients"),
            "read_header": ("signer", "deadlines", "recipients"),  # references need its own number
            "find_deadlines": ("code", "references", "signer", "recipients")}[reader]
    for name in kept:
        assert getattr(rec, name) == getattr(whole, name), name
        assert getattr(rec, name)  # the letter has every one of them
